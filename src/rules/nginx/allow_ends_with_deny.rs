use super::at;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every block with `allow` rules (`http`, `server`, `location`,
    /// `limit_except`) also has a `deny all`, unless `satisfy any` lets an authentication
    /// (`auth_basic`, `auth_request`, …) in force there admit the other clients.
    ///
    /// ## Why is this bad?
    /// nginx checks a block's `allow` and `deny` rules in order and lets in a client that
    /// none of them matches. `allow 10.0.0.0/8;` alone restricts nothing: every address
    /// gets in. The rules of an outer block do not help, as a block with rules of its own
    /// inherits none: a `location /web/database/manager { allow 10.0.0.0/8; }` under a
    /// server's `deny all;` is open to the world.
    ///
    /// ## Example
    /// ```nginx
    /// location /web/database/ {
    ///     allow 10.0.0.0/8;
    ///     proxy_pass http://odoo;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// location /web/database/ {
    ///     allow 10.0.0.0/8;
    ///     deny all;
    ///     proxy_pass http://odoo;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `ngx_http_access_module` (<https://nginx.org/en/docs/http/ngx_http_access_module.html>:
    /// "the rules are checked in sequence until the first match is found") and `satisfy`
    /// (<https://nginx.org/en/docs/http/ngx_http_core_module.html#satisfy>); gixy-next plugin
    /// `allow_without_deny`.
    pub struct AllowEndsWithDeny {
        code: "NGX015",
        name: "allow-ends-with-deny",
        severity: Error,
        peers: ["gixy-next/allow_without_deny"],
    }
}

/// What one block sets itself: `satisfy any`, an authentication in force.
#[derive(Clone, Copy, Default)]
struct Own {
    satisfy_any: Option<bool>,
    authenticates: Option<bool>,
}

fn own(config: &Config, block: Option<&Directive>) -> Own {
    let mut found = Own::default();
    let children = match block {
        Some(block) => config.children(block),
        None => config.top_level(),
    };
    for child in children {
        if child.is("satisfy") {
            found.satisfy_any = Some(child.arg(0).is_some_and(|a| a.eq_ignore_ascii_case("any")));
        } else if super::AUTHENTICATES.iter().any(|a| child.is(a)) {
            found.authenticates =
                Some(!child.arg(0).is_some_and(|a| a.eq_ignore_ascii_case("off")));
        }
    }
    found
}

impl Rule for AllowEndsWithDeny {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            // Each block's own settings, read once: a block's children are scanned once
            // however many blocks below it ask.
            let mut owns: FastHashMap<*const Directive, Own> = FastHashMap::default();
            let top = own(config, None);
            let mut check_block = |block: Option<&Directive>, ancestors: &[&Directive]| {
                let children = match block {
                    Some(b) => config.children(b),
                    None => config.top_level(),
                };
                let mut first_allow = None;
                let mut denies_all = false;
                let mut includes_unseen = false;
                for child in children {
                    if child.is("allow") && first_allow.is_none() {
                        first_allow = Some(child);
                        // `allow all` lets every client in on purpose: no access rule.
                        if child.arg(0).is_some_and(|a| a.eq_ignore_ascii_case("all")) {
                            return;
                        }
                    } else if child.is("deny")
                        && child.arg(0).is_some_and(|a| a.eq_ignore_ascii_case("all"))
                    {
                        denies_all = true;
                    } else if child.is("include") && super::include_unseen(config, child) {
                        includes_unseen = true;
                    }
                }
                let Some(allow) = first_allow else {
                    return;
                };
                if denies_all || includes_unseen {
                    return;
                }
                // `satisfy` and the auth directives are inherited from the nearest level
                // that sets them.
                let mut levels = vec![block.map_or(top, |b| own(config, Some(b)))];
                for ancestor in ancestors.iter().rev() {
                    let key = std::ptr::from_ref(*ancestor);
                    levels.push(
                        *owns
                            .entry(key)
                            .or_insert_with(|| own(config, Some(ancestor))),
                    );
                }
                levels.push(top);
                let satisfy_any = levels.iter().find_map(|l| l.satisfy_any).unwrap_or(false);
                let authenticates = levels.iter().find_map(|l| l.authenticates).unwrap_or(false);
                if satisfy_any && authenticates {
                    return;
                }
                let address = allow.arg(0).unwrap_or("");
                let why = if satisfy_any {
                    "`satisfy any` has no authentication here to fall back on, and "
                } else {
                    ""
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, allow, allow.args_span()),
                        format!(
                            "`allow {address}` is not followed by `deny all`: {why}nginx lets in every client no rule matches, so every address gets in"
                        ),
                    )
                    .help("end the block's access rules with `deny all;`"),
                );
            };
            check_block(None, &[]);
            config.walk(|visit| {
                let d = visit.directive;
                if d.has_block()
                    && ["http", "server", "location", "limit_except"]
                        .iter()
                        .any(|n| d.is(n))
                {
                    check_block(Some(d), visit.ancestors);
                }
            });
        }
    }
}
