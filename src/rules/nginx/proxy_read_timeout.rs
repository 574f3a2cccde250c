use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::policy::parse_nginx_seconds;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that each location proxying to Odoo waits at least the policy's
    /// `proxy_read_timeout` (720s by default; nginx's own default is 60s).
    /// A timeout that covers the `limit_time_real` of the multi-process Odoo behind it
    /// loses no request and is not reported, nor is a `/longpolling` location behind Odoo
    /// 16 or later (NGX007 asks for its removal).
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
    /// Odoo documentation, "Deploying Odoo — HTTPS" nginx sample (`proxy_read_timeout 720s`,
    /// <https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#https>);
    /// nginx `proxy_read_timeout` (<https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout>).
    pub struct ProxyReadTimeout {
        code: "NGX005",
        name: "proxy-read-timeout",
        severity: Warning,
    }
}

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
            // In prefork mode Odoo kills a request after limit_time_real: a timeout that
            // covers it loses no request, whatever the policy's figure.
            let odoo_limit = server
                .odoo_conf(cx)
                .filter(|conf| conf.int("workers").is_some_and(|w| w > 0))
                .and_then(|conf| conf.int("limit_time_real"))
                .filter(|&limit| limit > 0);
            let covers =
                |seconds: u64| odoo_limit.is_some_and(|limit| i128::from(seconds) >= limit);
            let dead_longpolling = server.odoo_series(cx).is_some();
            let mut reported = std::collections::BTreeSet::new();
            for location in server.locations() {
                if location.proxy_pass().is_none()
                    || (dead_longpolling && location.pattern().1.starts_with("/longpolling"))
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
