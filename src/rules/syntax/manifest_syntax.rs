use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an Odoo module manifest (`__manifest__.py`, or `__openerp__.py` where there
    /// is none) that is not a single Python dict literal: a name, a call, an f-string, an
    /// operator, a second statement, an unclosed bracket or string.
    ///
    /// ## Why is this bad?
    /// Odoo reads a manifest with `ast.literal_eval`, never by importing it. Anything that
    /// function refuses makes the manifest unreadable: the module is not listed, cannot be
    /// installed or updated, and every module depending on it fails with it.
    ///
    /// ## Example
    /// ```python
    /// DEPENDS = ["mail"]
    /// {"name": "Bridge", "depends": DEPENDS}
    /// ```
    ///
    /// ## Fix
    /// Write the manifest as one dict of plain literals:
    /// ```python
    /// {"name": "Bridge", "depends": ["mail"]}
    /// ```
    ///
    /// ## Source
    /// Odoo 18.0 `odoo/modules/module.py`, `load_manifest` (`manifest.update(ast.literal_eval(f.read()))`);
    /// Python documentation, `ast.literal_eval` ("strings, bytes, numbers, tuples, lists,
    /// dicts, sets, booleans, None and Ellipsis")
    /// (<https://docs.python.org/3/library/ast.html#ast.literal_eval>).
    pub struct ManifestSyntax {
        code: "SYN009",
        name: "manifest-syntax-error",
        severity: Error,
        applies: Start,
    }
}

impl Rule for ManifestSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        report_syntax(cx, FileKind::Manifest, &Self::META, findings);
    }
}
