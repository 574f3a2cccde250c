use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::Service;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every `depends_on` target is defined and enabled whenever its dependent
    /// is. With profiles that means: a service without `profiles` (always enabled) may only
    /// depend on services without `profiles`, and a service with profiles P may only depend
    /// on services that are always enabled or whose profiles include every profile of P.
    /// Entries with `required: false` are skipped: Compose only warns about those.
    ///
    /// ## Why is this bad?
    /// `docker compose up` refuses the whole project when a dependency is undefined, and the
    /// Compose specification calls a model invalid when a dependency is disabled by the
    /// active profiles. The classic case: `odoo-prod` depends on `postgres`, which is moved to
    /// `profiles: [dev]` because production uses the managed database; production then fails
    /// to start.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   odoo-prod:
    ///     depends_on: [postgres, redis]
    ///   postgres:
    ///     profiles: [dev]
    /// ```
    ///
    /// ## Fix
    /// Drop the dependency (production reaches the managed database over the network), give
    /// the dependent service the same profile, or mark it `required: false`:
    /// ```yaml
    ///     depends_on:
    ///       postgres: {condition: service_started, required: false}
    /// ```
    ///
    /// ## Source
    /// Compose Specification, "Profiles" (the `debug_lib` example: "the model is invalid
    /// regarding the depends_on constraint", <https://docs.docker.com/reference/compose-file/profiles/>)
    /// and "depends_on" (`required`, <https://docs.docker.com/reference/compose-file/services/#depends_on>).
    pub struct DependsOnExists {
        code: "DCK003",
        name: "depends-on-exists",
        severity: Error,
        applies: Start,
    }
}

impl Rule for DependsOnExists {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            let services = &project.model.services;
            for service in services {
                for dependency in service.depends_on.iter().filter(|d| d.required) {
                    let target_name = dependency.service.value.as_str();
                    if dependency.service.unresolved {
                        continue;
                    }
                    let Some(target) = project.model.service(target_name) else {
                        let mut f = finding(
                            &Self::META,
                            project,
                            dependency.loc,
                            format!(
                                "`{}` depends on `{target_name}`, which is not defined: `docker compose up` refuses the project",
                                service.name
                            ),
                        );
                        let names = services.iter().map(|s| s.name.as_str());
                        f = match crate::suggest::closest(target_name, names) {
                            Some(close) => f.help(format!("did you mean `{close}`?")),
                            None => f.help("define the service, or remove the dependency"),
                        };
                        findings.push(f);
                        continue;
                    };
                    if let Some(missing) = profile_not_covered(service, target) {
                        let when = match &missing {
                            None => "by default (no profile enabled)".to_owned(),
                            Some(p) => format!("with `--profile {p}`"),
                        };
                        let mut f = finding(
                            &Self::META,
                            project,
                            dependency.loc,
                            format!(
                                "`{}` depends on `{target_name}`, which is not enabled {when} while `{}` is: Compose rejects the model",
                                service.name, service.name
                            ),
                        )
                        .help(format!(
                            "remove the dependency, give `{}` the same profiles as `{target_name}`, or set `required: false` on it",
                            service.name
                        ));
                        if let Some(profiles) = project
                            .root
                            .as_ref()
                            .and_then(|root| target.node_in(root))
                            .and_then(|node| node.entry("profiles"))
                        {
                            f = f.related(
                                super::at(project, profiles.key.loc.file, profiles.key.span()),
                                format!("`{target_name}` is enabled only by these profiles"),
                            );
                        }
                        findings.push(f);
                    }
                }
            }
        }
    }
}

/// When `service` can run without `target`: `Some(None)` with no profile enabled,
/// `Some(Some(p))` with profile `p` enabled; `None` when `target` runs whenever `service`
/// does.
fn profile_not_covered(service: &Service, target: &Service) -> Option<Option<String>> {
    if target.profiles.is_empty() {
        return None;
    }
    if service.profiles.is_empty() {
        return Some(None);
    }
    service
        .profiles
        .iter()
        .find(|p| !target.profiles.iter().any(|q| q.value == p.value))
        .map(|p| Some(p.value.clone()))
}
