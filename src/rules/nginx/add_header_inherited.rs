use super::at;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a block (`server`, `location`, `if`) that sets `add_header`s of its own
    /// repeats the headers the blocks around it add, and the same for `add_trailer`, unless
    /// `add_header_inherit merge` (`add_trailer_inherit merge`, nginx 1.29.3) or `off` is in
    /// force there. `Strict-Transport-Security` is left to NGX003. A CORS preflight answer
    /// (`if ($request_method = OPTIONS)`) is not judged: the browser reads only its
    /// Access-Control headers.
    ///
    /// ## Why is this bad?
    /// nginx inherits `add_header` from the outer level only into a level that has no
    /// `add_header` of its own. A location that adds `Cache-Control` to Odoo's static files
    /// silently stops sending the server's `X-Frame-Options`,
    /// `X-Content-Type-Options` or `Content-Security-Policy` there, and the protection they
    /// give is gone for those responses.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     add_header X-Frame-Options SAMEORIGIN always;
    ///     add_header X-Content-Type-Options nosniff always;
    ///     location /web/static/ {
    ///         add_header Cache-Control "public, max-age=604800";
    ///         proxy_pass http://odoo;
    ///     }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Repeat the outer headers in the location (an `include` of a shared snippet keeps
    /// them in one place), or, with nginx 1.29.3 or later:
    /// ```nginx
    /// location /web/static/ {
    ///     add_header_inherit merge;
    ///     add_header Cache-Control "public, max-age=604800";
    /// }
    /// ```
    /// `add_header_inherit off;` says the outer headers are dropped on purpose.
    ///
    /// ## Source
    /// nginx `add_header` ("inherited from the previous configuration level if and only if
    /// there are no add_header directives defined on the current level") and
    /// `add_header_inherit`
    /// (<https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header>);
    /// gixy-next plugin `add_header_redefinition`.
    pub struct AddHeaderInherited {
        code: "NGX020",
        name: "add-header-inherited",
        severity: Warning,
        peers: ["gixy-next/add_header_redefinition"],
    }
}

/// A directive and the one that says how it is inherited.
const FAMILIES: [(&str, &str, &str); 2] = [
    ("add_header", "add_header_inherit", "header"),
    ("add_trailer", "add_trailer_inherit", "trailer"),
];

/// The blocks whose `add_header`s replace the outer ones.
const LEVELS: [&str; 4] = ["http", "server", "location", "if"];

/// What a level sends: the field directives in force there.
struct Level<'a> {
    fields: Vec<&'a Directive>,
    /// `on`, `off` or `merge`, as the nearest level sets it.
    mode: &'a str,
}

fn field_name(d: &Directive) -> Option<String> {
    d.arg(0).map(str::to_ascii_lowercase)
}

impl Rule for AddHeaderInherited {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            for family in FAMILIES {
                let top: Vec<&Directive> = config.top_level().collect();
                let outer = level(&top, None, family);
                walk(config, &top, &outer, family, findings);
            }
        }
    }
}

/// The level of a block with these children, below `parent`.
fn level<'a>(
    children: &[&'a Directive],
    parent: Option<&Level<'a>>,
    (field, inherit, _): (&str, &str, &str),
) -> Level<'a> {
    let own: Vec<&'a Directive> = children.iter().copied().filter(|d| d.is(field)).collect();
    let mode = children
        .iter()
        .rev()
        .filter(|d| d.is(inherit))
        .find_map(|d| d.arg(0).filter(|m| matches!(*m, "on" | "off" | "merge")))
        .or(parent.map(|p| p.mode))
        .unwrap_or("on");
    let inherited = parent.map_or(&[][..], |p| &p.fields[..]);
    let fields = match mode {
        "off" => own,
        "merge" => inherited.iter().copied().chain(own).collect(),
        _ if own.is_empty() => inherited.to_vec(),
        _ => own,
    };
    Level { fields, mode }
}

fn walk<'a>(
    config: &'a Config,
    children: &[&'a Directive],
    outer: &Level<'a>,
    family: (&str, &str, &str),
    findings: &mut Vec<Finding>,
) {
    let (field, _, kind) = family;
    for block in children
        .iter()
        .filter(|d| d.has_block() && LEVELS.iter().any(|n| d.is(n)))
    {
        let inner: Vec<&'a Directive> = config.children(block).collect();
        let here = level(&inner, Some(outer), family);
        let sets_own = inner.iter().any(|d| d.is(field));
        let unseen_include = inner
            .iter()
            .any(|d| d.is("include") && super::include_unseen(config, d));
        // A CORS preflight answer (`if ($request_method = OPTIONS)`) is read by the browser
        // for its Access-Control headers only: what it drops is not shown to anyone.
        let preflight = block.is("if")
            && block
                .args
                .iter()
                .any(|w| w.as_str().contains("$request_method"))
            && block.args.iter().any(|w| {
                w.as_str()
                    .trim_matches(['\'', '"', ')'])
                    .eq_ignore_ascii_case("options")
            });
        if sets_own && here.mode == "on" && !unseen_include && !preflight {
            let kept: Vec<String> = here.fields.iter().filter_map(|d| field_name(d)).collect();
            let mut dropped: Vec<&Directive> = Vec::new();
            for d in &outer.fields {
                let Some(name) = field_name(d) else { continue };
                if name == "strict-transport-security" && kind == "header" {
                    continue;
                }
                if !kept.contains(&name)
                    && !dropped
                        .iter()
                        .any(|o| field_name(o).as_deref() == Some(name.as_str()))
                {
                    dropped.push(d);
                }
            }
            if let Some(first) = dropped.first() {
                let names: Vec<String> = dropped
                    .iter()
                    .filter_map(|d| d.arg(0).map(|n| format!("`{n}`")))
                    .collect();
                let what = block_label(block);
                findings.push(
                    Finding::new(
                        &AddHeaderInherited::META,
                        at(config, block, block.name.span),
                        format!(
                            "{what} sets its own {field}, so nginx drops the {} {}{} added around it",
                            names.join(", "),
                            kind,
                            if names.len() > 1 { "s" } else { "" }
                        ),
                    )
                    .help(format!(
                        "repeat the outer {field}s here, or `{field}_inherit merge;` (nginx 1.29.3)"
                    ))
                    .related(at(config, first, first.args_span()), format!("a dropped {kind}")),
                );
            }
        }
        walk(config, &inner, &here, family, findings);
    }
}

fn block_label(block: &Directive) -> String {
    let args: Vec<&str> = block.arg_values().collect();
    if args.is_empty() {
        format!("this `{}`", block.name())
    } else {
        format!("`{} {}`", block.name(), args.join(" "))
    }
}
