use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, Interpreted, Lookup};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that integer, float and choice options hold a value Odoo can cast: `workers`
    /// an integer, `transient_age_limit` a float, `db_sslmode` one of libpq's modes,
    /// `log_level` one of Odoo's levels.
    ///
    /// ## Why is this bad?
    /// Odoo casts these values with optparse at start-up; a value that does not cast (for
    /// example `limit_time_cpu = 5m`) is an optparse error and the server exits.
    ///
    /// ## Example
    /// ```ini
    /// limit_time_cpu = 5m
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// limit_time_cpu = 300
    /// ```
    ///
    /// ## Source
    /// Odoo `odoo/tools/config.py` (16.0–18.0), `_parse_config`: file values of typed
    /// options go through `optparse`'s `TYPE_CHECKER`
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>;
    /// <https://docs.python.org/3/library/optparse.html#standard-option-types>).
    pub struct OptionValueType {
        code: "ODOO008",
        name: "option-value-type",
        severity: Error,
    }
}

impl Rule for OptionValueType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            for entry in conf.entries() {
                let Lookup::Known(spec) = odoo_conf::lookup(&entry.key, conf.version) else {
                    continue;
                };
                // A comment glued to the value is the cause; ODOO010 explains it.
                if entry.inline_comment_lookalike(&conf.source.text).is_some() {
                    continue;
                }
                if let Interpreted::Invalid { message } = odoo_conf::interpret(spec, &entry.value) {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            conf.at(entry.value_span),
                            format!("{message}: Odoo exits at start-up"),
                        )
                        .help(format!(
                            "`{}` takes a {} value",
                            entry.key,
                            spec.kind.describe()
                        )),
                    );
                }
            }
        }
    }
}
