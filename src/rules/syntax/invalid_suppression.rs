use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `ipai-lint: ignore[…]` comment that cannot be used: it has no reason, it
    /// names a code that is not an ipai-lint rule, or it is not of the form
    /// `# ipai-lint: ignore[CODE, CODE] -- reason`. The engine reports it after every rule ran.
    ///
    /// ## Why is this bad?
    /// A suppression without a reason hides a finding nobody can re-evaluate later; one with
    /// a mistyped code suppresses nothing while looking as if it did.
    ///
    /// ## Example
    /// ```nginx
    /// # ipai-lint: ignore[NGX00]
    /// listen 443 ssl http2;
    /// ```
    ///
    /// ## Fix
    /// Name existing codes (`ipai-lint rules`) and add ` -- why this is acceptable`.
    ///
    /// ## Source
    /// ruff, "Error suppression" (<https://docs.astral.sh/ruff/linter/#error-suppression>) and
    /// hadolint, "Inline ignores" (<https://github.com/hadolint/hadolint#inline-ignores>), which
    /// require exact codes; ipai also requires the reason.
    pub struct InvalidSuppression {
        code: "SYN010",
        name: "invalid-suppression",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the engine, which sees the suppressions after all rules ran.
    fn check(&self, _cx: &Context<'_>, _findings: &mut Vec<Finding>) {}
}
