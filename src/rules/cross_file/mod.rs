//! `STK`: invariants that span files: nginx against compose against odoo.conf against the
//! stack's facts.

mod addons_path_holds_modules;
mod bus_not_through_transaction_pool;
mod environments_use_separate_databases;
mod environments_use_separate_filestores;
mod gevent_port_needs_workers;
mod odoo_conf_mount_matches_stack;
mod proxy_timeout_covers_odoo_limit;
mod server_name_is_stack_site;
mod upstream_host_is_compose_service;
mod upstream_port_is_service_port;
mod upstream_port_matches_odoo;
mod upstream_reachable_where_nginx_runs;

pub use addons_path_holds_modules::AddonsPathHoldsModules;
pub(crate) use addons_path_holds_modules::{
    items as addons_items, value_span as addons_value_span,
};
pub use bus_not_through_transaction_pool::BusNotThroughTransactionPool;
pub use environments_use_separate_databases::EnvironmentsUseSeparateDatabases;
pub use environments_use_separate_filestores::EnvironmentsUseSeparateFilestores;
pub use gevent_port_needs_workers::GeventPortNeedsWorkers;
pub use odoo_conf_mount_matches_stack::OdooConfMountMatchesStack;
pub use proxy_timeout_covers_odoo_limit::ProxyTimeoutCoversOdooLimit;
pub use server_name_is_stack_site::ServerNameIsStackSite;
pub use upstream_host_is_compose_service::UpstreamHostIsComposeService;
pub use upstream_port_is_service_port::UpstreamPortIsServicePort;
pub use upstream_port_matches_odoo::UpstreamPortMatchesOdoo;
pub use upstream_reachable_where_nginx_runs::UpstreamReachableWhereNginxRuns;

use crate::finding::Location;
use crate::formats::nginx::Word;
use crate::rule::Context;
use crate::rules::deployment;
use crate::rules::nginx::{proxy_targets, servers, Loc, Server};
use crate::source::Span;

/// One `host:port` nginx proxies to: a location's `proxy_pass`, through its `upstream`
/// block when it names one.
pub(crate) struct Target {
    pub host: String,
    /// The port; nginx's default (80, or 443 for `https://`) when not written.
    pub port: u16,
    /// Where the host is written (the whole word when it cannot be cut).
    pub host_at: Location,
    /// Where the port is written (the whole word when it is not written or cannot be cut).
    pub port_at: Location,
}

impl Target {
    /// A name the resolver looks up, as opposed to a literal address, a variable or a
    /// unix socket.
    pub fn is_name(&self) -> bool {
        !self.host.is_empty()
            && !self.host.contains('$')
            && !self.host.starts_with("unix:")
            && self.host.parse::<std::net::IpAddr>().is_err()
    }

    /// Whether a variable or a unix socket makes the target unknowable here.
    pub fn is_dynamic(&self) -> bool {
        self.host.is_empty() || self.host.contains('$') || self.host.starts_with("unix:")
    }
}

/// Every proxied target of every server nginx loads, once per place it is written (an
/// upstream block two locations use is visited once, for the first). With nginx in compose,
/// only configurations under the repo paths its service mounts are nginx's.
pub(crate) fn for_each_target<'a>(
    cx: &'a Context<'_>,
    mut visit: impl FnMut(&Server<'a>, &Loc<'a>, &Target),
) {
    let mut seen = std::collections::BTreeSet::new();
    let mounts = deployment::nginx_repo_mounts(cx);
    for server in servers(cx) {
        let root = &server.config.root().source.name;
        if mounts
            .as_ref()
            .is_some_and(|m| !deployment::is_under(root, m))
        {
            continue;
        }
        for location in server.locations() {
            let Some(proxy_pass) = location.proxy_pass() else {
                continue;
            };
            for (host, port, directive, word) in proxy_targets(cx, server.config, proxy_pass) {
                let whole = server.at(directive, word.span);
                if !seen.insert(whole.clone()) {
                    continue;
                }
                let (host_span, port_span) = host_port_spans(word);
                let target = Target {
                    port: port.unwrap_or(80),
                    host,
                    host_at: server.at(directive, host_span),
                    port_at: server.at(directive, port_span),
                };
                visit(server, location, &target);
            }
        }
    }
}

/// The spans of the host and the port inside a `proxy_pass` URL or an upstream `server`
/// address; the word's span for a part that is missing or cannot be cut exactly (escapes).
fn host_port_spans(word: &Word) -> (Span, Span) {
    let content = word.content_span();
    let value = word.as_str();
    if value.len() != content.len() {
        return (word.span, word.span);
    }
    let start = value.find("://").map_or(0, |i| i + 3);
    let authority_len = value[start..].find('/').unwrap_or(value.len() - start);
    let authority = &value[start..start + authority_len];
    let host_len = if authority.starts_with('[') {
        authority.find(']').map_or(authority.len(), |i| i + 1)
    } else {
        authority.rfind(':').unwrap_or(authority.len())
    };
    let at =
        |from: usize, len: usize| Span::new(content.start() + from, content.start() + from + len);
    let host = if host_len == 0 {
        word.span
    } else {
        at(start, host_len)
    };
    let port = match authority[host_len..].strip_prefix(':') {
        Some(port) if !port.is_empty() => at(start + host_len + 1, port.len()),
        _ => word.span,
    };
    (host, port)
}
