use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a compose file that is not valid YAML, or that Compose refuses to load: a
    /// duplicate key, two `<<` merge keys in one mapping, an alias expansion past the safety
    /// budget (a "billion laughs" document), or a broken `${…}` interpolation.
    ///
    /// ## Why is this bad?
    /// `docker compose` stops with an error before starting anything, so a deploy fails on
    /// the droplet instead of in review.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   redis:
    ///     image: redis:7-alpine
    ///     image: redis:alpine
    /// ```
    ///
    /// ## Fix
    /// Fix the YAML at the reported position; merge several anchors with one
    /// `<<: [*a, *b]` key.
    ///
    /// ## Source
    /// YAML 1.2.2 §3.2.1.1 (mapping keys are unique, <https://yaml.org/spec/1.2.2/>); the
    /// Compose Specification, "Interpolation" and "Merge and override"
    /// (<https://github.com/compose-spec/compose-spec/blob/main/spec.md>).
    pub struct ComposeSyntax {
        code: "SYN003",
        name: "compose-syntax-error",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for ComposeSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        report_syntax(cx, FileKind::Compose, &Self::META, findings);
    }
}
