use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::Directive;
use crate::hash::FastHashSet;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every name served over TLS also has a plain-HTTP server (port 80) that
    /// redirects to `https://`, with `return 301 https://…` (or 302/307/308) or a
    /// `rewrite … https://… permanent`, at server level, in `location /`, or inside the
    /// `if ($host = name) { return 301 https://…; }` that certbot's `--redirect` writes.
    /// It also reports a port-80 server of a named site (not `_`, `localhost` or an
    /// address) that serves pages instead of redirecting.
    ///
    /// ## Why is this bad?
    /// Without the redirect, `http://erp.insightpulseai.net` either fails or is served by
    /// another vhost; with a port-80 server that serves pages, sessions travel unencrypted.
    ///
    /// ## Example
    /// A repo with only the `listen 443 ssl` server for `erp.insightpulseai.net`.
    ///
    /// ## Fix
    /// ```nginx
    /// server {
    ///     listen 80;
    ///     server_name erp.insightpulseai.net;
    ///     location /.well-known/acme-challenge/ { root /var/www/certbot; }
    ///     location / { return 301 https://$host$request_uri; }
    /// }
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — HTTPS" (the sample redirects port 80,
    /// <https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#https>);
    /// nginx `return` (<https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return>).
    pub struct HttpRedirectsToHttps {
        code: "NGX002",
        name: "http-redirects-to-https",
        severity: Error,
    }
}

fn redirects(directive: &Directive) -> bool {
    let returns = directive.is("return")
        && matches!(directive.arg(0), Some("301" | "302" | "307" | "308"))
        && directive.arg(1).is_some_and(|t| t.starts_with("https://"));
    let rewrites = directive.is("rewrite")
        && directive.arg(1).is_some_and(|t| t.starts_with("https://"))
        && matches!(directive.arg(2), Some("permanent" | "redirect"));
    returns || rewrites
}

impl Rule for HttpRedirectsToHttps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let servers = servers(cx);
        let plain: Vec<_> = servers.iter().filter(|s| s.is_plain_http()).collect();
        for server in plain.iter().filter(|s| !s.is_tls()) {
            // An include ipai cannot read (a file on the host) may set what this rule
            // looks for: it says nothing about this server.
            if server.has_unseen_include() {
                continue;
            }
            // certbot's `--redirect` writes `if ($host = name) { return 301 https://…; }`.
            let level_redirects = server
                .children()
                .any(|d| redirects(d) || (d.is("if") && server.config.children(d).any(redirects)));
            let root_redirects = server.locations().iter().any(|l| {
                l.pattern() == ("", "/") && server.config.children(l.directive).any(redirects)
            });
            // A default server (`_`), `localhost` or an address is not a site anyone
            // browses to by name over https.
            let named_site = server.names().iter().any(|n| is_site_name(n.as_str()));
            if !level_redirects && !root_redirects && named_site {
                findings.push(
                    Finding::new(&Self::META, server.names_location(), "this plain-HTTP server serves pages instead of redirecting to https://")
                        .help("`return 301 https://$host$request_uri;` (keep /.well-known/acme-challenge/ for certbot)"),
                );
            }
        }
        // The names a port-80 server answers, once: `_` answers every name.
        let plain_names: FastHashSet<&str> = plain
            .iter()
            .flat_map(|p| p.names())
            .map(|n| n.as_str())
            .collect();
        let catch_all = plain_names.contains("_");
        for server in servers.iter().filter(|s| s.is_tls()) {
            for name in server.names() {
                if name.as_str() == "_" {
                    continue;
                }
                if !catch_all && !plain_names.contains(name.as_str()) {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            server.name_at(name),
                            format!("no port-80 server redirects http://{} to https://", name.as_str()),
                        )
                        .help("add a `listen 80` server for this name that returns 301 to https://$host$request_uri"),
                    );
                }
            }
        }
    }
}

/// Whether a `server_name` is a site's domain name: not `_`, `localhost`, an address, a
/// regular expression or empty.
fn is_site_name(name: &str) -> bool {
    let name = name.trim_end_matches('.');
    name.contains('.')
        && !name.starts_with('~')
        && !name.eq_ignore_ascii_case("localhost")
        && !name.ends_with(".localhost")
        && name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_err()
}
