use super::{describe, fully_read, services_key, stack_projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the compose project running the stack defines every service the stack
    /// facts list. The list is `compose.services` (for the InsightPulse snapshot: `odoo-prod`,
    /// `odoo-staging`, `nginx-prod-v2` and `redis`), checked after the override file is
    /// merged. The project checked is the one made of the facts' `compose.files` when they
    /// list some, else every project defining at least one of those services (every project
    /// when none does).
    ///
    /// ## Why is this bad?
    /// Scripts, runbooks and the nginx upstreams address services by name
    /// (`docker compose exec odoo-prod …`, `server odoo-prod:8069`). A renamed or missing
    /// service breaks them all at deploy time, and nothing in Compose itself notices.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   odoo:            # the snapshot calls it odoo-prod
    ///     image: odoo:18.0
    /// ```
    ///
    /// ## Fix
    /// Name the services as the stack does, or update `compose.services` in `stack.yaml` when
    /// the stack itself changed.
    ///
    /// ## Source
    /// Compose Specification, "Services top-level elements" (services are addressed by their
    /// key, <https://docs.docker.com/reference/compose-file/services/>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §3 (the stack's services).
    pub struct RequiredServicesExist {
        code: "DCK001",
        name: "required-services-exist",
        severity: Error,
    }
}

impl Rule for RequiredServicesExist {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in stack_projects(cx) {
            if !fully_read(project) {
                continue;
            }
            let defined: Vec<&str> = project
                .model
                .services
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            for required in &cx.stack.compose.services {
                if defined.contains(&required.as_str()) {
                    continue;
                }
                let mut finding = Finding::new(
                    &Self::META,
                    services_key(project),
                    format!(
                        "the stack's service `{required}` is not defined in {}",
                        describe(project)
                    ),
                );
                finding = match crate::suggest::closest(required, defined.iter().copied()) {
                    Some(close) => finding.help(format!(
                        "did you mean `{close}`? Rename it to `{required}`, or update compose.services in stack.yaml"
                    )),
                    None => finding.help(format!(
                        "define `{required}`, or update compose.services in stack.yaml if the stack changed"
                    )),
                };
                findings.push(finding);
            }
        }
    }
}
