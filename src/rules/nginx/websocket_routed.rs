use super::{servers, sets_header, Server};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a vhost in front of a multi-process Odoo (`workers` > 0) has a
    /// `location /websocket` that proxies with `proxy_set_header Upgrade $http_upgrade` and
    /// `proxy_set_header Connection` set to upgrade (usually `$connection_upgrade` from a
    /// `map`). Where the location's upstream port must point is STK002's check.
    /// Judged only on a vhost whose `location /` proxies to Odoo: a landing page that
    /// passes a few `/web/…` paths to Odoo carries none of the web client's bus.
    ///
    /// ## Why is this bad?
    /// Since Odoo 16 the bus (chat, notifications, live updates) uses a websocket on
    /// `/websocket`, served by the gevent worker. Without the location, or without the
    /// upgrade headers, the browser's websocket fails and Odoo logs "Couldn't bind the
    /// websocket. Is the connection opened on the evented port (8072)?".
    ///
    /// ## Example
    /// A vhost with only `location /` and the Odoo 15 `location /longpolling`.
    ///
    /// ## Fix
    /// ```nginx
    /// map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    /// location /websocket {
    ///     proxy_pass http://odoochat;
    ///     proxy_http_version 1.1;
    ///     proxy_set_header Upgrade $http_upgrade;
    ///     proxy_set_header Connection $connection_upgrade;
    ///     # plus the X-Forwarded-* headers
    /// }
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — LiveChat" and the nginx sample
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#livechat>);
    /// nginx, "WebSocket proxying" (<https://nginx.org/en/docs/http/websocket.html>).
    pub struct WebsocketRouted {
        code: "NGX006",
        name: "websocket-routed",
        severity: Error,
    }
}

/// Whether the Odoo behind `server` runs multi-process: its odoo.conf says so, or, without
/// one in the repo, the stack's invariant (workers = factor × cores) implies it.
pub(crate) fn prefork(server: &Server<'_>, cx: &Context<'_>) -> bool {
    match server.odoo_conf(cx) {
        Some(conf) => conf.int("workers").is_none_or(|w| w > 0),
        None => cx.stack.cpu_cores().unwrap_or(1) * cx.policy.odoo.workers_per_core > 0,
    }
}

impl Rule for WebsocketRouted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            // An include ipai cannot read (a file on the host) may set what this rule
            // looks for: it says nothing about this server.
            if server.has_unseen_include() {
                continue;
            }
            if !server.serves_odoo_client(cx) || !server.is_tls() || !prefork(server, cx) {
                continue;
            }
            let locations = server.locations();
            let Some(websocket) = locations
                .iter()
                .find(|l| l.matches_path("/websocket") && l.pattern().1 != "/")
            else {
                findings.push(
                    Finding::new(&Self::META, server.names_location(), "no `location /websocket`: Odoo's bus (chat, notifications) cannot connect")
                        .help("add `location /websocket` proxying to the gevent port with the Upgrade and Connection headers"),
                );
                continue;
            };
            let at = server.at(websocket.directive, websocket.directive.name.span);
            if websocket.proxy_pass().is_none() {
                findings.push(
                    Finding::new(
                        &Self::META,
                        at,
                        "`location /websocket` does not proxy_pass to Odoo",
                    )
                    .help("proxy_pass http://<gevent upstream>;"),
                );
                continue;
            }
            let headers = websocket.effective_all(server, "proxy_set_header");
            let upgrade =
                sets_header(&headers, "Upgrade").is_some_and(|d| d.arg(1) == Some("$http_upgrade"));
            let connection = sets_header(&headers, "Connection").is_some_and(|d| {
                d.arg(1).is_some_and(|v| {
                    v == "$connection_upgrade" || v.eq_ignore_ascii_case("upgrade")
                })
            });
            let missing: Vec<&str> = [
                (!upgrade).then_some("Upgrade $http_upgrade"),
                (!connection).then_some("Connection $connection_upgrade"),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !missing.is_empty() {
                findings.push(
                    Finding::new(
                        &Self::META,
                        at,
                        format!(
                            "`location /websocket` does not pass the websocket upgrade: missing {}",
                            missing.join(" and ")
                        ),
                    )
                    .help(
                        missing
                            .iter()
                            .map(|h| format!("proxy_set_header {h};"))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                );
            }
        }
    }
}
