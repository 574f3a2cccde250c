//! What a rule is: a stable code, a kebab-case name, a default severity and a doc, plus a
//! check over the workspace.
//!
//! Rules are declared with [`declare_rule!`](crate::declare_rule): the `///` doc above the
//! struct is the rule's `explain` text, with the sections What it does / Why is this bad? /
//! Example / Fix / Source.

use crate::finding::Finding;
use crate::policy::Policy;
use crate::severity::Severity;
use crate::stack::{Date, Stack};
use crate::workspace::nginx_view::NginxView;
use crate::workspace::Workspace;

/// A rule's identity and documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code, e.g. `ODOO001`. Never reused for another meaning.
    pub code: &'static str,
    /// Kebab-case phrase that reads as the invariant, e.g. `proxy-mode-enabled`.
    pub name: &'static str,
    pub severity: Severity,
    /// The environments whose files the rule judges.
    pub applies: Applies,
    /// Markdown, from the rule's doc comment.
    pub doc: &'static str,
    /// The checks of other linters this rule covers, as `tool/check`
    /// (`gixy-next/alias_traversal`): it fires on their positive cases.
    pub peers: &'static [&'static str],
}

/// Which files a rule judges, by their environment ([`FileEnvironment`]).
///
/// [`FileEnvironment`]: crate::workspace::scope::FileEnvironment
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// Every file, those outside the stack included: syntax and readability.
    Everywhere,
    /// Every file of the stack, development and test included: what stops Odoo, nginx or
    /// Compose from starting.
    Start,
    /// Production and staging: the stack's invariants.
    Deployed,
}

impl Applies {
    pub fn covers(self, environment: crate::workspace::scope::FileEnvironment) -> bool {
        use crate::workspace::scope::FileEnvironment as Env;
        match self {
            Applies::Everywhere => true,
            Applies::Start => environment != Env::NotStack,
            Applies::Deployed => environment.is_deployed(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Applies::Everywhere => "every file",
            Applies::Start => "the stack's files in every environment",
            Applies::Deployed => "production and staging files",
        }
    }
}

/// The sections every rule doc has, in order.
pub const DOC_SECTIONS: [&str; 5] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Fix",
    "## Source",
];

impl RuleMeta {
    /// The doc with the one leading space of each `///` line removed.
    pub fn doc_text(&self) -> String {
        let mut text = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        text.trim().to_string() + "\n"
    }

    /// The first sentence of "What it does": a one-line description.
    pub fn summary(&self) -> String {
        let paragraph = self.section("## What it does").unwrap_or_default();
        let paragraph = paragraph
            .split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match paragraph.find(". ") {
            Some(end) => paragraph[..=end].to_string(),
            None => paragraph,
        }
    }

    /// The peers as a sentence for the rule's doc: "Covers gixy-next's `alias_traversal`."
    pub fn peers_sentence(&self) -> Option<String> {
        if self.peers.is_empty() {
            return None;
        }
        let mut by_tool: Vec<(&str, Vec<&str>)> = Vec::new();
        for peer in self.peers {
            let (tool, check) = peer.split_once('/').unwrap_or(("", peer));
            match by_tool.iter_mut().find(|(t, _)| *t == tool) {
                Some((_, checks)) => checks.push(check),
                None => by_tool.push((tool, vec![check])),
            }
        }
        let parts: Vec<String> = by_tool
            .iter()
            .map(|(tool, checks)| {
                let checks: Vec<String> = checks.iter().map(|c| format!("`{c}`")).collect();
                let list = match checks.as_slice() {
                    [one] => one.clone(),
                    [init @ .., last] => format!("{} and {last}", init.join(", ")),
                    [] => String::new(),
                };
                format!("{tool}'s {list}")
            })
            .collect();
        Some(format!("Covers {}.", parts.join("; ")))
    }

    /// The label under the snippet: the rule's name.
    pub fn severity_label(&self) -> String {
        self.name.to_string()
    }

    /// The text of one `## Section` of the doc, if present.
    pub fn section(&self, heading: &str) -> Option<String> {
        let doc = self.doc_text();
        let start = doc.find(heading)? + heading.len();
        let rest = &doc[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }
}

/// Everything a rule may read.
pub struct Context<'a> {
    pub workspace: &'a Workspace,
    pub stack: &'a Stack,
    pub policy: &'a Policy,
    /// "Now" for expiry checks; fixed in tests through `IPAI_TODAY`.
    pub today: Date,
    /// What several rules derive from the models, derived on first use and then shared.
    pub(crate) shared: crate::rules::Shared<'a>,
    /// The nginx servers and upstreams, found on first use.
    nginx: std::sync::OnceLock<NginxView<'a>>,
    /// Every file's environment, classified on first use.
    scope: std::sync::OnceLock<crate::workspace::scope::Scope>,
}

impl<'a> Context<'a> {
    pub fn new(
        workspace: &'a Workspace,
        stack: &'a Stack,
        policy: &'a Policy,
        today: Date,
    ) -> Self {
        Context {
            workspace,
            stack,
            policy,
            today,
            shared: Default::default(),
            nginx: std::sync::OnceLock::new(),
            scope: std::sync::OnceLock::new(),
        }
    }

    /// Every nginx server and upstream of the workspace, indexed once a run.
    pub(crate) fn nginx(&self) -> &NginxView<'a> {
        self.nginx.get_or_init(|| NginxView::build(self.workspace))
    }

    /// Every file's environment (production, staging, development, …), as the engine
    /// filters findings by it; an invalid `scope:` mapping (already refused when the
    /// stack was read) classifies by the other evidence.
    pub fn scope(&self) -> &crate::workspace::scope::Scope {
        self.scope.get_or_init(|| {
            crate::workspace::scope::Scope::classify(self.workspace, &self.stack.scope)
                .unwrap_or_default()
        })
    }

    /// The environment of a repo file by name; production for a name the workspace lacks.
    pub fn environment_of(&self, name: &str) -> crate::workspace::scope::FileEnvironment {
        self.workspace.find(name).map_or(
            crate::workspace::scope::FileEnvironment::Production,
            |(id, _)| self.scope().of(id),
        )
    }
}

/// A check over the workspace. Rules never parse text: they read the parsed models.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>);
}

/// Declares a rule's unit struct and its [`RuleMeta`], taking the doc comment as its doc.
#[macro_export]
macro_rules! declare_rule {
    (@applies) => {
        $crate::rule::Applies::Deployed
    };
    (@applies $applies:ident) => {
        $crate::rule::Applies::$applies
    };
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            severity: $severity:ident
            $(, applies: $applies:ident)?
            $(, peers: [$($peer:literal),* $(,)?])? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                code: $code,
                name: $rule_name,
                severity: $crate::severity::Severity::$severity,
                applies: $crate::declare_rule!(@applies $($applies)?),
                doc: concat!($($doc, "\n"),*),
                peers: &[$($($peer),*)?],
            };
        }
    };
}
