use super::{scripts, ScriptFile};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::Project;
use crate::formats::shell::{Command, Word};
use crate::hash::{FastHashMap, FastHashSet};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::compose::fully_read;

declare_rule! {
    /// ## What it does
    /// Checks that `docker compose exec|run SERVICE` (and `docker-compose`) and
    /// `docker exec CONTAINER` in a script name a service or container that the compose
    /// project they drive defines. When the command's `-f` files resolve to compose files
    /// of the repo (from the repo root or the script's folder, after a relative `cd`), that
    /// project must define the service. When ipai cannot tell which project the command
    /// drives (no `-f`, a `cd` on the server), it fires only when no compose project of the
    /// repo defines the name and one defines a name close to it (`odoo_prod` for
    /// `odoo-prod`). A container the script starts itself (`docker run --name X`) counts.
    ///
    /// ## Why is this bad?
    /// `docker compose exec` fails with "service … is not running" or "no such service",
    /// and `docker exec` with "No such container": the module update, backup or migration
    /// the script exists for does not happen. In a script without `set -e` the next steps
    /// run anyway and the deploy reports success.
    ///
    /// ## Example
    /// ```bash
    /// docker compose -f deploy/docker-compose.yml exec odoo odoo -d odoo -u all --stop-after-init
    /// ```
    /// where deploy/docker-compose.yml defines `odoo-prod` and `odoo-staging`.
    ///
    /// ## Fix
    /// Name the service the project defines:
    /// ```bash
    /// docker compose -f deploy/docker-compose.yml exec odoo-prod odoo -d odoo -u all --stop-after-init
    /// ```
    ///
    /// ## Source
    /// Docker, "docker compose exec" and "docker compose run" (`SERVICE` is a service of the
    /// project, <https://docs.docker.com/reference/cli/docker/compose/exec/>); "docker
    /// container exec" (<https://docs.docker.com/reference/cli/docker/container/exec/>);
    /// Compose Specification, "container_name"
    /// (<https://docs.docker.com/reference/compose-file/services/#container_name>).
    pub struct ExecTargetIsComposeService {
        code: "STK022",
        name: "exec-target-is-compose-service",
        severity: Error,
    }
}

impl Rule for ExecTargetIsComposeService {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let projects: Vec<&Project> = crate::rules::compose::projects(cx).collect();
        if cx.workspace.shell_scripts.is_empty() || projects.is_empty() {
            return;
        }
        let all_read = projects.iter().all(|p| fully_read(p));
        // Each compose file of the repo, with the projects that read it.
        let mut by_file: FastHashMap<&str, Vec<usize>> = FastHashMap::default();
        for (i, project) in projects.iter().enumerate() {
            for (_, file) in project.compose_files() {
                by_file
                    .entry(file.source.name.as_str())
                    .or_default()
                    .push(i);
            }
        }
        let mut service_names: Vec<&str> = Vec::new();
        let mut container_names: Vec<&str> = Vec::new();
        for project in &projects {
            for service in &project.model.services {
                service_names.push(&service.name);
                if let Some(name) = &service.container_name {
                    container_names.push(&name.value);
                }
            }
        }
        let services: FastHashSet<&str> = service_names.iter().copied().collect();
        let containers: FastHashSet<&str> = container_names.iter().copied().collect();
        for file in scripts(cx) {
            let started = started_containers(&file);
            for command in &file.script.commands {
                if let Some(call) = command.compose() {
                    let Some(service) = call.service else {
                        continue;
                    };
                    if service.value.contains(['{', '<']) {
                        continue;
                    }
                    let resolved = resolve_files(&file, command, &call.files, &by_file);
                    match resolved {
                        Some(indices) => {
                            let defines = indices
                                .iter()
                                .any(|&i| projects[i].model.service(&service.value).is_some());
                            if defines || !indices.iter().all(|&i| fully_read(projects[i])) {
                                continue;
                            }
                            let names: Vec<&str> = indices
                                .iter()
                                .flat_map(|&i| projects[i].model.services.iter())
                                .map(|s| s.name.as_str())
                                .collect();
                            let files: Vec<&str> =
                                call.files.iter().map(|w| w.value.as_str()).collect();
                            findings.push(report(
                                &file,
                                service,
                                format!(
                                    "`{}` is not a service of the compose project of {}: `{}` fails with \"no such service\"",
                                    service.value,
                                    files.join(" and "),
                                    call.subcommand.map_or("exec", |w| w.value.as_str())
                                ),
                                crate::suggest::closest(&service.value, names.iter().copied()),
                                &names,
                            ));
                        }
                        None => {
                            if !all_read || services.contains(service.value.as_str()) {
                                continue;
                            }
                            let Some(close) = crate::suggest::closest(
                                &service.value,
                                service_names.iter().copied(),
                            ) else {
                                continue;
                            };
                            findings.push(report(
                                &file,
                                service,
                                format!(
                                    "no compose project of the repo defines a service `{}`: `{}` fails with \"no such service\"",
                                    service.value,
                                    call.subcommand.map_or("exec", |w| w.value.as_str())
                                ),
                                Some(close),
                                &[],
                            ));
                        }
                    }
                } else if let Some(exec) = command.docker_exec() {
                    let name = exec.container.value.as_str();
                    let known = containers.contains(name)
                        || services.contains(name)
                        || started.contains(name)
                        // Compose's own names: `<project>-<service>-1`, `<project>_<service>_1`.
                        || names_a_service(name, &services)
                        || name.contains(['{', '<', '$']);
                    if known || !all_read {
                        continue;
                    }
                    let candidates = container_names.iter().chain(&service_names).copied();
                    let Some(close) = crate::suggest::closest(name, candidates) else {
                        continue;
                    };
                    findings.push(report(
                        &file,
                        exec.container,
                        format!(
                            "no compose service of the repo runs a container named `{name}`: `docker exec` fails with \"No such container\""
                        ),
                        Some(close),
                        &[],
                    ));
                }
            }
        }
    }
}

fn report(
    file: &ScriptFile<'_>,
    word: &Word,
    message: String,
    close: Option<&str>,
    names: &[&str],
) -> Finding {
    let help = match close {
        Some(close) => format!("did you mean `{close}`?"),
        None if !names.is_empty() => format!("the project defines {}", quoted_list(names)),
        None => "name a service the compose project defines".to_string(),
    };
    Finding::new(
        &ExecTargetIsComposeService::META,
        file.at(word.span),
        message,
    )
    .help(help)
}

fn quoted_list(names: &[&str]) -> String {
    let mut names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    names.sort();
    names.dedup();
    names.join(", ")
}

/// The projects (indices) whose compose files a command's `-f` files are, resolved from
/// the repo root and from the script's folder (after a relative `cd`); `None` when the
/// command names no files, runs over `ssh`, or a file does not resolve from one folder.
fn resolve_files(
    file: &ScriptFile<'_>,
    command: &Command,
    files: &[&Word],
    by_file: &FastHashMap<&str, Vec<usize>>,
) -> Option<Vec<usize>> {
    if files.is_empty()
        || !file.runs_locally(command)
        || files
            .iter()
            .any(|f| f.dynamic || f.value.starts_with('/') || f.value == "-")
    {
        return None;
    }
    let script_dir = file.name.rsplit_once('/').map_or("", |(dir, _)| dir);
    let cd = command
        .cwd
        .map(|i| &file.script.commands[i])
        .and_then(Command::cd_dir);
    let bases: Vec<String> = match cd {
        None => vec![String::new(), script_dir.to_string()],
        Some(dir) if dir.dynamic || dir.value.starts_with('/') || dir.value.starts_with('~') => {
            return None
        }
        Some(dir) => [String::new(), script_dir.to_string()]
            .iter()
            .filter_map(|base| crate::workspace::join_in_repo(base, &dir.value))
            .collect(),
    };
    bases.iter().find_map(|base| {
        let mut indices = Vec::new();
        for f in files {
            let name = crate::workspace::join_in_repo(base, &f.value)?;
            indices.extend(by_file.get(name.as_str())?.iter().copied());
        }
        indices.sort_unstable();
        indices.dedup();
        Some(indices)
    })
}

/// Whether a run of the name's `-`/`_`-separated parts is a service name (the looked-up
/// runs are bounded by the name's length, not by the number of services).
fn names_a_service(name: &str, services: &FastHashSet<&str>) -> bool {
    let cuts: Vec<usize> = std::iter::once(0)
        .chain(
            name.char_indices()
                .filter(|(_, c)| matches!(c, '-' | '_'))
                .map(|(i, _)| i),
        )
        .take(16)
        .collect();
    cuts.iter().enumerate().any(|(n, &start)| {
        let start = if n == 0 { 0 } else { start + 1 };
        cuts[n + 1..]
            .iter()
            .copied()
            .chain(std::iter::once(name.len()))
            .any(|end| start < end && services.contains(&name[start..end]))
    })
}

/// The containers a script starts under a name of its own (`docker run --name X`,
/// `docker create --name=X`).
fn started_containers<'a>(file: &ScriptFile<'a>) -> FastHashSet<&'a str> {
    let mut names = FastHashSet::default();
    for command in &file.script.commands {
        let starts = command.program() == "docker"
            && command
                .words
                .get(1)
                .is_some_and(|w| matches!(w.value.as_str(), "run" | "create" | "container"));
        if !starts {
            continue;
        }
        for (i, word) in command.words.iter().enumerate() {
            if word.value == "--name" {
                if let Some(next) = command.words.get(i + 1) {
                    names.insert(next.value.as_str());
                }
            } else if let Some(name) = word.value.strip_prefix("--name=") {
                names.insert(name);
            }
        }
    }
    names
}
