//! The topology the cross-file rules read, as edges a user can see (`ipai-lint scope`): a
//! vhost proxies to an Odoo service, a service reads an odoo.conf, an odoo.conf connects to
//! a database. Each edge is located where the repo sets it up.

use super::deployment::{self, Deployed};
use super::nginx::{proxy_targets, servers};
use crate::finding::Location;
use crate::rule::Context;

/// One edge of the topology.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    /// `proxies to`, `reads`, `connects to`.
    pub kind: &'static str,
    pub to: String,
    /// Where the edge is set up: the `proxy_pass` (or upstream `server`) naming the target,
    /// the service, the `db_host` line.
    pub at: Location,
}

/// A compose service as a node: `service odoo (docker-compose.yml)`.
fn service_node(deployed: &Deployed<'_>) -> String {
    let file = deployed
        .project
        .compose_files()
        .next()
        .map_or("", |(_, f)| f.source.name.as_str());
    format!("service {} ({file})", deployed.service.name)
}

/// Every edge ipai knows, in file order and without repeats.
pub fn edges(cx: &Context<'_>) -> Vec<Edge> {
    let uses = deployment::conf_use(cx);
    let mut edges = Vec::new();
    for server in servers(cx) {
        let name = server
            .names()
            .first()
            .map_or_else(|| "_".to_string(), |w| w.as_str().to_string());
        let root = server.config.root().source.name.as_str();
        for location in server.locations() {
            let Some(proxy_pass) = location.proxy_pass() else {
                continue;
            };
            for (host, port, directive, word) in proxy_targets(cx, server.config, proxy_pass) {
                // Where the target is written: the `proxy_pass`, or the upstream's `server`.
                let at = server.at(directive, word.span);
                let from = format!(
                    "vhost {name} ({})",
                    server.at(proxy_pass, proxy_pass.args_span()).file
                );
                let reached = uses.odoo_from(root, &host, port);
                if reached.is_empty() {
                    let target = match port {
                        Some(port) => format!("{host}:{port}"),
                        None => host.clone(),
                    };
                    edges.push(Edge {
                        from,
                        kind: "proxies to",
                        to: format!("{target} (no Odoo service of the repo)"),
                        at,
                    });
                    continue;
                }
                for deployed in reached {
                    edges.push(Edge {
                        from: from.clone(),
                        kind: "proxies to",
                        to: service_node(deployed),
                        at: at.clone(),
                    });
                }
            }
        }
    }
    for deployed in deployment::services(cx) {
        if let Some(conf) = uses.conf_of(&deployed) {
            edges.push(Edge {
                from: service_node(&deployed),
                kind: "reads",
                to: conf.to_string(),
                at: deployed.key_at(),
            });
        }
    }
    for conf in super::odoo::confs(cx) {
        let Some(entry) = conf.entry("db_host") else {
            continue;
        };
        let host = entry.value.trim();
        if host.is_empty() || host.contains('$') {
            continue;
        }
        let to = match deployment::service(cx, host) {
            Some(deployed) => service_node(&deployed),
            None => format!("database {host}"),
        };
        edges.push(Edge {
            from: conf.source.name.clone(),
            kind: "connects to",
            to,
            at: conf.at(entry.value_span),
        });
    }
    let mut seen = crate::hash::FastHashSet::default();
    edges.retain(|e| seen.insert((e.from.clone(), e.kind, e.to.clone())));
    edges
}
