use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, OptionKind};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that on/off options (`proxy_mode`, `list_db`, `http_enable`, `x_sendfile`,
    /// `smtp_ssl`, …) are written exactly `True`, `False`, `true` or `false`.
    ///
    /// ## Why is this bad?
    /// Odoo 16–18 turn only those four spellings into booleans. Any other text stays a
    /// string and on/off options are not cast, so `list_db = 0`, `list_db = no` and
    /// `proxy_mode = off` are non-empty strings: **true**. `list_db = 0` leaves the
    /// database manager open.
    ///
    /// ## Example
    /// ```ini
    /// list_db = 0
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// list_db = False
    /// ```
    ///
    /// ## Source
    /// Odoo `odoo/tools/config.py` (16.0–18.0), `_parse_config`: only `'True'`/`'true'` and
    /// `'False'`/`'false'` are converted, `store_true` options are not type-cast
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>).
    pub struct BooleanLiteral {
        code: "ODOO005",
        name: "boolean-literal",
        severity: Error,
        applies: Start,
    }
}

impl Rule for BooleanLiteral {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            for entry in conf.entries() {
                let Some(spec) = conf.spec(&entry.key) else {
                    continue;
                };
                // 19.0 checks booleans itself; a refused one is ODOO's value-type error.
                if spec.kind != OptionKind::Flag || spec.typed_loader {
                    continue;
                }
                if let odoo_conf::value::Loaded::Str(text) = odoo_conf::value::load(&entry.value) {
                    let effect = if text.is_empty() { "false" } else { "true" };
                    let intended = if matches!(
                        text.to_ascii_lowercase().as_str(),
                        "0" | "no" | "off" | "n" | "f"
                    ) {
                        "False"
                    } else {
                        "True"
                    };
                    findings.push(
                        Finding::new(
                            &Self::META,
                            conf.at(entry.value_span),
                            format!(
                                "`{} = {text}` is not a boolean to Odoo {}: the text is kept as a string, which counts as {effect}",
                                entry.key, conf.version
                            ),
                        )
                        .help(format!("write `{} = {intended}` (only True, False, true and false are booleans)", entry.key)),
                    );
                }
            }
        }
    }
}
