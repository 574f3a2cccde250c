use super::{confs, Processes};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the memory every Odoo process may take fits in the host's memory, when
    /// the stack facts give the host's `memory_bytes`. In prefork mode (`workers` above 0)
    /// each HTTP worker and each cron worker (`max_cron_threads` of them) may grow to
    /// `limit_memory_hard`, and so may the gevent process that serves the bus, or to
    /// `limit_memory_hard_gevent` where that is set (18.0 on).
    ///
    /// ## Why is this bad?
    /// The hard limit is per process. If every process may grow to it and together they
    /// exceed the host's memory, a busy moment ends with the kernel's OOM killer stopping
    /// Odoo, Redis or nginx instead of Odoo recycling one worker.
    ///
    /// ## Example
    /// On an 8 GiB droplet:
    /// ```ini
    /// workers = 12
    /// max_cron_threads = 2
    /// limit_memory_hard = 2684354560
    /// ```
    ///
    /// ## Fix
    /// Lower `limit_memory_hard` (and `limit_memory_soft`) so that
    /// `(workers + max_cron_threads + 1) × limit_memory_hard` stays under the host's memory,
    /// or resize the host.
    ///
    /// ## Source
    /// Odoo `odoo/service/server.py`: `set_limit_memory_hard()` sets `RLIMIT_AS` to
    /// `limit_memory_hard` (to `limit_memory_hard_gevent` in the gevent process, 18.0 on) in
    /// `Worker.check_limits()`, which HTTP and cron workers share, and in the gevent
    /// server; the prefork server keeps `max_cron_threads` cron workers
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/service/server.py>); Odoo documentation,
    /// "Deploying Odoo — Memory size calculation"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#memory-size-calculation>).
    pub struct WorkersMemoryFitsHost {
        code: "ODOO011",
        name: "workers-memory-fits-host",
        severity: Error,
    }
}

impl Rule for WorkersMemoryFitsHost {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let Some(memory) = cx.stack.memory_bytes() else {
            return;
        };
        let memory = i128::from(memory);
        for conf in confs(cx) {
            let (Some(processes), Some(hard)) =
                (Processes::prefork(&conf), conf.int("limit_memory_hard"))
            else {
                continue;
            };
            if hard <= 0 {
                continue;
            }
            // The gevent process takes its own limit where the series has one and it is set.
            let gevent = conf
                .int("limit_memory_hard_gevent")
                .filter(|&g| g > 0 && g != hard);
            let total = processes.total(hard, gevent);
            if total <= memory {
                continue;
            }
            let gib = |bytes: i128| format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30));
            let what = processes.describe(
                "limit_memory_hard",
                &gib(hard),
                gevent.map(|g| ("limit_memory_hard_gevent", gib(g))),
            );
            findings.push(
                Finding::new(
                    &Self::META,
                    conf.key_or_header("limit_memory_hard"),
                    format!(
                        "{what} = {}, more than the host's {}",
                        gib(total),
                        gib(memory)
                    ),
                )
                .help(format!(
                    "keep limit_memory_hard at or below {} bytes",
                    processes.at_most(memory, gevent)
                )),
            );
        }
    }
}
