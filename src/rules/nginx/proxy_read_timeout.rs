use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::policy::parse_nginx_seconds;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that each location proxying to Odoo waits at least the policy's
    /// `proxy_read_timeout` (720s by default; nginx's own default is 60s).
    /// A timeout that covers the `limit_time_real` of the Odoo behind it (120 s for the
    /// official image with no configuration) loses no request and is not reported, nor is a
    /// location of static assets, nor a `/longpolling` location behind Odoo 16 or later
    /// (NGX007 asks for its removal). Without stack facts, a vhost whose Odoo ipai cannot
    /// see (started outside compose, or built from an image) is not judged.
    ///
    /// ## Why is this bad?
    /// Reports, imports and module upgrades take minutes; nginx closes the connection at the
    /// timeout and answers 504 while Odoo keeps working, so users retry and double the load.
    ///
    /// ## Example
    /// ```nginx
    /// proxy_read_timeout 60s;
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// proxy_read_timeout 720s;
    /// proxy_connect_timeout 720s;
    /// proxy_send_timeout 720s;
    /// ```
    ///
    /// ## Source
    /// Odoo `odoo/service/server.py` (16.0–19.0): `ThreadedServer.process_limit()` and
    /// the prefork workers stop a request after `limit_time_real`;
    /// Odoo documentation, "Deploying Odoo — HTTPS" nginx sample (`proxy_read_timeout 720s`,
    /// <https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#https>);
    /// nginx `proxy_read_timeout` (<https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout>).
    pub struct ProxyReadTimeout {
        code: "NGX005",
        name: "proxy-read-timeout",
        severity: Warning,
    }
}

/// Odoo's `limit_time_real` default in every series 16.0–19.0 (`odoo/tools/config.py`,
/// `data/odoo/<series>.json`).
const ODOO_DEFAULT_LIMIT_TIME_REAL: i128 = 120;

impl Rule for ProxyReadTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let wanted_text = &cx.policy.nginx.proxy_read_timeout;
        let Some(wanted) = parse_nginx_seconds(wanted_text) else {
            return;
        };
        for server in servers(cx) {
            // An include ipai cannot read (a file on the host) may set what this rule
            // looks for: it says nothing about this server.
            if server.has_unseen_include() {
                continue;
            }
            if !server.fronts_odoo(cx) {
                continue;
            }
            // Odoo 16+ stops a request after limit_time_real, in prefork mode (the worker
            // is killed) and threaded mode alike (`ThreadedServer.process_limit()` restarts
            // the server): a timeout that covers the longest limit of the Odoo behind loses
            // no request, whatever the policy's figure. An official image running no
            // configuration has the default, 120 s.
            let behind = server.odoo_confs_behind(cx);
            // Without stack facts and without the Odoo behind in view, what Odoo allows is
            // not known: nothing is said.
            if behind.is_none() && cx.stack.inferred {
                continue;
            }
            let odoo_limit = behind.and_then(|confs| {
                confs
                    .iter()
                    .map(|conf| match conf {
                        Some(conf) => conf.int("limit_time_real").filter(|&limit| limit > 0),
                        None => Some(ODOO_DEFAULT_LIMIT_TIME_REAL),
                    })
                    .try_fold(0, |longest, limit| limit.map(|l| l.max(longest)))
            });
            let covers =
                |seconds: u64| odoo_limit.is_some_and(|limit| i128::from(seconds) >= limit);
            let dead_longpolling = server.odoo_series(cx).is_some();
            let mut reported = std::collections::BTreeSet::new();
            for location in server.locations() {
                // Static assets come back at once: no long request passes there.
                if location.proxy_pass().is_none()
                    || (dead_longpolling && location.pattern().1.starts_with("/longpolling"))
                    || location.pattern().1.contains("/static/")
                {
                    continue;
                }
                let effective = location.effective(server, "proxy_read_timeout");
                let seconds =
                    effective.map_or(Some(60), |d| d.arg(0).and_then(parse_nginx_seconds));
                if seconds.is_some_and(covers) {
                    continue;
                }
                let finding = match location.effective(server, "proxy_read_timeout") {
                    None => Finding::new(
                        &Self::META,
                        server.at(location.directive, location.directive.name.span),
                        format!("proxy_read_timeout is not set here: nginx gives Odoo 60s, the policy wants {wanted_text}"),
                    ),
                    Some(d) if parse_nginx_seconds(d.arg(0).unwrap_or("")).is_some_and(|s| s < wanted) => Finding::new(
                        &Self::META,
                        server.at(d, d.args_span()),
                        format!("proxy_read_timeout {} is below the policy's {wanted_text}", d.arg(0).unwrap_or("")),
                    ),
                    Some(_) => continue,
                };
                if reported.insert(finding.location.clone()) {
                    findings.push(finding.help(format!("proxy_read_timeout {wanted_text};")));
                }
            }
        }
    }
}
