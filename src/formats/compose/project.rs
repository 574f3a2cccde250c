//! Loading a compose project the way `docker compose` does: which files, which environment,
//! `extends`, `include`, the override merge and profiles.
//!
//! Sources: compose-go `cli/options.go` (default file names, `COMPOSE_FILE`,
//! `COMPOSE_PROFILES`), `loader/extends.go`, `loader/include.go`; the Compose specification
//! `05-services.md#extends`, `13-merge.md`, `14-include.md`, `15-profiles.md`; the Docker docs
//! page on environment variable precedence.
//!
//! A linter does not read the shell: the environment is what [`LoadOptions::env`] says (empty by
//! default) over the project's `.env`. Included projects read their own `.env`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::interpolation::Environment;
use super::merge::{self, MergeNote};
use super::model::ComposeModel;
use super::service::{Errors, Extends};
use super::yaml::{Entry, Node, Value};
use super::{ComposeFile, FileError, FileId, Loc};
use crate::formats::dotenv::{self, DotEnv};
use crate::formats::SyntaxError;
use crate::source::SourceFile;

/// Compose file names looked for, in order of preference (compose-go `DefaultFileNames`).
pub const DEFAULT_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// Override file names looked for next to the compose file (`DefaultOverrideFileNames`).
pub const DEFAULT_OVERRIDE_FILES: &[&str] = &[
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// How many `include` levels and `extends` steps are followed before giving up.
const MAX_DEPTH: usize = 16;

/// What to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Where `.env` and the default compose files are looked for.
    pub project_dir: PathBuf,
    /// File names in findings are relative to this directory (the linted root); the project
    /// directory when `None`.
    pub root: Option<PathBuf>,
    /// Explicit compose files (`-f`), in merge order. When empty: `COMPOSE_FILE`, else the
    /// first of [`DEFAULT_FILES`] plus the first of [`DEFAULT_OVERRIDE_FILES`].
    pub files: Vec<PathBuf>,
    /// `--env-file` files, later ones winning. When empty: `.env` in the project directory.
    pub env_files: Vec<PathBuf>,
    /// Variables that win over every env file (the shell, for `docker compose`).
    pub env: Environment,
    /// Enabled profiles; `None` reads `COMPOSE_PROFILES`.
    pub profiles: Option<Vec<String>>,
}

/// Why a file is part of the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// A compose file of the project, merged in order (base first, then overrides).
    Compose,
    /// An env file read for interpolation (`.env`, `--env-file`).
    EnvFile,
    /// A file another one `extends` a service from.
    Extended,
    /// A compose or env file of a project pulled in by `include` (each included project
    /// reads its own `.env`).
    Included,
}

/// One file read while loading the project.
#[derive(Clone, Debug)]
pub struct ProjectFile {
    pub source: SourceFile,
    pub role: FileRole,
    /// The file parsed on its own, for compose files.
    pub compose: Option<ComposeFile>,
    /// The parsed env file, for env files.
    pub dotenv: Option<DotEnv>,
}

/// A loaded project.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// Every file read; [`FileId`] indexes this list.
    pub files: Vec<ProjectFile>,
    /// The variables interpolation used.
    pub env: Environment,
    pub profiles: Vec<String>,
    /// The merged tree; `None` when no compose file could be read.
    pub root: Option<Node>,
    /// The typed view of the merged tree.
    pub model: ComposeModel,
    /// What the merge reset, overrode or collapsed.
    pub notes: Vec<MergeNote>,
    /// Syntax, merge, `extends` and `include` errors, and the model's type errors.
    pub errors: Vec<FileError>,
    /// Compose or env files that were asked for and could not be read.
    pub unreadable: Vec<(PathBuf, String)>,
}

impl Project {
    pub fn file(&self, id: FileId) -> Option<&ProjectFile> {
        self.files.get(id.0 as usize)
    }

    pub fn source(&self, id: FileId) -> Option<&SourceFile> {
        self.file(id).map(|f| &f.source)
    }

    /// The project's compose files, in merge order.
    pub fn compose_files(&self) -> impl Iterator<Item = (FileId, &ProjectFile)> {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role == FileRole::Compose)
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The env files, in precedence order (later wins).
    pub fn env_files(&self) -> impl Iterator<Item = (FileId, &ProjectFile)> {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role == FileRole::EnvFile)
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn active_profiles(&self) -> Vec<&str> {
        self.profiles.iter().map(String::as_str).collect()
    }

    /// Builds a project from files already in memory, in merge order, with an optional
    /// `.env`. `extends` and `include` of other files are read from disk relative to each
    /// file's [`SourceFile::path`].
    pub fn from_sources(
        compose: Vec<SourceFile>,
        dotenv: Option<SourceFile>,
        options: &LoadOptions,
    ) -> Project {
        let mut loader = Loader::new(options);
        let mut env_sources = Vec::new();
        if let Some(source) = dotenv {
            env_sources.push(source);
        }
        loader.read_env(env_sources);
        let ids = compose
            .into_iter()
            .map(|s| loader.add_compose(s, FileRole::Compose))
            .collect();
        loader.finish(ids)
    }
}

/// Loads the project described by `options` from disk.
pub fn load_project(options: &LoadOptions) -> Project {
    let mut loader = Loader::new(options);
    let env_paths: Vec<PathBuf> = if options.env_files.is_empty() {
        let default = options.project_dir.join(".env");
        if default.is_file() {
            vec![default]
        } else {
            Vec::new()
        }
    } else {
        options
            .env_files
            .iter()
            .map(|p| options.project_dir.join(p))
            .collect()
    };
    let mut env_sources = Vec::new();
    for path in env_paths {
        match loader.read_source(&path) {
            Ok(source) => env_sources.push(source),
            Err(e) => loader.project.unreadable.push((path, e.to_string())),
        }
    }
    loader.read_env(env_sources);
    let mut ids = Vec::new();
    for path in loader.compose_paths() {
        match loader.read_source(&path) {
            Ok(source) => ids.push(loader.add_compose(source, FileRole::Compose)),
            Err(e) => loader.project.unreadable.push((path, e.to_string())),
        }
    }
    loader.finish(ids)
}

struct Loader<'a> {
    options: &'a LoadOptions,
    project: Project,
    /// Compose files already parsed, by canonical path, for `extends` and `include`.
    by_path: HashMap<PathBuf, FileId>,
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn error(loc: Loc, message: impl Into<String>) -> FileError {
    FileError {
        file: loc.file,
        error: SyntaxError::new(loc.span, message),
    }
}

impl<'a> Loader<'a> {
    fn new(options: &'a LoadOptions) -> Self {
        Loader {
            options,
            project: Project::default(),
            by_path: HashMap::new(),
        }
    }

    fn display_name(&self, path: &Path) -> String {
        let root = self
            .options
            .root
            .as_deref()
            .unwrap_or(&self.options.project_dir);
        let relative = path.strip_prefix(root).unwrap_or(path);
        relative.to_string_lossy().replace('\\', "/")
    }

    fn read_source(&self, path: &Path) -> std::io::Result<SourceFile> {
        SourceFile::read(self.display_name(path), path)
    }

    fn push(&mut self, file: ProjectFile) -> FileId {
        self.project.files.push(file);
        FileId((self.project.files.len() - 1) as u32)
    }

    /// Parses one env file, adds its variables to `into`, and keeps it (with its errors) in
    /// the project.
    fn add_env_file(
        &mut self,
        source: SourceFile,
        role: FileRole,
        shell: &Environment,
        into: &mut Environment,
    ) {
        let parsed = dotenv::parse(&source, shell);
        for (k, v) in parsed.environment(shell).iter() {
            into.set(k, v);
        }
        let id = FileId(self.project.files.len() as u32);
        let errors = parsed.errors.iter().map(|e| FileError {
            file: id,
            error: e.clone(),
        });
        self.project.errors.extend(errors);
        self.push(ProjectFile {
            source,
            role,
            compose: None,
            dotenv: Some(parsed),
        });
    }

    /// Parses env files and builds the interpolation environment.
    fn read_env(&mut self, sources: Vec<SourceFile>) {
        let shell = &self.options.env;
        let mut from_files = Environment::new();
        for source in sources {
            self.add_env_file(source, FileRole::EnvFile, shell, &mut from_files);
        }
        let mut env = shell.clone();
        env.extend_missing(&from_files);
        self.project.profiles = match &self.options.profiles {
            Some(p) => p.clone(),
            None => env
                .get("COMPOSE_PROFILES")
                .map(|p| {
                    p.split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        };
        self.project.env = env;
    }

    fn compose_paths(&self) -> Vec<PathBuf> {
        let dir = &self.options.project_dir;
        if !self.options.files.is_empty() {
            return self.options.files.iter().map(|f| dir.join(f)).collect();
        }
        if let Some(list) = self.project.env.get("COMPOSE_FILE") {
            let separator = self
                .project
                .env
                .get("COMPOSE_PATH_SEPARATOR")
                .unwrap_or(":");
            if !separator.is_empty() {
                return list
                    .split(separator)
                    .filter(|f| !f.is_empty())
                    .map(|f| dir.join(f))
                    .collect();
            }
        }
        let first = |names: &[&str]| names.iter().map(|n| dir.join(n)).find(|p| p.is_file());
        let mut files: Vec<PathBuf> = first(DEFAULT_FILES).into_iter().collect();
        if !files.is_empty() {
            files.extend(first(DEFAULT_OVERRIDE_FILES));
        }
        files
    }

    fn add_compose(&mut self, source: SourceFile, role: FileRole) -> FileId {
        let env = self.project.env.clone();
        self.add_compose_with(source, role, &env)
    }

    fn add_compose_with(
        &mut self,
        source: SourceFile,
        role: FileRole,
        env: &Environment,
    ) -> FileId {
        let id = FileId(self.project.files.len() as u32);
        let compose = ComposeFile::parse(&source, id, env);
        self.project
            .errors
            .extend(compose.errors.iter().map(|e| FileError {
                file: id,
                error: e.clone(),
            }));
        self.by_path.insert(canonical(&source.path), id);
        self.push(ProjectFile {
            source,
            role,
            compose: Some(compose),
            dotenv: None,
        })
    }

    /// The compose file at `path` (parsed once, with `env`), or an error at `from`.
    fn compose_at(
        &mut self,
        path: &Path,
        role: FileRole,
        env: &Environment,
        from: Loc,
    ) -> Option<FileId> {
        let key = canonical(path);
        if let Some(&id) = self.by_path.get(&key) {
            return Some(id);
        }
        match self.read_source(path) {
            Ok(source) => Some(self.add_compose_with(source, role, env)),
            Err(e) => {
                self.project
                    .errors
                    .push(error(from, format!("cannot read {}: {e}", path.display())));
                None
            }
        }
    }

    fn tree(&self, id: FileId) -> Option<Node> {
        self.project.file(id)?.compose.as_ref()?.root.clone()
    }

    fn dir_of(&self, id: FileId) -> PathBuf {
        self.project
            .file(id)
            .and_then(|f| f.source.path.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| self.options.project_dir.clone())
    }

    /// The tree of file `id` with `extends` and `include` resolved.
    fn resolved(&mut self, id: FileId, include_stack: &mut Vec<PathBuf>) -> Option<Node> {
        let mut root = self.tree(id)?;
        self.resolve_extends(id, &mut root);
        self.resolve_includes(id, &mut root, include_stack);
        Some(root)
    }

    fn finish(mut self, ids: Vec<FileId>) -> Project {
        let mut merged: Option<Node> = None;
        for id in ids {
            let mut stack = vec![canonical(&self.project.files[id.0 as usize].source.path)];
            let Some(mut root) = self.resolved(id, &mut stack) else {
                continue;
            };
            merged = Some(match merged {
                None => {
                    merge::strip_tags(&mut root, &mut self.project.notes);
                    root
                }
                Some(base) => merge::merge_files(
                    base,
                    root,
                    &mut self.project.notes,
                    &mut self.project.errors,
                ),
            });
        }
        if let Some(root) = &mut merged {
            merge::enforce_unicity(root, &mut self.project.notes);
            self.project.model = ComposeModel::from_node(root);
            self.project
                .errors
                .extend(self.project.model.errors.iter().cloned());
        }
        self.project.root = merged;
        self.project
    }

    fn resolve_extends(&mut self, id: FileId, root: &mut Node) {
        let names: Vec<String> = root
            .get("services")
            .and_then(Node::as_map)
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e.value.get("extends").is_some())
                    .map(|e| e.name().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        for name in names {
            let mut stack = Vec::new();
            let snapshot = root.clone();
            if let Some(resolved) = self.extended(id, &snapshot, &name, &mut stack) {
                if let Some(slot) = service_slot(root, &name) {
                    *slot = resolved;
                }
            }
        }
    }

    /// Service `name` of `doc` (file `id`) with its `extends` chain applied.
    fn extended(
        &mut self,
        id: FileId,
        doc: &Node,
        name: &str,
        stack: &mut Vec<(FileId, String)>,
    ) -> Option<Node> {
        let service = doc.get("services")?.get(name)?.clone();
        let Some(extends_node) = service.get("extends") else {
            return Some(service);
        };
        let mut type_errors = Vec::new();
        let extends = Extends::read(extends_node, &mut Errors(&mut type_errors));
        self.project.errors.extend(type_errors);
        let Some(extends) = extends else {
            return Some(service);
        };
        if stack.iter().any(|(f, n)| *f == id && n == name) || stack.len() >= MAX_DEPTH {
            self.project.errors.push(error(
                extends.loc,
                format!("circular or too deep `extends` from service \"{name}\""),
            ));
            return Some(without_key(service, "extends"));
        }
        let (base_id, base_doc) = match &extends.file {
            None => (id, doc.clone()),
            Some(file) => {
                let path = self.dir_of(id).join(&file.value);
                let env = self.project.env.clone();
                let base_id = self.compose_at(&path, FileRole::Extended, &env, file.loc)?;
                (base_id, self.tree(base_id)?)
            }
        };
        let base_name = extends.service.value.clone();
        stack.push((id, name.to_owned()));
        let base = self.extended(base_id, &base_doc, &base_name, stack);
        stack.pop();
        let Some(base) = base else {
            self.project.errors.push(error(
                extends.service.loc,
                format!("`extends` refers to service \"{base_name}\", which is not defined"),
            ));
            return Some(without_key(service, "extends"));
        };
        Some(merge::extend_service(
            without_key(base, "extends"),
            without_key(service, "extends"),
            &mut self.project.errors,
        ))
    }

    fn resolve_includes(&mut self, id: FileId, root: &mut Node, stack: &mut Vec<PathBuf>) {
        let Some(include) = root.get("include").cloned() else {
            return;
        };
        remove_key(root, "include");
        let entries = super::model::includes(&include, &mut Errors(&mut self.project.errors));
        let dir = self.dir_of(id);
        for entry in entries {
            if stack.len() > MAX_DEPTH {
                self.project.errors.push(error(
                    entry.loc,
                    format!("`include` nested more than {MAX_DEPTH} deep"),
                ));
                continue;
            }
            let Some(included) = self.included_project(&dir, &entry, stack) else {
                continue;
            };
            import_resources(root, &included, entry.loc, &mut self.project.errors);
        }
    }

    /// The environment of an included project: [`LoadOptions::env`] over its own env files
    /// (`env_file:` of the entry, else `.env` in its project directory).
    fn include_env(&mut self, dir: &Path, entry: &super::Include) -> Environment {
        let project_dir = match (&entry.project_directory, entry.paths.first()) {
            (Some(p), _) => dir.join(&p.value),
            (None, Some(first)) => dir
                .join(&first.value)
                .parent()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            (None, None) => dir.to_path_buf(),
        };
        let paths: Vec<(PathBuf, Option<Loc>)> = if entry.env_files.is_empty() {
            let default = project_dir.join(".env");
            if default.is_file() {
                vec![(default, None)]
            } else {
                Vec::new()
            }
        } else {
            entry
                .env_files
                .iter()
                .map(|f| (dir.join(&f.value), Some(f.loc)))
                .collect()
        };
        let shell = &self.options.env;
        let mut from_files = Environment::new();
        for (path, from) in paths {
            let source = match self.read_source(&path) {
                Ok(source) => source,
                Err(e) => {
                    let loc = from.unwrap_or(entry.loc);
                    self.project
                        .errors
                        .push(error(loc, format!("cannot read {}: {e}", path.display())));
                    continue;
                }
            };
            self.add_env_file(source, FileRole::Included, shell, &mut from_files);
        }
        let mut env = shell.clone();
        env.extend_missing(&from_files);
        env
    }

    /// The merged tree of one `include` entry.
    fn included_project(
        &mut self,
        dir: &Path,
        entry: &super::Include,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Node> {
        let env = self.include_env(dir, entry);
        let mut merged: Option<Node> = None;
        for path_text in &entry.paths {
            let path = dir.join(&path_text.value);
            let key = canonical(&path);
            if stack.contains(&key) {
                self.project.errors.push(error(
                    path_text.loc,
                    format!("`include` cycle through {}", path_text.value),
                ));
                continue;
            }
            let id = self.compose_at(&path, FileRole::Included, &env, path_text.loc)?;
            stack.push(key);
            let tree = self.resolved(id, stack);
            stack.pop();
            let Some(mut tree) = tree else { continue };
            merged = Some(match merged {
                None => {
                    merge::strip_tags(&mut tree, &mut self.project.notes);
                    tree
                }
                Some(base) => merge::merge_files(
                    base,
                    tree,
                    &mut self.project.notes,
                    &mut self.project.errors,
                ),
            });
        }
        merged
    }
}

fn service_slot<'n>(root: &'n mut Node, name: &str) -> Option<&'n mut Node> {
    let Value::Map(top) = &mut root.value else {
        return None;
    };
    let services = &mut top.iter_mut().find(|e| e.name() == "services")?.value;
    let Value::Map(entries) = &mut services.value else {
        return None;
    };
    entries
        .iter_mut()
        .find(|e| e.name() == name)
        .map(|e| &mut e.value)
}

fn remove_key(node: &mut Node, key: &str) {
    if let Value::Map(entries) = &mut node.value {
        entries.retain(|e| e.name() != key);
    }
}

fn without_key(mut node: Node, key: &str) -> Node {
    remove_key(&mut node, key);
    node
}

/// Copies the services, networks, volumes, secrets and configs of an included project into
/// `root`; a name defined differently on both sides is an error (compose-go `ImportResources`).
fn import_resources(root: &mut Node, included: &Node, at: Loc, errors: &mut Vec<FileError>) {
    let Value::Map(top) = &mut root.value else {
        return;
    };
    for kind in ["services", "networks", "volumes", "secrets", "configs"] {
        let Some(incoming) = included.get(kind).and_then(Node::as_map) else {
            continue;
        };
        if !top.iter().any(|e| e.name() == kind) {
            let key = Node::synthetic_str(kind, at);
            let value = Node {
                value: Value::Map(Vec::new()),
                loc: at,
                tag: None,
            };
            top.push(Entry {
                key,
                value,
                merged_by: None,
            });
        }
        let Some(section) = top.iter_mut().find(|e| e.name() == kind) else {
            continue;
        };
        let Value::Map(existing) = &mut section.value.value else {
            errors.push(error(
                section.value.loc,
                format!("`{kind}` must be a mapping"),
            ));
            continue;
        };
        let names: HashMap<String, usize> = existing
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name().to_owned(), i))
            .collect();
        for entry in incoming {
            match names.get(entry.name()).and_then(|&i| existing.get(i)) {
                Some(mine) if !mine.value.same_value(&entry.value) => errors.push(error(
                    mine.key.loc,
                    format!(
                        "{kind}.{} conflicts with the one imported by `include`",
                        entry.name()
                    ),
                )),
                Some(_) => {}
                None => existing.push(entry.clone()),
            }
        }
    }
}
