use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `container_name` given to two services of one compose project (after the
    /// override file is merged). Names built from unset variables are skipped.
    ///
    /// ## Why is this bad?
    /// Docker container names are unique per host: the second service fails to start with
    /// "Conflict. The container name … is already in use", usually when a staging service was
    /// copied from production and kept its name. Scripts that run
    /// `docker exec odoo-prod …` then act on whichever container won.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   odoo-prod:
    ///     container_name: odoo-prod
    ///   odoo-staging:
    ///     container_name: odoo-prod
    /// ```
    ///
    /// ## Fix
    /// Give each service its own name (`container_name: odoo-staging`), or drop
    /// `container_name` and let Compose name the container.
    ///
    /// ## Source
    /// Compose Specification, "container_name" ("Because Docker container names must be
    /// unique, you cannot scale a service beyond one container if you have specified a custom
    /// name", <https://docs.docker.com/reference/compose-file/services/#container_name>).
    pub struct ContainerNameUnique {
        code: "DCK004",
        name: "container-name-unique",
        severity: Error,
        applies: Start,
    }
}

impl Rule for ContainerNameUnique {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            let mut seen: Vec<(&str, &str, crate::formats::compose::Loc)> = Vec::new();
            for service in &project.model.services {
                let Some(name) = &service.container_name else {
                    continue;
                };
                if name.unresolved || name.value.is_empty() {
                    continue;
                }
                match seen.iter().find(|(n, ..)| *n == name.value) {
                    Some((_, first_service, first_loc)) => findings.push(
                        finding(
                            &Self::META,
                            project,
                            name.loc,
                            format!(
                                "`{}` and `{first_service}` both set container_name `{}`: the second container cannot be created",
                                service.name, name.value
                            ),
                        )
                        .help(format!("give `{}` its own container_name, or remove it", service.name))
                        .related(
                            super::at(project, first_loc.file, first_loc.span),
                            format!("`{first_service}` takes the name first"),
                        ),
                    ),
                    None => seen.push((&name.value, &service.name, name.loc)),
                }
            }
        }
    }
}
