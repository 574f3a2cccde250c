use super::include_unseen as unseen;
use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a `map` with two or more entries, and every `geo`, has a `default`
    /// entry. A `map` with a single entry is left alone: its empty value for everything
    /// else is the usual way to switch a `limit_req` or `limit_conn` key off.
    ///
    /// ## Why is this bad?
    /// A value no entry matches gets the empty string. A `map` or `geo` that feeds an
    /// access decision (`if ($blocked)`, a `limit_req` key, an `allow` list built on a
    /// `geo`) then treats every unforeseen value (a new client address, a header spelled
    /// differently) as the harmless case, and nothing in the block says whether that was
    /// meant.
    ///
    /// ## Example
    /// ```nginx
    /// map $http_x_api_key $api_client {
    ///     "k1" partner-a;
    ///     "k2" partner-b;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// map $http_x_api_key $api_client {
    ///     default "";
    ///     "k1" partner-a;
    ///     "k2" partner-b;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `map` (<https://nginx.org/en/docs/http/ngx_http_map_module.html#map>: "If the
    /// source value matches none of the specified variants … the resulting variable will
    /// be set to … an empty string") and `geo`
    /// (<https://nginx.org/en/docs/http/ngx_http_geo_module.html#geo>); gixy-next plugin
    /// `hash_without_default`.
    pub struct HashHasDefault {
        code: "NGX022",
        name: "hash-has-default",
        severity: Warning,
        peers: ["gixy-next/hash_without_default"],
    }
}

/// Parameters of a `map` or `geo` block that are not entries.
const KEYWORDS: [&str; 6] = [
    "hostnames",
    "volatile",
    "ranges",
    "delete",
    "proxy",
    "proxy_recursive",
];

impl Rule for HashHasDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            let is_map = d.is("map");
            if !(is_map || d.is("geo")) || !d.has_block() {
                return;
            }
            let mut entries = 0usize;
            for child in config.children(d) {
                if child.is("include") {
                    if unseen(config, child) {
                        // The default may be in the file ipai cannot read.
                        return;
                    }
                    continue;
                }
                if child.is("default") && child.arg(0).is_some() {
                    return;
                }
                if KEYWORDS.iter().any(|k| child.is(k)) {
                    continue;
                }
                entries += 1;
            }
            if is_map && entries <= 1 {
                return;
            }
            let variable = d.arg_values().last().unwrap_or("");
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.args_span()),
                    format!(
                        "`{}` sets `{variable}` without a `default`: a value no entry matches gives an empty string",
                        d.name()
                    ),
                )
                .help("add `default <value>;` and say there what an unforeseen value gets"),
            );
        });
    }
}
