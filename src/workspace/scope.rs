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
        _ => return None,
    })
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
/// names it.
pub fn is_odoo_service(service: &Service) -> bool {
    let image = service.image.as_ref().map_or("", |i| i.name.value.as_str());
    let context = service
        .build
        .as_ref()
        .and_then(|b| b.context.as_ref())
        .map_or("", |c| c.value.as_str());
    [image, service.name.as_str(), context]
        .iter()
        .any(|text| text.to_ascii_lowercase().contains("odoo"))
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
    use super::{by_path, FileEnvironment::*};

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
    }
}
