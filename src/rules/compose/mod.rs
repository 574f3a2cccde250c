//! `DCK`: Docker Compose projects, judged against the stack's facts.
//!
//! Rules read each project the way `docker compose` run in its directory loads it: the
//! default file and its override merged, interpolated with that directory's `.env`, no
//! profile enabled (Compose specification, "Merge" and "Profiles",
//! <https://docs.docker.com/reference/compose-file/merge/>,
//! <https://docs.docker.com/reference/compose-file/profiles/>). A value merged in from an
//! anchor is reported where it is used, with the anchor as a related location.

mod container_name_unique;
mod depends_on_exists;
mod duplicate_published_port;
mod healthcheck_and_restart;
mod image_pinned;
mod letsencrypt_read_only;
mod odoo_image_series;
mod odoo_runs_as_root;
mod plaintext_secret_in_environment;
mod port_published_past_firewall;
mod postgres_dev_only;
mod required_env_documented;
mod required_services_exist;
mod required_variable_missing;
mod tracked_env_file_with_secret;
mod traefik_labels_consistent;
mod unknown_service_key;
mod variable_not_in_env_example;

pub use container_name_unique::ContainerNameUnique;
pub use depends_on_exists::DependsOnExists;
pub use duplicate_published_port::DuplicatePublishedPort;
pub use healthcheck_and_restart::HealthcheckAndRestart;
pub use image_pinned::ImagePinned;
pub use letsencrypt_read_only::LetsencryptReadOnly;
pub use odoo_image_series::OdooImageSeries;
pub use odoo_runs_as_root::OdooRunsAsRoot;
pub use plaintext_secret_in_environment::PlaintextSecretInEnvironment;
pub use port_published_past_firewall::PortPublishedPastFirewall;
pub use postgres_dev_only::PostgresDevOnly;
pub use required_env_documented::RequiredEnvDocumented;
pub use required_services_exist::RequiredServicesExist;
pub use required_variable_missing::RequiredVariableMissing;
pub use tracked_env_file_with_secret::TrackedEnvFileWithSecret;
pub use traefik_labels_consistent::TraefikLabelsConsistent;
pub use unknown_service_key::UnknownServiceKey;
pub use variable_not_in_env_example::VariableNotInEnvExample;

use std::collections::BTreeSet;

use crate::finding::{Finding, Location};
use crate::formats::compose::{
    FileId, FileRole, Loc, Node, Project, ProjectFile, Service, Value, VarRef,
};
use crate::formats::dotenv::DotEnv;
use crate::policy::ComposePolicy;
use crate::rule::{Context, RuleMeta};
use crate::source::Span;

/// Every compose project of the workspace that has a compose file.
pub(crate) fn projects<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a Project> + 'a {
    cx.workspace
        .compose
        .iter()
        .filter(|p| p.compose_files().next().is_some())
}

/// The projects that run the stack: the one made of the facts' `compose.files` when they
/// list some; else those defining at least one of the services the facts require, or every
/// project when none does (the services may all have been renamed). A project that another
/// one includes is not a candidate on its own.
pub(crate) fn stack_projects<'a>(cx: &'a Context<'_>) -> Vec<&'a Project> {
    if let Some(first) = cx.stack.compose.files.first() {
        let first = first.trim_start_matches("./");
        return projects(cx)
            .filter(|p| base_file(p).is_some_and(|(_, f)| f.source.name == first))
            .collect();
    }
    let required = &cx.stack.compose.services;
    // A directory another project pulls in with `include` is part of that project.
    let included: BTreeSet<&str> = projects(cx)
        .flat_map(|p| p.files.iter())
        .filter(|f| f.role == FileRole::Included && f.compose.is_some())
        .map(|f| f.source.name.as_str())
        .collect();
    let standalone = || {
        projects(cx).filter(|p| {
            base_file(p).is_none_or(|(_, f)| !included.contains(f.source.name.as_str()))
        })
    };
    let defining: Vec<&Project> = standalone()
        .filter(|p| required.iter().any(|r| p.model.service(r).is_some()))
        .collect();
    if defining.is_empty() {
        standalone().collect()
    } else {
        defining
    }
}

/// Whether every compose file of the project could be read, so that a missing service or
/// variable is really missing and not lost to a syntax error (SYN003 reports those).
pub(crate) fn fully_read(project: &Project) -> bool {
    project.root.is_some()
        && project
            .compose_files()
            .all(|(_, f)| f.compose.as_ref().is_some_and(|c| c.root.is_some()))
}

/// The repo-relative name of a project file.
pub(crate) fn file_name(project: &Project, file: FileId) -> String {
    project
        .source(file)
        .map_or_else(String::new, |s| s.name.clone())
}

/// A place in a project file.
pub(crate) fn at(project: &Project, file: FileId, span: Span) -> Location {
    Location::new(file_name(project, file), span)
}

/// A finding about a value of the model: at its use site, with the anchor it was written
/// in as a related location when it came through `<<` or an alias.
pub(crate) fn finding(
    meta: &'static RuleMeta,
    project: &Project,
    loc: Loc,
    message: impl Into<String>,
) -> Finding {
    let finding = Finding::new(meta, at(project, loc.file, loc.span), message);
    match loc.defined {
        Some(defined) if defined != loc.span => finding.related(
            at(project, loc.file, defined),
            "written here, in the anchor merged in at the finding's location",
        ),
        _ => finding,
    }
}

/// The project's first compose file: the base file, and its project directory.
pub(crate) fn base_file(project: &Project) -> Option<(FileId, &ProjectFile)> {
    project.compose_files().next()
}

/// Where findings about the whole project point: the base file's top-level `services:` key,
/// or its first byte.
pub(crate) fn services_key(project: &Project) -> Location {
    let Some((id, file)) = base_file(project) else {
        return Location::new(String::new(), Span::at(0));
    };
    let span = file
        .compose
        .as_ref()
        .and_then(|c| c.root.as_ref())
        .and_then(|root| root.entry("services"))
        .map_or(Span::at(0), |e| e.key.span());
    at(project, id, span)
}

/// The project's compose files, `a + b`, for messages.
pub(crate) fn describe(project: &Project) -> String {
    project
        .compose_files()
        .map(|(_, f)| f.source.name.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The repo-relative directory of the project (`deploy`, or `` at the root).
pub(crate) fn project_dir(project: &Project) -> String {
    base_file(project)
        .and_then(|(_, f)| f.source.name.rsplit_once('/').map(|(d, _)| d.to_owned()))
        .unwrap_or_default()
}

/// `network_mode: host`: the container shares the host's network, so `ports:` publishes
/// nothing (Compose Specification, "network_mode").
pub(crate) fn uses_host_network(service: &Service) -> bool {
    service
        .network_mode
        .as_ref()
        .is_some_and(|m| m.value == "host")
}

/// Whether a service runs only in development: under development profiles only
/// (`profiles: [dev]`), or defined only in a development override file.
pub(crate) fn is_dev_only(project: &Project, service: &Service, policy: &ComposePolicy) -> bool {
    let by_profile = !service.profiles.is_empty()
        && service
            .profiles
            .iter()
            .all(|p| policy.dev_profiles.iter().any(|d| d == &p.value));
    let defined_in = file_name(project, service.key.file);
    by_profile || is_dev_file(&defined_in, &policy.dev_file_words)
}

/// Whether a compose file is a development override: a word of its name (split on `.`,
/// `-` and `_`) is one of `words` (`docker-compose.override.yml`, `compose.dev.yaml`).
pub(crate) fn is_dev_file(name: &str, words: &[String]) -> bool {
    let file_name = name.rsplit('/').next().unwrap_or(name);
    file_name
        .split(['.', '-', '_'])
        .any(|part| words.iter().any(|w| w.eq_ignore_ascii_case(part)))
}

/// The env file documenting the project's variables: the first of the policy's example
/// names next to the base compose file, else at the repo root.
pub(crate) fn env_example<'a>(
    cx: &'a Context<'_>,
    project: &Project,
) -> Option<(&'a str, &'a DotEnv)> {
    let dir = project_dir(project);
    let mut candidates = Vec::new();
    for base in [dir.as_str(), ""] {
        for name in &cx.policy.compose.env_example_files {
            let full = if base.is_empty() {
                name.clone()
            } else {
                format!("{base}/{name}")
            };
            if !candidates.contains(&full) {
                candidates.push(full);
            }
        }
    }
    candidates.iter().find_map(|name| {
        cx.workspace.env_files.iter().find_map(|parsed| {
            let source = &cx.workspace.file(parsed.file).source;
            (source.name == *name).then_some((source.name.as_str(), &parsed.env))
        })
    })
}

/// Every env template that documents the project's variables: besides the policy's names,
/// the per-environment templates beside the base compose file or at the repo root
/// (`.env.prod.example`, `.env.production.example`, `prod.env.example`), which the compose
/// files of that environment read. The policy's own file comes first.
pub(crate) fn env_templates<'a>(
    cx: &'a Context<'_>,
    project: &Project,
) -> Vec<(&'a str, &'a DotEnv)> {
    let dir = project_dir(project);
    let mut found: Vec<(&'a str, &'a DotEnv)> = env_example(cx, project).into_iter().collect();
    for parsed in &cx.workspace.env_files {
        let name = cx.workspace.file(parsed.file).source.name.as_str();
        let (parent, file) = name.rsplit_once('/').unwrap_or(("", name));
        let template = cx
            .policy
            .compose
            .env_template_suffixes
            .iter()
            .any(|suffix| file.ends_with(suffix.as_str()));
        let env_named = file.starts_with(".env") || file.contains(".env.");
        if template
            && env_named
            && (parent == dir || parent.is_empty())
            && !found.iter().any(|(n, _)| *n == name)
        {
            found.push((name, &parsed.env));
        }
    }
    found
}

/// The variables an env file documents: its keys, and keys of commented-out assignments
/// (`# ODOO_DB_PORT=25060`), the usual way to list an optional variable.
pub(crate) fn documented_variables(env: &DotEnv) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = env.entries.iter().map(|e| e.key.clone()).collect();
    for comment in &env.comments {
        let text = comment.text.trim_start_matches('#').trim();
        let text = text.strip_prefix("export ").unwrap_or(text).trim_start();
        let Some((name, _)) = text.split_once('=') else {
            continue;
        };
        let is_name = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if is_name {
            names.insert(name.to_owned());
        }
    }
    names
}

/// Every `${VAR}` / `$VAR` written in the project's own compose files (not those of included
/// projects, which read their own `.env`), once each, in file order. Nested references
/// (`B` in `${A:-${B}}`) are included.
pub(crate) fn variable_references(project: &Project) -> Vec<(FileId, &VarRef)> {
    let mut refs = Vec::new();
    for (id, file) in project.files.iter().enumerate() {
        if !matches!(file.role, FileRole::Compose | FileRole::Extended) {
            continue;
        }
        if let Some(root) = file.compose.as_ref().and_then(|c| c.root.as_ref()) {
            collect_refs(root, FileId(id as u32), &mut refs);
        }
    }
    let mut seen = BTreeSet::new();
    refs.retain(|(file, r)| seen.insert((*file, r.range.start, r.range.end, r.name.clone())));
    refs.sort_by_key(|(file, r)| (*file, r.range.start, r.range.end));
    refs
}

fn collect_refs<'a>(node: &'a Node, file: FileId, out: &mut Vec<(FileId, &'a VarRef)>) {
    match &node.value {
        Value::Scalar(scalar) => out.extend(scalar.refs().iter().map(|r| (file, r))),
        Value::Seq(items) => items.iter().for_each(|i| collect_refs(i, file, out)),
        Value::Map(entries) => entries
            .iter()
            .for_each(|e| collect_refs(&e.value, file, out)),
        Value::Null => {}
    }
}

/// A list of names for a message: `a`, `b` and `c`.
pub(crate) fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_files_are_told_by_a_word_of_their_name() {
        let words: Vec<String> = ["override", "dev", "local"].map(String::from).to_vec();
        assert!(is_dev_file("deploy/docker-compose.override.yml", &words));
        assert!(is_dev_file("compose.dev.yaml", &words));
        assert!(is_dev_file("docker-compose-local.yml", &words));
        assert!(!is_dev_file("deploy/docker-compose.yml", &words));
        assert!(!is_dev_file("devops/docker-compose.prod.yml", &words));
        assert!(!is_dev_file("docker-compose.devops.yml", &words));
    }

    #[test]
    fn commented_assignments_document_a_variable() {
        let file = crate::source::SourceFile::from_text(
            ".env.example",
            "# Copy to .env\nPOSTGRES_PASSWORD=<password>\n# ODOO_DB_PORT=25060\n#export ODOO_TAG=18.0\n# see https://x.example/?a=b\n",
        );
        let env =
            crate::formats::dotenv::parse(&file, &crate::formats::compose::Environment::new());
        let names: Vec<String> = documented_variables(&env).into_iter().collect();
        assert_eq!(names, ["ODOO_DB_PORT", "ODOO_TAG", "POSTGRES_PASSWORD"]);
    }
}
