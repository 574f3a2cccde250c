use crate::declare_rule;
use crate::finding::Finding;
use crate::policy::parse_nginx_seconds;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::nginx::servers;

declare_rule! {
    /// ## What it does
    /// Checks that nginx waits for Odoo at least as long as Odoo lets a request run: the
    /// effective `proxy_read_timeout` of each location proxying to Odoo is at least the
    /// environment's `limit_time_real` (default 120 s). Needs the environment's odoo.conf
    /// in the repo.
    ///
    /// ## Why is this bad?
    /// If nginx gives up first, the user gets a 504 while the Odoo worker keeps computing the
    /// report or import; the user retries and the same work runs twice.
    ///
    /// ## Example
    /// `limit_time_real = 600` in odoo.conf and `proxy_read_timeout 300s;` in the vhost.
    ///
    /// ## Fix
    /// Raise `proxy_read_timeout` to at least `limit_time_real`, or lower `limit_time_real`.
    ///
    /// ## Source
    /// nginx `proxy_read_timeout` (<https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout>);
    /// Odoo `--limit-time-real` (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#multiprocessing>).
    pub struct ProxyTimeoutCoversOdooLimit {
        code: "STK003",
        name: "proxy-timeout-covers-odoo-limit",
        severity: Warning,
    }
}

impl Rule for ProxyTimeoutCoversOdooLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            let Some(conf) = server.odoo_conf(cx) else {
                continue;
            };
            let Some(limit) = conf.int("limit_time_real") else {
                continue;
            };
            if limit <= 0 {
                continue;
            }
            let mut reported = std::collections::BTreeSet::new();
            for location in server.locations() {
                if location.proxy_pass().is_none()
                    || (location.matches_path("/websocket") && location.pattern().1 != "/")
                {
                    continue;
                }
                let directive = location.effective(server, "proxy_read_timeout");
                let seconds =
                    directive.map_or(Some(60), |d| d.arg(0).and_then(parse_nginx_seconds));
                let Some(seconds) = seconds else { continue };
                if i128::from(seconds) >= limit {
                    continue;
                }
                let at = directive.map_or_else(
                    || server.at(location.directive, location.directive.name.span),
                    |d| server.at(d, d.args_span()),
                );
                if !reported.insert(at.clone()) {
                    continue;
                }
                findings.push(
                    Finding::new(
                        &Self::META,
                        at,
                        format!("nginx waits {seconds} s for Odoo, but Odoo lets a request run {limit} s (limit_time_real)"),
                    )
                    .help(format!("proxy_read_timeout {limit}s; (or more)"))
                    .related(conf.key_or_header("limit_time_real"), "Odoo's limit"),
                );
            }
        }
    }
}
