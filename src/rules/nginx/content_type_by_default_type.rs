use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::Directive;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that no `add_header` (or `more_set_headers`) sets `Content-Type`, unless a
    /// `proxy_hide_header Content-Type` (or its `fastcgi_`, `uwsgi_`, `scgi_`, `grpc_`
    /// kin) in the same block or above removes the upstream's own, the one way that
    /// replaces it. A block that answers `return 204` is left alone: nginx sends no
    /// `Content-Type` of its own with a 204.
    ///
    /// ## Why is this bad?
    /// `add_header` appends a header; it does not replace the `Content-Type` nginx already
    /// sends (the upstream's, or `default_type` for a `return 200 "ok"`, which is
    /// `application/octet-stream` with the stock `mime.types` setup). The response then
    /// carries two `Content-Type` headers, and which one a client, a proxy or a health
    /// checker believes is up to it.
    ///
    /// ## Example
    /// ```nginx
    /// location = /health {
    ///     add_header Content-Type text/plain;
    ///     return 200 "ok\n";
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// location = /health {
    ///     default_type text/plain;
    ///     return 200 "ok\n";
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `add_header` (<https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header>)
    /// and `default_type` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#default_type>);
    /// gixy-next plugin `add_header_content_type`.
    pub struct ContentTypeByDefaultType {
        code: "NGX026",
        name: "content-type-by-default-type",
        severity: Warning,
        peers: ["gixy-next/add_header_content_type"],
    }
}

const HIDE: [&str; 5] = [
    "proxy_hide_header",
    "fastcgi_hide_header",
    "uwsgi_hide_header",
    "scgi_hide_header",
    "grpc_hide_header",
];

/// The `Content-Type` value a header directive sets, if it sets one.
fn content_type(d: &Directive) -> Option<String> {
    if d.is("add_header") {
        return d
            .arg(0)
            .filter(|n| n.eq_ignore_ascii_case("content-type"))
            .map(|_| d.arg(1).unwrap_or("").to_owned());
    }
    if !d.is("more_set_headers") {
        return None;
    }
    let mut args = d.arg_values();
    while let Some(a) = args.next() {
        if a == "-s" || a == "-t" {
            args.next();
            continue;
        }
        if let Some((name, value)) = a.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-type") {
                return Some(value.trim().to_owned());
            }
        }
    }
    None
}

impl Rule for ContentTypeByDefaultType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            let Some(value) = content_type(d) else {
                return;
            };
            let hides = |c: &Directive| {
                HIDE.iter().any(|h| c.is(h))
                    && c.arg(0)
                        .is_some_and(|n| n.eq_ignore_ascii_case("content-type"))
            };
            let hidden = config.top_level().any(&hides)
                || visit
                    .ancestors
                    .iter()
                    .any(|a| config.children(a).any(&hides));
            // A 204 goes out without the Content-Type of nginx's own (its header filter
            // clears it): the added one is the only one.
            let no_content = visit.parent().is_some_and(|p| {
                config
                    .find(p, "return")
                    .any(|r| r.arg(0).is_some_and(|c| c == "204"))
            });
            if hidden || no_content {
                return;
            }
            let fix = if value.is_empty() {
                "`default_type`".to_owned()
            } else {
                format!("`default_type {value};`")
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.args_span()),
                    format!(
                        "`{}` adds a second `Content-Type` header next to the one nginx sends",
                        d.name()
                    ),
                )
                .help(format!("set the type with {fix} instead")),
            );
        });
    }
}
