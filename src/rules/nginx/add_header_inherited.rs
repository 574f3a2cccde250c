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

/// An array directive nginx inherits only into a level with none of its own, and what a
/// rule says when a level drops the outer ones.
pub(super) struct Family {
    pub meta: &'static RuleMeta,
    pub field: &'static str,
    /// The directive that says how it is inherited (`add_header_inherit`, nginx 1.29.3).
    pub inherit: Option<&'static str>,
    /// What one directive sets: "header", "trailer".
    pub kind: &'static str,
    /// What the outer levels do with them: "added", "set".
    pub verb: &'static str,
    /// The blocks whose own directives replace the outer ones.
    pub levels: &'static [&'static str],
    /// An outer directive whose loss this rule leaves alone.
    pub left_alone: fn(&Directive) -> bool,
    pub help: &'static str,
}

const FAMILIES: [Family; 2] = [
    Family {
        meta: &AddHeaderInherited::META,
        field: "add_header",
        inherit: Some("add_header_inherit"),
        kind: "header",
        verb: "added",
        levels: &["http", "server", "location", "if"],
        // Strict-Transport-Security is NGX003's.
        left_alone: |d| {
            d.arg(0)
                .is_some_and(|n| n.eq_ignore_ascii_case("strict-transport-security"))
        },
        help: "repeat the outer add_headers here, or `add_header_inherit merge;` (nginx 1.29.3)",
    },
    Family {
        meta: &AddHeaderInherited::META,
        field: "add_trailer",
        inherit: Some("add_trailer_inherit"),
        kind: "trailer",
        verb: "added",
        levels: &["http", "server", "location", "if"],
        left_alone: |_| false,
        help: "repeat the outer add_trailers here, or `add_trailer_inherit merge;` (nginx 1.29.3)",
    },
];

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
        for family in &FAMILIES {
            check_family(cx, family, findings);
        }
    }
}

/// Reports every level of every configuration that drops the outer directives of a family.
pub(super) fn check_family(cx: &Context<'_>, family: &Family, findings: &mut Vec<Finding>) {
    for config in &cx.workspace.nginx {
        let top: Vec<&Directive> = config.top_level().collect();
        let outer = level(&top, None, family);
        walk(config, &top, &outer, family, findings);
    }
}

/// The level of a block with these children, below `parent`.
fn level<'a>(children: &[&'a Directive], parent: Option<&Level<'a>>, family: &Family) -> Level<'a> {
    let own: Vec<&'a Directive> = children
        .iter()
        .copied()
        .filter(|d| d.is(family.field))
        .collect();
    let mode = family
        .inherit
        .and_then(|inherit| {
            children
                .iter()
                .rev()
                .filter(|d| d.is(inherit))
                .find_map(|d| d.arg(0).filter(|m| matches!(*m, "on" | "off" | "merge")))
        })
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
    family: &Family,
    findings: &mut Vec<Finding>,
) {
    let (field, kind) = (family.field, family.kind);
    for block in children
        .iter()
        .filter(|d| d.has_block() && family.levels.iter().any(|n| d.is(n)))
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
                if (family.left_alone)(d) {
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
                        family.meta,
                        at(config, block, block.name.span),
                        format!(
                            "{what} sets its own {field}, so nginx drops the {} {}{} {} around it",
                            names.join(", "),
                            kind,
                            if names.len() > 1 { "s" } else { "" },
                            family.verb
                        ),
                    )
                    .help(family.help)
                    .related(
                        at(config, first, first.args_span()),
                        format!("a dropped {kind}"),
                    ),
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
