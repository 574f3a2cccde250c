use super::{blocked_modules, chain_text, Blocker};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a module that a deployed Odoo service is asked to install (listed in an env
    /// file's module list, or a dependency of one, or of the repo's own modules on its
    /// `addons_path`) whose manifest says `installable: False`, or that the running
    /// series ships as not installable. Only a path whose every entry ipai can see is
    /// judged.
    ///
    /// ## Why is this bad?
    /// Odoo never installs it (`installable: False` is how a module not yet ported to the
    /// series is marked): the install of the list fails at it, and every module that
    /// depends on it stays uninstalled.
    ///
    /// ## Example
    /// ```python
    /// {"name": "Account usability", "version": "18.0.1.0.0", "installable": False}
    /// ```
    /// listed in `ODOO_EE_PARITY_OCA_MODULES`.
    ///
    /// ## Fix
    /// Use a ported version of the module (a newer checkout of its repository), or drop it
    /// from the list and from the `depends` that name it.
    ///
    /// ## Source
    /// Odoo 18.0 `odoo/modules/module.py` (`installable` read from the manifest, default
    /// True) and `odoo/addons/base/models/ir_module.py` (`button_install` refuses a module
    /// that is not installable).
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/modules/module.py>).
    pub struct ModuleInstallable {
        code: "STK016",
        name: "listed-module-installable",
        severity: Error,
        applies: Deployed,
    }
}

impl Rule for ModuleInstallable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut reported = crate::hash::FastHashSet::default();
        for blocked in blocked_modules(cx) {
            let Blocker::NotInstallable { at } = &blocked.blocker else {
                continue;
            };
            if !reported.insert((&blocked.at, &blocked.module)) {
                continue;
            }
            let asked = if blocked.chain.is_empty() {
                "it is listed for install".to_string()
            } else {
                format!("{} depends on it", chain_text(&blocked.chain))
            };
            let mut finding = Finding::new(
                &Self::META,
                blocked.at.clone(),
                format!(
                    "`{}` is not installable, but {asked}: Odoo will not install it",
                    blocked.module
                ),
            )
            .help("use a version of the module ported to this series, or stop asking for it");
            if let Some(at) = at {
                finding = finding.related(at.clone(), "`installable` is false here");
            }
            findings.push(finding.related(blocked.path_at.clone(), "the path Odoo searches"));
        }
    }
}
