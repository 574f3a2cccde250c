use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, Interpreted, Lookup};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports values Odoo cannot start with: integer, float and choice options whose value
    /// does not cast (`workers` an integer, `transient_age_limit` a float, `db_sslmode` one
    /// of libpq's modes, `log_level` one of Odoo's levels), booleans Odoo 19 refuses, and,
    /// in 16.0–18.0, `False` for an option `_parse_config()` splits or extends as a list
    /// (`server_wide_modules`, `log_handler`).
    ///
    /// ## Why is this bad?
    /// Odoo casts these values at start-up; a value that does not cast (for example
    /// `limit_time_cpu = 5m`) is an optparse error and the server exits. In 16.0–18.0,
    /// `load()` turns `False` into a boolean, and `False.split(',')` raises
    /// `AttributeError` before the server starts.
    ///
    /// ## Example
    /// ```ini
    /// limit_time_cpu = 5m
    /// server_wide_modules = False
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// limit_time_cpu = 300
    /// server_wide_modules = base,web
    /// ```
    ///
    /// ## Source
    /// Odoo `odoo/tools/config.py` (16.0–18.0), `_parse_config`: file values of typed
    /// options go through `optparse`'s `TYPE_CHECKER`, and `server_wide_modules` and
    /// `log_handler` are split or extended; 19.0, `_load_file_options` and `parse()` (the
    /// lines are in `data/odoo/<series>.json`)
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>;
    /// <https://docs.python.org/3/library/optparse.html#standard-option-types>).
    pub struct OptionValueType {
        code: "ODOO008",
        name: "option-value-type",
        severity: Error,
        applies: Start,
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
                if let (Some(at), odoo_conf::value::Loaded::Bool(false)) =
                    (spec.false_crashes_at, odoo_conf::value::load(&entry.value))
                {
                    if !spec.typed_loader {
                        findings.push(
                            Finding::new(
                                &Self::META,
                                conf.at(entry.value_span),
                                format!(
                                    "Odoo {} reads `{} = {}` as the boolean False, then calls a list method on it ({at}): AttributeError, Odoo exits at start-up",
                                    conf.version, entry.key, entry.value
                                ),
                            )
                            .help(format!(
                                "remove the line to get the default ({}), or write the list",
                                spec.default
                            )),
                        );
                        continue;
                    }
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
