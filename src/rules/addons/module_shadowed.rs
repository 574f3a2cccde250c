use super::module_paths;
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a module that two folders of a deployed service's `addons_path` both hold:
    /// Odoo loads the one of the earlier entry, and the other is never read. The finding
    /// is at the manifest that loses, with the one that wins. Under Odoo 16.0–18.0 run from
    /// the official image, a repo module named like one Odoo S.A. ships with the series
    /// (`web`, `mail`) loses too: the Odoo package's own addons folder comes before every
    /// `addons_path` entry.
    ///
    /// ## Why is this bad?
    /// An upgrade or a fix made to the losing copy never reaches production, and which copy
    /// runs changes silently when someone reorders `addons_path`. Two copies of one module
    /// are usually an OCA repository checked out twice, or a module copied out of one to be
    /// patched.
    ///
    /// ## Example
    /// `addons/external/oca/web/web_responsive/` and `addons/ipai/web_responsive/`, with
    /// `addons_path = /mnt/extra-addons/external/oca/web,/mnt/extra-addons/ipai`.
    ///
    /// ## Fix
    /// Keep one copy of the module on the path; give a patched copy of an Odoo module its
    /// own name and make it depend on the original.
    ///
    /// ## Source
    /// Odoo 18.0 `odoo/modules/module.py`, `get_module_path` ("return the first path where
    /// the given module is found", along `odoo.addons.__path__`, which
    /// `initialize_sys_path` fills in `addons_path` order, after the `odoo.addons` package's
    /// own folder in 16.0–18.0, where `odoo/addons/__init__.py` makes it a regular package).
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/modules/module.py>).
    pub struct ModuleShadowed {
        code: "STK018",
        name: "module-not-shadowed",
        severity: Warning,
        applies: Deployed,
    }
}

impl Rule for ModuleShadowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut reported = crate::hash::FastHashSet::default();
        for path in module_paths(cx) {
            let core_first = path.official_image
                && path.version_known
                && path.version != crate::formats::odoo_conf::OdooVersion::V19;
            let core = super::core_modules(path.version);
            let mut first: crate::hash::FastHashMap<
                &str,
                (&super::PathEntry, &crate::workspace::ParsedModule),
            > = Default::default();
            for (entry, module) in path.modules() {
                if core_first && core.is_odoo_s_a(&module.name) {
                    if reported.insert(module.file) {
                        let file = &cx.workspace.file(module.file).source.name;
                        findings.push(
                            Finding::new(
                                &Self::META,
                                Location::new(file, Span::at(0)),
                                format!(
                                    "Odoo {} ships its own `{}`, in the folder it searches before every `addons_path` entry: this copy is never loaded",
                                    path.version.as_str(),
                                    module.name
                                ),
                            )
                            .help("give the patched module its own name and make it depend on Odoo's, or drop the copy")
                            .related(entry.at.clone(), "the entry that shows this copy"),
                        );
                    }
                    continue;
                }
                let Some(&(winner_entry, winner)) = first.get(module.name.as_str()) else {
                    first.insert(module.name.as_str(), (entry, module));
                    continue;
                };
                // The same folder shown by two entries is one copy.
                if winner.file == module.file || !reported.insert(module.file) {
                    continue;
                }
                let loser_file = &cx.workspace.file(module.file).source.name;
                let winner_file = &cx.workspace.file(winner.file).source.name;
                findings.push(
                    Finding::new(
                        &Self::META,
                        Location::new(loser_file, Span::at(0)),
                        format!(
                            "`{}` is also in `{}`, which `addons_path` of `{}` lists earlier (`{}`): Odoo loads that copy and never this one",
                            module.name, winner.parent, path.conf, winner_entry.container
                        ),
                    )
                    .help("keep one copy of the module on the path")
                    .related(Location::new(winner_file, Span::at(0)), "the copy Odoo loads")
                    .related(entry.at.clone(), "the entry that shows this copy"),
                );
            }
        }
    }
}
