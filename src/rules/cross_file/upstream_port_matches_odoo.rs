use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::nginx::{proxy_targets, servers, websocket_prefork};

declare_rule! {
    /// ## What it does
    /// Checks that nginx proxies an Odoo vhost to the ports its Odoo listens on: `/websocket`
    /// to `gevent_port` (multi-process) or `http_port` (threaded), everything else to
    /// `http_port`. The ports come from the environment's odoo.conf (defaults 8069 and 8072),
    /// or from the stack facts when the repo has no odoo.conf for it.
    ///
    /// ## Why is this bad?
    /// Pages sent to the gevent port get errors, and a websocket sent to the HTTP port of a
    /// multi-process Odoo fails with "Couldn't bind the websocket. Is the connection opened
    /// on the evented port (8072)?".
    ///
    /// ## Example
    /// ```nginx
    /// upstream odoochat { server odoo-prod:8069; }
    /// location /websocket { proxy_pass http://odoochat; }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// upstream odoochat { server odoo-prod:8072; }
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, `--gevent-port` ("TCP port for websocket connections in
    /// multiprocessing or gevent mode") and `--http-port`
    /// (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#http>).
    pub struct UpstreamPortMatchesOdoo {
        code: "STK002",
        name: "upstream-port-matches-odoo",
        severity: Error,
        applies: Start,
    }
}

impl Rule for UpstreamPortMatchesOdoo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            let Some(env) = server.odoo_environment(cx) else {
                continue;
            };
            let conf = server.odoo_conf(cx);
            let port_of = |key: &str, fact: u16| -> (i128, Option<Location>) {
                match &conf {
                    Some(c) => (
                        c.int(key).unwrap_or(i128::from(fact)),
                        c.entry(key).map(|e| c.at(e.span)),
                    ),
                    None => (i128::from(fact), None),
                }
            };
            let http = port_of("http_port", env.http_port);
            let gevent = port_of("gevent_port", env.gevent_port);
            let prefork = websocket_prefork(server, cx);
            for location in server.locations() {
                let Some(proxy_pass) = location.proxy_pass() else {
                    continue;
                };
                // An obsolete /longpolling location is NGX007's finding; it has no right port.
                if location.pattern().1.starts_with("/longpolling") {
                    continue;
                }
                let websocket = location.matches_path("/websocket") && location.pattern().1 != "/";
                let ((wanted, wanted_at), what) = match (websocket, prefork) {
                    (true, true) => (gevent.clone(), "gevent_port"),
                    _ => (http.clone(), "http_port"),
                };
                for (_host, port, directive, word) in proxy_targets(cx, server.config, proxy_pass) {
                    let Some(port) = port else { continue };
                    if i128::from(port) == wanted {
                        continue;
                    }
                    let mut finding = Finding::new(
                        &Self::META,
                        server.at(directive, word.span),
                        format!(
                            "`location {}` reaches Odoo on port {port}, but the {} environment's {what} is {wanted}",
                            location.pattern().1,
                            env.name.as_str()
                        ),
                    )
                    .help(format!("point it at port {wanted}"))
                    .related(server.at(location.directive, location.directive.name.span), "the location proxying there");
                    if let Some(at) = &wanted_at {
                        finding = finding.related(at.clone(), format!("{what} in odoo.conf"));
                    }
                    findings.push(finding);
                }
            }
        }
    }
}
