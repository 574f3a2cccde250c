use super::{core_modules, empty_submodules, listed_modules, module_paths};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::OdooVersion;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks every module named by a module list of the stack's env files
    /// (`ODOO_EE_PARITY_OCA_MODULES`, `ODOO_EE_PARITY_IPAI_MODULES`, any `ODOO_…_MODULES`),
    /// and every module a repo script gives to `odoo -i`/`-u` (`--init=`, `--update=`),
    /// against the modules a deployed Odoo service can load: the repo folders its
    /// `addons_path` shows through its mounts, and the modules its Odoo series ships.
    /// A name that no module of the repo or the series has is reported, with the closest
    /// name; so is a module the repo has in a folder that no `addons_path` entry shows.
    /// Nothing is said when a git submodule is not checked out, when an image or a
    /// requirements file fetches addons, or when a path entry is not a repo folder.
    ///
    /// ## Why is this bad?
    /// The install script passes the list to `odoo -i`: Odoo stops at the first unknown
    /// module, so the deploy fails, or the module silently stays uninstalled.
    ///
    /// ## Example
    /// ```sh
    /// ODOO_EE_PARITY_OCA_MODULES=web_responsive,account_usabilty
    /// ```
    ///
    /// ## Fix
    /// Correct the name, add the module's repository to the addons tree and an
    /// `addons_path` entry for it, or drop it from the list.
    ///
    /// ## Source
    /// Odoo 18.0 `odoo/modules/module.py`, `get_module_path` (a module is searched along
    /// `odoo.addons.__path__`: the server's own addons, then each `addons_path` entry);
    /// the modules of each series: `data/odoo/<series>-modules.json`, generated from
    /// Odoo's source by `scripts/odoo_modules.py`.
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/modules/module.py>).
    pub struct ListedModuleExists {
        code: "STK013",
        name: "listed-module-exists",
        severity: Error,
        applies: Deployed,
    }
}

/// Whether an image built for an Odoo service, or a requirements file at the repo's root,
/// fetches addons (`git clone`, `pip install odoo-addon-…`): then a listed module may come
/// from there.
fn fetched_elsewhere(cx: &Context<'_>) -> bool {
    let fetches = |text: &str| {
        let lower = text.to_ascii_lowercase();
        ["git clone", "odoo-addon", "-addon-", "oca/", "oca-"]
            .iter()
            .any(|w| lower.contains(w))
    };
    let requirements = std::fs::read_dir(&cx.workspace.root)
        .into_iter()
        .flatten()
        .flatten()
        .take(1_000)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("requirements"))
        .any(|name| {
            crate::workspace::read_in_repo(&cx.workspace.root, &name).is_some_and(|t| fetches(&t))
        });
    requirements
        || crate::rules::deployment::services(cx)
            .filter(|d| crate::workspace::scope::is_odoo_service(d.service))
            .filter_map(|d| crate::rules::deployment::conf_use(cx).image(&d))
            .any(|image| fetches(&image.dockerfile.text))
}

/// Unknown names given a "did you mean" per run.
const MAX_SUGGESTIONS: usize = 20;

impl Rule for ListedModuleExists {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let listed = listed_modules(cx);
        if listed.is_empty() || !empty_submodules(cx).is_empty() || fetched_elsewhere(cx) {
            return;
        }
        let paths = module_paths(cx);
        let candidates: Vec<OdooVersion> = match paths.iter().find(|p| p.version_known) {
            Some(path) => vec![path.version],
            None => match cx.stack.known_odoo_version() {
                Some(version) => vec![version],
                None => OdooVersion::ALL.to_vec(),
            },
        };
        let series = match candidates.as_slice() {
            [one] => format!("Odoo {}", one.as_str()),
            _ => "any Odoo series".to_string(),
        };
        let mut by_name: crate::hash::FastHashMap<&str, Vec<&crate::workspace::ParsedModule>> =
            Default::default();
        for module in &cx.workspace.modules {
            by_name
                .entry(module.name.as_str())
                .or_default()
                .push(module);
        }
        let complete: Vec<_> = paths.iter().filter(|p| p.complete).collect();
        // Suggestions compare a name with every module: a few per run keep that linear.
        let mut suggestions = 0;
        for item in &listed {
            let known = candidates.iter().any(|&v| {
                let core = core_modules(v);
                core.get(item.name).is_some() || core.enterprise(item.name).is_some()
            });
            if known {
                continue;
            }
            if complete.iter().any(|p| p.find(item.name).is_some()) {
                continue;
            }
            match by_name.get(item.name) {
                None => {
                    let names = by_name.keys().copied().chain(
                        candidates
                            .iter()
                            .flat_map(|&v| core_modules(v).modules.keys().map(String::as_str)),
                    );
                    let mut finding = Finding::new(
                        &Self::META,
                        item.at.clone(),
                        format!(
                            "`{}` in `{}` is no module: the repo has none of that name, nor does {series}",
                            item.name, item.key
                        ),
                    );
                    suggestions += 1;
                    let close = if suggestions <= MAX_SUGGESTIONS {
                        crate::suggest::closest(item.name, names)
                    } else {
                        None
                    };
                    finding = match close {
                        Some(close) => finding.help(format!("did you mean `{close}`?")),
                        None => finding.help("correct the name, add the module to the addons tree, or drop it from the list"),
                    };
                    findings.push(finding);
                }
                Some(modules) => {
                    let Some(path) = complete.first() else {
                        continue;
                    };
                    let module = modules[0];
                    let folder = if module.parent.is_empty() {
                        "."
                    } else {
                        &module.parent
                    };
                    let manifest = &cx.workspace.file(module.file).source.name;
                    let shown: Vec<String> = path
                        .entries
                        .iter()
                        .map(|e| format!("`{}`", e.container))
                        .collect();
                    findings.push(
                        Finding::new(
                            &Self::META,
                            item.at.clone(),
                            format!(
                                "`{}` is in `{}`, which no `addons_path` entry of `{}` shows: Odoo cannot install it",
                                item.name,
                                folder,
                                path.conf
                            ),
                        )
                        .help(format!(
                            "add an entry showing `{}` to `addons_path` (now {})",
                            folder,
                            shown.join(", ")
                        ))
                        .related(
                            crate::finding::Location::new(manifest, crate::source::Span::at(0)),
                            "the module",
                        )
                        .related(path.key_at.clone(), "the path Odoo searches"),
                    );
                }
            }
        }
    }
}
