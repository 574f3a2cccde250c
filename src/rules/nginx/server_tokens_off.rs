use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every server runs with `server_tokens off`, set in the server or in an
    /// enclosing `http` block of the repo's nginx.conf.
    ///
    /// ## Why is this bad?
    /// nginx's default `server_tokens on` prints the exact nginx version on error pages and
    /// in the `Server` header, telling scanners which CVEs to try.
    ///
    /// ## Example
    /// A server block without `server_tokens`, and no nginx.conf setting it.
    ///
    /// ## Fix
    /// ```nginx
    /// server_tokens off;
    /// ```
    ///
    /// ## Source
    /// nginx `server_tokens` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens>);
    /// gixy-next plugin `version_disclosure`.
    pub struct ServerTokensOff {
        code: "NGX012",
        name: "server-tokens-off",
        severity: Warning,
        peers: ["gixy-next/version_disclosure"],
    }
}

impl Rule for ServerTokensOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            match server.effective("server_tokens") {
                Some(d) if d.arg(0) == Some("off") => {}
                Some(d) => findings.push(
                    Finding::new(
                        &Self::META,
                        server.at(d, d.args_span()),
                        format!(
                            "server_tokens {} discloses the nginx version",
                            d.arg(0).unwrap_or("")
                        ),
                    )
                    .help("server_tokens off;"),
                ),
                None => findings.push(
                    Finding::new(
                        &Self::META,
                        server.names_location(),
                        "server_tokens is not off: nginx discloses its version",
                    )
                    .help("server_tokens off;"),
                ),
            }
        }
    }
}
