//! Which files are the deployed stack: every file of the workspace gets an environment
//! (production, staging, development, test, or not part of this stack) with the evidence
//! for it. Rules judge the files of the environments they declare; `ipai-lint scope` shows
//! the verdict and its evidence, so a user can see why a file was, or was not, judged.
//!
//! Evidence, strongest first:
//! 1. `stack.yaml`'s `scope:` mapping of path globs to environments;
//! 2. the path: a folder or file name that says archive, example, docs, vendor, test,
//!    development, staging or production (`legacy/`, `docker-compose.dev.yml`);
//! 3. content: a compose project with neither an Odoo service nor a reverse proxy is
//!    another application.
//!
//! Nothing else known, a file is production: ipai judges what may be deployed.

mod layout;

use super::{FileId, Workspace};
use crate::discover::FileKind;
use crate::formats::compose::{Project, Service};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The evidence of a file nothing classifies: it is judged as production.
const UNMARKED: &str = "nothing marks it otherwise";

/// Where a file belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileEnvironment {
    Production,
    Staging,
    Development,
    Test,
    /// An archive, an example, docs, vendored code, or another application.
    NotStack,
}

impl FileEnvironment {
    pub fn as_str(self) -> &'static str {
        match self {
            FileEnvironment::Production => "production",
            FileEnvironment::Staging => "staging",
            FileEnvironment::Development => "development",
            FileEnvironment::Test => "test",
            FileEnvironment::NotStack => "not-stack",
        }
    }

    /// Production and staging: what is deployed, and what every stack invariant governs.
    pub fn is_deployed(self) -> bool {
        matches!(self, FileEnvironment::Production | FileEnvironment::Staging)
    }
}

impl fmt::Display for FileEnvironment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `scope:` entry of stack.yaml: these paths belong to this environment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeRule {
    /// Globs over repo-relative names (`*` stays within a folder, `**` crosses folders).
    pub paths: Vec<String>,
    pub environment: FileEnvironment,
}

/// A file's environment and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileScope {
    pub environment: FileEnvironment,
    pub evidence: String,
}

impl FileScope {
    /// Whether some evidence placed the file, rather than the production default.
    pub fn is_marked(&self) -> bool {
        self.evidence != UNMARKED
    }
}

/// The environment of every file of a workspace, indexed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct Scope {
    files: Vec<FileScope>,
}

impl Scope {
    /// Classifies every file of `workspace`; `rules` is stack.yaml's `scope:` mapping.
    pub fn classify(workspace: &Workspace, rules: &[ScopeRule]) -> Result<Scope, String> {
        let mapping = Mapping::new(rules)?;
        let mut files: Vec<FileScope> = workspace
            .files
            .iter()
            .map(|file| {
                mapping
                    .lookup(&file.source.name)
                    .or_else(|| by_path(&file.source.name))
                    .unwrap_or_else(|| FileScope {
                        environment: FileEnvironment::Production,
                        evidence: UNMARKED.into(),
                    })
            })
            .collect();
        // What a file's own header comment says, then a per-version compose variant.
        let has_unversioned_compose = workspace.files.iter().any(|f| {
            f.kind == FileKind::Compose && odoo_series_in_name(base_name(&f.source.name)).is_none()
        });
        for (id, file) in workspace.files.iter().enumerate() {
            if files[id].evidence != UNMARKED
                || !matches!(
                    file.kind,
                    FileKind::Compose | FileKind::OdooConf | FileKind::Nginx
                )
            {
                continue;
            }
            if let Some(scope) = by_header(&file.source.text) {
                files[id] = scope;
            } else if file.kind == FileKind::Compose && has_unversioned_compose {
                if let Some(series) = odoo_series_in_name(base_name(&file.source.name)) {
                    files[id] = FileScope {
                        environment: FileEnvironment::Development,
                        evidence: format!(
                            "a per-version variant (`{series}` in its name) beside compose files without one"
                        ),
                    };
                }
            }
        }
        // Compose merges `docker-compose.override.yml` only where no `-f` is given; beside a
        // production file (`docker-compose.prod.yml`, run with `-f`), it is the developers'.
        for (id, file) in workspace.files.iter().enumerate() {
            let name = &file.source.name;
            let (dir, base) = name
                .rsplit_once('/')
                .map_or(("", name.as_str()), |(d, b)| (d, b));
            if !crate::formats::compose::project::DEFAULT_OVERRIDE_FILES.contains(&base)
                || files[id].evidence != UNMARKED
            {
                continue;
            }
            let production_sibling = workspace.files.iter().enumerate().find(|(other, f)| {
                f.kind == FileKind::Compose
                    && files[*other].environment == FileEnvironment::Production
                    && files[*other].evidence != UNMARKED
                    && f.source.name.rsplit_once('/').map_or("", |(d, _)| d) == dir
            });
            if let Some((_, sibling)) = production_sibling {
                files[id] = FileScope {
                    environment: FileEnvironment::Development,
                    evidence: format!(
                        "Compose merges it only without `-f`; `{}` beside it is the production file",
                        sibling.source.name
                    ),
                };
            }
        }
        // Content: a compose project that runs neither Odoo nor a reverse proxy is another
        // application; its files are not this stack unless something stronger said so.
        for project in &workspace.compose {
            if project.model.services.is_empty() || project_is_stack(project) {
                continue;
            }
            for file in project.files.iter().filter(|f| f.compose.is_some()) {
                let Some((id, workspace_file)) = workspace.find(&file.source.name) else {
                    continue;
                };
                if workspace_file.kind != FileKind::Compose {
                    continue;
                }
                let scope = &mut files[id];
                if scope.environment.is_deployed() && scope.evidence == UNMARKED {
                    *scope = FileScope {
                        environment: FileEnvironment::NotStack,
                        evidence: format!(
                            "another application: its compose project ({}) has no Odoo service and no reverse proxy",
                            service_names(project)
                        ),
                    };
                }
            }
        }
        layout::alternative_stacks(workspace, &mut files);
        layout::proxies_of_other_apps(workspace, &mut files);
        layout::alternative_vhosts(workspace, &mut files);
        layout::readme_declared(workspace, &mut files);
        layout::localhost_stacks(workspace, &mut files);
        propagate_through_projects(workspace, &mut files);
        propagate_through_mounts(workspace, &mut files);
        Ok(Scope { files })
    }

    /// The environment of a file by id; production for an id the scope does not know.
    pub fn of(&self, id: FileId) -> FileEnvironment {
        self.files
            .get(id)
            .map_or(FileEnvironment::Production, |s| s.environment)
    }

    pub fn get(&self, id: FileId) -> Option<&FileScope> {
        self.files.get(id)
    }
}

/// A project whose default override file (merged by a plain `docker compose up`) is a
/// development file runs as development, when another compose file of the repo is the
/// production one by a stronger mark: its unmarked base file is development too.
fn propagate_through_projects(workspace: &Workspace, files: &mut [FileScope]) {
    let id_of = |name: &str| workspace.find(name).map(|(id, _)| id);
    // Another project, sharing none of this one's unmarked files (a production override
    // of the same base makes the base production too), is production by a mark.
    let marked_production = |files: &[FileScope], project: &Project, names: &[&str]| {
        workspace.compose.iter().any(|other| {
            !std::ptr::eq(other, project)
                && !other.compose_files().any(|(_, f)| {
                    names.contains(&f.source.name.as_str())
                        && id_of(&f.source.name).is_some_and(|id| files[id].evidence == UNMARKED)
                })
                && other.compose_files().any(|(_, f)| {
                    id_of(&f.source.name).is_some_and(|id| {
                        files[id].environment == FileEnvironment::Production
                            && files[id].evidence != UNMARKED
                    })
                })
        })
    };
    for project in &workspace.compose {
        let names: Vec<&str> = project
            .compose_files()
            .map(|(_, f)| f.source.name.as_str())
            .collect();
        let dev_override = names.iter().find(|name| {
            crate::formats::compose::project::DEFAULT_OVERRIDE_FILES.contains(&base_name(name))
                && id_of(name).is_some_and(|id| {
                    files[id].environment == FileEnvironment::Development
                        && files[id].evidence != UNMARKED
                })
        });
        let Some(dev_override) = dev_override else {
            continue;
        };
        if !marked_production(files, project, &names) {
            continue;
        }
        for name in &names {
            if let Some(id) = id_of(name).filter(|&id| files[id].evidence == UNMARKED) {
                files[id] = FileScope {
                    environment: FileEnvironment::Development,
                    evidence: format!(
                        "`docker compose up` merges it with the development override `{dev_override}`, and another compose file is the production one"
                    ),
                };
            }
        }
    }
}

/// An unmarked odoo.conf or nginx file that only compose services of non-deployed files
/// mount (a development stack's config) belongs where they do.
fn propagate_through_mounts(workspace: &Workspace, files: &mut [FileScope]) {
    let mut mounted_by: crate::hash::FastHashMap<FileId, Vec<FileEnvironment>> = Default::default();
    let mut witness: crate::hash::FastHashMap<FileId, String> = Default::default();
    // Sorted by name: the files below a mounted folder are one range.
    let mut wanted: Vec<(FileId, &str)> = workspace
        .files
        .iter()
        .enumerate()
        .filter(|(id, f)| {
            matches!(f.kind, FileKind::OdooConf | FileKind::Nginx)
                && files[*id].evidence == UNMARKED
        })
        .map(|(id, f)| (id, f.source.name.as_str()))
        .collect();
    if wanted.is_empty() {
        return;
    }
    wanted.sort_unstable_by(|a, b| a.1.cmp(b.1));
    for project in &workspace.compose {
        let Some((_, first)) = project.compose_files().next() else {
            continue;
        };
        let Some((first_id, _)) = workspace.find(&first.source.name) else {
            continue;
        };
        let environment = files[first_id].environment;
        let base = first.source.name.rsplit_once('/').map_or("", |(d, _)| d);
        for service in &project.model.services {
            // Only the program that reads the file counts: an Odoo service for odoo.conf,
            // a proxy for nginx files. A tool container mounting the whole repo does not.
            let reads = |kind: FileKind| match kind {
                FileKind::OdooConf => is_odoo_service(service),
                FileKind::Nginx => is_proxy_service(service),
                _ => false,
            };
            for mount in &service.volumes {
                let Some(source) = mount.source.as_ref().filter(|s| !s.unresolved) else {
                    continue;
                };
                if mount.kind != crate::formats::compose::MountKind::Bind {
                    continue;
                }
                let Some(path) = repo_path(base, &source.value).filter(|p| !p.is_empty()) else {
                    continue;
                };
                for &(id, _) in under(&wanted, &path) {
                    if !reads(workspace.files[id].kind) {
                        continue;
                    }
                    mounted_by.entry(id).or_default().push(environment);
                    witness
                        .entry(id)
                        .or_insert_with(|| first.source.name.clone());
                }
            }
        }
    }
    for (id, environments) in mounted_by {
        let Some(&first) = environments.first() else {
            continue;
        };
        if !first.is_deployed() && environments.iter().all(|e| *e == first) {
            files[id] = FileScope {
                environment: first,
                evidence: format!(
                    "mounted only by {} compose files (`{}`)",
                    first.as_str(),
                    witness.get(&id).map_or("", String::as_str)
                ),
            };
        }
    }
}

/// The files of a name-sorted list that are `path` or lie below it.
fn under<'w>(sorted: &'w [(FileId, &'w str)], path: &str) -> &'w [(FileId, &'w str)] {
    if path.is_empty() {
        return sorted;
    }
    let start = sorted.partition_point(|(_, name)| *name < path);
    let folder = format!("{path}/");
    let end = start
        + sorted[start..].partition_point(|(_, name)| *name == path || name.starts_with(&folder));
    &sorted[start..end]
}

/// A bind-mount source as a repo path, from the project directory `base`; none outside the repo.
fn repo_path(base: &str, source: &str) -> Option<String> {
    if source.starts_with(['/', '~', '$']) {
        return None;
    }
    crate::workspace::join_in_repo(base, source)
}

/// The last component of a repo-relative name.
fn base_name(name: &str) -> &str {
    name.rsplit_once('/').map_or(name, |(_, b)| b)
}

/// The Odoo series a compose file name carries (`docker-compose_17.0.yml`,
/// `docker-compose.odoo16.yml`), if any.
fn odoo_series_in_name(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    for (i, window) in bytes.windows(2).enumerate() {
        let at_boundary = i == 0
            || matches!(bytes[i - 1], b'.' | b'_' | b'-' | b'v')
            || lower[..i].ends_with("odoo");
        if !at_boundary || window[0] != b'1' || !window[1].is_ascii_digit() {
            continue;
        }
        let rest = &lower[i + 2..];
        let rest = rest.strip_prefix(".0").unwrap_or(rest);
        if rest.is_empty() || rest.starts_with(['.', '_', '-']) {
            return Some(lower[i..i + 2].to_string() + ".0");
        }
    }
    None
}

/// What a file's header comment (its leading `#`/`;` lines, within the first lines) says
/// of where it belongs: "Local development override", "Legacy standalone compatibility
/// file", "Staging Odoo Environment".
fn by_header(text: &str) -> Option<FileScope> {
    // The comment block that opens the file (after a BOM), up to 12 lines.
    let header: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with('#') || l.starts_with(';'))
        .filter(|l| !l.is_empty())
        .take(12)
        .collect();
    let joined = header.join(" ").to_ascii_lowercase();
    let says = |phrases: &[&str]| phrases.iter().any(|p| joined.contains(p));
    // "Legacy …" opening a comment line speaks of the file; "a deprecated alias" inside a
    // sentence speaks of something in it.
    const RETIRED: [&str; 5] = ["legacy", "deprecated", "obsolete", "archived", "unused"];
    let opens_retired = header.iter().any(|l| {
        let words = l
            .trim_start_matches(['#', ';', ' ', '!'])
            .to_ascii_lowercase();
        RETIRED.iter().any(|w| {
            words.strip_prefix(w).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with([' ', ':', '.', ',', '-', ')'])
            })
        })
    });
    let environment = if opens_retired
        || says(&[
            "this file is deprecated",
            "this file is obsolete",
            "this file is no longer used",
            "no longer used",
            "kept for reference only",
        ]) {
        FileEnvironment::NotStack
    } else if says(&[
        "local development",
        "development override",
        "for development",
        "development only",
        "dev only",
        "for local",
        "not for production",
        "do not use in production",
        "don't use in production",
        "never use in production",
    ]) {
        FileEnvironment::Development
    } else if says(&["staging"]) && !says(&["production", "prod "]) {
        FileEnvironment::Staging
    } else {
        return None;
    };
    let line = header
        .iter()
        .find(|l| {
            let lower = l.to_ascii_lowercase();
            [
                "legacy",
                "deprecated",
                "obsolete",
                "archived",
                "no longer",
                "development",
                "dev only",
                "local",
                "production",
                "staging",
            ]
            .iter()
            .any(|w| lower.contains(w))
        })
        .copied()
        .unwrap_or("");
    let line: String = line
        .trim_start_matches(['#', ';', ' '])
        .chars()
        .take(80)
        .collect();
    Some(FileScope {
        environment,
        evidence: format!("its header comment: \"{line}\""),
    })
}

/// Checks stack.yaml's `scope:` globs: the message of the first that does not compile.
pub fn check_rules(rules: &[ScopeRule]) -> Result<(), String> {
    Mapping::new(rules).map(|_| ())
}

/// stack.yaml's `scope:` globs, compiled once.
struct Mapping {
    sets: Vec<(globset::GlobSet, FileEnvironment, String)>,
}

impl Mapping {
    fn new(rules: &[ScopeRule]) -> Result<Mapping, String> {
        let mut sets = Vec::new();
        for rule in rules {
            let mut builder = globset::GlobSetBuilder::new();
            for pattern in &rule.paths {
                let glob = globset::GlobBuilder::new(pattern.trim_end_matches('/'))
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("scope: `{pattern}`: {e}"))?;
                builder.add(glob);
                // A folder named alone covers what is inside it.
                if !pattern.contains('*') {
                    let inside = format!("{}/**", pattern.trim_end_matches('/'));
                    if let Ok(glob) = globset::GlobBuilder::new(&inside)
                        .literal_separator(true)
                        .build()
                    {
                        builder.add(glob);
                    }
                }
            }
            let set = builder.build().map_err(|e| format!("scope: {e}"))?;
            sets.push((set, rule.environment, rule.paths.join(", ")));
        }
        Ok(Mapping { sets })
    }

    fn lookup(&self, name: &str) -> Option<FileScope> {
        self.sets
            .iter()
            .find(|(set, ..)| set.is_match(name))
            .map(|(_, environment, paths)| FileScope {
                environment: *environment,
                evidence: format!("stack.yaml scope: {paths}"),
            })
    }
}

/// What a folder name says of everything under it.
fn folder_environment(folder: &str) -> Option<FileEnvironment> {
    let folder = folder.to_ascii_lowercase();
    let folder = folder.trim_start_matches('.');
    Some(match folder {
        "archive" | "archives" | "archived" | "old" | "backup" | "backups" | "bak"
        | "deprecated" | "legacy" | "obsolete" | "unused" | "attic" | "trash" | "example"
        | "examples" | "sample" | "samples" | "doc" | "docs" | "documentation" | "vendor"
        | "vendored" | "third_party" | "third-party" | "node_modules" | "extracted-archives" => {
            FileEnvironment::NotStack
        }
        "test" | "tests" | "testing" | "e2e" | "spec" | "specs" | "fixture" | "fixtures" => {
            FileEnvironment::Test
        }
        "dev" | "development" | "local" | "devcontainer" | "sandbox" => {
            FileEnvironment::Development
        }
        "staging" | "stage" | "stg" | "preprod" | "uat" => FileEnvironment::Staging,
        "prod" | "production" | "live" => FileEnvironment::Production,
        // One word of a compound folder name (`odoo-staging`, `prod_stack`) names an
        // environment; retired or test words do not, since `old`, `doc` or `spec` are
        // parts of many names.
        _ => return folder_words_environment(folder),
    })
}

fn folder_words_environment(folder: &str) -> Option<FileEnvironment> {
    let mut found = None;
    for word in folder.split(['-', '_']).filter(|w| !w.is_empty()) {
        let environment = match word {
            "staging" | "stage" | "stg" | "preprod" | "uat" => FileEnvironment::Staging,
            "prod" | "production" => FileEnvironment::Production,
            "dev" | "development" => FileEnvironment::Development,
            _ => continue,
        };
        // Two environments in one name (`dev-and-prod`) say nothing.
        if found.is_some_and(|f| f != environment) {
            return None;
        }
        found = Some(environment);
    }
    found
}

/// What the words of a file name say (`docker-compose.dev.yml`, `odoo.staging.conf`,
/// `compose.test.yaml`), or a copy's suffix (`odoo.conf.bak`, `.example`, `.orig`).
fn file_environment(file: &str) -> Option<FileEnvironment> {
    let lower = file.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(['.', '-', '_'])
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.last().copied().unwrap_or("");
    // `.env.example` documents the variables of the stack: it is part of it.
    if !lower.starts_with(".env")
        && matches!(
            last,
            "bak"
                | "old"
                | "orig"
                | "backup"
                | "example"
                | "sample"
                | "dist"
                | "disabled"
                | "deprecated"
        )
    {
        return Some(FileEnvironment::NotStack);
    }
    // The first word is the file's own name (`dev.env` aside): `staging.conf` is staging.
    words.iter().find_map(|word| match *word {
        "dev" | "development" | "local" | "devcontainer" => Some(FileEnvironment::Development),
        "test" | "tests" | "ci" | "e2e" => Some(FileEnvironment::Test),
        "staging" | "stage" | "stg" | "preprod" | "uat" => Some(FileEnvironment::Staging),
        "prod" | "production" | "live" => Some(FileEnvironment::Production),
        _ => None,
    })
}

/// The environment a path's folders and file name state, innermost folder first after the
/// file name; not-stack folders win wherever they are (`archive/prod/…` is an archive).
fn by_path(name: &str) -> Option<FileScope> {
    let mut parts: Vec<&str> = name.split('/').collect();
    let file = parts.pop().unwrap_or("");
    if let Some(folder) = parts
        .iter()
        .find(|f| folder_environment(f) == Some(FileEnvironment::NotStack))
    {
        return Some(FileScope {
            environment: FileEnvironment::NotStack,
            evidence: format!("under `{folder}/`"),
        });
    }
    if let Some(environment) = file_environment(file) {
        return Some(FileScope {
            environment,
            evidence: format!("its name, `{file}`"),
        });
    }
    parts.iter().rev().find_map(|folder| {
        folder_environment(folder).map(|environment| FileScope {
            environment,
            evidence: format!("under `{folder}/`"),
        })
    })
}

/// Whether a compose project is part of an Odoo stack: it runs Odoo, or a reverse proxy
/// (which may front an Odoo of another project).
fn project_is_stack(project: &Project) -> bool {
    project
        .model
        .services
        .iter()
        .any(|s| is_odoo_service(s) || is_proxy_service(s))
}

/// A service that runs Odoo: an `odoo` image, a name with `odoo`, or a build whose context
/// names it; or a build under another name with Odoo's port and paths.
pub fn is_odoo_service(service: &Service) -> bool {
    let image = service.image.as_ref().map_or("", |i| i.name.value.as_str());
    let context = service
        .build
        .as_ref()
        .and_then(|b| b.context.as_ref())
        .map_or("", |c| c.value.as_str());
    let named = [image, service.name.as_str(), context]
        .iter()
        .any(|text| text.to_ascii_lowercase().contains("odoo"));
    if !named {
        // A service built from the repo under another name (`web`) is Odoo when it both
        // serves on Odoo's port and mounts Odoo's configuration, data or addons paths.
        return service.build.is_some() && has_odoo_port(service) && has_odoo_paths(service);
    }
    // An image names what runs. A locally built service named after Odoo may be a tool
    // around it (`odoo-developer-agent`): it must also look like Odoo.
    image.to_ascii_lowercase().contains("odoo") || looks_like_odoo(service)
}

/// Whether a service publishes or exposes Odoo's port (8069 or 8072) on the container side.
fn has_odoo_port(service: &Service) -> bool {
    let odoo_port =
        |r: crate::formats::compose::PortRange| ODOO_PORTS.iter().any(|&o| r.contains(o));
    service
        .ports
        .iter()
        .any(|p| p.target_range().is_some_and(odoo_port))
        || service
            .expose
            .iter()
            .any(|e| e.range().is_some_and(odoo_port))
}

/// Whether a service mounts something where the official image keeps Odoo's
/// configuration, data or addons.
fn has_odoo_paths(service: &Service) -> bool {
    service.volumes.iter().any(|m| {
        m.target.as_ref().is_some_and(|t| {
            ["/etc/odoo", "/var/lib/odoo", "/mnt/extra-addons"]
                .iter()
                .any(|p| t.value.starts_with(p))
        })
    })
}

/// Odoo's default `http_port` and `gevent_port` (`odoo/tools/config.py`, 16.0–19.0).
pub const ODOO_PORTS: [u16; 2] = [8069, 8072];

/// Odoo's ports (8069, 8072), its configuration or data paths, or an `odoo` command, or a
/// name made only of Odoo and environment words (`odoo`, `odoo-prod`, `web`).
fn looks_like_odoo(service: &Service) -> bool {
    let port = has_odoo_port(service);
    let paths = has_odoo_paths(service);
    let command = [&service.command, &service.entrypoint]
        .into_iter()
        .flatten()
        .any(|c| match c {
            crate::formats::compose::Command::String(text) => text.value.contains("odoo"),
            crate::formats::compose::Command::List { items, .. } => {
                items.iter().any(|t| t.value.contains("odoo"))
            }
        });
    let name = service
        .name
        .to_ascii_lowercase()
        .split(['-', '_', '.'])
        .all(|word| {
            word.chars().all(|c| c.is_ascii_digit())
                || matches!(
                    word,
                    "odoo"
                        | "prod"
                        | "production"
                        | "staging"
                        | "stage"
                        | "dev"
                        | "web"
                        | "app"
                        | "erp"
                        | "server"
                        | "main"
                        | "live"
                        | "test"
                        | "v2"
                        | "ce"
                        | "ee"
                )
        });
    port || paths || command || name
}

/// A reverse proxy (nginx, Traefik, Caddy, HAProxy and the nginx-based proxy images), by
/// image or by service name: an image from variables (`${PROXY_IMAGE}`) names nothing.
pub fn is_proxy_service(service: &Service) -> bool {
    let image = service
        .image
        .as_ref()
        .map_or("", |i| i.name.value.rsplit('/').next().unwrap_or(""));
    let is_proxy = |name: &str| {
        matches!(
            name,
            "nginx"
                | "traefik"
                | "caddy"
                | "haproxy"
                | "nginx-proxy"
                | "nginx-proxy-manager"
                | "openresty"
                | "swag"
        )
    };
    is_proxy(image) || is_proxy(&service.name)
}

fn service_names(project: &Project) -> String {
    let names: Vec<&str> = project
        .model
        .services
        .iter()
        .take(4)
        .map(|s| s.name.as_str())
        .collect();
    let more = project.model.services.len().saturating_sub(names.len());
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::{by_header, by_path, FileEnvironment::*};

    fn env(name: &str) -> Option<super::FileEnvironment> {
        by_path(name).map(|s| s.environment)
    }

    #[test]
    fn paths_say_where_a_file_belongs() {
        assert_eq!(env("docker-compose.yml"), None);
        assert_eq!(env("deploy/docker-compose.prod.yml"), Some(Production));
        assert_eq!(env("docker-compose.dev.yml"), Some(Development));
        assert_eq!(env("compose.test.yaml"), Some(Test));
        assert_eq!(env("config/odoo.staging.conf"), Some(Staging));
        assert_eq!(env("staging/docker/docker-compose.yml"), Some(Staging));
        assert_eq!(env("archive/prod/docker-compose.yml"), Some(NotStack));
        assert_eq!(
            env(".extracted-archives/x/docker-compose.yml"),
            Some(NotStack)
        );
        assert_eq!(env("docs/nginx/erp.conf"), Some(NotStack));
        assert_eq!(env("config/odoo.conf.bak"), Some(NotStack));
        assert_eq!(env("nginx/conf.d/odoo.conf"), None);
        assert_eq!(env("infra/odoo-staging/docker-compose.yml"), Some(Staging));
        assert_eq!(env("stacks/prod_odoo/odoo.conf"), Some(Production));
        assert_eq!(env("gold-images/docker-compose.yml"), None);
    }

    fn header(text: &str) -> Option<super::FileEnvironment> {
        by_header(text).map(|s| s.environment)
    }

    #[test]
    fn a_header_comment_speaking_of_the_file_marks_it() {
        assert_eq!(
            header("# Legacy standalone compatibility file (17.0).\nservices: {}\n"),
            Some(NotStack)
        );
        assert_eq!(header("# DEPRECATED: use compose.yaml\n"), Some(NotStack));
        assert_eq!(header("# Local development overrides\n"), Some(Development));
        assert_eq!(
            header("; staging instance, smaller workers\n[options]\n"),
            Some(Staging)
        );
        // About something in the file, or about production too: no mark.
        assert_eq!(
            header("; Odoo 16 still honours longpolling_port as a deprecated alias\n[options]\n"),
            None
        );
        assert_eq!(header("# staging and production share this file\n"), None);
        // Only the comment block that opens the file is its header.
        assert_eq!(header("services:\n  odoo: {}\n# legacy\n"), None);
        assert_eq!(header("[options]\nworkers = 2\n"), None);
    }
}
