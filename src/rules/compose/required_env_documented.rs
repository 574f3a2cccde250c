use super::{
    documented_variables, env_example, fully_read, project_dir, services_key, stack_projects,
};
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Checks that `.env.example` lists every variable the stack requires. The variables are
    /// `env.required` of the stack facts (for the snapshot `POSTGRES_PASSWORD`,
    /// `ADMIN_PASSWORD`, `SUPABASE_PROJECT_REF`, `SUPABASE_URL`, `SUPABASE_SERVICE_ROLE_KEY`
    /// and `MAILGUN_SIGNING_KEY`); the file is the stack project's (next to its base compose
    /// file, else at the repo root; a commented-out `# VAR=` counts). One finding lists the missing variables, at the top
    /// of `.env.example`, or at the project's `services:` key when there is no such file.
    ///
    /// ## Why is this bad?
    /// The real `.env` is kept out of git, so `.env.example` is the only checked-in record
    /// of what a deployment must define. A required variable missing from it is discovered
    /// when a feature fails in production: the Mailgun webhook signature check, the Supabase
    /// sync, or the admin password reset.
    ///
    /// ## Example
    /// ```sh
    /// # .env.example
    /// POSTGRES_PASSWORD=<database_password>
    /// ADMIN_PASSWORD=<odoo_admin_password>
    /// ```
    ///
    /// ## Fix
    /// List every required variable with a placeholder:
    /// ```sh
    /// SUPABASE_SERVICE_ROLE_KEY=<service_role_key>
    /// MAILGUN_SIGNING_KEY=<mailgun_signing_key>
    /// ```
    ///
    /// ## Source
    /// Docker docs, "Set, use, and manage variables in a Compose file with interpolation"
    /// (<https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §8 ("Environment Variables (required)").
    pub struct RequiredEnvDocumented {
        code: "DCK013",
        name: "required-env-documented",
        severity: Warning,
    }
}

impl Rule for RequiredEnvDocumented {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let required = &cx.stack.env.required;
        if required.is_empty() {
            return;
        }
        for project in stack_projects(cx) {
            if !fully_read(project) {
                continue;
            }
            let finding = match env_example(cx, project) {
                Some((name, example)) => {
                    let documented = documented_variables(example);
                    let missing: Vec<String> = required
                        .iter()
                        .filter(|v| !documented.contains(*v))
                        .cloned()
                        .collect();
                    if missing.is_empty() {
                        continue;
                    }
                    Finding::new(
                        &Self::META,
                        Location::new(name, Span::at(0)),
                        format!(
                            "{name} does not list {}, which the stack requires",
                            super::list(&missing)
                        ),
                    )
                    .help(format!(
                        "add {} to {name}, each with a placeholder value",
                        missing
                            .iter()
                            .map(|v| format!("`{v}=<…>`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
                None => {
                    let dir = project_dir(project);
                    let wanted = cx
                        .policy
                        .compose
                        .env_example_files
                        .first()
                        .map_or(".env.example", String::as_str);
                    let wanted = if dir.is_empty() {
                        wanted.to_owned()
                    } else {
                        format!("{dir}/{wanted}")
                    };
                    Finding::new(
                        &Self::META,
                        services_key(project),
                        format!(
                            "the stack requires {}, but this project has no {wanted} listing them",
                            super::list(required)
                        ),
                    )
                    .help(format!(
                        "commit {wanted} with each required variable and a placeholder value"
                    ))
                }
            };
            findings.push(finding);
        }
    }
}
