use super::at;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a block with `allow`/`deny` rules (a `server`, a `location`) does not
    /// answer, in itself or in a block below it, with `return` or with a `rewrite` that
    /// redirects (a `permanent` or `redirect` flag, or a replacement starting with
    /// `http://`, `https://` or `$scheme`). A `return` of an error status without a body
    /// is left alone, unless an `error_page` hands that status to a named location or
    /// changes it (`=`, `=200`); so are named locations
    /// (`location @name`) and `internal` ones, which no client reaches directly.
    ///
    /// ## Why is this bad?
    /// nginx runs `return` and `rewrite` in its rewrite phase, before the access phase where
    /// `allow` and `deny` are checked: the response goes to every client, whatever the
    /// access rules say. `location /metrics { allow 10.0.0.0/8; deny all; return 200
    /// "$status_line"; }` answers the whole internet.
    ///
    /// ## Example
    /// ```nginx
    /// location /health {
    ///     allow 10.0.0.0/8;
    ///     deny all;
    ///     return 200 "ok";
    /// }
    /// ```
    ///
    /// ## Fix
    /// Answer from the content phase instead (`proxy_pass`, `try_files`, `root`/`index`),
    /// where the access rules have already run:
    /// ```nginx
    /// location /health {
    ///     allow 10.0.0.0/8;
    ///     deny all;
    ///     proxy_pass http://odoo/web/health;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx request processing phases (<https://nginx.org/en/docs/dev/development_guide.html#http_phases>:
    /// `NGX_HTTP_REWRITE_PHASE` comes before `NGX_HTTP_ACCESS_PHASE`),
    /// `ngx_http_rewrite_module` (<https://nginx.org/en/docs/http/ngx_http_rewrite_module.html>)
    /// and `ngx_http_access_module` (<https://nginx.org/en/docs/http/ngx_http_access_module.html>);
    /// gixy-next plugin `return_bypasses_allow_deny`.
    pub struct ReturnAfterAccess {
        code: "NGX025",
        name: "return-after-access",
        severity: Error,
        peers: ["gixy-next/return_bypasses_allow_deny"],
    }
}

/// What one block holds itself, read once.
#[derive(Clone, Copy, Default)]
struct Block<'a> {
    /// Its first `allow` or `deny`.
    access: Option<&'a Directive>,
    /// A named or `internal` location: no client reaches it directly.
    internal_only: bool,
}

fn block<'a>(config: &'a Config, d: Option<&'a Directive>) -> Block<'a> {
    let children = match d {
        Some(d) => config.children(d),
        None => config.top_level(),
    };
    let mut found = Block {
        access: None,
        internal_only: d
            .is_some_and(|d| d.is("location") && d.arg(0).is_some_and(|a| a.starts_with('@'))),
    };
    for child in children {
        if (child.is("allow") || child.is("deny")) && found.access.is_none() {
            found.access = Some(child);
        } else if child.is("internal") && d.is_some_and(|d| d.is("location")) {
            found.internal_only = true;
        }
    }
    found
}

/// Whether a `rewrite` answers with a redirect from the rewrite phase.
fn redirects(rewrite: &Directive) -> bool {
    let args: Vec<&str> = rewrite.arg_values().collect();
    if args.len() >= 3
        && args.last().is_some_and(|f| {
            f.eq_ignore_ascii_case("permanent") || f.eq_ignore_ascii_case("redirect")
        })
    {
        return true;
    }
    // nginx compares the prefix case-sensitively.
    args.get(1).is_some_and(|r| {
        ["http://", "https://", "$scheme"]
            .iter()
            .any(|p| r.starts_with(p))
    })
}

/// Whether an `error_page` in `scope` turns `code` into another answer.
fn error_page_lists(config: &Config, scope: Option<&Directive>, code: &str) -> bool {
    let children = match scope {
        Some(d) => config.children(d),
        None => config.top_level(),
    };
    children.filter(|c| c.is("error_page")).any(|e| {
        let n = e.args.len();
        // An error page file sent with the error status says nothing the access rules
        // would have kept from the client; a named location, or a changed status, answers
        // with whatever it serves.
        let serves = e
            .arg(n.saturating_sub(1))
            .is_some_and(|t| t.starts_with('@'))
            || e.arg_values().any(|a| a.starts_with('='));
        serves && e.arg_values().take(n.saturating_sub(1)).any(|a| a == code)
    })
}

impl Rule for ReturnAfterAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            let mut blocks: FastHashMap<*const Directive, Block<'_>> = FastHashMap::default();
            let top = block(config, None);
            config.walk(|visit| {
                let d = visit.directive;
                let answers = if d.is("return") {
                    let code = d.arg(0).unwrap_or("");
                    let has_body = d.arg_values().skip(1).any(|a| !a.is_empty());
                    let error = code.parse::<u16>().is_ok_and(|c| c >= 400);
                    // An error without a body that no error_page turns into a page says
                    // nothing the access rules would have kept from the client.
                    !(error
                        && !has_body
                        && !std::iter::once(None)
                            .chain(visit.ancestors.iter().map(|a| Some(*a)))
                            .any(|scope| error_page_lists(config, scope, code)))
                } else {
                    d.is("rewrite") && redirects(d)
                };
                if !answers {
                    return;
                }
                // The innermost block with access rules that the answer comes before,
                // stopping at a location no client reaches directly.
                let mut bypassed = None;
                let mut shielded = false;
                for ancestor in visit.ancestors.iter().rev() {
                    let b = *blocks
                        .entry(std::ptr::from_ref(*ancestor))
                        .or_insert_with(|| block(config, Some(ancestor)));
                    if b.access.is_some() && bypassed.is_none() {
                        bypassed = b.access;
                    }
                    if b.internal_only {
                        shielded = true;
                        break;
                    }
                }
                if bypassed.is_none() && !shielded {
                    bypassed = top.access;
                }
                let Some(rule) = bypassed else {
                    return;
                };
                let line = config
                    .source_of(rule)
                    .map(|s| s.line_of(rule.span.start()))
                    .unwrap_or(0);
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, d, d.span),
                        format!(
                            "`{}` answers in nginx's rewrite phase, before the access phase: the access rules from `{} {}` (line {line}) do not apply to this response",
                            d.name(),
                            rule.name(),
                            rule.arg(0).unwrap_or("")
                        ),
                    )
                    .help("answer from the content phase (`proxy_pass`, `try_files`, `root`) so that `allow`/`deny` run first"),
                );
            });
        }
    }
}
