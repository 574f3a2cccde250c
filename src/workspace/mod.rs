//! Everything parsed from one repo: its files, their kinds, their models and the problems
//! met while reading them. Rules read the workspace; nothing here judges.

use crate::discover::{self, FileKind};
mod git;
pub(crate) mod nginx_view;
mod repo_fs;
pub mod scope;
mod zone_index;
mod zone_load;

pub use git::GitEnvFiles;
pub(crate) use repo_fs::{join_in_repo, read_in_repo};
pub use zone_index::{ParsedZone, RecordGroups};

use crate::formats::{compose, dotenv, gitmodules, manifest, nginx, odoo_conf, shell, SyntaxError};
use crate::source::{Encoding, SourceFile, Span};
use std::path::{Path, PathBuf};

/// Index of a file in [`Workspace::files`].
pub type FileId = usize;

/// Files larger than this are reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// One parsed file.
#[derive(Debug)]
pub struct WorkspaceFile {
    /// The file as parsed: for a template, its stand-in text (see
    /// [`crate::formats::template`]), of the same length and lines.
    pub source: SourceFile,
    pub kind: FileKind,
    /// A template's text as written, shown in snippets in place of the stand-in.
    pub template: Option<String>,
}

/// A problem reading a file, before any parser ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadProblem {
    Unreadable(String),
    TooLarge(u64),
    Binary,
    /// Invalid UTF-8 at this byte offset; the file was read with replacement characters.
    NotUtf8(usize),
}

#[derive(Clone, Debug)]
pub struct ReadIssue {
    pub file: String,
    pub kind: FileKind,
    pub span: Span,
    pub problem: ReadProblem,
}

/// A parser's complaint about one file.
#[derive(Clone, Debug)]
pub struct SyntaxIssue {
    pub file: FileId,
    pub kind: FileKind,
    pub error: SyntaxError,
}

/// A file a compose secret reads its value from.
#[derive(Debug)]
pub struct SecretFile {
    /// The file, repo-relative.
    pub name: String,
    /// The compose project (index in [`Workspace::compose`]) and the secret's name.
    pub project: usize,
    pub secret: String,
    /// "is tracked by git", "is not ignored by git", "is not ignored by .gitignore"; `None`
    /// when it is ignored.
    pub exposed: Option<&'static str>,
}

/// A parsed env file.
#[derive(Debug)]
pub struct ParsedEnvFile {
    pub file: FileId,
    pub env: dotenv::DotEnv,
}

/// A parsed shell script.
#[derive(Debug)]
pub struct ParsedScript {
    pub file: FileId,
    pub script: shell::Script,
}

/// An Odoo module of the repo: a folder with a `__manifest__.py` (or `__openerp__.py`).
#[derive(Debug)]
pub struct ParsedModule {
    pub file: FileId,
    /// The module's technical name: its folder's name.
    pub name: String,
    /// The folder that holds the module folder, repo-relative (`""` at the root): what an
    /// `addons_path` entry names.
    pub parent: String,
    pub manifest: manifest::Manifest,
}

/// A parsed odoo.conf.
#[derive(Debug)]
pub struct ParsedOdooConf {
    pub file: FileId,
    pub conf: odoo_conf::OdooConf,
}

#[derive(Debug, Default)]
pub struct Workspace {
    pub root: PathBuf,
    pub files: Vec<WorkspaceFile>,
    pub read_issues: Vec<ReadIssue>,
    pub syntax: Vec<SyntaxIssue>,
    pub odoo_confs: Vec<ParsedOdooConf>,
    /// Every nginx configuration whose main file no other repo file includes, with its
    /// includes followed.
    pub nginx: Vec<nginx::Config>,
    /// Every compose project: the default files of a directory (base + override) merged,
    /// with that directory's `.env`.
    pub compose: Vec<compose::Project>,
    /// Every DNS zone file that no other zone `$INCLUDE`s, with its includes followed
    /// inside the repo.
    pub zones: Vec<ParsedZone>,
    /// Every env file (`.env`, `.env.example`, …), parsed on its own.
    pub env_files: Vec<ParsedEnvFile>,
    /// Every Odoo module of the repo, by manifest; a folder with both manifests is read
    /// once, from `__manifest__.py`, as Odoo does.
    pub modules: Vec<ParsedModule>,
    /// The repo's `.gitmodules`, parsed.
    pub gitmodules: Option<(FileId, gitmodules::GitModules)>,
    /// [`Workspace::modules`] by the folder that holds them.
    modules_in: crate::hash::FastHashMap<String, Vec<usize>>,
    /// Credential values per file, hidden from every snippet ipai prints.
    pub secrets: Vec<(FileId, Span)>,
    /// git's view of the env files, when the root is in a git work tree.
    pub git: Option<GitEnvFiles>,
    /// The files compose reads secrets from (top-level `secrets:` with `file:`) that are in
    /// the repo, with git's view of them (or, outside a work tree, whether `.gitignore`
    /// leaves them out of the walk).
    pub secret_files: Vec<SecretFile>,
    /// The repo's scripts and playbooks (`*.py`, `*.sh`, Ansible YAML, `Makefile`), by
    /// name, not read: a rule asks whether one rewrites a line before deployment.
    pub scripts: Vec<String>,
    /// Every shell script, parsed: the commands it runs, on this machine, over `ssh` and in
    /// containers.
    pub shell_scripts: Vec<ParsedScript>,
    /// [`Workspace::files`] by name, so a look-up does not scan every file.
    names: crate::hash::FastHashMap<String, FileId>,
    /// The text of each file that holds credentials, with them replaced, made on first use.
    redacted: std::sync::OnceLock<crate::hash::FastHashMap<FileId, String>>,
}

impl Workspace {
    /// Walks `root` and parses every file ipai knows.
    pub fn load(root: &Path) -> Workspace {
        Workspace::load_with(root, &[])
    }

    /// [`Workspace::load`], merging `compose_files` (repo-relative, base first: the stack's
    /// `compose.files`) as one project in place of the default files of their directories.
    pub fn load_with(root: &Path, compose_files: &[String]) -> Workspace {
        let mut inputs = Vec::new();
        let mut read_issues = Vec::new();
        let mut scripts = Vec::new();
        let mut walked_names = crate::hash::FastHashSet::default();
        for path in discover::walk(root) {
            let name = discover::relative_name(root, &path);
            walked_names.insert(name.clone());
            let head = read_head(&path);
            let Some(kind) = discover::classify(&name, &head) else {
                if discover::is_script(&name) {
                    scripts.push(name);
                }
                continue;
            };
            if kind == FileKind::Shell {
                scripts.push(name.clone());
            }
            match read_bounded(&path) {
                Ok(bytes) => inputs.push((name, path, kind, bytes)),
                // A script is read for context: one ipai cannot read is no finding.
                Err(_) if kind == FileKind::Shell => {}
                Err(problem) => read_issues.push(ReadIssue {
                    file: name,
                    kind,
                    span: Span::at(0),
                    problem,
                }),
            }
        }
        // Asking git costs a process; it only matters when a real (non-template) env file
        // sits somewhere in the repo, walked or ignored.
        let git = if real_env_file_on_disk(root, &inputs) {
            git::env_files(root)
        } else {
            None
        };
        // A committed env file stays in the history even when `.gitignore` now ignores it, so
        // it is read although the walk skipped it.
        let walked: crate::hash::FastHashSet<String> =
            inputs.iter().map(|(n, ..)| n.clone()).collect();
        for name in git.iter().flat_map(|g| &g.tracked) {
            let path = root.join(name);
            let known = walked.contains(name);
            let kind = discover::classify(name, &[]);
            if known || kind != Some(FileKind::DotEnv) || !path.is_file() {
                continue;
            }
            if let Ok(bytes) = read_bounded(&path) {
                inputs.push((name.clone(), path, FileKind::DotEnv, bytes));
            }
        }
        let mut workspace = Workspace::from_inputs(root, inputs, true, compose_files);
        workspace.read_issues.splice(0..0, read_issues);
        workspace.git = git;
        workspace.scripts = scripts;
        workspace.find_secret_files(&walked_names);
        workspace
    }

    /// A workspace from files in memory (tests, and the generator's own output).
    pub fn from_memory(root: &Path, files: Vec<(String, Vec<u8>)>) -> Workspace {
        let inputs = files
            .into_iter()
            .filter_map(|(name, bytes)| {
                let kind = discover::classify(&name, &bytes[..bytes.len().min(HEAD_BYTES)])?;
                Some((name.clone(), root.join(&name), kind, bytes))
            })
            .collect();
        Workspace::from_inputs(root, inputs, false, &[])
    }

    fn from_inputs(
        root: &Path,
        inputs: Vec<(String, PathBuf, FileKind, Vec<u8>)>,
        on_disk: bool,
        compose_files: &[String],
    ) -> Workspace {
        let mut workspace = Workspace {
            root: root.to_path_buf(),
            ..Workspace::default()
        };
        for (name, path, kind, bytes) in inputs {
            let binary = bytes.iter().take(HEAD_BYTES).any(|&b| b == 0);
            if binary && kind == FileKind::Shell {
                continue;
            }
            if binary {
                workspace.read_issues.push(ReadIssue {
                    file: name,
                    kind,
                    span: Span::at(0),
                    problem: ReadProblem::Binary,
                });
                continue;
            }
            let mut source = SourceFile::from_vec(name, path, bytes);
            // A template is parsed as the file it renders to, its tags standing in as
            // values or blanks; its snippets show it as written.
            let template = discover::is_template(&source.name, kind).then(|| {
                let stand_in = crate::formats::template::stand_in(&source.text);
                std::mem::replace(&mut source.text, stand_in)
            });
            if let (Encoding::Lossy { first_invalid_byte }, false) =
                (source.encoding, kind == FileKind::Shell)
            {
                let offset = source.text.find('\u{fffd}').unwrap_or(0);
                workspace.read_issues.push(ReadIssue {
                    file: source.name.clone(),
                    kind,
                    span: Span::new(offset, offset + '\u{fffd}'.len_utf8()),
                    problem: ReadProblem::NotUtf8(first_invalid_byte),
                });
            }
            workspace.push_file(WorkspaceFile {
                source,
                kind,
                template,
            });
        }
        for id in 0..workspace.files.len() {
            workspace.parse(id);
        }
        // Zones once every file is known: one may `$INCLUDE` another.
        workspace.load_zones(on_disk);
        // Compose first: the proxy's mounts tell where nginx's absolute includes are.
        if on_disk {
            workspace.load_compose(compose_files);
        } else {
            workspace.load_compose_in_memory();
        }
        workspace.load_nginx(on_disk);
        workspace
    }

    /// The in-memory counterpart of [`Workspace::load_compose`] (the generator's own
    /// output): per directory, its default compose file and default override, with the
    /// directory's `.env` when there is one.
    fn load_compose_in_memory(&mut self) {
        let mut dirs: Vec<String> = self
            .of_kind(FileKind::Compose)
            .map(|(_, f)| parent_name(&f.source.name).to_string())
            .collect();
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            let in_dir = |name: &str| {
                if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{dir}/{name}")
                }
            };
            let pick = |names: &[&str]| names.iter().find_map(|n| self.source(&in_dir(n)).cloned());
            let base = pick(compose::project::DEFAULT_FILES);
            let override_file = pick(compose::project::DEFAULT_OVERRIDE_FILES);
            let compose_files: Vec<SourceFile> = match base {
                Some(base) => std::iter::once(base).chain(override_file).collect(),
                None => self
                    .of_kind(FileKind::Compose)
                    .filter(|(_, f)| parent_name(&f.source.name) == dir)
                    .map(|(_, f)| f.source.clone())
                    .collect(),
            };
            let options = compose::LoadOptions {
                project_dir: self.root.join(&dir),
                root: Some(self.root.clone()),
                profiles: Some(Vec::new()),
                ..compose::LoadOptions::default()
            };
            let dotenv = self.source(&in_dir(".env")).cloned();
            let project = compose::Project::from_sources(compose_files, dotenv, &options);
            self.adopt_compose(project);
        }
    }

    /// Loads one compose project per directory holding compose files, as `docker compose`
    /// run in that directory would: its default file and override, and its `.env`. The
    /// stack's own list of compose files, when given, is one project instead (the project
    /// directory is the first file's, as with `docker compose -f a -f b`).
    fn load_compose(&mut self, listed: &[String]) {
        let mut projects = Vec::new();
        let listed: Vec<PathBuf> = listed.iter().map(|f| self.root.join(f)).collect();
        let listed_dirs: Vec<PathBuf> = listed
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        if let Some(first_dir) = listed_dirs.first() {
            projects.push(compose::LoadOptions {
                project_dir: first_dir.clone(),
                root: Some(self.root.clone()),
                files: listed.clone(),
                profiles: Some(Vec::new()),
                ..compose::LoadOptions::default()
            });
        }
        let mut dirs: Vec<(PathBuf, Vec<String>)> = Vec::new();
        let mut dir_index: crate::hash::FastHashMap<PathBuf, usize> = Default::default();
        for (_, file) in self.of_kind(FileKind::Compose) {
            let path = self.root.join(&file.source.name);
            let dir = path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| self.root.clone());
            if listed_dirs.contains(&dir) {
                continue;
            }
            let file_name = file
                .source
                .name
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            match dir_index.get(&dir) {
                Some(&i) => dirs[i].1.push(file_name),
                None => {
                    dir_index.insert(dir.clone(), dirs.len());
                    dirs.push((dir, vec![file_name]));
                }
            }
        }
        // The default base file of each directory, for overlays one folder down
        // (`compose/prod.yaml` run as `-f compose.yaml -f compose/prod.yaml`).
        let base_of: crate::hash::FastHashMap<PathBuf, String> = dirs
            .iter()
            .filter_map(|(dir, names)| {
                let base = names
                    .iter()
                    .find(|n| compose::project::DEFAULT_FILES.contains(&n.as_str()))?;
                Some((dir.clone(), base.clone()))
            })
            .collect();
        for (dir, names) in dirs {
            let parent_base = dir.parent().and_then(|parent| {
                let base = base_of.get(parent)?;
                let relative = dir.strip_prefix(parent).ok()?.to_path_buf();
                Some((parent.to_path_buf(), base.clone(), relative))
            });
            let options = |files: Vec<PathBuf>| compose::LoadOptions {
                project_dir: dir.clone(),
                root: Some(self.root.clone()),
                files,
                profiles: Some(Vec::new()),
                ..compose::LoadOptions::default()
            };
            let is_default = |n: &String| {
                compose::project::DEFAULT_FILES.contains(&n.as_str())
                    || compose::project::DEFAULT_OVERRIDE_FILES.contains(&n.as_str())
            };
            let base = names
                .iter()
                .find(|n| compose::project::DEFAULT_FILES.contains(&n.as_str()));
            // The directory's default project, as `docker compose` with no `-f` reads it.
            if base.is_some() {
                projects.push(options(Vec::new()));
            }
            // Every other file (`docker-compose.prod.yml`, `compose.bundle.yml`) is a project
            // of its own: on top of the base file when it only adjusts the base's services
            // (run as `-f docker-compose.yml -f docker-compose.prod.yml`), else alone.
            let text_of = |name: &str| {
                let relative = discover::relative_name(&self.root, &dir.join(name));
                self.source(&relative).map_or("", |s| s.text.as_str())
            };
            let base_services = base.map(|b| service_names_in(text_of(b)));
            // Without a base of its own, a folder's files may be overlays of the base one
            // folder up: its services, read once for the folder.
            let parent_services =
                parent_base
                    .as_ref()
                    .filter(|_| base.is_none())
                    .map(|(parent, parent_base, _)| {
                        let relative =
                            discover::relative_name(&self.root, &parent.join(parent_base));
                        service_names_in(self.source(&relative).map_or("", |s| s.text.as_str()))
                    });
            // A file one folder down adjusts the base when its services are the base's and
            // it cannot run alone: none of them names an image or a build
            // (`deploy/docker-compose.prod.yml` with its own images is a project of its own).
            let adjusts = |name: &str, base_services: &std::collections::BTreeSet<String>| {
                let text = text_of(name);
                let overlay = service_names_in(text);
                !overlay.is_empty()
                    && overlay.is_subset(base_services)
                    && !text.lines().any(|l| {
                        let t = l.trim_start();
                        l.len() > t.len() && (t.starts_with("image:") || t.starts_with("build:"))
                    })
            };
            // A file that adjusts the base's services is an overlay; beside one, so is a file
            // that adds services depending on the base's (a proxy).
            let overlay_folder = parent_services
                .as_ref()
                .is_some_and(|services| names.iter().any(|n| adjusts(n, services)));
            for name in names.iter().filter(|n| !is_default(n)) {
                if let (Some(base_services), Some((parent, parent_base, relative))) =
                    (&parent_services, &parent_base)
                {
                    if adjusts(name, base_services)
                        || (overlay_folder && refers_to_any(text_of(name), base_services))
                    {
                        projects.push(compose::LoadOptions {
                            project_dir: parent.clone(),
                            files: vec![PathBuf::from(parent_base), relative.join(name)],
                            ..options(Vec::new())
                        });
                        continue;
                    }
                }
                let files = match (&base, &base_services) {
                    (Some(base), Some(services))
                        if service_names_in(text_of(name)).is_subset(services) =>
                    {
                        vec![PathBuf::from(base), PathBuf::from(name)]
                    }
                    _ => vec![PathBuf::from(name)],
                };
                projects.push(options(files));
            }
        }
        for options in projects {
            let project = compose::load_project(&options);
            // Only a listed file can be missing: the others were found by the walk.
            for (path, why) in &project.unreadable {
                self.read_issues.push(ReadIssue {
                    file: discover::relative_name(&self.root, path),
                    kind: FileKind::Compose,
                    span: Span::at(0),
                    problem: ReadProblem::Unreadable(format!(
                        "{why} (stack.yaml lists it under compose.files)"
                    )),
                });
            }
            self.adopt_compose(project);
        }
    }

    /// Keeps a loaded project: every compose file it read becomes a workspace file (so that
    /// findings in an `extends`ed or included file get lines and snippets), its errors become
    /// syntax issues, and its credential values are hidden from snippets.
    fn adopt_compose(&mut self, project: compose::Project) {
        for file in project.files.iter().filter(|f| f.compose.is_some()) {
            if self.find(&file.source.name).is_none() {
                self.push_file(WorkspaceFile {
                    source: file.source.clone(),
                    kind: FileKind::Compose,
                    template: None,
                });
            }
        }
        for error in &project.errors {
            let Some(source) = project.source(error.file) else {
                continue;
            };
            let (file, kind) = match self.find(&source.name) {
                Some((id, f)) => (id, f.kind),
                None => (
                    self.push_file(WorkspaceFile {
                        source: source.clone(),
                        kind: FileKind::Compose,
                        template: None,
                    }),
                    FileKind::Compose,
                ),
            };
            // Env files report their own syntax errors when parsed on their own.
            if kind == FileKind::Compose {
                self.syntax.push(SyntaxIssue {
                    file,
                    kind,
                    error: error.error.clone(),
                });
            }
        }
        for file in &project.files {
            let Some(root) = file.compose.as_ref().and_then(|c| c.root.as_ref()) else {
                continue;
            };
            let Some((id, _)) = self.find(&file.source.name) else {
                continue;
            };
            let mut spans = Vec::new();
            compose_secret_values(root, &mut spans);
            self.secrets
                .extend(spans.into_iter().map(|span| (id, span)));
        }
        self.compose.push(project);
    }

    /// Loads every nginx file with its includes, keeps as roots those no other file
    /// includes, and records their syntax and include errors.
    fn load_nginx(&mut self, on_disk: bool) {
        let mut fs = repo_fs::RepoFs::new(&self.root, on_disk);
        for (target, source) in self.proxy_mounts() {
            fs.mount(target, source);
        }
        for (target, source) in self.template_includes() {
            fs.mount(target, source);
        }
        let nginx_files: Vec<FileId> = self.of_kind(FileKind::Nginx).map(|(id, _)| id).collect();
        for &id in &nginx_files {
            let source = &self.files[id].source;
            fs.insert(
                self.root.join(&source.name),
                source.text.clone().into_bytes(),
            );
        }
        let mut configs = Vec::new();
        for &id in &nginx_files {
            let mut source = self.files[id].source.clone();
            let conf_dir = nginx_conf_dir(&self.root, &source.name);
            source.path = self.root.join(&source.name);
            let loader = nginx::Loader::with_fs(&fs)
                .conf_dir(conf_dir)
                .name_root(self.root.clone());
            configs.push(loader.load_source(source));
        }
        let included: std::collections::BTreeSet<String> = configs
            .iter()
            .flat_map(|c| c.files().iter().skip(1).map(|f| f.source.name.clone()))
            .collect();
        configs.retain(|c| !included.contains(&c.root().source.name));
        // A template that does not read as nginx once its tags stand in (a tag renders
        // braces or whole blocks) is not judged: what it renders is unknown.
        let template = |name: &str| self.find(name).is_some_and(|(_, f)| f.template.is_some());
        configs.retain(|c| {
            !c.errors()
                .into_iter()
                .any(|(parsed, _)| template(&parsed.source.name))
        });
        for config in &configs {
            for (parsed, error) in config.errors() {
                let file = match self.find(&parsed.source.name) {
                    Some((id, _)) => id,
                    None => self.push_file(WorkspaceFile {
                        source: parsed.source.clone(),
                        kind: FileKind::Nginx,
                        template: None,
                    }),
                };
                self.syntax.push(SyntaxIssue {
                    file,
                    kind: FileKind::Nginx,
                    error: error.clone(),
                });
            }
        }
        self.nginx = configs;
    }

    /// The repo folders and files compose proxy services (nginx and its kin) bind-mount,
    /// as (container path, absolute repo path): an `include /etc/nginx/snippets/x.conf;`
    /// reads the repo file mounted there. Relative sources resolve against the project's
    /// directory (its first compose file's).
    fn proxy_mounts(&self) -> Vec<(PathBuf, PathBuf)> {
        let mut mounts = Vec::new();
        for project in &self.compose {
            let Some((_, first)) = project.compose_files().next() else {
                continue;
            };
            let base = self.root.join(parent_name(&first.source.name));
            for service in project
                .model
                .services
                .iter()
                .filter(|s| scope::is_proxy_service(s))
            {
                for mount in &service.volumes {
                    if mount.kind != compose::MountKind::Bind {
                        continue;
                    }
                    let (Some(source), Some(target)) = (&mount.source, &mount.target) else {
                        continue;
                    };
                    if source.unresolved || target.unresolved || source.value.starts_with('~') {
                        continue;
                    }
                    let host = std::path::absolute(base.join(&source.value))
                        .unwrap_or_else(|_| base.join(&source.value));
                    let host = crate::formats::nginx::normalize_path(&host);
                    mounts.push((PathBuf::from(&target.value), host));
                }
            }
        }
        mounts
    }

    /// The repo files compose secrets read, and whether git (or `.gitignore`) keeps them
    /// out of the history; git is asked once, for all of them.
    fn find_secret_files(&mut self, walked: &crate::hash::FastHashSet<String>) {
        let mut found = Vec::new();
        for (index, project) in self.compose.iter().enumerate() {
            let Some((_, first)) = project.compose_files().next() else {
                continue;
            };
            let dir = parent_name(&first.source.name);
            for secret in &project.model.secrets {
                let Some(file) = secret.file.as_ref().filter(|f| !f.unresolved) else {
                    continue;
                };
                if file.value.starts_with(['/', '~']) {
                    continue;
                }
                let Some(name) = join_in_repo(dir, &file.value) else {
                    continue;
                };
                if self.root.join(&name).is_file() {
                    found.push((name, index, secret.name.value.clone()));
                }
            }
        }
        if found.is_empty() {
            return;
        }
        let names: Vec<String> = found.iter().map(|(n, ..)| n.clone()).collect();
        let git = git::literal_files(&self.root, &names);
        self.secret_files = found
            .into_iter()
            .map(|(name, project, secret)| {
                let exposed = match &git {
                    Some(git) if git.is_tracked(&name) => Some("is tracked by git"),
                    Some(git) if git.is_exposed(&name) => Some("is not ignored by git"),
                    Some(_) => None,
                    None if walked.contains(&name) => Some("is not ignored by .gitignore"),
                    None => None,
                };
                SecretFile {
                    name,
                    project,
                    secret,
                    exposed,
                }
            })
            .collect();
    }

    /// The absolute includes of nginx templates that name what a template beside them
    /// renders to (`include /etc/nginx/proxy_headers.conf;` in `templates/nginx.conf.tmpl`,
    /// beside `templates/proxy_headers.conf.tmpl`): templates rendered together into one
    /// folder, as confd and Ansible roles do. Each reads as that template.
    fn template_includes(&self) -> Vec<(PathBuf, PathBuf)> {
        let templates: Vec<&WorkspaceFile> = self
            .of_kind(FileKind::Nginx)
            .map(|(_, f)| f)
            .filter(|f| f.template.is_some())
            .collect();
        let by_rendered: crate::hash::FastHashMap<(&str, &str), &str> = templates
            .iter()
            .filter_map(|f| {
                let rendered = crate::formats::template::rendered_name(&f.source.name)?;
                let file_name = rendered.rsplit('/').next()?;
                Some((
                    (parent_name(&f.source.name), file_name),
                    f.source.name.as_str(),
                ))
            })
            .collect();
        let mut mounts = Vec::new();
        for file in templates {
            let dir = parent_name(&file.source.name);
            for line in file.source.text.lines() {
                let Some(rest) = line.trim_start().strip_prefix("include") else {
                    continue;
                };
                let target = rest.trim().trim_end_matches(';').trim();
                if !target.starts_with('/') || target.contains(['*', '?', '[', '$']) {
                    continue;
                }
                let file_name = target.rsplit('/').next().unwrap_or_default();
                if let Some(source) = by_rendered.get(&(dir, file_name)) {
                    mounts.push((PathBuf::from(target), self.root.join(source)));
                }
            }
        }
        mounts
    }

    /// Parses one file with its format's parser, keeping the model and the syntax errors.
    fn parse(&mut self, file: FileId) {
        let WorkspaceFile { source, kind, .. } = &self.files[file];
        let kind = *kind;
        let errors = match kind {
            FileKind::OdooConf => {
                let conf = odoo_conf::parse(source);
                let errors = conf.errors.clone();
                let secrets = conf
                    .entries()
                    .filter(|(_, e)| crate::secrets::is_secret_key(&e.key));
                self.secrets
                    .extend(secrets.map(|(_, e)| (file, e.value_span)));
                self.odoo_confs.push(ParsedOdooConf { file, conf });
                errors
            }
            FileKind::DotEnv => {
                let env = dotenv::parse(source, &compose::Environment::new());
                let errors = env.errors.clone();
                let secrets = env
                    .entries
                    .iter()
                    .filter(|e| crate::secrets::is_secret_key(&e.key));
                self.secrets
                    .extend(secrets.filter_map(|e| e.value.as_ref().map(|v| (file, v.span))));
                // Lines the parser could not read still hide what follows a secret key's `=`.
                self.secrets.extend(
                    crate::secrets::assignment_values(source)
                        .into_iter()
                        .map(|span| (file, span)),
                );
                self.env_files.push(ParsedEnvFile { file, env });
                errors
            }
            FileKind::Shell => {
                let script = shell::parse(source);
                self.shell_scripts.push(ParsedScript { file, script });
                Vec::new()
            }
            FileKind::GitModules => {
                let parsed = gitmodules::parse(source);
                let errors = parsed.errors.clone();
                self.gitmodules = Some((file, parsed));
                errors
            }
            FileKind::Manifest => {
                let manifest = manifest::parse(source);
                let errors = manifest.errors.clone();
                let mut parts = source.name.rsplitn(3, '/');
                let file_name = parts.next().unwrap_or_default();
                let name = parts.next().unwrap_or_default().to_string();
                let parent = parts.next().unwrap_or_default().to_string();
                let folder = source.name[..source.name.len() - file_name.len()].to_string();
                // Odoo reads `__openerp__.py` only where there is no `__manifest__.py`.
                let newer = format!("{folder}__manifest__.py");
                if file_name == "__openerp__.py" && self.names.contains_key(&newer) {
                    return;
                }
                if !name.is_empty() {
                    self.modules_in
                        .entry(parent.clone())
                        .or_default()
                        .push(self.modules.len());
                    self.modules.push(ParsedModule {
                        file,
                        name,
                        parent,
                        manifest,
                    });
                }
                errors
            }
            _ => Vec::new(),
        };
        self.syntax.extend(
            errors
                .into_iter()
                .map(|error| SyntaxIssue { file, kind, error }),
        );
    }

    /// The modules directly inside a repo folder (`addons/oca/web`), in name order.
    pub fn modules_in(&self, folder: &str) -> impl Iterator<Item = &ParsedModule> {
        self.modules_in
            .get(folder.trim_end_matches('/'))
            .into_iter()
            .flatten()
            .map(|&i| &self.modules[i])
    }

    pub fn file(&self, id: FileId) -> &WorkspaceFile {
        &self.files[id]
    }

    /// Adds a file (the first of a name wins look-ups) and returns its id.
    fn push_file(&mut self, file: WorkspaceFile) -> FileId {
        let id = self.files.len();
        self.names.entry(file.source.name.clone()).or_insert(id);
        self.files.push(file);
        id
    }

    /// The file with this repo-relative name.
    pub fn find(&self, name: &str) -> Option<(FileId, &WorkspaceFile)> {
        let id = *self.names.get(name)?;
        Some((id, &self.files[id]))
    }

    /// A file's text with its credential values replaced by `*` and the characters that would
    /// act on a terminal made visible, for snippets. Every file's shown text is made once, on
    /// the first call, however many findings show it.
    pub fn redacted_text(&self, name: &str) -> Option<&str> {
        let (id, file) = self.find(name)?;
        let redacted = self.redacted.get_or_init(|| {
            let mut by_file: crate::hash::FastHashMap<FileId, Vec<Span>> = Default::default();
            for (file, span) in &self.secrets {
                by_file.entry(*file).or_default().push(*span);
            }
            // Secrets redacted, and what would act on a terminal made visible, both keeping
            // every byte offset.
            self.files
                .iter()
                .enumerate()
                .filter_map(|(id, file)| {
                    let text = file.template.as_ref().unwrap_or(&file.source.text);
                    let spans = by_file.get(&id).map_or(&[][..], Vec::as_slice);
                    let redacted = (!spans.is_empty()).then(|| crate::secrets::redact(text, spans));
                    let base = redacted.as_deref().unwrap_or(text);
                    match crate::report::visible_same_length(base) {
                        std::borrow::Cow::Owned(safe) => Some((id, safe)),
                        std::borrow::Cow::Borrowed(_) => {
                            redacted.or_else(|| file.template.clone()).map(|r| (id, r))
                        }
                    }
                })
                .collect()
        });
        Some(
            redacted
                .get(&id)
                .map_or(file.source.text.as_str(), String::as_str),
        )
    }

    /// Whether a script of the repo (see [`Workspace::scripts`]) holds `text`: a template
    /// line a deploy script replaces (`content.replace("admin_passwd = admin", …)`,
    /// `sed -i 's/admin_passwd = admin/…/'`). Read on demand, for the rare line a rule asks
    /// about.
    pub fn script_holds(&self, text: &str) -> bool {
        self.scripts.iter().any(|name| {
            repo_fs::read_in_repo(&self.root, name).is_some_and(|script| script.contains(text))
        })
    }

    pub fn source(&self, name: &str) -> Option<&SourceFile> {
        self.find(name).map(|(_, f)| &f.source)
    }

    /// Files of one kind, in name order.
    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = (FileId, &WorkspaceFile)> {
        self.files
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.kind == kind)
    }
}

/// The spans of credential values written in a compose file: the value of every mapping
/// entry and `KEY=value` list item whose key names a credential (environment, labels, build
/// args, `x-` blocks alike; `*_FILE` paths excepted). A value that is only a variable reference (`${POSTGRES_PASSWORD}`,
/// `${X:?message}`) holds no secret and stays visible.
fn compose_secret_values(node: &compose::Node, out: &mut Vec<Span>) {
    use compose::Value;
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                let secret_key = entry
                    .key
                    .as_scalar()
                    .is_some_and(|k| is_secret_setting(&k.text));
                match entry.value.as_scalar() {
                    Some(value) if secret_key && !is_reference_only(value, 0) => {
                        out.push(entry.value.loc.written());
                    }
                    _ => compose_secret_values(&entry.value, out),
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                match item.as_scalar() {
                    Some(scalar) => {
                        let Some((key, value)) = scalar.text.split_once('=') else {
                            continue;
                        };
                        let value_at = key.len() + 1;
                        if !is_secret_setting(key)
                            || value.is_empty()
                            || is_reference_only(scalar, value_at)
                        {
                            continue;
                        }
                        let written = item.loc.written();
                        out.push(match scalar.verbatim_at {
                            Some(at) => Span::new(at + value_at, at + scalar.text.len()),
                            None => written,
                        });
                    }
                    None => compose_secret_values(item, out),
                }
            }
        }
        Value::Scalar(_) | Value::Null => {}
    }
}

/// A credential's name, except `*_FILE`, which names the file holding a Docker secret.
fn is_secret_setting(key: &str) -> bool {
    crate::secrets::is_secret_key(key) && !key.to_ascii_uppercase().ends_with("_FILE")
}

/// Whether the scalar's text from byte `from` on is `${NAME}`, `$NAME`, `${NAME:?msg}` or
/// `${NAME?msg}` and nothing else.
fn is_reference_only(scalar: &compose::Scalar, from: usize) -> bool {
    let top: Vec<&compose::VarRef> = scalar
        .refs()
        .iter()
        .filter(|r| r.parent.is_none())
        .collect();
    match (top.as_slice(), scalar.verbatim_at) {
        ([only], Some(at)) => {
            only.range == (at + from..at + scalar.text.len())
                && (only.operator == compose::Operator::Plain || only.operator.is_required())
        }
        _ => false,
    }
}

const HEAD_BYTES: usize = 8192;

fn read_head(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(HEAD_BYTES as u64).read_to_end(&mut head);
    }
    head
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    let size = std::fs::metadata(path)
        .map_err(|e| ReadProblem::Unreadable(e.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(ReadProblem::TooLarge(size));
    }
    std::fs::read(path).map_err(|e| ReadProblem::Unreadable(e.to_string()))
}

/// The directory nginx resolves a file's relative includes against: the directory of
/// nginx.conf. A site file in `conf.d/` or `sites-*/` is included from the directory above.
fn nginx_conf_dir(root: &Path, name: &str) -> PathBuf {
    let path = root.join(name);
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.to_path_buf());
    let is_site_dir = dir
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "conf.d" || n.starts_with("sites-"));
    match (is_site_dir, dir.parent()) {
        (true, Some(parent)) if parent.starts_with(root) => parent.to_path_buf(),
        _ => dir,
    }
}

/// The origin a zone file starts with: its first `$ORIGIN`, else its name without the
/// usual decorations (`insightpulseai.net.zone`, `db.insightpulseai.net`), else the root.
fn zone_origin(source: &SourceFile) -> String {
    let directive = source.text.lines().map(str::trim).find_map(|line| {
        let (keyword, rest) = line.split_once(char::is_whitespace)?;
        keyword
            .eq_ignore_ascii_case("$ORIGIN")
            .then(|| rest.split_whitespace().next().unwrap_or(".").to_string())
    });
    if let Some(origin) = directive {
        return origin;
    }
    let file_name = source.name.rsplit('/').next().unwrap_or(&source.name);
    let stem = file_name
        .trim_end_matches(".zone")
        .trim_end_matches(".db")
        .trim_end_matches(".txt");
    let stem = stem.strip_prefix("db.").unwrap_or(stem);
    if stem.contains('.') {
        stem.to_string()
    } else {
        ".".to_string()
    }
}

/// The directory part of a repo-relative name (empty at the root).
fn parent_name(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Whether any directory of the repo that holds linted files (or the root) has an env file
/// that is not a template (`.env`, `prod.env`, not `.env.example`), ignored or not.
fn real_env_file_on_disk(root: &Path, inputs: &[(String, PathBuf, FileKind, Vec<u8>)]) -> bool {
    const TEMPLATE_ENDINGS: [&str; 5] = [".example", ".sample", ".template", ".dist", ".tpl"];
    let mut dirs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|(_, path, ..)| path.parent().map(Path::to_path_buf))
        .collect();
    dirs.push(root.to_path_buf());
    dirs.sort();
    dirs.dedup();
    dirs.iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .any(|entry| {
            let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
            discover::classify(&name, &[]) == Some(FileKind::DotEnv)
                && !TEMPLATE_ENDINGS.iter().any(|t| name.ends_with(t))
        })
}

/// Whether a compose file's text names one of `services` as a list item or a key below
/// its own services (`depends_on: [odoo]`): it adds services on top of a base that has them.
fn refers_to_any(text: &str, services: &std::collections::BTreeSet<String>) -> bool {
    text.lines().any(|line| {
        let item = line.trim();
        let name = item
            .strip_prefix("- ")
            .or_else(|| {
                item.strip_suffix(':')
                    .filter(|_| line.starts_with("      "))
            })
            .map(|n| n.trim().trim_matches(['"', '\'']));
        name.is_some_and(|n| services.contains(n))
    })
}

/// The service names a compose file defines at the first level of its `services:` map,
/// read from the text: enough to tell an override of a base file from a file of its own.
fn service_names_in(text: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    let mut indent = None;
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.trim_start().starts_with('#') {
            continue;
        }
        let depth = trimmed.len() - trimmed.trim_start().len();
        if depth == 0 {
            inside = trimmed.starts_with("services:");
            continue;
        }
        if !inside {
            continue;
        }
        let level = *indent.get_or_insert(depth);
        if depth == level {
            if let Some(name) = trimmed.trim_start().strip_suffix(':') {
                names.insert(name.trim_matches(['"', '\'']).to_string());
            } else if let Some((name, _)) = trimmed.trim_start().split_once(':') {
                names.insert(name.trim_matches(['"', '\'']).to_string());
            }
        }
    }
    names
}
