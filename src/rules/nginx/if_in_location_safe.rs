use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that an `if` inside a `location` holds only what is safe there: the
    /// directives of the rewrite module (`return`, `set`, `rewrite` without the `break`
    /// flag, and nested `if`s). Anything else (`add_header`, `proxy_pass`,
    /// `try_files`, `expires`, …), a `rewrite … break` or a `break;` is reported, unless
    /// the `if` ends in `return`, which answers the request then and there (a CORS
    /// preflight that adds its headers and returns 204).
    ///
    /// ## Why is this bad?
    /// An `if` in a location makes a nested, implicit location: when its condition holds,
    /// the request is served by that block's configuration, not by the location's. The
    /// location's other directives are then inherited or not by module rules that are hard
    /// to foresee: an `add_header` in one `if` drops the location's headers, two `if`s
    /// that both match keep only the last one's, and `try_files` or `proxy_pass` inside
    /// behave in ways nginx's own authors list as "evil". `return` and `rewrite … last`
    /// leave the `if` before content is served and are safe.
    ///
    /// ## Example
    /// ```nginx
    /// location /web/ {
    ///     if ($http_x_debug) {
    ///         add_header X-Debug on;
    ///     }
    ///     proxy_pass http://odoo;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Compute a value with `map` at the http level and use it directly, or make the
    /// branch a location of its own:
    /// ```nginx
    /// map $http_x_debug $debug_header { default ""; ~. on; }
    /// location /web/ {
    ///     add_header X-Debug $debug_header;
    ///     proxy_pass http://odoo;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `if` (<https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if>); "If is
    /// Evil… when used in location context", nginx wiki
    /// (<https://github.com/nginxinc/nginx-wiki/blob/master/source/start/topics/depth/ifisevil.rst>:
    /// "The only 100% safe things which may be done inside if in a location context are:
    /// return …; rewrite … last;"); gixy-next plugin `if_is_evil`.
    pub struct IfInLocationSafe {
        code: "NGX039",
        name: "if-in-location-safe",
        severity: Warning,
        peers: ["gixy-next/if_is_evil"],
    }
}

impl Rule for IfInLocationSafe {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let block = visit.directive;
            if !block.is("if") || !block.has_block() || visit.enclosing("location").is_none() {
                return;
            }
            let children: Vec<_> = config.children(block).collect();
            if children.last().is_some_and(|d| d.is("return")) {
                return;
            }
            let unsafe_directive = children.iter().find(|d| match d.name() {
                "return" | "set" | "if" => false,
                // Without a flag the changed URI is looked up afresh, as with `last`.
                "rewrite" => d.arg(2) == Some("break"),
                _ => true,
            });
            let Some(d) = unsafe_directive else {
                return;
            };
            let what = if d.is("rewrite") {
                "`rewrite … break`".to_owned()
            } else {
                format!("`{}`", d.name())
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.name.span),
                    format!(
                        "{what} inside an `if` in a location: when the condition holds, the request is served by the `if` block's own configuration, not the location's"
                    ),
                )
                .related(at(config, block, block.name.span), "the `if`")
                .help("keep only `return` or `rewrite … last` in the `if`; compute values with `map`, or use a separate location"),
            );
        });
    }
}
