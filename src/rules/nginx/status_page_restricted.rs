use super::include_unseen as unseen;
use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a `stub_status` page is reachable only from listed addresses: the
    /// access rules in force where it stands (its block's own `allow`/`deny`, or those of
    /// the nearest enclosing block that has any) allow some addresses and end with a rule
    /// that denies every client. A page behind an authentication (`auth_basic`,
    /// `auth_request`, …) passes, unless `satisfy any` and an `allow all` let every client
    /// skip it. A page in an `internal` location, or in a server that listens only on
    /// unix sockets, passes too.
    ///
    /// ## Why is this bad?
    /// `stub_status` tells anyone who asks how many connections nginx holds, how many it
    /// has accepted and how many are waiting: what a scanner wants to time an attack or
    /// to tell whether a flood works. nginx lets in every client no access rule matches,
    /// so `allow 127.0.0.1;` alone, or `allow 0.0.0.0/0; deny all;`, leaves the page open.
    ///
    /// ## Example
    /// ```nginx
    /// location = /nginx_status {
    ///     stub_status;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// location = /nginx_status {
    ///     stub_status;
    ///     allow 127.0.0.1;
    ///     deny all;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `ngx_http_stub_status_module` (<https://nginx.org/en/docs/http/ngx_http_stub_status_module.html>),
    /// `ngx_http_access_module` (<https://nginx.org/en/docs/http/ngx_http_access_module.html>)
    /// and `satisfy` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#satisfy>);
    /// gixy-next plugin `status_page_exposed`.
    pub struct StatusPageRestricted {
        code: "NGX021",
        name: "status-page-restricted",
        severity: Warning,
        peers: ["gixy-next/status_page_exposed"],
    }
}

/// The address families a server accepts clients over.
#[derive(Clone, Copy, Default)]
struct Families {
    inet: bool,
    inet6: bool,
}

fn families(config: &Config, server: Option<&Directive>) -> Families {
    let Some(server) = server else {
        return Families {
            inet: true,
            inet6: true,
        };
    };
    let mut found = Families::default();
    let mut any_listen = false;
    for listen in config.find(server, "listen") {
        any_listen = true;
        let Some(address) = listen.arg(0) else {
            continue;
        };
        if address.to_ascii_lowercase().starts_with("unix:") {
            continue;
        }
        if address.starts_with('[') {
            found.inet6 = true;
            if listen
                .arg_values()
                .skip(1)
                .any(|a| a.eq_ignore_ascii_case("ipv6only=off"))
            {
                found.inet = true;
            }
            continue;
        }
        let host = address.rsplit_once(':').map_or(address, |(h, _)| h);
        found.inet = true;
        // A host name binds whatever it resolves to: either family.
        if !(host.is_empty() || host == "*" || host.chars().all(|c| c.is_ascii_digit() || c == '.'))
        {
            found.inet6 = true;
        }
    }
    if !any_listen {
        // nginx gives a server without `listen` the IPv4 wildcard `*:80`.
        found.inet = true;
    }
    found
}

/// Whether an `allow`/`deny` address matches every client the server accepts.
fn universal(address: &str, families: Families) -> bool {
    address.eq_ignore_ascii_case("all")
        || (address == "0.0.0.0/0" && families.inet)
        || (address == "::/0" && families.inet6)
}

/// The directive that sets `name` nearest to the block `scopes` ends with (the last
/// scope is the innermost; `None` stands for the top level).
fn nearest<'a>(
    config: &'a Config,
    scopes: &[Option<&'a Directive>],
    name: &str,
) -> Option<&'a Directive> {
    scopes.iter().rev().find_map(|scope| {
        let children = match scope {
            Some(b) => config.children(b),
            None => config.top_level(),
        };
        children.filter(|c| c.is(name)).last()
    })
}

impl Rule for StatusPageRestricted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("stub_status") || visit.ancestors.is_empty() {
                return;
            }
            let server = visit.enclosing("server");
            if let Some(server) = server {
                let mut listens = config.find(server, "listen").peekable();
                if listens.peek().is_some()
                    && listens.all(|l| {
                        l.arg(0)
                            .is_some_and(|a| a.to_ascii_lowercase().starts_with("unix:"))
                    })
                {
                    return;
                }
            }
            if visit
                .enclosing("location")
                .is_some_and(|l| config.find(l, "internal").next().is_some())
            {
                return;
            }
            // The blocks in force, outermost first: the top level, then each ancestor.
            let scopes: Vec<Option<&Directive>> = std::iter::once(None)
                .chain(visit.ancestors.iter().map(|a| Some(*a)))
                .collect();
            let authenticates = super::AUTHENTICATES.iter().any(|name| {
                nearest(config, &scopes, name)
                    .is_some_and(|a| !a.arg(0).is_some_and(|v| v.eq_ignore_ascii_case("off")))
            });
            let satisfy_any = nearest(config, &scopes, "satisfy")
                .and_then(|s| s.arg(0))
                .is_some_and(|a| a.eq_ignore_ascii_case("any"));
            // The access rules of the nearest block that has any: a block with rules of
            // its own inherits none.
            let mut rules: Vec<&Directive> = Vec::new();
            for scope in scopes.iter().rev() {
                let children = match scope {
                    Some(b) => config.children(b),
                    None => config.top_level(),
                };
                let mut hidden = false;
                for c in children {
                    if (c.is("allow") || c.is("deny")) && c.arg(0).is_some() {
                        rules.push(c);
                    } else if c.is("include") && unseen(config, c) {
                        hidden = true;
                    }
                }
                // Rules ipai cannot read may restrict the page.
                if hidden {
                    return;
                }
                if !rules.is_empty() {
                    break;
                }
            }
            let families = families(config, server);
            let first_universal = rules
                .iter()
                .find(|r| r.arg(0).is_some_and(|a| universal(a, families)));
            let allows_all = first_universal.is_some_and(|r| r.is("allow"));
            if authenticates && !(satisfy_any && allows_all) {
                return;
            }
            let has_allow = rules
                .iter()
                .any(|r| r.is("allow") && r.arg(0).is_some_and(|a| !universal(a, families)));
            let denies_rest = first_universal.is_some_and(|r| r.is("deny"));
            if has_allow && denies_rest {
                return;
            }
            let why = if authenticates {
                "`satisfy any` and an `allow` of every address let clients skip its authentication"
            } else if allows_all {
                "an `allow` of every address comes before any `deny all`"
            } else if !has_allow {
                "no `allow` lists the addresses that may read it"
            } else {
                "its `allow` rules are not followed by `deny all`, so every other address gets in too"
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.span),
                    format!("the `stub_status` page is open to every client: {why}"),
                )
                .help("restrict it: `allow 127.0.0.1;` (or the monitoring host) then `deny all;`"),
            );
        });
    }
}
