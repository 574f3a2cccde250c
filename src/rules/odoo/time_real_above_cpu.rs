use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `limit_time_real` (wall-clock seconds a request may take) is at least
    /// `limit_time_cpu` (CPU seconds). Defaults apply to a missing key: 120 and 60.
    ///
    /// ## Why is this bad?
    /// A request cannot use more CPU time than wall time. A real-time limit below the CPU
    /// limit makes the CPU limit dead configuration and kills long requests (reports,
    /// imports) earlier than intended.
    ///
    /// ## Example
    /// ```ini
    /// limit_time_cpu = 300
    /// limit_time_real = 120
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// limit_time_cpu = 300
    /// limit_time_real = 600
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, command-line `--limit-time-cpu` and `--limit-time-real`
    /// (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#multiprocessing>).
    pub struct TimeRealAboveCpu {
        code: "ODOO012",
        name: "time-real-above-cpu",
        severity: Warning,
    }
}

impl Rule for TimeRealAboveCpu {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            let (Some(cpu), Some(real)) = (conf.int("limit_time_cpu"), conf.int("limit_time_real"))
            else {
                continue;
            };
            if real >= cpu
                || (conf.entry("limit_time_cpu").is_none()
                    && conf.entry("limit_time_real").is_none())
            {
                continue;
            }
            let mut finding = Finding::new(
                &Self::META,
                conf.key_or_header("limit_time_real"),
                format!("limit_time_real ({real} s) is below limit_time_cpu ({cpu} s): the CPU limit can never be reached"),
            )
            .help(format!("raise limit_time_real to at least {cpu}"));
            if let Some(entry) = conf.entry("limit_time_cpu") {
                finding = finding.related(conf.at(entry.span), "the CPU limit");
            }
            findings.push(finding);
        }
    }
}
