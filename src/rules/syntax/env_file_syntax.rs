use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `.env` file line that Compose cannot read: an unterminated quote, a key
    /// that is not a valid variable name, a line that is neither `KEY=value` nor a comment.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to start, or a variable silently gets a different value than
    /// the one written.
    ///
    /// ## Example
    /// ```sh
    /// POSTGRES_PASSWORD="unterminated
    /// ```
    ///
    /// ## Fix
    /// Write `KEY=value`, quoting values with spaces, and close every quote.
    ///
    /// ## Source
    /// Docker documentation, "Set environment variables — .env file syntax"
    /// (<https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax>).
    pub struct EnvFileSyntax {
        code: "SYN005",
        name: "env-file-syntax-error",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for EnvFileSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        report_syntax(cx, FileKind::DotEnv, &Self::META, findings);
    }
}
