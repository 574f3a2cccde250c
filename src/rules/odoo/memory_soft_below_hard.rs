use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `limit_memory_soft` is below `limit_memory_hard` (defaults apply to a
    /// missing key: 2048 MiB and 2560 MiB).
    ///
    /// ## Why is this bad?
    /// The soft limit recycles a worker gracefully after its request; the hard limit makes
    /// allocations fail at once. A soft limit at or above the hard one never triggers, so
    /// workers die mid-request with a `MemoryError` instead of being recycled.
    ///
    /// ## Example
    /// ```ini
    /// limit_memory_soft = 2684354560
    /// limit_memory_hard = 2684354560
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// limit_memory_soft = 2147483648
    /// limit_memory_hard = 2684354560
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, command-line `--limit-memory-soft` and `--limit-memory-hard`
    /// (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#multiprocessing>).
    pub struct MemorySoftBelowHard {
        code: "ODOO004",
        name: "memory-soft-below-hard",
        severity: Error,
    }
}

impl Rule for MemorySoftBelowHard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            let (Some(soft), Some(hard)) =
                (conf.int("limit_memory_soft"), conf.int("limit_memory_hard"))
            else {
                continue;
            };
            if soft < hard
                || (conf.entry("limit_memory_soft").is_none()
                    && conf.entry("limit_memory_hard").is_none())
            {
                continue;
            }
            let mut finding = Finding::new(
                &Self::META,
                conf.key_or_header("limit_memory_soft"),
                format!("limit_memory_soft ({soft}) is not below limit_memory_hard ({hard}): workers are killed instead of recycled"),
            )
            .help("set limit_memory_soft below limit_memory_hard, e.g. 80% of it");
            if let Some(entry) = conf.entry("limit_memory_hard") {
                finding = finding.related(conf.at(entry.span), "the hard limit");
            }
            findings.push(finding);
        }
    }
}
