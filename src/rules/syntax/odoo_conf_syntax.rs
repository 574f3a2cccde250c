use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an odoo.conf that Python's `configparser.RawConfigParser`, which Odoo uses to
    /// read it, rejects: a key before any section, a line that is neither a comment nor
    /// `key = value`, a key or section given twice.
    ///
    /// ## Why is this bad?
    /// Odoo 16 to 18 read the file with `RawConfigParser()` in strict mode and catch only
    /// `IOError` and `NoSectionError`: a duplicate key raises `DuplicateOptionError` and a
    /// malformed line raises `ParsingError`, so the server does not start.
    ///
    /// ## Example
    /// ```ini
    /// [options]
    /// workers = 4
    /// workers = 12
    /// ```
    ///
    /// ## Fix
    /// Keep one `key = value` per option under `[options]`; start comments with `;` or `#`
    /// at the beginning of the line.
    ///
    /// ## Source
    /// Python `configparser` documentation, "Supported INI File Structure"
    /// (<https://docs.python.org/3/library/configparser.html#supported-ini-file-structure>);
    /// Odoo `odoo/tools/config.py`, `configmanager.load()` (16.0–18.0).
    pub struct OdooConfSyntax {
        code: "SYN002",
        name: "odoo-conf-syntax-error",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for OdooConfSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        report_syntax(cx, FileKind::OdooConf, &Self::META, findings);
    }
}
