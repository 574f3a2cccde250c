//! Evidence from how a repo lays its files out beside each other: an alternative Odoo
//! stack beside the one named production, a vhost file that competes with the file named
//! after its site, a proxy that fronts another application, a stack whose proxy serves
//! only `localhost`, and a folder whose README says it is for local development.
//!
//! Each pass only moves files nothing else has marked ([`UNMARKED`]), and each is linear in
//! the number of files, services or servers.

use super::{is_odoo_service, is_proxy_service, FileEnvironment, FileScope, UNMARKED};
use crate::discover::FileKind;
use crate::formats::compose::Project;
use crate::hash::{FastHashMap, FastHashSet};
use crate::workspace::{FileId, Workspace};

fn parent(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn base(name: &str) -> &str {
    name.rsplit_once('/').map_or(name, |(_, b)| b)
}

/// `simple` of `docker-compose.simple.yml`, `bundle` of `compose.bundle.yaml`.
fn variant_word(name: &str) -> Option<&str> {
    let stem = base(name)
        .strip_suffix(".yml")
        .or_else(|| base(name).strip_suffix(".yaml"))?;
    stem.strip_prefix("docker-compose.")
        .or_else(|| stem.strip_prefix("compose."))
        .filter(|w| !w.is_empty())
}

/// A standalone compose project that runs Odoo, in a folder where another compose file is
/// production by its name (`docker-compose.production.yml`), is an alternative layout of
/// the stack (`docker-compose.simple.yml`, `docker-compose.oca.yml`): the repo names the
/// file it deploys, and this is not it. The default file (`docker-compose.yml`) stays: a
/// production file is often run on top of it.
pub(super) fn alternative_stacks(workspace: &Workspace, files: &mut [FileScope]) {
    let mut production_by_dir: FastHashMap<&str, &str> = FastHashMap::default();
    for (id, file) in workspace.files.iter().enumerate() {
        if file.kind == FileKind::Compose
            && files[id].environment == FileEnvironment::Production
            && files[id].evidence != UNMARKED
        {
            production_by_dir
                .entry(parent(&file.source.name))
                .or_insert(file.source.name.as_str());
        }
    }
    if production_by_dir.is_empty() {
        return;
    }
    for project in &workspace.compose {
        let mut compose_files = project.compose_files();
        let (Some((_, only)), None) = (compose_files.next(), compose_files.next()) else {
            continue;
        };
        let name = only.source.name.as_str();
        let Some(word) = variant_word(name) else {
            continue;
        };
        let Some((id, _)) = workspace.find(name) else {
            continue;
        };
        let Some(production) = production_by_dir.get(parent(name)) else {
            continue;
        };
        if files[id].evidence != UNMARKED
            || *production == name
            || !project.model.services.iter().any(is_odoo_service)
        {
            continue;
        }
        files[id] = FileScope {
            environment: FileEnvironment::Development,
            evidence: format!(
                "an alternative Odoo stack (`{word}`) beside `{production}`, which its name marks as the production one"
            ),
        };
    }
}

/// A compose project with no Odoo service whose reverse proxies all wait on services of
/// their own project (`depends_on: [ai-hub]`) and mount no repo file that speaks of Odoo
/// fronts another application.
pub(super) fn proxies_of_other_apps(workspace: &Workspace, files: &mut [FileScope]) {
    // The repo files that speak of Odoo, sorted by name, found once: a mounted folder's
    // files are then one range of it.
    let mut speaking: Option<Vec<&str>> = None;
    for project in &workspace.compose {
        let services = &project.model.services;
        if services.iter().any(is_odoo_service) {
            continue;
        }
        let proxies: Vec<_> = services.iter().filter(|s| is_proxy_service(s)).collect();
        let fronted: Vec<&str> = proxies
            .iter()
            .flat_map(|p| p.depends_on.iter().map(|d| d.service.value.as_str()))
            .collect();
        // A dependency on a service this project lacks (an overlay's `depends_on: [odoo]`)
        // may be Odoo.
        let own = |name: &str| services.iter().any(|s| s.name == name);
        if proxies.is_empty()
            || proxies.iter().any(|p| p.depends_on.is_empty())
            || !fronted.iter().all(|name| own(name))
            || proxies.iter().any(|p| {
                let speaking = speaking.get_or_insert_with(|| {
                    let mut names: Vec<&str> = workspace
                        .files
                        .iter()
                        .filter(|f| speaks_of_odoo(&f.source.text))
                        .map(|f| f.source.name.as_str())
                        .collect();
                    names.sort_unstable();
                    names
                });
                mounts_odoo_config(speaking, project, p)
            })
        {
            continue;
        }
        for (_, file) in project.compose_files() {
            let Some((id, _)) = workspace.find(&file.source.name) else {
                continue;
            };
            if files[id].evidence != UNMARKED {
                continue;
            }
            files[id] = FileScope {
                environment: FileEnvironment::NotStack,
                evidence: format!(
                    "another application: its compose project runs no Odoo, and its proxy fronts `{}`",
                    fronted.join("`, `")
                ),
            };
        }
    }
}

/// Whether a proxy bind-mounts a repo file or folder whose nginx or other text names Odoo
/// or its ports (`speaking`: those files, sorted by name).
fn mounts_odoo_config(
    speaking: &[&str],
    project: &Project,
    proxy: &crate::formats::compose::Service,
) -> bool {
    let Some((_, first)) = project.compose_files().next() else {
        return false;
    };
    let dir = parent(&first.source.name);
    proxy.volumes.iter().any(|mount| {
        let Some(source) = mount.source.as_ref() else {
            return false;
        };
        let Some(path) = super::repo_path(dir, &source.value) else {
            return false;
        };
        // The file itself, or the first name at or after `path/` being below it.
        let folder = format!("{path}/");
        let start = speaking.partition_point(|name| *name < folder.as_str());
        speaking.binary_search(&path.as_str()).is_ok()
            || speaking
                .get(start)
                .is_some_and(|name| name.starts_with(&folder))
    })
}

fn speaks_of_odoo(text: &str) -> bool {
    text.contains("8069") || text.contains("8072") || text.to_ascii_lowercase().contains("odoo")
}

/// The port of a `listen` address: `443`, `[::]:443`, `0.0.0.0:80`, `80`.
fn listen_port(address: &str) -> Option<u16> {
    let port = match address.rsplit_once(':') {
        Some((_, port)) if !address.ends_with(']') => port,
        Some(_) => return Some(80),
        None if address.contains('.') || address.starts_with("unix") => return Some(80),
        None => address,
    };
    port.parse().ok()
}

/// Every (server name, port) the servers of one nginx configuration answer.
fn served(config: &crate::formats::nginx::Config) -> Vec<(String, u16)> {
    let mut keys = Vec::new();
    config.walk(|visit| {
        let directive = visit.directive;
        if !directive.is("server") || !visit.ancestors.iter().all(|a| a.is("http")) {
            return;
        }
        let children = config.children(directive);
        let mut names = Vec::new();
        let mut ports = Vec::new();
        for child in children {
            if child.is("server_name") {
                names.extend(child.args.iter().map(|w| w.as_str().to_ascii_lowercase()));
            } else if child.is("listen") {
                ports.extend(child.arg(0).and_then(listen_port));
            }
        }
        if ports.is_empty() {
            ports.push(80);
        }
        for name in names {
            for &port in &ports {
                keys.push((name.clone(), port));
            }
        }
    });
    keys
}

/// An nginx file whose every server name and port a file of another folder also serves,
/// that other file being named after the site (`erp.example.com.conf`, as in Debian's
/// `sites-available/`), is an alternative version of that site kept apart from the site
/// files: nginx would keep one of the two, and the site's own file is the one deployed.
/// Two files of one folder may both be enabled, so both are judged.
pub(super) fn alternative_vhosts(workspace: &Workspace, files: &mut [FileScope]) {
    let mut per_file: Vec<(FileId, Vec<(String, u16)>)> = Vec::new();
    for config in &workspace.nginx {
        let Some((id, file)) = workspace.find(&config.root().source.name) else {
            continue;
        };
        if file.kind != FileKind::Nginx || files[id].evidence != UNMARKED {
            continue;
        }
        let keys = served(config);
        if !keys.is_empty() {
            per_file.push((id, keys));
        }
    }
    let site_name = |id: FileId| -> String {
        let name = base(&workspace.files[id].source.name);
        name.strip_suffix(".conf")
            .unwrap_or(name)
            .to_ascii_lowercase()
    };
    // (name, port) → the file named after that name serving it.
    let mut site_files: FastHashMap<(&str, u16), FileId> = FastHashMap::default();
    for (id, keys) in &per_file {
        let own = site_name(*id);
        for (name, port) in keys {
            if *name == own {
                site_files.entry((name.as_str(), *port)).or_insert(*id);
            }
        }
    }
    let mut moved: Vec<(FileId, FileScope)> = Vec::new();
    for (id, keys) in &per_file {
        let own = site_name(*id);
        let names: FastHashSet<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
        if names.contains(own.as_str())
            || names
                .iter()
                .any(|n| n.contains(['*', '~', '$']) || *n == "_")
        {
            continue;
        }
        let mut witness = None;
        let all_served = keys.iter().all(|(name, port)| {
            site_files
                .get(&(name.as_str(), *port))
                .filter(|other| {
                    parent(&workspace.files[**other].source.name)
                        != parent(&workspace.files[*id].source.name)
                })
                .inspect(|other| {
                    witness.get_or_insert(**other);
                })
                .is_some()
        });
        let Some(witness) = witness.filter(|_| all_served) else {
            continue;
        };
        let mut shown: Vec<&str> = names.into_iter().collect();
        shown.sort_unstable();
        moved.push((
            *id,
            FileScope {
                environment: FileEnvironment::NotStack,
                evidence: format!(
                    "an alternative version of `{}`, the file named after the site: it serves the same names and ports ({}), and nginx keeps only one",
                    workspace.files[witness].source.name,
                    shown.join(", ")
                ),
            },
        ));
    }
    for (id, scope) in moved {
        files[id] = scope;
    }
}

/// Phrases by which a folder's README says the folder is not what is deployed.
const DEVELOPMENT_PHRASES: [&str; 6] = [
    "for local development",
    "local development only",
    "for development only",
    "not for production",
    "not intended for production",
    "never in production",
];

/// Words by which a README sentence speaks of the folder itself.
const SELF_REFERENCES: [&str; 4] = ["this directory", "this folder", "this setup", "this stack"];

/// An unmarked compose file below a folder (not the repo's root) whose README.md says, in
/// one sentence, that this folder is for local development is development, and so is what
/// only it mounts.
pub(super) fn readme_declared(workspace: &Workspace, files: &mut [FileScope]) {
    let mut verdicts: FastHashMap<&str, Option<String>> = FastHashMap::default();
    for (id, file) in workspace.files.iter().enumerate() {
        if file.kind != FileKind::Compose || files[id].evidence != UNMARKED {
            continue;
        }
        let mut dir = parent(&file.source.name);
        while !dir.is_empty() {
            let verdict = verdicts
                .entry(dir)
                .or_insert_with(|| readme_sentence(workspace, dir));
            if let Some(evidence) = verdict {
                files[id] = FileScope {
                    environment: FileEnvironment::Development,
                    evidence: evidence.clone(),
                };
                break;
            }
            dir = parent(dir);
        }
    }
}

/// The README sentence of `dir` that declares it for development, as evidence.
fn readme_sentence(workspace: &Workspace, dir: &str) -> Option<String> {
    let text = crate::workspace::read_in_repo(&workspace.root, &format!("{dir}/README.md"))?;
    let lower = text.to_ascii_lowercase();
    lower
        .split(['.', '\n'])
        .find(|sentence| {
            DEVELOPMENT_PHRASES.iter().any(|p| sentence.contains(p))
                && (SELF_REFERENCES.iter().any(|r| sentence.contains(r))
                    || sentence.contains(&format!("`{}/`", base(dir))))
        })
        .map(|sentence| {
            let sentence: String = sentence.trim().chars().take(120).collect();
            format!("{dir}/README.md says: \"{sentence}\"")
        })
}

/// A compose project whose reverse proxies serve only local names (`localhost`,
/// `*.localhost`, the loopback addresses) in the nginx files they mount is a stack run on a
/// developer's machine: no client on the internet reaches it by those names.
pub(super) fn localhost_stacks(workspace: &Workspace, files: &mut [FileScope]) {
    // nginx configurations by their root file's name, sorted: a mounted folder's files are
    // one range of it.
    let mut configs: Vec<(&str, &crate::formats::nginx::Config)> = workspace
        .nginx
        .iter()
        .map(|c| (c.root().source.name.as_str(), c))
        .collect();
    if configs.is_empty() {
        return;
    }
    configs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for project in &workspace.compose {
        let compose: Vec<FileId> = project
            .compose_files()
            .filter_map(|(_, f)| workspace.find(&f.source.name).map(|(id, _)| id))
            .collect();
        if compose.is_empty()
            || !compose
                .iter()
                .all(|&id| files[id].evidence == UNMARKED && files[id].environment.is_deployed())
        {
            continue;
        }
        let Some((_, first)) = project.compose_files().next() else {
            continue;
        };
        let dir = parent(&first.source.name);
        let mut names: Vec<String> = Vec::new();
        let mut witness = None;
        for proxy in project
            .model
            .services
            .iter()
            .filter(|s| is_proxy_service(s))
        {
            for mount in &proxy.volumes {
                let Some(source) = mount.source.as_ref().filter(|s| !s.unresolved) else {
                    continue;
                };
                let Some(path) = super::repo_path(dir, &source.value).filter(|p| !p.is_empty())
                else {
                    continue;
                };
                let folder = format!("{path}/");
                let start = configs.partition_point(|(name, _)| *name < path.as_str());
                for (name, config) in &configs[start..] {
                    if *name != path && !name.starts_with(&folder) {
                        break;
                    }
                    names.extend(served(config).into_iter().map(|(n, _)| n));
                    witness.get_or_insert(*name);
                }
            }
        }
        let (Some(witness), false) = (witness, names.is_empty()) else {
            continue;
        };
        if !names.iter().all(|n| is_local_name(n)) {
            continue;
        }
        for id in compose {
            files[id] = FileScope {
                environment: FileEnvironment::Development,
                evidence: format!(
                    "its proxy serves only local names (`{}` in `{witness}`): a stack run on a developer's machine",
                    names[0]
                ),
            };
        }
    }
}

/// `localhost`, a name below it, or a loopback address.
fn is_local_name(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name == "127.0.0.1"
        || name == "[::1]"
        || name == "::1"
}
