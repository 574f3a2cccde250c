use super::{at, client_variable, each_directive, variables};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that no `proxy_set_header Host` passes upstream a host the client chose: the
    /// raw `Host` header (`$http_host`), another request header (`$http_x_forwarded_host`),
    /// a query argument (`$arg_…`) or a cookie (`$cookie_…`), alone or inside a longer
    /// value.
    ///
    /// ## Why is this bad?
    /// nginx picks the server by the host of the request line when the request has an
    /// absolute URI, else by the `Host` header, and `$host` is that name, lower-cased and
    /// without the port. `$http_host` is the `Host` header as the client wrote it: a request
    /// `GET http://erp.example.com/ HTTP/1.1` with `Host: evil.example` reaches the
    /// `erp.example.com` server and hands Odoo `evil.example`, and so does the default
    /// server for any name. Odoo builds absolute URLs (redirects, the links of mails it sends
    /// while serving the request, OAuth return addresses) and picks the database with
    /// `dbfilter` from that host: a forged one poisons caches and links and may select
    /// another database. Other headers, arguments and cookies are the client's entirely.
    ///
    /// ## Example
    /// ```nginx
    /// proxy_set_header Host $http_host;
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// proxy_set_header Host $host;
    /// ```
    ///
    /// ## Source
    /// nginx `$host` and `$http_name` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#var_host>);
    /// nginx, "How nginx processes a request"
    /// (<https://nginx.org/en/docs/http/request_processing.html>); gixy-next plugin
    /// `host_spoofing`.
    pub struct ProxyHostFromClient {
        code: "NGX016",
        name: "proxy-host-from-client",
        severity: Error,
        peers: ["gixy-next/host_spoofing"],
    }
}

impl Rule for ProxyHostFromClient {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("proxy_set_header")
                || !d.arg(0).is_some_and(|h| h.eq_ignore_ascii_case("host"))
            {
                return;
            }
            let Some(value) = d.arg(1) else {
                return;
            };
            let Some(variable) = variables(value).into_iter().find(|v| client_variable(v)) else {
                return;
            };
            let what = if variable.eq_ignore_ascii_case("http_host") {
                "the Host header as the client wrote it rather than the name nginx matched"
            } else {
                "a value the client sends as it likes"
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.args_span()),
                    format!("the upstream Host comes from `${variable}`, {what}: the client chooses the host Odoo builds its links from and picks its database by"),
                )
                .help("proxy_set_header Host $host;"),
            );
        });
    }
}
