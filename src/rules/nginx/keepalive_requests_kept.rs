use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the client-side `keepalive_requests` is not set below nginx's default
    /// of 1000. The directive of the same name in an `upstream` block (requests per cached
    /// connection to the upstream) is left alone.
    ///
    /// ## Why is this bad?
    /// nginx closes a client connection after that many requests. An Odoo page loads its
    /// asset bundles, images and a stream of JSON-RPC calls over one HTTP/2 connection;
    /// with `keepalive_requests 100` (nginx's default before 1.19.10, still copied from old
    /// guides) the browser has to open a new TLS connection every hundred requests, and
    /// requests in flight when nginx closes the connection fail or are retried. nginx
    /// raised the default to 1000 for that reason. `keepalive_requests 0` closes the
    /// connection after every request: keep-alive is off.
    ///
    /// ## Example
    /// ```nginx
    /// keepalive_requests 100;
    /// ```
    ///
    /// ## Fix
    /// Drop the directive (the default is 1000), or set it to 1000 or more.
    ///
    /// ## Source
    /// nginx `keepalive_requests` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_requests>:
    /// "Prior to version 1.19.10, the default value was 100"); gixy-next plugin
    /// `low_keepalive_requests`.
    pub struct KeepaliveRequestsKept {
        code: "NGX023",
        name: "keepalive-requests-kept",
        severity: Info,
        peers: ["gixy-next/low_keepalive_requests"],
    }
}

impl Rule for KeepaliveRequestsKept {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("keepalive_requests") || visit.enclosing("upstream").is_some() {
                return;
            }
            let Some(value) = d.arg(0).and_then(|a| a.parse::<u64>().ok()) else {
                return;
            };
            let message = match value {
                0 => "`keepalive_requests 0` closes every client connection after one request: keep-alive is off".to_owned(),
                1..=999 => format!(
                    "`keepalive_requests {value}` closes a client connection after {value} requests, below nginx's default of 1000"
                ),
                _ => return,
            };
            findings.push(
                Finding::new(&Self::META, at(config, d, d.args_span()), message)
                    .help("drop the directive (the default is 1000) or set it to 1000 or more"),
            );
        });
    }
}
