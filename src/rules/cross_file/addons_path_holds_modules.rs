use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::Entry;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment;
use crate::rules::odoo::confs;
use crate::source::Span;
use std::path::Path;

declare_rule! {
    /// ## What it does
    /// Maps each `addons_path` entry of an odoo.conf through the volumes of the compose
    /// services that mount that file to the repo folder it shows, and checks that the folder
    /// directly holds modules (sub-folders with a `__manifest__.py`). A checkout root that
    /// holds repositories of modules (the OCA layout, `oca/web/web_responsive`) is the
    /// classic case; a module folder itself, or a folder without any module, is reported
    /// too. Entries the image provides (`/usr/lib/python3/dist-packages/odoo/addons`),
    /// entries no bind mount of a repo folder covers, entries with variables, and folders
    /// that are missing or empty (a submodule not checked out) are skipped.
    ///
    /// ## Why is this bad?
    /// Odoo looks for modules one level below each `addons_path` entry only. Every module
    /// of a repository one level deeper is invisible: installing it fails with "module not
    /// found" and a database that has it installed logs "module … not installable" and
    /// loses its views and menus on the next update.
    ///
    /// ## Example
    /// ```ini
    /// addons_path = /mnt/extra-addons/external/oca
    /// ```
    /// with `../addons/external/oca:/mnt/extra-addons/external/oca` and
    /// `addons/external/oca/web/web_responsive/__manifest__.py`.
    ///
    /// ## Fix
    /// List each repository:
    /// ```ini
    /// addons_path = /mnt/extra-addons/external/oca/web,/mnt/extra-addons/external/oca/account-financial-tools
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, `--addons-path` ("comma-separated list of directories in which
    /// modules are stored") (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#cmdoption-odoo-bin-addons-path>);
    /// Odoo 18.0 `odoo/modules/module.py` (`get_modules` lists the manifests directly under
    /// each path); OCA repository layout (<https://github.com/OCA/maintainer-tools>).
    pub struct AddonsPathHoldsModules {
        code: "STK007",
        name: "addons-path-holds-modules",
        severity: Error,
    }
}

/// Entries read from one folder at most; a checkout of thousands of modules is still read.
const MAX_ENTRIES: usize = 5_000;

/// Sub-folders searched for modules one level deeper, at most.
const MAX_REPOSITORIES: usize = 500;

/// What a folder holds, as far as Odoo's module discovery goes.
enum Holds {
    /// At least one module directly below: fine.
    Modules,
    /// Nothing to judge: missing, unreadable, or holding no sub-folder.
    Unknown,
    /// The folder is a module itself.
    IsModule,
    /// Sub-folders that hold modules: repositories.
    Repositories(Vec<String>),
    /// Files and folders, but no module at either level.
    NoModule,
}

fn is_module(dir: &Path) -> bool {
    dir.join("__manifest__.py").is_file()
}

/// Visible sub-folders of a folder, sorted; `None` when it cannot be read.
fn subfolders(dir: &Path) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).ok()?.take(MAX_ENTRIES).flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && entry.path().is_dir() {
            names.push(name);
        }
    }
    names.sort();
    Some(names)
}

fn holds(root: &Path, dir: &Path) -> Holds {
    // A symbolic link out of the repo is not the repo's to judge (nor to list).
    let inside = match (dir.canonicalize(), root.canonicalize()) {
        (Ok(dir), Ok(root)) => dir.starts_with(root),
        _ => false,
    };
    if !inside || !dir.is_dir() {
        return Holds::Unknown;
    }
    if is_module(dir) {
        return Holds::IsModule;
    }
    let Some(children) = subfolders(dir) else {
        return Holds::Unknown;
    };
    // No sub-folder at all (empty, or a README in a placeholder for the user's modules):
    // nothing is hidden, Odoo skips it.
    if children.is_empty() {
        return Holds::Unknown;
    }
    if children.iter().any(|c| is_module(&dir.join(c))) {
        return Holds::Modules;
    }
    let repositories: Vec<String> = children
        .into_iter()
        .take(MAX_REPOSITORIES)
        .filter(|c| {
            subfolders(&dir.join(c))
                .is_some_and(|grand| grand.iter().any(|g| is_module(&dir.join(c).join(g))))
        })
        .collect();
    if repositories.is_empty() {
        Holds::NoModule
    } else {
        Holds::Repositories(repositories)
    }
}

/// The comma-separated items of a value with their byte ranges in the value.
pub(crate) fn items(value: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut start = 0;
    for piece in value.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let from = start + lead;
            found.push((from..from + trimmed.len(), trimmed));
        }
        start += piece.len() + 1;
    }
    found
}

/// The file span of a byte range of an entry's value (continuation lines joined by `\n`).
pub(crate) fn value_span(entry: &Entry, range: std::ops::Range<usize>) -> Span {
    let mut offset = 0;
    for line in &entry.value_lines {
        let end = offset + line.len();
        if range.start >= offset && range.start <= end {
            let start = line.start() + (range.start - offset);
            let stop = (start + range.len()).min(line.end());
            return Span::new(start, stop);
        }
        offset = end + 1;
    }
    entry.value_span
}

impl Rule for AddonsPathHoldsModules {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut reported = std::collections::BTreeSet::new();
        for conf in confs(cx) {
            let Some(entry) = conf.entry("addons_path") else {
                continue;
            };
            let mounting: Vec<_> = deployment::services(cx)
                .filter(|d| d.conf_in_repo(cx).as_deref() == Some(conf.source.name.as_str()))
                .collect();
            for deployed in &mounting {
                for (range, path) in items(&entry.value) {
                    if path.contains('$') || path.starts_with('~') {
                        continue;
                    }
                    // A mount shadows what the image holds at that path.
                    let (folder, shown_by) = match deployed.resolve(cx, path) {
                        Some(mapped) => match mapped.repo_path() {
                            Some(folder) => (folder, Shown::Mount(mapped.mount.loc)),
                            None => continue,
                        },
                        None => match deployed.baked(cx, path) {
                            Some((folder, copy)) => (folder, Shown::Copy(copy)),
                            None => continue,
                        },
                    };
                    let at = conf.at(value_span(entry, range));
                    if !reported.insert((at.clone(), folder.clone())) {
                        continue;
                    }
                    let container = path.trim_end_matches('/');
                    let (message, help) = match holds(&cx.workspace.root, &cx.workspace.root.join(&folder)) {
                        Holds::Modules | Holds::Unknown => continue,
                        Holds::IsModule => (
                            format!("`{container}` is the module `{folder}` itself, not a folder of modules: Odoo does not see it"),
                            format!(
                                "list its parent folder, `{}`",
                                container.rsplit_once('/').map_or("/", |(parent, _)| parent)
                            ),
                        ),
                        Holds::Repositories(repos) => (
                            format!(
                                "`{container}` shows `{folder}`, which holds repositories ({}), not modules: Odoo finds none of their modules",
                                repos.join(", ")
                            ),
                            format!(
                                "list each repository instead: {}",
                                repos
                                    .iter()
                                    .map(|r| format!("{container}/{r}"))
                                    .collect::<Vec<_>>()
                                    .join(",")
                            ),
                        ),
                        Holds::NoModule => (
                            format!("`{container}` shows `{folder}`, which holds no Odoo module (no sub-folder with a `__manifest__.py`)"),
                            "point the entry at the folder that holds the modules, or remove it".to_string(),
                        ),
                    };
                    let finding = Finding::new(&Self::META, at, message);
                    findings.push(match shown_by {
                        Shown::Mount(loc) => finding.help(help).related(
                            deployed.at(loc),
                            format!("`{}` mounts it here", deployed.name()),
                        ),
                        Shown::Copy(copy) => finding.help(format!(
                            "{help}; `{}` line {} copies it into the image of `{}`",
                            copy.dockerfile,
                            copy.line,
                            deployed.name()
                        )),
                    });
                }
            }
        }
    }
}

/// How a container folder shows a repo folder.
enum Shown<'c> {
    /// A compose bind mount, at this place.
    Mount(crate::formats::compose::Loc),
    /// The image's Dockerfile copies it in.
    Copy(&'c crate::stack::dockerfile::Copied),
}
