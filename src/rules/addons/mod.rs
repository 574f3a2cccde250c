//! `STK` rules about the Odoo modules a deployed service can load. Each deployed odoo.conf's
//! `addons_path` is mapped through the mounts (or the image's copies) of the services that
//! read it to repo folders, in Odoo's precedence order; the modules of those folders, the
//! series' own modules (generated from Odoo's source, `scripts/odoo_modules.py`) and the
//! module lists of the env files are what the rules judge.

mod core;
mod dependency_resolves;
mod enterprise_dependency;
mod listed_module_exists;
mod listed_module_once;
mod manifest_series;
mod module_installable;
mod module_shadowed;
mod submodule_branch;

pub use dependency_resolves::DependencyResolves;
pub use enterprise_dependency::EnterpriseDependency;
pub use listed_module_exists::ListedModuleExists;
pub use listed_module_once::ListedModuleOnce;
pub use manifest_series::ManifestSeries;
pub use module_installable::ModuleInstallable;
pub use module_shadowed::ModuleShadowed;
pub use submodule_branch::SubmoduleBranch;

pub(crate) use self::core::core_modules;

use crate::finding::Location;
use crate::formats::odoo_conf::OdooVersion;
use crate::rule::Context;
use crate::rules::cross_file::addons_items;
use crate::rules::deployment;
use crate::source::Span;
use crate::workspace::ParsedModule;

/// One `addons_path` entry as a deployed service sees it.
pub(crate) struct PathEntry {
    /// As written in the odoo.conf.
    pub container: String,
    /// The repo folder it shows, when a bind mount or the image's copy makes it one.
    pub folder: Option<String>,
    /// The entry in the odoo.conf.
    pub at: Location,
}

/// The module search path of the services that read one deployed odoo.conf.
pub(crate) struct ModulePath<'a> {
    pub conf: String,
    workspace: &'a crate::workspace::Workspace,
    pub version: OdooVersion,
    /// Whether the facts or the image name the series (else `version` is a guess).
    pub version_known: bool,
    pub entries: Vec<PathEntry>,
    /// Every entry is a repo folder or the image's own addons: a module found on none of
    /// them is on no entry at all.
    pub complete: bool,
    /// The `addons_path` key, for findings about the whole path.
    pub key_at: Location,
    /// The service runs the official image (or one built from it), whose Odoo package
    /// holds every module of the series in the one folder Odoo searches first.
    pub official_image: bool,
    /// The module Odoo loads for each name: the first on the path.
    first: crate::hash::FastHashMap<&'a str, &'a ParsedModule>,
}

impl<'a> ModulePath<'a> {
    /// Every repo module on the path, in the order Odoo searches them (an earlier folder
    /// wins a name), with the entry that shows it.
    pub fn modules(&self) -> impl Iterator<Item = (&PathEntry, &'a ParsedModule)> {
        let workspace = self.workspace;
        self.entries.iter().flat_map(move |entry| {
            entry
                .folder
                .iter()
                .flat_map(move |folder| workspace.modules_in(folder))
                .map(move |module| (entry, module))
        })
    }

    /// The repo module Odoo loads for a name: the first on the path.
    pub fn find(&self, name: &str) -> Option<&'a ParsedModule> {
        self.first.get(name).copied()
    }
}

/// Whether a container path is the Odoo package's own addons folder, which Odoo puts first
/// on the path whatever `addons_path` says (`odoo/modules/module.py`, `initialize_sys_path`).
fn is_core_addons(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path.ends_with("/odoo/addons") || path.ends_with("site-packages/odoo/addons")
}

/// The module path of every deployed odoo.conf that sets `addons_path` and that a compose
/// service of a deployed project reads, once per conf (built on first use).
pub(crate) fn module_paths<'c, 'a>(cx: &'c Context<'a>) -> &'c [ModulePath<'a>] {
    cx.shared
        .module_paths
        .get_or_init(|| build_module_paths(cx))
}

fn build_module_paths<'a>(cx: &Context<'a>) -> Vec<ModulePath<'a>> {
    let workspace: &'a crate::workspace::Workspace = cx.workspace;
    let mut paths = Vec::new();
    for conf in crate::rules::odoo::confs(cx) {
        if !conf.scope_env.is_deployed() {
            continue;
        }
        let Some(entry) = conf.entry("addons_path") else {
            continue;
        };
        let reader = deployment::conf_use(cx)
            .readers(&conf.source.name)
            .iter()
            .find(|d| {
                crate::workspace::scope::is_odoo_service(d.service)
                    && d.project
                        .files
                        .first()
                        .is_none_or(|f| cx.environment_of(&f.source.name).is_deployed())
            });
        let Some(reader) = reader else {
            continue;
        };
        let mut complete = true;
        let mut entries = Vec::new();
        for (range, path) in addons_items(&entry.value) {
            let at = conf.at(crate::rules::cross_file::addons_value_span(entry, range));
            if path.contains('$') || path.starts_with('~') || !path.starts_with('/') {
                complete = false;
                entries.push(PathEntry {
                    container: path.to_string(),
                    folder: None,
                    at,
                });
                continue;
            }
            let folder = match reader.resolve(cx, path) {
                Some(mapped) => mapped.repo_path(),
                None => reader.baked(cx, path).map(|(folder, _)| folder),
            };
            // A folder missing or empty here (a submodule not checked out, an ignored
            // or fetched-at-deploy tree) hides modules ipai cannot see.
            let visible = folder.as_deref().is_some_and(|f| {
                std::fs::read_dir(cx.workspace.root.join(f))
                    .is_ok_and(|mut entries| entries.next().is_some())
            });
            if !visible && !is_core_addons(path) {
                complete = false;
            }
            entries.push(PathEntry {
                container: path.to_string(),
                folder,
                at,
            });
        }
        let mut first = crate::hash::FastHashMap::default();
        for folder in entries.iter().filter_map(|e| e.folder.as_deref()) {
            for module in workspace.modules_in(folder) {
                first.entry(module.name.as_str()).or_insert(module);
            }
        }
        let official_image = match reader.service.image.as_ref() {
            Some(image) if reader.service.build.is_none() => {
                deployment::hub_repository(&image.name.value) == "odoo"
            }
            _ => deployment::conf_use(cx)
                .image(reader)
                .and_then(|built| built.dockerfile.base_image())
                .is_some_and(|base| deployment::hub_repository(&base) == "odoo"),
        };
        paths.push(ModulePath {
            official_image,
            first,
            conf: conf.source.name.clone(),
            workspace,
            version: conf.version,
            version_known: conf.version_known,
            entries,
            complete,
            key_at: conf.at(entry.key_span),
        });
    }
    paths
}

/// One module named in an env file's module list, or given to `odoo -i`/`-u` by a script.
pub(crate) struct Listed<'a> {
    pub name: &'a str,
    pub at: Location,
    /// The variable that lists it, or the option of the script's command (`odoo -i`).
    pub key: &'a str,
    /// Given by a script's `odoo` command rather than an env file's list.
    pub from_script: bool,
}

/// Whether an env variable is a list of Odoo modules to install: `ODOO_…_MODULES`
/// (`ODOO_EE_PARITY_OCA_MODULES`), `…_ODOO_MODULES`, or exactly `MODULES`/`ODOO_MODULES`.
fn is_module_list(key: &str) -> bool {
    key.ends_with("_MODULES") && (key.starts_with("ODOO_") || key.contains("_ODOO_"))
}

/// The modules named by the module lists of the stack's env files (`.env`, or
/// `.env.example` where the real one stays out of git), in file order.
pub(crate) fn listed_modules<'a>(cx: &'a Context<'_>) -> Vec<Listed<'a>> {
    let mut listed = Vec::new();
    for parsed in &cx.workspace.env_files {
        let source = &cx.workspace.file(parsed.file).source;
        if cx.scope().of(parsed.file) == crate::workspace::scope::FileEnvironment::NotStack {
            continue;
        }
        for entry in &parsed.env.entries {
            let Some(value) = entry.value.as_ref() else {
                continue;
            };
            if !is_module_list(&entry.key) {
                continue;
            }
            let text = source.slice(value.span);
            let quote = usize::from(text.starts_with(['"', '\'']));
            let inner = &text[quote..text.len() - quote.min(text.len())];
            let start = value.span.start() + quote;
            for (name, span) in module_names(inner, start, &[',', ' ', '\t'])
                .into_iter()
                .flatten()
            {
                listed.push(Listed {
                    name,
                    at: Location::new(&source.name, span),
                    key: &entry.key,
                    from_script: false,
                });
            }
        }
    }
    listed.extend(script_modules(cx));
    listed
}

/// The technical names of a plain list written at `start` in its file, split at
/// `separators`, each with its span; `None` when the text holds anything else (a variable,
/// a path), which is then not judged.
fn module_names<'t>(
    text: &'t str,
    start: usize,
    separators: &[char],
) -> Option<Vec<(&'t str, Span)>> {
    let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    if !text.chars().all(|c| plain(c) || separators.contains(&c)) {
        return None;
    }
    let mut names = Vec::new();
    let mut offset = start;
    for piece in text.split(separators) {
        if !piece.is_empty() {
            names.push((piece, Span::new(offset, offset + piece.len())));
        }
        offset += piece.len() + 1;
    }
    Some(names)
}

/// The modules the repo's shell scripts install or update (`odoo -d db -i a,b`, `-u`,
/// `--init=`, `--update=`), each with its span; `all`, and a value the script computes, are
/// left out.
fn script_modules<'a>(cx: &'a Context<'_>) -> Vec<Listed<'a>> {
    let mut listed = Vec::new();
    for parsed in &cx.workspace.shell_scripts {
        let source = &cx.workspace.file(parsed.file).source;
        for command in &parsed.script.commands {
            let Some(call) = command.odoo() else {
                continue;
            };
            for (word, key) in [(call.install, "odoo -i"), (call.update, "odoo -u")] {
                let Some(word) = word.filter(|w| !w.dynamic) else {
                    continue;
                };
                let span = word.inner.unwrap_or(word.span);
                let mut text = source.slice(span);
                let mut start = span.start();
                if text.starts_with('-') {
                    let Some((option, value)) = text.split_once('=') else {
                        continue;
                    };
                    start += option.len() + 1;
                    text = value;
                }
                let names = module_names(text, start, &[',']).into_iter().flatten();
                for (name, span) in names.filter(|(name, _)| *name != "all") {
                    listed.push(Listed {
                        name,
                        at: Location::new(&source.name, span),
                        key,
                        from_script: true,
                    });
                }
            }
        }
    }
    listed
}

/// The repo's git submodule folders that are checked out empty, from `.gitmodules`.
pub(crate) fn empty_submodules(cx: &Context<'_>) -> Vec<String> {
    submodule_paths(cx)
        .into_iter()
        .filter(|path| {
            let dir = cx.workspace.root.join(path);
            std::fs::read_dir(&dir).map_or(true, |mut entries| entries.next().is_none())
        })
        .collect()
}

/// Why a module that a deployed service is asked to install cannot be installed.
pub(crate) enum Blocker {
    /// Nothing on the path provides this dependency.
    Missing,
    /// Only Odoo Enterprise provides it; `source` is where Community's source names it.
    Enterprise { source: &'static str },
    /// The module exists but says `installable: False` (or the series marks it so).
    NotInstallable { at: Option<Location> },
}

/// One module that cannot be installed, and the chain that asks for it.
pub(crate) struct Blocked {
    pub module: String,
    pub blocker: Blocker,
    /// Where it is asked for: the `depends` item, or the module list's entry.
    pub at: Location,
    /// From the wanted module down to the one whose `depends` names `module`.
    pub chain: Vec<String>,
    /// The module path searched.
    pub path_at: Location,
}

/// The modules a deployed service is asked to install: the env files' module lists found
/// on its path, and the repo's own modules on it (not in a git submodule, not authored by
/// the OCA or Odoo S.A.),
/// with every dependency followed through the path and the series' own modules. Only a
/// complete path is walked: on another, a missing module may be on an entry ipai cannot
/// see.
pub(crate) fn blocked_modules<'c>(cx: &'c Context<'_>) -> &'c [Blocked] {
    cx.shared.blocked_modules.get_or_init(|| find_blocked(cx))
}

fn find_blocked(cx: &Context<'_>) -> Vec<Blocked> {
    let mut blocked = Vec::new();
    let listed = listed_modules(cx);
    let submodules = submodule_paths(cx);
    let in_submodule = |parent: &str| {
        submodules
            .iter()
            .any(|s| parent == s || parent.starts_with(&format!("{s}/")))
    };
    for path in module_paths(cx) {
        if !path.complete || !path.version_known {
            continue;
        }
        let core = core_modules(path.version);
        // Every module asked for, with the one that asks (an index here); the chain of a
        // finding is read back through these, so the walk stays linear however deep the
        // dependencies go.
        let mut asked: Vec<(String, Option<usize>)> = Vec::new();
        let mut queue: std::collections::VecDeque<(usize, Location)> = Default::default();
        for item in &listed {
            queue.push_back((asked.len(), item.at.clone()));
            asked.push((item.name.to_string(), None));
        }
        for (_, module) in path.modules() {
            if !in_submodule(&module.parent) && !third_party(module) {
                let source = &cx.workspace.file(module.file).source;
                queue.push_back((asked.len(), Location::new(&source.name, Span::at(0))));
                asked.push((module.name.clone(), None));
            }
        }
        let mut seen = crate::hash::FastHashSet::default();
        while let Some((index, at)) = queue.pop_front() {
            let name = asked[index].0.clone();
            if !seen.insert(name.clone()) {
                continue;
            }
            let blocker = match path.find(&name) {
                Some(module) => {
                    let source = &cx.workspace.file(module.file).source;
                    let (installable, span) = module.manifest.installable();
                    if installable {
                        for (dependency, span) in module.manifest.depends() {
                            if !seen.contains(dependency) {
                                queue.push_back((asked.len(), Location::new(&source.name, span)));
                                asked.push((dependency.to_string(), Some(index)));
                            }
                        }
                        None
                    } else {
                        Some(Blocker::NotInstallable {
                            at: span.map(|s| Location::new(&source.name, s)),
                        })
                    }
                }
                None => match core.get(&name) {
                    Some(m) if !m.installable => Some(Blocker::NotInstallable { at: None }),
                    Some(_) => None,
                    None => Some(match core.enterprise(&name) {
                        Some(source) => Blocker::Enterprise { source },
                        None => Blocker::Missing,
                    }),
                },
            };
            if let Some(blocker) = blocker {
                blocked.push(Blocked {
                    module: name,
                    blocker,
                    at,
                    chain: chain_of(&asked, asked[index].1),
                    path_at: path.key_at.clone(),
                });
            }
        }
    }
    blocked
}

/// The modules that ask for one, from the first asker up: at most [`MAX_CHAIN`], the wanted
/// module first.
fn chain_of(asked: &[(String, Option<usize>)], mut parent: Option<usize>) -> Vec<String> {
    let mut chain = Vec::new();
    while let Some(index) = parent {
        if chain.len() == MAX_CHAIN {
            chain.push("…".to_string());
            break;
        }
        chain.push(asked[index].0.clone());
        parent = asked[index].1;
    }
    chain.reverse();
    chain
}

/// Modules of a dependency chain named in a message, at most.
const MAX_CHAIN: usize = 6;

/// Whether a module is another party's (OCA's, Odoo S.A.'s) copied into the repo: it is
/// installed only when something asks for it, so its own dependencies are not judged.
fn third_party(module: &ParsedModule) -> bool {
    module.manifest.string("author").is_some_and(|(author, _)| {
        author.contains("Odoo Community Association")
            || author.contains("(OCA)")
            || author.contains("Odoo S.A.")
    })
}

/// The folders `.gitmodules` names.
fn submodule_paths(cx: &Context<'_>) -> Vec<String> {
    cx.workspace
        .gitmodules
        .iter()
        .flat_map(|(_, parsed)| &parsed.submodules)
        .filter_map(|s| s.path.as_ref().map(|(path, _)| path.clone()))
        .collect()
}

/// `a ← b ← c`: who asks for a module, nearest first.
pub(crate) fn chain_text(chain: &[String]) -> String {
    chain
        .iter()
        .rev()
        .map(|m| {
            if m == "…" {
                m.clone()
            } else {
                format!("`{m}`")
            }
        })
        .collect::<Vec<_>>()
        .join(" ← ")
}
