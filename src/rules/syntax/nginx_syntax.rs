use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports nginx configuration that nginx itself would refuse to load: unbalanced braces,
    /// a directive without its `;`, an unterminated quote, text glued to a closing quote, an
    /// `include` whose file does not exist, or includes that include each other.
    ///
    /// ## Why is this bad?
    /// `nginx -t` fails and a reload keeps the old configuration, or a fresh container does not
    /// start at all. The rest of the file is still linted where it can be parsed.
    ///
    /// ## Example
    /// ```nginx
    /// location / {
    ///     proxy_pass http://odoo
    /// }
    /// ```
    ///
    /// ## Fix
    /// End every simple directive with `;`, close every block with `}`, and make each
    /// `include` name an existing file or a glob.
    ///
    /// ## Source
    /// nginx documentation, "Configuration File's Structure" in the Beginner's Guide
    /// (<https://nginx.org/en/docs/beginners_guide.html#conf_structure>) and the `include`
    /// directive (<https://nginx.org/en/docs/ngx_core_module.html#include>).
    pub struct NginxSyntax {
        code: "SYN001",
        name: "nginx-syntax-error",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for NginxSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        report_syntax(cx, FileKind::Nginx, &Self::META, findings);
    }
}
