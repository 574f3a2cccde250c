use super::{servers, sets_header};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every TLS server sends `Strict-Transport-Security` with a `max-age` of at
    /// least the policy's (one year by default) and `always`, and that no location drops it
    /// by setting `add_header`s of its own. A plain-HTTP server that sends HSTS stands behind
    /// a proxy that ends TLS, where the header counts: its locations are judged too.
    ///
    /// ## Why is this bad?
    /// Without HSTS a browser's first request to `http://` can be intercepted and kept on
    /// plain HTTP. `add_header` is inherited only by a level without `add_header` of its own,
    /// so a location adding `Cache-Control` silently loses HSTS. Without `always`, error
    /// pages (4xx, 5xx) are sent without it.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 443 ssl;
    ///     add_header Strict-Transport-Security "max-age=31536000" always;
    ///     location /web/static/ { add_header Cache-Control "public"; }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Repeat the HSTS header in every location that sets its own headers (or, with nginx
    /// 1.29.3, give it `add_header_inherit merge;`), or set headers only at server level:
    /// ```nginx
    /// add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    /// ```
    ///
    /// ## Source
    /// RFC 6797 §6.1 (<https://www.rfc-editor.org/rfc/rfc6797#section-6.1>); nginx
    /// `add_header` inheritance (<https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header>);
    /// Odoo documentation, "Deploying Odoo — HTTPS"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#https>).
    pub struct HstsEnabled {
        code: "NGX003",
        name: "hsts-enabled",
        severity: Error,
    }
}

const HSTS: &str = "Strict-Transport-Security";

fn max_age(value: &str) -> Option<u64> {
    value.split(';').find_map(|part| {
        let (key, age) = part.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| age.trim().trim_matches('"').parse().ok())?
    })
}

impl Rule for HstsEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let minimum = cx.policy.nginx.hsts_min_max_age;
        for server in servers(cx) {
            let headers = server.effective_all("add_header");
            let hsts = sets_header(&headers, HSTS);
            // A plain-HTTP server that sends HSTS sits behind a proxy that ends TLS, where
            // the header counts: a location that drops it is judged there too. What a
            // location drops does not hang on includes around the server.
            if let Some(hsts) = hsts {
                let hsts_at = server.at(hsts, hsts.args_span());
                for location in server.locations() {
                    let own = location.own(server.config, "add_header");
                    // nginx 1.29.3: `add_header_inherit merge` keeps the outer headers.
                    let merges = location
                        .effective(server, "add_header_inherit")
                        .is_some_and(|d| d.arg(0) == Some("merge"));
                    if !own.is_empty()
                        && !merges
                        && sets_header(&own, HSTS).is_none()
                        && !server.location_has_unseen_include(location)
                    {
                        findings.push(
                            Finding::new(
                                &Self::META,
                                server.at(location.directive, location.directive.name.span),
                                "this location sets its own add_header, so the server's Strict-Transport-Security is not sent here",
                            )
                            .help("repeat the HSTS add_header in this location")
                            .related(hsts_at.clone(), "the header this location drops"),
                        );
                    }
                }
            }
            // An include ipai cannot read (a file on the host) may set what the rest of this
            // rule looks for: it says nothing more about this server.
            if server.has_unseen_include() || !server.is_tls() {
                continue;
            }
            let Some(hsts) = hsts else {
                findings.push(
                    Finding::new(
                        &Self::META,
                        server.names_location(),
                        "this TLS server sends no Strict-Transport-Security header",
                    )
                    .help(format!(
                        "add_header {HSTS} \"max-age={minimum}; includeSubDomains\" always;"
                    )),
                );
                continue;
            };
            let value = hsts.arg(1).unwrap_or("");
            let hsts_at = server.at(hsts, hsts.args_span());
            match max_age(value) {
                Some(age) if age >= minimum => {}
                _ => findings.push(
                    Finding::new(
                        &Self::META,
                        hsts_at.clone(),
                        format!("HSTS max-age is below the policy's {minimum} seconds"),
                    )
                    .help(format!("use \"max-age={minimum}; includeSubDomains\"")),
                ),
            }
            if hsts.arg(2) != Some("always") {
                findings.push(
                    Finding::new(
                        &Self::META,
                        hsts_at,
                        "HSTS without `always` is not sent on error responses",
                    )
                    .help("append `always` to the add_header"),
                );
            }
        }
    }
}
