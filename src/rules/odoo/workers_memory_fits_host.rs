use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `workers × limit_memory_hard` fits in the host's memory, when the stack
    /// facts give the host's `memory_bytes`.
    ///
    /// ## Why is this bad?
    /// The hard limit is per worker. If every worker may grow to it and together they exceed
    /// the host's memory, a busy moment ends with the kernel's OOM killer stopping Odoo,
    /// Redis or nginx instead of Odoo recycling one worker.
    ///
    /// ## Example
    /// On an 8 GiB droplet:
    /// ```ini
    /// workers = 12
    /// limit_memory_hard = 2684354560
    /// ```
    ///
    /// ## Fix
    /// Lower `limit_memory_hard` (and `limit_memory_soft`) so that
    /// `workers × limit_memory_hard` stays under the host's memory, or resize the host.
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — Memory size calculation"
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
        for conf in confs(cx) {
            let (Some(workers), Some(hard)) = (conf.int("workers"), conf.int("limit_memory_hard"))
            else {
                continue;
            };
            let total = workers.saturating_mul(hard);
            if workers <= 0 || total <= i128::from(memory) {
                continue;
            }
            let gib = |bytes: i128| bytes as f64 / f64::from(1u32 << 30);
            findings.push(
                Finding::new(
                    &Self::META,
                    conf.key_or_header("limit_memory_hard"),
                    format!(
                        "{workers} workers × limit_memory_hard {:.1} GiB = {:.1} GiB, more than the host's {:.1} GiB",
                        gib(hard),
                        gib(total),
                        gib(i128::from(memory))
                    ),
                )
                .help(format!("keep limit_memory_hard at or below {} bytes", i128::from(memory) / workers)),
            );
        }
    }
}
