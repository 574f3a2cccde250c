use super::at;
use super::include_unseen as unseen;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::Directive;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks, in a main nginx configuration, that the open-file limit of the workers
    /// (`worker_rlimit_nofile`) is at least twice `worker_connections` (512 when unset),
    /// and that a configuration raising `worker_connections` above 1024, the soft limit a
    /// process commonly inherits, sets `worker_rlimit_nofile` at all. Up to 1024 without
    /// `worker_rlimit_nofile` (the official image's own `nginx.conf`), whether the
    /// inherited limit suffices depends on the host or the container runtime, which the
    /// repo does not state, so nothing is said. A configuration with a top-level or
    /// `events` `include` ipai cannot read is left alone.
    ///
    /// ## Why is this bad?
    /// Every connection of a worker, to a client or to Odoo, is a file descriptor, and a
    /// connection also holds a file while nginx serves one or buffers a large proxied
    /// response (an Odoo report, an attachment) to a temporary file: at worst two
    /// descriptors a connection. When the limit runs out first, nginx fails `accept()`
    /// and `open()` with "Too many open files" and drops requests well below
    /// `worker_connections`. Without `worker_rlimit_nofile`, workers keep the limit they
    /// inherit, often a soft limit of 1024 (systemd's default for services).
    ///
    /// ## Example
    /// ```nginx
    /// worker_rlimit_nofile 1024;
    /// events {
    ///     worker_connections 1024;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// worker_rlimit_nofile 4096;
    /// events {
    ///     worker_connections 1024;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `worker_connections` (<https://nginx.org/en/docs/ngx_core_module.html#worker_connections>:
    /// "this number includes all connections (e.g. connections with proxied servers, among
    /// others)… the actual number of simultaneous connections cannot exceed the current
    /// limit on the maximum number of open files, which can be changed by
    /// worker_rlimit_nofile") and `worker_rlimit_nofile`
    /// (<https://nginx.org/en/docs/ngx_core_module.html#worker_rlimit_nofile>); systemd
    /// `DefaultLimitNOFILE` (<https://www.freedesktop.org/software/systemd/man/latest/systemd-system.conf.html>).
    /// It covers gixy-next's `worker_rlimit_nofile_vs_connections` except its "missing"
    /// case at 1024 connections, which rests on the inherited limit, so does not claim it.
    pub struct WorkerRlimitNofileFits {
        code: "NGX030",
        name: "worker-rlimit-nofile-fits",
        severity: Info,
    }
}

/// nginx's `worker_connections` when the configuration sets none.
const DEFAULT_CONNECTIONS: u64 = 512;

/// The soft open-file limit a worker commonly inherits when nginx sets none.
const INHERITED_LIMIT: u64 = 1024;

impl Rule for WorkerRlimitNofileFits {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            if !config.base_context().is_empty() {
                continue;
            }
            let mut rlimit: Option<&Directive> = None;
            let mut connections: Option<&Directive> = None;
            let mut hidden = false;
            for d in config.top_level() {
                if d.is("worker_rlimit_nofile") {
                    rlimit = Some(d);
                } else if d.is("worker_connections") {
                    connections = Some(d);
                } else if d.is("include") && unseen(config, d) {
                    hidden = true;
                } else if d.is("events") && d.has_block() {
                    for e in config.children(d) {
                        if e.is("worker_connections") {
                            connections = Some(e);
                        } else if e.is("include") && unseen(config, e) {
                            hidden = true;
                        }
                    }
                }
            }
            let count = |d: Option<&Directive>| d.and_then(|d| d.arg(0)?.parse::<u64>().ok());
            let wanted = count(connections).unwrap_or(DEFAULT_CONNECTIONS);
            let connections_text = match connections {
                Some(_) => format!("worker_connections {wanted}"),
                None => format!("the default worker_connections {wanted}"),
            };
            match (rlimit, count(rlimit)) {
                (Some(d), Some(limit)) if limit < 2 * wanted => findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, d, d.args_span()),
                        format!(
                            "`worker_rlimit_nofile {limit}` is below twice {connections_text}: a connection can hold two descriptors, so workers fail with \"Too many open files\" before they reach it"
                        ),
                    )
                    .help(format!("set `worker_rlimit_nofile {};` or more", 2 * wanted)),
                ),
                (None, _) if !hidden && wanted > INHERITED_LIMIT => {
                    if let Some(d) = connections {
                        findings.push(
                            Finding::new(
                                &Self::META,
                                at(config, d, d.args_span()),
                                format!(
                                    "`worker_connections {wanted}` is above the 1024 open files a process commonly inherits, and no `worker_rlimit_nofile` raises the workers' limit: they fail with \"Too many open files\" first"
                                ),
                            )
                            .help(format!(
                                "add `worker_rlimit_nofile {};` at the top level",
                                2 * wanted
                            )),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
