use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `ipai-lint: ignore[…]` comment that silenced no finding: nothing of the
    /// listed codes starts on its line or, for a comment on its own line, on the next line.
    /// The engine reports it after every rule ran.
    ///
    /// ## Why is this bad?
    /// The fault it excused was fixed or moved; left in place, the comment would silently
    /// excuse the next, different fault on that line.
    ///
    /// ## Example
    /// ```ini
    /// ; ipai-lint: ignore[ODOO001] -- proxy not deployed yet
    /// proxy_mode = True
    /// ```
    ///
    /// ## Fix
    /// Delete the comment, or move it next to the finding it is meant for.
    ///
    /// ## Source
    /// ruff rule RUF100 "unused-noqa" (<https://docs.astral.sh/ruff/rules/unused-noqa/>).
    pub struct UnusedSuppression {
        code: "SYN011",
        name: "unused-suppression",
        severity: Warning,
        applies: Everywhere,
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the engine, which sees the suppressions after all rules ran.
    fn check(&self, _cx: &Context<'_>, _findings: &mut Vec<Finding>) {}
}
