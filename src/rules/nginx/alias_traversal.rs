use super::{regex, servers};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks each `location` that serves files with `alias`: a prefix location whose path
    /// does not end with `/`, and a regular-expression location whose alias puts a capture
    /// where it can leave the aliased folder.
    ///
    /// ## Why is this bad?
    /// nginx replaces the matched prefix with the alias. With `location /static` and
    /// `alias /srv/app/static/;`, a request for `/static../settings.py` matches the prefix
    /// and becomes `/srv/app/static/../settings.py`: the parent folder, its code and its
    /// secrets, are served to anyone ("off-by-slash"). Without the slash on either side,
    /// `/static-old/x` reads `/srv/app/static-old/x`: any folder beside the alias whose name
    /// starts with its own.
    ///
    /// In a regular-expression location the alias is built from the captures. nginx
    /// resolves `..` segments before matching, so a capture that follows a `/` of the URI
    /// cannot start with `..`; one that follows anything else can: `location ~ /images(.*)`
    /// with `alias /srv/img/$1;` serves `/images../secret` from `/srv/secret`. A capture put
    /// right after a name in the alias (`alias /srv/img$1;`) reads the folders beside it.
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
    /// location ~ ^/images/(.*)$ {
    ///     alias /srv/img/$1;
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
        peers: ["gixy-next/alias_traversal"],
    }
}

impl Rule for AliasTraversal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            for location in server.locations() {
                let Some(alias) = location.directive.find_first("alias") else {
                    continue;
                };
                let Some(path) = alias.arg(0) else {
                    continue;
                };
                let (modifier, uri) = location.pattern();
                let problem = match modifier {
                    "" | "^~" => prefix_problem(uri, path),
                    "~" | "~*" => regex_problem(uri, modifier == "~*", path),
                    // An exact location replaces nothing: the alias is the file served.
                    _ => None,
                };
                let Some((message, help)) = problem else {
                    continue;
                };
                let uri_word = location.directive.args.last().map(|w| w.span);
                let at = server.at(
                    location.directive,
                    uri_word.unwrap_or(location.directive.name.span),
                );
                findings.push(
                    Finding::new(&Self::META, at, message)
                        .help(help)
                        .related(server.at(alias, alias.args_span()), "the alias"),
                );
            }
        }
    }
}

/// A prefix location: what a request one step past the prefix reads.
fn prefix_problem(uri: &str, path: &str) -> Option<(String, String)> {
    if uri.is_empty() || uri.ends_with('/') || path.contains('$') {
        return None;
    }
    if path.ends_with('/') {
        return Some((
            format!(
                "`location {uri}` does not end with `/` but its alias `{path}` does: `{uri}../` reads the folder above `{path}`"
            ),
            format!("write `location {uri}/` (or drop the alias's trailing slash)"),
        ));
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    Some((
        format!(
            "`location {uri}` and its alias `{path}` do not end with `/`: `{uri}-old/` reads `{path}-old/`, any file or folder beside `{path}` whose name starts with `{last}`"
        ),
        format!("write `location {uri}/` with `alias {path}/;`, or an exact `location = {uri}` for one file"),
    ))
}

/// A regular-expression location whose alias uses a capture: what the capture can add.
fn regex_problem(pattern: &str, case_insensitive: bool, path: &str) -> Option<(String, String)> {
    let groups = regex::capture_groups(pattern);
    for (at, number) in regex::capture_refs(path) {
        let before = &path[..at];
        let Some(group) = number.checked_sub(1).and_then(|n| groups.get(n)) else {
            continue;
        };
        if before.is_empty() {
            continue;
        }
        let can = |text: &str| regex::can_capture(group.body, case_insensitive, text) == Some(true);
        let after_slash = pattern[..group.open].ends_with('/');
        if before.ends_with('/') {
            // After a `/` of the URI, nginx has already resolved `..` segments; elsewhere
            // the group can start with `..` and climb out of the alias.
            if !after_slash && (can("..") || can("../x")) {
                return Some((
                    format!(
                        "capture ${number} of `{pattern}` follows no `/` and can start with `..`: `{before}${number}` reads the folder above `{before}`"
                    ),
                    "put the `/` in the location before the capture (`/images/(.*)`), or capture only what cannot hold `..` (`([^.]*)`)"
                        .to_string(),
                ));
            }
        } else if can("x") || can("x/y") {
            return Some((
                format!(
                    "the alias `{path}` puts capture ${number} right after `{before}` with no `/`: any file or folder beside it whose name starts with `{}` can be read",
                    before.rsplit('/').next().unwrap_or(before)
                ),
                format!("write `{before}/${number}` with the `/` of the location before the capture"),
            ));
        }
    }
    None
}
