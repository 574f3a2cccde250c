use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `workers` equals the policy's workers-per-core factor times the host's CPU
    /// cores (`2 × cores` by default, the stack's own rule: "workers = 12  # 2 × CPU cores"
    /// on 6 cores). Needs the host's `cpu_cores` in the stack facts.
    ///
    /// ## Why is this bad?
    /// Too few workers queue requests and starve cron; too many overcommit CPU and memory so
    /// the kernel's OOM killer or Odoo's memory limits recycle workers mid-request.
    /// `workers = 0` runs the threaded server, which has no websocket worker behind nginx.
    ///
    /// ## Example
    /// On a 6-core droplet:
    /// ```ini
    /// workers = 4
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// workers = 12
    /// ```
    /// or change `odoo.workers_per_core` in the policy, or the host's `cpu_cores` fact.
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — Worker number calculation"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#worker-number-calculation>).
    pub struct WorkersMatchCores {
        code: "ODOO002",
        name: "workers-match-cores",
        severity: Error,
    }
}

impl Rule for WorkersMatchCores {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let Some(cores) = cx.stack.cpu_cores() else {
            return;
        };
        let factor = cx.policy.odoo.workers_per_core;
        let expected = i128::from(factor) * i128::from(cores);
        for conf in confs(cx) {
            if conf.conf.options().is_none() {
                continue;
            }
            // A value that does not cast is reported by the type rules.
            let Some(workers) = conf.int("workers") else {
                continue;
            };
            if workers == expected {
                continue;
            }
            let message = match conf.entry("workers") {
                Some(_) => format!("workers = {workers}, but the host has {cores} CPU cores: expected {factor} × {cores} = {expected}"),
                None => format!("workers is not set (0: the threaded server), but the host has {cores} CPU cores: expected {expected}"),
            };
            findings.push(
                Finding::new(&Self::META, conf.key_or_header("workers"), message)
                    .help(format!("set `workers = {expected}`")),
            );
        }
    }
}
