use super::{servers, sets_header};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

const REQUIRED: [&str; 3] = ["X-Forwarded-Host", "X-Forwarded-For", "X-Forwarded-Proto"];

/// Real headers a misspelling check must not take for slips of [`REQUIRED`] ones.
const OTHER_FORWARDED: [&str; 9] = [
    "x-forwarded-port",
    "x-forwarded-server",
    "x-forwarded-ssl",
    "x-forwarded-prefix",
    "x-forwarded-protocol",
    "x-forwarded-scheme",
    "x-forwarded-uri",
    "x-forwarded-path",
    "x-forwarded-by",
];

/// The required header a `proxy_set_header` name misspells (`X-Forward-For`): within two
/// edits of it, not it, and no other header in use.
fn misspelt(name: &str) -> Option<&'static str> {
    // Most names are the right ones, or far from them in length: no distance to measure.
    if REQUIRED.iter().any(|r| r.eq_ignore_ascii_case(name))
        || !REQUIRED.iter().any(|r| r.len().abs_diff(name.len()) <= 2)
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if OTHER_FORWARDED.contains(&lower.as_str()) {
        return None;
    }
    REQUIRED.into_iter().find(|required| {
        let distance = strsim::damerau_levenshtein(&lower, &required.to_ascii_lowercase());
        (1..=2).contains(&distance)
    })
}

declare_rule! {
    /// ## What it does
    /// Checks that every location proxying to Odoo sends `X-Forwarded-Host`,
    /// `X-Forwarded-For` and `X-Forwarded-Proto`, following nginx's inheritance: a location
    /// with any `proxy_set_header` of its own gets none of the server's.
    /// A `/longpolling` location behind Odoo 16 or later routes nothing and is left to
    /// NGX007. A header name one or two letters off a required one (`X-Forward-For`) is
    /// reported where it is set: nothing reads it.
    ///
    /// ## Why is this bad?
    /// In proxy mode Odoo ignores all `X-Forwarded-*` headers when `X-Forwarded-Host` is
    /// missing, takes the scheme from `X-Forwarded-Proto` and the client address from
    /// `X-Forwarded-For`. Without them Odoo builds `http://` URLs, breaks redirects after
    /// login and logs nginx's address for every user. The classic trap is a
    /// `location /websocket` that sets only Upgrade/Connection and so drops the server's
    /// forwarded headers.
    ///
    /// ## Example
    /// ```nginx
    /// proxy_set_header X-Forwarded-Host $host;   # server level
    /// location /websocket {
    ///     proxy_set_header Upgrade $http_upgrade;  # drops the server's headers here
    ///     proxy_pass http://odoochat;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Repeat the forwarded headers in each location that sets its own:
    /// ```nginx
    /// proxy_set_header X-Forwarded-Host $host;
    /// proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    /// proxy_set_header X-Forwarded-Proto $scheme;
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, `--proxy-mode` (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#http>);
    /// nginx `proxy_set_header` inheritance (<https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header>);
    /// odoo/documentation issue #3480.
    pub struct ForwardedHeadersSet {
        code: "NGX008",
        name: "forwarded-headers-set",
        severity: Error,
    }
}

impl Rule for ForwardedHeadersSet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut judged: crate::hash::FastHashSet<*const crate::formats::nginx::Directive> =
            Default::default();
        for server in servers(cx) {
            if !server.fronts_odoo(cx) {
                continue;
            }
            // Only proxy mode reads the headers; without an odoo.conf, proxy mode is assumed (ODOO001 requires it).
            if server
                .odoo_conf(cx)
                .is_some_and(|conf| !conf.flag("proxy_mode"))
            {
                continue;
            }
            for location in server.locations() {
                if location.proxy_pass().is_none() {
                    continue;
                }
                for set in location.effective_all(server, "proxy_set_header") {
                    // A directive many locations and servers inherit (at http level, in an
                    // included file) is judged, and reported, once.
                    if !judged.insert(std::ptr::from_ref(set)) {
                        continue;
                    }
                    let Some(meant) = set.arg(0).and_then(misspelt) else {
                        continue;
                    };
                    let at = server.at(set, set.args[0].span);
                    findings.push(
                        Finding::new(
                            &Self::META,
                            at,
                            format!(
                                "`{}` is no header Odoo or a proxy reads: `{meant}` is meant, and it is not sent",
                                set.arg(0).unwrap_or_default()
                            ),
                        )
                        .help(format!("proxy_set_header {meant} {};", variable(meant))),
                    );
                }
            }
            // An include ipai cannot read (a file on the host) may set what the rest of
            // this rule looks for: it says nothing more about this server.
            if server.has_unseen_include() {
                continue;
            }
            let server_level = server.effective_all("proxy_set_header");
            // Behind Odoo 16 or later, `/longpolling` routes nothing: NGX007 asks for its
            // removal, so its headers do not matter.
            let dead_longpolling = server.odoo_series(cx).is_some();
            for location in server.locations() {
                if location.proxy_pass().is_none()
                    || (dead_longpolling && location.pattern().1.starts_with("/longpolling"))
                {
                    continue;
                }
                let headers = location.effective_all(server, "proxy_set_header");
                let missing: Vec<&str> = REQUIRED
                    .into_iter()
                    .filter(|h| sets_header(&headers, h).is_none())
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let own = !location.own(server.config, "proxy_set_header").is_empty();
                let dropped = own
                    && REQUIRED
                        .iter()
                        .any(|h| sets_header(&server_level, h).is_some());
                let mut finding = Finding::new(
                    &Self::META,
                    server.at(location.directive, location.directive.name.span),
                    format!(
                        "requests proxied from `location {}` lack {}{}",
                        location.pattern().1,
                        missing.join(", "),
                        if dropped {
                            ": its own proxy_set_header drops the server's"
                        } else {
                            ""
                        }
                    ),
                )
                .help(
                    missing
                        .iter()
                        .map(|h| format!("proxy_set_header {h} {};", variable(h)))
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                if dropped {
                    if let Some(first) = server_level.first() {
                        finding = finding.related(
                            server.at(first, first.span),
                            "the server-level headers this location does not inherit",
                        );
                    }
                }
                findings.push(finding);
            }
        }
    }
}

fn variable(header: &str) -> &'static str {
    match header {
        "X-Forwarded-Host" => "$host",
        "X-Forwarded-For" => "$proxy_add_x_forwarded_for",
        _ => "$scheme",
    }
}
