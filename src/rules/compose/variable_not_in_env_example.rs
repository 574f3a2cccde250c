use std::collections::BTreeSet;

use super::{at, documented_variables, env_templates, project_dir, projects, variable_references};
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::formats::compose::interpolation::Operator;
use crate::rule::{Context, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Checks that `.env.example` lists every variable a compose project needs. That is
    /// `$VAR`, `${VAR}` or `${VAR:?message}`, nested ones included (`$$` is a literal `$`); a
    /// variable with a default (`${VAR:-x}`, `${VAR-x}`) is optional and Compose's own
    /// (`COMPOSE_*`) configure Compose, so neither is asked for. The templates are the first
    /// of the policy's `compose.env_example_files` next to the base compose file, else at the
    /// repo root, together with the per-environment ones there (`.env.prod.example`,
    /// `.env.production.example`). A commented-out assignment (`# ODOO_DB_PORT=25060`)
    /// counts as listed. A project with variables and no template gets one finding, at its
    /// first variable.
    ///
    /// ## Why is this bad?
    /// `.env` is not committed, so `.env.example` is the only place an operator learns what
    /// to set. A variable missing from it is found on the droplet: as an empty string
    /// (`${VAR}`, Compose only warns), as a silent default, or as a refused start
    /// (`${VAR:?}`).
    ///
    /// ## Example
    /// ```yaml
    ///     environment:
    ///       HOST: ${ODOO_DB_HOST}     # .env.example does not mention ODOO_DB_HOST
    /// ```
    ///
    /// ## Fix
    /// Add `ODOO_DB_HOST=` (with a placeholder or the non-secret default) to `.env.example`.
    ///
    /// ## Source
    /// Compose Specification, "Interpolation"
    /// (<https://docs.docker.com/reference/compose-file/interpolation/>); Docker docs, "Set,
    /// use, and manage variables in a Compose file with interpolation" (the `.env` file,
    /// <https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/>).
    pub struct VariableNotInEnvExample {
        code: "DCK011",
        name: "variable-not-in-env-example",
        severity: Warning,
    }
}

impl Rule for VariableNotInEnvExample {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            // A variable with a default (`${TAG:-latest}`) is optional, and Compose's own
            // (`COMPOSE_PROJECT_NAME`) configure Compose: neither needs a line in the template.
            let mut refs = variable_references(project);
            refs.retain(|(_, r)| {
                !matches!(
                    r.operator,
                    Operator::DefaultIfUnsetOrEmpty | Operator::DefaultIfUnset
                ) && !r.name.starts_with("COMPOSE_")
            });
            let Some((first_file, first)) = refs.first() else {
                continue;
            };
            let templates = env_templates(cx, project);
            let Some(&(example_name, _)) = templates.first() else {
                let mut names: Vec<String> = Vec::new();
                for (_, r) in &refs {
                    if !names.contains(&r.name) {
                        names.push(r.name.clone());
                    }
                }
                let dir = project_dir(project);
                let wanted = match cx.policy.compose.env_example_files.first() {
                    Some(name) if dir.is_empty() => name.clone(),
                    Some(name) => format!("{dir}/{name}"),
                    None => ".env.example".to_owned(),
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(project, *first_file, name_span(first)),
                        format!(
                            "this project reads {} but has no {wanted} listing them",
                            super::list(&names)
                        ),
                    )
                    .help(format!(
                        "commit {wanted} with every variable and a placeholder or default value"
                    )),
                );
                continue;
            };
            let documented: BTreeSet<String> = templates
                .iter()
                .flat_map(|(_, env)| documented_variables(env))
                .collect();
            let mut reported = BTreeSet::new();
            for (file, r) in &refs {
                if documented.contains(&r.name) || !reported.insert(r.name.clone()) {
                    continue;
                }
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(project, *file, name_span(r)),
                        format!("`{}` is not listed in {example_name}", r.name),
                    )
                    .help(format!(
                        "add `{}=` to {example_name} (commented out, `# {}=…`, if it is optional)",
                        r.name, r.name
                    ))
                    .related(
                        Location::new(example_name, Span::at(0)),
                        "the project's list of variables",
                    ),
                );
            }
        }
    }
}

/// The span of a reference's name (the whole scalar when escapes hide exact offsets).
fn name_span(r: &crate::formats::compose::VarRef) -> Span {
    Span::new(r.name_range.start, r.name_range.end)
}
