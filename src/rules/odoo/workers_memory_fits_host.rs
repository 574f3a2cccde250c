use super::confs;
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
            let (Some(workers), Some(hard)) = (conf.int("workers"), conf.int("limit_memory_hard"))
            else {
                continue;
            };
            if workers <= 0 || hard <= 0 {
                continue;
            }
            let cron = conf.int("max_cron_threads").unwrap_or(0).max(0);
            // The gevent process takes its own limit where the series has one and it is set.
            let gevent = conf
                .int("limit_memory_hard_gevent")
                .filter(|&g| g > 0)
                .unwrap_or(hard);
            let total = (workers + cron).saturating_mul(hard).saturating_add(gevent);
            if total <= memory {
                continue;
            }
            let gib = |bytes: i128| bytes as f64 / f64::from(1u32 << 30);
            let gevent_part = if gevent == hard {
                String::new()
            } else {
                format!(
                    " + the gevent process's limit_memory_hard_gevent {:.1} GiB",
                    gib(gevent)
                )
            };
            let processes = if gevent == hard {
                workers + cron + 1
            } else {
                workers + cron
            };
            let (what, at_most) = if gevent == hard {
                (
                    format!("{workers} HTTP workers + {cron} cron workers + the gevent process"),
                    memory / processes,
                )
            } else {
                (
                    format!("{workers} HTTP workers + {cron} cron workers"),
                    (memory - gevent).max(0) / processes.max(1),
                )
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    conf.key_or_header("limit_memory_hard"),
                    format!(
                        "{what} × limit_memory_hard {:.1} GiB{gevent_part} = {:.1} GiB, more than the host's {:.1} GiB",
                        gib(hard),
                        gib(total),
                        gib(memory)
                    ),
                )
                .help(format!("keep limit_memory_hard at or below {at_most} bytes")),
            );
        }
    }
}
