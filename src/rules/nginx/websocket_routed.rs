use super::{servers, sets_header, Server};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a vhost in front of a multi-process Odoo (`workers` > 0) has a
    /// `location /websocket` that proxies with `proxy_set_header Upgrade $http_upgrade` and
    /// `proxy_set_header Connection` set to upgrade (usually `$connection_upgrade` from a
    /// `map`). Where the location's upstream port must point is STK002's check. In front
    /// of a threaded Odoo 16 or later (its odoo.conf leaves `workers` at 0), which serves
    /// the websocket on its HTTP port, the location that takes `/websocket` (often
    /// `location /`) must pass the same two headers.
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

/// Whether the Odoo behind runs threaded, by its own odoo.conf: `workers = 0`, or no
/// `workers` (Odoo's default, 0) and no `--workers` on its command line. It then serves
/// `/websocket` on its HTTP port itself.
fn threaded(server: &Server<'_>, cx: &Context<'_>) -> bool {
    server
        .odoo_conf(cx)
        .is_some_and(|conf| match conf.int("workers") {
            Some(workers) => workers == 0,
            None => {
                conf.entry("workers").is_none() && !conf.set_on_command_line(cx, &["--workers"])
            }
        })
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
            if !server.serves_odoo_client(cx) {
                continue;
            }
            if threaded(server, cx) {
                threaded_upgrade(server, cx, findings);
                continue;
            }
            if !server.is_tls() || !prefork(server, cx) {
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
            let missing = missing_upgrade(server, websocket);
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
                    .help(upgrade_help(&missing)),
                );
            }
        }
    }
}

/// The `proxy_set_header` lines that pass the missing upgrade headers.
fn upgrade_help(missing: &[&str]) -> String {
    missing
        .iter()
        .map(|h| format!("proxy_set_header {h};"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The websocket upgrade headers a location does not pass.
fn missing_upgrade(server: &Server<'_>, location: &super::Loc<'_>) -> Vec<&'static str> {
    let headers = location.effective_all(server, "proxy_set_header");
    let upgrade =
        sets_header(&headers, "Upgrade").is_some_and(|d| d.arg(1) == Some("$http_upgrade"));
    let connection = sets_header(&headers, "Connection").is_some_and(|d| {
        d.arg(1)
            .is_some_and(|v| v == "$connection_upgrade" || v.eq_ignore_ascii_case("upgrade"))
    });
    [
        (!upgrade).then_some("Upgrade $http_upgrade"),
        (!connection).then_some("Connection $connection_upgrade"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A threaded Odoo (16.0 or later) serves its bus websocket on the HTTP port: whichever
/// location takes `/websocket` must pass the upgrade.
fn threaded_upgrade(server: &Server<'_>, cx: &Context<'_>, findings: &mut Vec<Finding>) {
    if !server.odoo_has_websocket_bus(cx) {
        return;
    }
    let locations = server.locations();
    // A dedicated location wins over `location /`, as nginx's longest prefix does.
    let location = locations
        .iter()
        .filter(|l| l.matches_path("/websocket") && l.proxy_pass().is_some())
        .max_by_key(|l| l.pattern().1.len());
    let Some(location) = location else {
        return;
    };
    let missing = missing_upgrade(server, location);
    if missing.is_empty() {
        return;
    }
    findings.push(
        Finding::new(
            &WebsocketRouted::META,
            server.at(location.directive, location.directive.name.span),
            format!(
                "Odoo runs threaded (workers = 0) and serves its bus websocket on this port, but `location {}` does not pass the upgrade: missing {}",
                location.pattern().1,
                missing.join(" and ")
            ),
        )
        .help(upgrade_help(&missing) + " proxy_http_version 1.1;"),
    );
}
