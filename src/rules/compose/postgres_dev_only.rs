use super::{at, is_dev_file, stack_projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::{Node, Value};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that production never runs the services the stack facts mark development-only.
    /// Those are `compose.dev_only` (for the snapshot, `postgres`); each may be defined only
    /// under development profiles (`profiles: [dev]`; the names are the policy's
    /// `compose.dev_profiles`), or in a development override file, one with a word such as
    /// `override`, `dev` or `local` in its name (`docker-compose.override.yml`,
    /// `compose.dev.yaml`; the policy's `compose.dev_file_words`). Each compose file of the
    /// stack's project is judged on its own, so a base file that runs the service without a
    /// profile is reported even when an override adds one.
    ///
    /// ## Why is this bad?
    /// Production uses DigitalOcean Managed PostgreSQL. A `postgres` container started on the
    /// droplet by a plain `docker compose up` takes memory from Odoo, and an Odoo pointed at
    /// it by mistake writes production data into a container volume nobody backs up.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   postgres:
    ///     image: postgres:16-alpine
    ///     ports: ["5432:5432"]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   postgres:
    ///     image: postgres:16-alpine
    ///     profiles: [dev]      # started only by `docker compose --profile dev up`
    /// ```
    /// or move the service to `docker-compose.override.yml` / `compose.dev.yaml`.
    ///
    /// ## Source
    /// Compose Specification, "Profiles" ("Services without a profiles attribute are always
    /// enabled", <https://docs.docker.com/reference/compose-file/profiles/>); Docker docs,
    /// "Merge Compose files" (the override file is read by default,
    /// <https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §3 ("postgres (Development only)").
    pub struct PostgresDevOnly {
        code: "DCK002",
        name: "postgres-dev-only",
        severity: Error,
    }
}

impl Rule for PostgresDevOnly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let policy = &cx.policy.compose;
        for project in stack_projects(cx) {
            for (id, file) in project.compose_files() {
                if is_dev_file(&file.source.name, &policy.dev_file_words) {
                    continue;
                }
                let Some(services) = file
                    .compose
                    .as_ref()
                    .and_then(|c| c.root.as_ref())
                    .and_then(|r| r.get("services"))
                else {
                    continue;
                };
                for name in &cx.stack.compose.dev_only {
                    let Some(entry) = services.entry(name) else {
                        continue;
                    };
                    let profiles = profiles(&entry.value);
                    let dev_only = !profiles.is_empty()
                        && profiles
                            .iter()
                            .all(|p| policy.dev_profiles.iter().any(|d| d == p));
                    if dev_only {
                        continue;
                    }
                    let why = if profiles.is_empty() {
                        "without a profile, so every `docker compose up` starts it".to_owned()
                    } else {
                        format!(
                            "with profiles [{}], which are not development profiles",
                            profiles.join(", ")
                        )
                    };
                    findings.push(
                        Finding::new(
                            &Self::META,
                            at(project, id, entry.key.span()),
                            format!(
                                "`{name}` is development-only but {} defines it {why}; production uses the managed database",
                                file.source.name
                            ),
                        )
                        .help(format!(
                            "add `profiles: [{}]` to `{name}`, or move it to a development override such as docker-compose.override.yml",
                            policy.dev_profiles.first().map_or("dev", String::as_str)
                        )),
                    );
                }
            }
        }
    }
}

/// The profiles a service node lists (`profiles: [dev]` or `profiles: dev`).
fn profiles(service: &Node) -> Vec<String> {
    let Some(node) = service.get("profiles") else {
        return Vec::new();
    };
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        Value::Scalar(s) => vec![s.value().to_owned()],
        _ => Vec::new(),
    }
}
