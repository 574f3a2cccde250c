use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::policy::parse_nginx_seconds;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a TLS vhost in front of Odoo caches `/web/static/` for at least the
    /// policy's `static_expires` (864000s, ten days, by default) with `expires`.
    /// Judged only on a vhost whose `location /` proxies to Odoo: a landing page that
    /// passes a few `/web/…` paths to Odoo carries none of the web client's assets.
    ///
    /// ## Why is this bad?
    /// Every page load otherwise revalidates dozens of JavaScript, CSS and image bundles
    /// against Odoo, costing workers and latency for files that change only on upgrade
    /// (Odoo versions its asset bundles in their URLs).
    ///
    /// ## Example
    /// ```nginx
    /// location ~* ^/web/static/ {
    ///     proxy_pass http://odoo;
    ///     expires 1h;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// location ~* ^/web/static/ {
    ///     proxy_pass http://odoo;
    ///     expires 864000;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `expires` (<https://nginx.org/en/docs/http/ngx_http_headers_module.html#expires>);
    /// Odoo documentation, "Deploying Odoo — Serving static files and attachments"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#serving-static-files-and-attachments>).
    pub struct StaticFilesCached {
        code: "NGX013",
        name: "static-files-cached",
        severity: Info,
    }
}

impl Rule for StaticFilesCached {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let wanted_text = &cx.policy.nginx.static_expires;
        let Some(wanted) = parse_nginx_seconds(wanted_text) else {
            return;
        };
        for server in servers(cx) {
            // An include ipai cannot read (a file on the host) may set what this rule
            // looks for: it says nothing about this server.
            if server.has_unseen_include() {
                continue;
            }
            if !server.serves_odoo_client(cx) || !server.is_tls() {
                continue;
            }
            let locations = server.locations();
            let statics: Vec<_> = locations
                .iter()
                .filter(|l| l.matches_path("/web/static/") && l.pattern().1 != "/")
                .collect();
            if statics.is_empty() {
                findings.push(
                    Finding::new(&Self::META, server.names_location(), "no location caches /web/static/")
                        .help(format!("location ~* ^/web/static/ {{ proxy_pass http://odoo; expires {wanted_text}; }}")),
                );
            }
            for location in statics {
                let expires = location.effective(server, "expires");
                let seconds = expires.and_then(|d| d.arg(0)).and_then(parse_nginx_seconds);
                if seconds.is_some_and(|s| s >= wanted) {
                    continue;
                }
                let at = expires.map_or_else(
                    || server.at(location.directive, location.directive.name.span),
                    |d| server.at(d, d.args_span()),
                );
                findings.push(
                    Finding::new(
                        &Self::META,
                        at,
                        format!("/web/static/ is cached for less than the policy's {wanted_text}"),
                    )
                    .help(format!("expires {wanted_text};")),
                );
            }
        }
    }
}
