use super::{at, projects, variable_references};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::{Operator, VarState};
use crate::rule::{Context, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a required variable, `${VAR:?message}` (set and not empty) or
    /// `${VAR?message}` (set), that the project's `.env` does not satisfy. The check needs a
    /// `.env`: `.env` is not committed, so a checkout without one (CI, a fresh clone) is not
    /// judged, and the variable only has to be listed in `.env.example` (DCK011). Where a
    /// `.env` exists (the droplet, a developer's machine), Compose reads it exactly as ipai
    /// does. ipai does not read the shell environment, which Compose would also consult.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses to do anything with the project, `up`, `pull` and `config`
    /// included: "required variable POSTGRES_PASSWORD is missing a value". A deploy script
    /// that pulls first and restarts after stops halfway.
    ///
    /// ## Example
    /// ```yaml
    ///       PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
    /// ```
    /// with a `.env` that lacks `POSTGRES_PASSWORD`, or sets `POSTGRES_PASSWORD=`.
    ///
    /// ## Fix
    /// Set the variable in `.env` (`POSTGRES_PASSWORD=…`), next to the compose file.
    ///
    /// ## Source
    /// Compose Specification, "Interpolation" (`${VAR:?err}` "exits with an error message
    /// containing err if VAR is unset or empty", <https://docs.docker.com/reference/compose-file/interpolation/>);
    /// compose-go `template/template.go` (the `:?` and `?` substitutions,
    /// <https://github.com/compose-spec/compose-go/blob/main/template/template.go>).
    pub struct RequiredVariableMissing {
        code: "DCK012",
        name: "required-variable-missing",
        severity: Error,
        applies: Start,
    }
}

impl Rule for RequiredVariableMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            let env_files: Vec<_> = project.env_files().collect();
            let Some((_, env_file)) = env_files.last() else {
                continue;
            };
            let env_name = env_file.source.name.as_str();
            for (file, r) in variable_references(project) {
                if !r.is_missing_required() {
                    continue;
                }
                let state = match r.state {
                    VarState::Empty => "sets it empty",
                    _ => "does not set it",
                };
                let kind = match r.operator {
                    Operator::RequiredNonEmpty => "set and not empty",
                    _ => "set",
                };
                let said = r
                    .argument
                    .as_deref()
                    .filter(|m| !m.is_empty())
                    .map_or(String::new(), |m| format!(": {m}"));
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(project, file, Span::new(r.range.start, r.range.end)),
                        format!(
                            "`{}` must be {kind}, but {env_name} {state}: `docker compose` stops with \"required variable {} is missing a value{said}\"",
                            r.name, r.name
                        ),
                    )
                    .help(format!("set `{}=…` in {env_name}", r.name))
                    .related(
                        crate::finding::Location::new(env_name, Span::at(0)),
                        "the project's .env",
                    ),
                );
            }
        }
    }
}
