use super::at;
use super::regex::{capture_refs, replacement_args, rewrite_redirects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::rule::{Context, Rule, RuleMeta};
use crate::severity::Severity;
use crate::stack::NginxVersion;

declare_rule! {
    /// ## What it does
    /// Checks, where the stack's nginx is older than 1.30.1 or its version is unknown, for
    /// the directive sequence of CVE-2026-42945: in one `server` or `location`, a `rewrite`
    /// that puts arguments in its replacement (a `?` that is not its last character) and
    /// goes on (no `last`, `break`, `redirect` or `permanent` flag, no `http://`,
    /// `https://` or `$scheme` replacement), followed by a `set`, a `rewrite` replacement,
    /// or an `if` comparison value (`=`, `!=`, `-f` and the other file tests) that reads a
    /// numbered capture (`$1`…`$9`). A `return` or `break` in between ends the sequence.
    ///
    /// ## Why is this bad?
    /// After such a `rewrite`, nginx escapes the captures it copies as arguments but sizes
    /// the buffer for them unescaped: a request whose captured part is full of characters
    /// to escape (`+`, `%`, spaces) writes past the heap buffer of the worker. The worker
    /// crashes, and where ASLR can be bypassed the overflow runs the attacker's code. It
    /// affects nginx 0.6.27 to 1.30.0 and is fixed in 1.30.1 and 1.31.0.
    ///
    /// ## Example
    /// ```nginx
    /// location ~ ^/api/(.*)$ {
    ///     rewrite ^/api/(.*)$ /internal?migrated=1;
    ///     set $endpoint $1;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Upgrade nginx to 1.30.1, 1.31.0 or later. Until then, read the capture by name
    /// (`(?<endpoint>.*)` and `$endpoint`), or take it before the `rewrite`:
    /// ```nginx
    /// location ~ ^/api/(?<endpoint>.*)$ {
    ///     rewrite ^ /internal?migrated=1;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx security advisories, CVE-2026-42945 "Buffer overflow in the
    /// ngx_http_rewrite_module" (<https://nginx.org/en/security_advisories.html>); nginx
    /// `rewrite` (<https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#rewrite>);
    /// CVE record (<https://www.cve.org/CVERecord?id=CVE-2026-42945>); gixy-next plugin
    /// `unnamed_groups`.
    pub struct CaptureAfterArgsRewrite {
        code: "NGX036",
        name: "capture-after-args-rewrite",
        severity: Error,
        peers: ["gixy-next/unnamed_groups"],
    }
}

/// The first nginx release with the fix (1.31.0 has it too).
const FIXED: NginxVersion = NginxVersion(1, 30, 1);

/// Whether a value reads a numbered capture.
fn reads_capture(value: &str) -> bool {
    !capture_refs(value).is_empty()
}

/// Whether a `rewrite` leaves nginx copying captures as arguments for what follows.
fn leaves_args(rewrite: &Directive) -> bool {
    let replacement = rewrite.arg(1).unwrap_or("");
    replacement_args(replacement).is_some()
        && !rewrite_redirects(rewrite)
        && !matches!(rewrite.arg(2), Some("last" | "break"))
}

/// The value of an `if` that nginx copies as a complex value: the right side of `=` and
/// `!=`, the operand of a file test. Not the tested variable, not a regular expression.
fn if_value<'a>(condition: &[&'a str]) -> Option<&'a str> {
    match condition {
        [_, "=" | "!=", value] => Some(value),
        [test, value] if test.trim_start_matches('!').starts_with('-') => Some(value),
        _ => None,
    }
}

/// Scans the rewrite directives of one block in order, `if` bodies included; `armed` is
/// whether an arguments `rewrite` ran before. Returns whether the block can go on past its
/// end (no `return` or `break` at its level) and whether it left an arguments `rewrite`.
fn scan<'a>(
    config: &'a Config,
    children: impl Iterator<Item = &'a Directive>,
    mut armed: Option<&'a Directive>,
    found: &mut Vec<(&'a Directive, &'a Directive)>,
) -> (bool, Option<&'a Directive>) {
    for d in children {
        match d.name() {
            "return" | "break" => return (false, armed),
            "set" => {
                if let Some(rewrite) = armed.filter(|_| d.arg(1).is_some_and(reads_capture)) {
                    found.push((d, rewrite));
                }
            }
            "rewrite" => {
                if let Some(rewrite) = armed.filter(|_| d.arg(1).is_some_and(reads_capture)) {
                    found.push((d, rewrite));
                }
                if leaves_args(d) {
                    armed = Some(d);
                }
            }
            "if" if d.has_block() => {
                let value = d.if_condition().and_then(|c| if_value(&c));
                if let Some(rewrite) = armed.filter(|_| value.is_some_and(reads_capture)) {
                    found.push((d, rewrite));
                }
                let (goes_on, after) = scan(config, config.children(d), armed, found);
                if goes_on {
                    armed = armed.or(after);
                }
            }
            _ => {}
        }
    }
    (true, armed)
}

impl Rule for CaptureAfterArgsRewrite {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let version_of = super::nginx_version_of(cx);
        for config in &cx.workspace.nginx {
            let version = version_of(config);
            if version.is_some_and(|(v, _)| v >= FIXED) {
                continue;
            }
            let mut found = Vec::new();
            config.walk(|visit| {
                let d = visit.directive;
                if (d.is("server") || d.is("location")) && d.has_block() {
                    scan(config, config.children(d), None, &mut found);
                }
            });
            for (reader, rewrite) in found {
                let which = match version {
                    Some((_, written)) => format!("nginx {written}"),
                    None => "nginx before 1.30.1".to_owned(),
                };
                let finding = Finding::new(
                    &Self::META,
                    at(config, reader, reader.span),
                    format!(
                        "`{}` reads a numbered capture after a `rewrite` that adds arguments: on {which} a request full of characters to escape overflows the worker's heap (CVE-2026-42945)",
                        reader.name()
                    ),
                )
                .related(at(config, rewrite, rewrite.span), "the rewrite that adds arguments")
                .help("upgrade nginx to 1.30.1 or later; until then use a named capture (`(?<name>…)`, `$name`)");
                findings.push(match version {
                    Some(_) => finding,
                    None => finding.with_severity(Severity::Warning),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::if_value;

    #[test]
    fn values_nginx_copies() {
        assert_eq!(if_value(&["$host", "=", "$1"]), Some("$1"));
        assert_eq!(if_value(&["-f", "/srv/$1"]), Some("/srv/$1"));
        assert_eq!(if_value(&["!-e", "$1"]), Some("$1"));
        assert_eq!(if_value(&["$host", "~", "$1"]), None);
        assert_eq!(if_value(&["$1"]), None);
    }
}
