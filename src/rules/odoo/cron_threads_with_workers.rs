use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a multi-process Odoo (`workers` > 0) keeps at least the policy's minimum
    /// of cron workers (`max_cron_threads`, 1 by default).
    ///
    /// ## Why is this bad?
    /// With `max_cron_threads = 0` no scheduled action runs: mail queues, recurring invoices,
    /// the Mailgun bridge's event sync and every other `ir.cron` silently stop.
    ///
    /// ## Example
    /// ```ini
    /// workers = 12
    /// max_cron_threads = 0
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// max_cron_threads = 2
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, command-line `--max-cron-threads`
    /// (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#multiprocessing>)
    /// and "Deploying Odoo — Builtin server" ("Cron workers need CPU").
    pub struct CronThreadsWithWorkers {
        code: "ODOO003",
        name: "cron-threads-with-workers",
        severity: Error,
    }
}

impl Rule for CronThreadsWithWorkers {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let minimum = i128::from(cx.policy.odoo.min_max_cron_threads);
        for conf in confs(cx) {
            let (Some(workers), Some(cron)) = (conf.int("workers"), conf.int("max_cron_threads"))
            else {
                continue;
            };
            if workers > 0 && cron < minimum {
                findings.push(
                    Finding::new(
                        &Self::META,
                        conf.key_or_header("max_cron_threads"),
                        format!("max_cron_threads = {cron} with workers = {workers}: scheduled actions never run"),
                    )
                    .help(format!("set `max_cron_threads` to at least {minimum}")),
                );
            }
        }
    }
}
