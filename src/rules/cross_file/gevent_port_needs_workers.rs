use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{self, compose_at};

declare_rule! {
    /// ## What it does
    /// Reports a compose service running Odoo that publishes (or exposes) its
    /// `gevent_port` (8072 unless the odoo.conf it reads says otherwise; `longpolling_port`
    /// in older files) while that odoo.conf runs Odoo threaded: `workers` unset or 0, and no
    /// `--workers` on the command line. Only an odoo.conf in the repo that the service
    /// mounts or bakes is judged.
    ///
    /// ## Why is this bad?
    /// Only the multi-process server starts the gevent process that listens on
    /// `gevent_port`. Threaded, Odoo serves its bus websocket on `http_port`, and nothing
    /// listens on 8072: a vhost that routes `/websocket` there gets 502s, and the published
    /// port only invites confusion.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   odoo:
    ///     image: odoo:19.0
    ///     ports: ["8069:8069", "8072:8072"]
    ///     volumes: ["./config:/etc/odoo"]   # odoo.conf without workers
    /// ```
    ///
    /// ## Fix
    /// Either run Odoo multi-process (`workers = 2` or more in odoo.conf, and route
    /// `/websocket` to 8072), or drop the 8072 mapping and route `/websocket` to 8069.
    ///
    /// ## Source
    /// Odoo `odoo/service/server.py` (16.0–19.0): `start()` runs `PreforkServer` only when
    /// `config['workers']` is set, and only `PreforkServer` spawns the gevent process on
    /// `gevent_port`; `ThreadedServer` serves every request, the websocket included, on
    /// `http_port` (<https://github.com/odoo/odoo/blob/19.0/odoo/service/server.py>).
    pub struct GeventPortNeedsWorkers {
        code: "STK012",
        name: "gevent-port-needs-workers",
        severity: Warning,
    }
}

impl Rule for GeventPortNeedsWorkers {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for deployed in deployment::services(cx) {
            let service = deployed.service;
            if !crate::workspace::scope::is_odoo_service(service) {
                continue;
            }
            let words = deployed.command_words();
            if words.iter().any(|w| {
                [
                    "--workers",
                    "--gevent-port",
                    "--longpolling-port",
                    "-c",
                    "--config",
                ]
                .iter()
                .any(|flag| {
                    w.strip_prefix(flag)
                        .is_some_and(|r| r.is_empty() || r.starts_with('='))
                })
            }) {
                continue;
            }
            let Some(name) = deployed.conf_in_repo(cx) else {
                continue;
            };
            let Some(conf) = crate::rules::odoo::confs(cx).find(|c| c.source.name == name) else {
                continue;
            };
            if conf.conf.options().is_none() || conf.int("workers").is_some_and(|w| w > 0) {
                continue;
            }
            // A value ipai cannot read as a number (`${WORKERS}`) may be anything.
            if conf.entry("workers").is_some() && conf.int("workers").is_none() {
                continue;
            }
            let gevent = conf
                .int("gevent_port")
                .or_else(|| conf.int("longpolling_port"))
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(8072);
            let http = conf
                .int("http_port")
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(8069);
            for port in &service.ports {
                let Some(target) = port.target_range() else {
                    continue;
                };
                if target.start != gevent || target.end != gevent {
                    continue;
                }
                let loc = port.target.as_ref().map_or(port.loc, |t| t.loc);
                findings.push(
                    Finding::new(
                        &Self::META,
                        compose_at(deployed.project, loc),
                        format!(
                            "`{}` publishes port {gevent}, but its Odoo runs threaded (no workers) and opens no gevent port: nothing listens there, and the websocket is served on {http}",
                            service.name
                        ),
                    )
                    .help(format!(
                        "drop the {gevent} mapping and route /websocket to {http}, or set `workers` (2 or more) in {name}"
                    ))
                    .related(conf.key_or_header("workers"), "workers is not set above 0 here"),
                );
            }
        }
    }
}
