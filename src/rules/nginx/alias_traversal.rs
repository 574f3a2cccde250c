use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks each prefix `location` that serves files with `alias`: when the location's
    /// path does not end with `/` but the alias does, a request one step past the prefix
    /// reads outside the aliased folder.
    ///
    /// ## Why is this bad?
    /// nginx replaces the matched prefix with the alias. With `location /static` and
    /// `alias /srv/app/static/;`, a request for `/static../settings.py` matches the prefix
    /// and becomes `/srv/app/static/../settings.py`: the parent folder, its code and its
    /// secrets, are served to anyone ("off-by-slash").
    ///
    /// ## Example
    /// ```nginx
    /// location /static {
    ///     alias /srv/app/static/;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// location /static/ {
    ///     alias /srv/app/static/;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `alias` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#alias>: the
    /// path replaces the part of the URI the location matched); Orange Tsai, "Breaking
    /// Parser Logic", Black Hat USA 2018; gixy-next plugin `alias_traversal`.
    pub struct AliasTraversal {
        code: "NGX014",
        name: "alias-traversal",
        severity: Error,
    }
}

impl Rule for AliasTraversal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            for location in server.locations() {
                let (modifier, uri) = location.pattern();
                // Exact and regular-expression locations do not replace a prefix.
                if !matches!(modifier, "" | "^~") || uri.is_empty() || uri.ends_with('/') {
                    continue;
                }
                let Some(alias) = location.directive.find_first("alias") else {
                    continue;
                };
                let Some(path) = alias.arg(0).filter(|p| !p.contains('$')) else {
                    continue;
                };
                if !path.ends_with('/') {
                    continue;
                }
                let uri_word = location.directive.args.last().map(|w| w.span);
                let at = server.at(
                    location.directive,
                    uri_word.unwrap_or(location.directive.name.span),
                );
                findings.push(
                    Finding::new(
                        &Self::META,
                        at,
                        format!(
                            "`location {uri}` does not end with `/` but its alias `{path}` does: `{uri}../` reads the folder above `{path}`"
                        ),
                    )
                    .help(format!("write `location {uri}/` (or drop the alias's trailing slash)"))
                    .related(server.at(alias, alias.args_span()), "the alias"),
                );
            }
        }
    }
}
