use super::at;
use super::include_unseen as unseen;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a main nginx configuration (one with a top-level `http` or `events`
    /// block) sets `worker_processes` at its top level, where nginx reads it. A
    /// `worker_processes` inside `http` or `server` does not count: nginx refuses it there.
    /// A configuration with a top-level `include` ipai cannot read is left alone.
    ///
    /// ## Why is this bad?
    /// Without it nginx starts one worker process, which runs on one CPU core: every TLS
    /// handshake, every gzip of an Odoo asset bundle and every proxied byte of the site
    /// goes through that core, however many the host has.
    ///
    /// ## Example
    /// ```nginx
    /// events {
    ///     worker_connections 1024;
    /// }
    /// http {
    ///     include /etc/nginx/conf.d/*.conf;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// worker_processes auto;
    /// events {
    ///     worker_connections 1024;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `worker_processes` (<https://nginx.org/en/docs/ngx_core_module.html#worker_processes>:
    /// "Default: worker_processes 1; Context: main"); gixy-next plugin
    /// `missing_worker_processes`.
    pub struct WorkerProcessesSet {
        code: "NGX024",
        name: "worker-processes-set",
        severity: Info,
        peers: ["gixy-next/missing_worker_processes"],
    }
}

impl Rule for WorkerProcessesSet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            if !config.base_context().is_empty() {
                continue;
            }
            let mut main_block = None;
            let mut set = false;
            for d in config.top_level() {
                // A file ipai cannot read may set it.
                if d.is("worker_processes") || (d.is("include") && unseen(config, d)) {
                    set = true;
                } else if (d.is("events") || d.is("http")) && d.has_block() && main_block.is_none()
                {
                    main_block = Some(d);
                }
            }
            let Some(block) = main_block else {
                continue;
            };
            if set {
                continue;
            }
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, block, block.name.span),
                    "this nginx configuration does not set `worker_processes`: nginx runs one worker, on one CPU core",
                )
                .help("add `worker_processes auto;` at the top level: one worker per core"),
            );
        }
    }
}
