use std::collections::BTreeSet;

use super::{at, documented_variables, env_example, project_dir, projects, variable_references};
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Checks that `.env.example` lists every variable a compose project interpolates. That is
    /// `$VAR`, `${VAR}`, `${VAR:-default}` or `${VAR:?message}`, nested ones included (`$$` is
    /// a literal `$`); the example file is the first of the policy's
    /// `compose.env_example_files` found next to the base compose file, else at the repo root.
    /// A commented-out assignment (`# ODOO_DB_PORT=25060`) counts as listed, the usual way to
    /// document an optional variable. A project with variables and no such file gets one
    /// finding, at its first variable.
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
            let refs = variable_references(project);
            let Some((first_file, first)) = refs.first() else {
                continue;
            };
            let Some((example_name, example)) = env_example(cx, project) else {
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
            let documented = documented_variables(example);
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
