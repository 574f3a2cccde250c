use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that no `root` is the filesystem's root once its `.`, `..` and repeated
    /// slashes are resolved (`/`, `//`, `/usr/..`), and that no `alias` of a prefix
    /// location maps requests onto it: `alias /;` under `location /files/`, or `alias /.;`
    /// under `location /files`, where the rest of the URI starts with a slash. An `alias` of
    /// a regular expression or exact location, and a path with a variable, are left alone.
    ///
    /// ## Why is this bad?
    /// nginx builds the file path by appending the request's URI to `root` (or the rest of
    /// it to `alias`): with `/` there, `GET /etc/passwd` or `GET /files/etc/passwd` reads
    /// that file, and every key, certificate, `.env` and odoo.conf the worker can read is
    /// served to anyone.
    ///
    /// ## Example
    /// ```nginx
    /// location /files/ {
    ///     alias /;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Point it at the directory meant to be served:
    /// ```nginx
    /// location /files/ {
    ///     alias /srv/files/;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `root` ("A path to the file is constructed by merely adding a URI to the value
    /// of the root directive", <https://nginx.org/en/docs/http/ngx_http_core_module.html#root>)
    /// and `alias` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#alias>);
    /// gixy-next plugin `filesystem_root_exposure`.
    pub struct RootNotFilesystemRoot {
        code: "NGX040",
        name: "root-not-filesystem-root",
        severity: Error,
        peers: ["gixy-next/filesystem_root_exposure"],
    }
}

/// Whether an absolute path names `/` once `.`, `..` and empty parts are resolved.
fn is_filesystem_root(path: &str) -> bool {
    if !path.starts_with('/') || path.contains('$') {
        return false;
    }
    let mut depth: usize = 0;
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => depth = depth.saturating_sub(1),
            _ => depth += 1,
        }
    }
    depth == 0
}

impl Rule for RootNotFilesystemRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            let Some(path) = d.args.first() else {
                return;
            };
            let exposed = if d.is("root") {
                is_filesystem_root(path.as_str())
            } else if d.is("alias") {
                // What the rest of the URI is appended to: under `location /files/` it starts
                // without a slash, so only an alias ending in one reaches `/`'s children.
                let prefix = visit.enclosing("location").and_then(|l| match &*l.args {
                    [uri] => Some(uri.as_str()),
                    [modifier, uri] if modifier.as_str() == "^~" => Some(uri.as_str()),
                    _ => None,
                });
                prefix.is_some_and(|uri| {
                    is_filesystem_root(path.as_str())
                        && (!uri.ends_with('/') || path.as_str().ends_with('/'))
                })
            } else {
                return;
            };
            if !exposed {
                return;
            }
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, path.span),
                    format!(
                        "`{} {}` maps request URIs onto the filesystem's root: any file the worker can read (/etc/passwd, keys, odoo.conf) is served",
                        d.name(),
                        path.as_str()
                    ),
                )
                .help(format!("point `{}` at the directory meant to be served", d.name())),
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::is_filesystem_root;

    #[test]
    fn resolved_paths() {
        for root in ["/", "//", "/.", "/./", "/usr/..", "/usr/../"] {
            assert!(is_filesystem_root(root), "{root}");
        }
        for other in ["/var/www", "/var/www/..", "html", "/srv/$host"] {
            assert!(!is_filesystem_root(other), "{other}");
        }
    }
}
