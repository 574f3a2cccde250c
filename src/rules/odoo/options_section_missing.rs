use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an odoo.conf without an `[options]` section, including one whose section is
    /// spelt `[Options]` or `[OPTIONS]`.
    ///
    /// ## Why is this bad?
    /// Odoo reads only the section named exactly `options`. Without it, `NoSectionError` is
    /// raised and swallowed, and **the whole file is ignored**: Odoo starts with every
    /// default, proxy mode off and the database manager open.
    ///
    /// ## Example
    /// ```ini
    /// [Options]
    /// proxy_mode = True
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// [options]
    /// proxy_mode = True
    /// ```
    ///
    /// ## Source
    /// Odoo `odoo/tools/config.py` (16.0–18.0), `configmanager.load()` catches
    /// `NoSectionError` (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>);
    /// Python `configparser`: section names are case-sensitive
    /// (<https://docs.python.org/3/library/configparser.html#supported-ini-file-structure>).
    pub struct OptionsSectionMissing {
        code: "ODOO009",
        name: "options-section-missing",
        severity: Error,
        applies: Start,
    }
}

impl Rule for OptionsSectionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            // A file Python's configparser refuses (content before any header) stops Odoo
            // at start, which SYN002 reports; it is not ignored.
            if conf.conf.options().is_some() || conf.conf.python_error.is_some() {
                continue;
            }
            let finding = match conf.conf.misnamed_options_sections().next() {
                Some(section) => Finding::new(
                    &Self::META,
                    conf.at(section.name_span),
                    format!(
                        "`[{}]` is not `[options]`: Odoo ignores this whole file",
                        section.name
                    ),
                )
                .help("rename the section to exactly `[options]`"),
                None => Finding::new(
                    &Self::META,
                    conf.at(Span::at(0)),
                    "no `[options]` section: Odoo ignores this whole file",
                )
                .help("put Odoo's settings under an `[options]` header"),
            };
            findings.push(finding);
        }
    }
}
