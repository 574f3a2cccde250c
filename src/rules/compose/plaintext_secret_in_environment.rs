use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::{KeyValue, ListForm, Operator};
use crate::rule::{Context, Rule, RuleMeta};
use crate::secrets::is_secret_key;

declare_rule! {
    /// ## What it does
    /// Reports a credential written into a service's `environment`. That is an entry whose
    /// name says it holds a credential (it contains PASSWORD, PASSWD, SECRET, TOKEN or KEY)
    /// and whose value is in the compose file: a literal (`POSTGRES_PASSWORD: secret`), or a reference with a literal
    /// default (`${POSTGRES_PASSWORD:-secret}`). Values that are only references
    /// (`${POSTGRES_PASSWORD}`, `${POSTGRES_PASSWORD:?set it in .env}`), values mixing text with
    /// references (a URL built from variables), empty values, and `*_FILE` entries (which
    /// hold the path of a Docker secret) are not reported. The finding never shows the value,
    /// and ipai hides it from every snippet it prints.
    ///
    /// ## Why is this bad?
    /// The compose file is committed: the password is in the git history, in every clone
    /// and CI log, and `docker inspect` shows it to anyone on the droplet. Rotating it means
    /// rewriting history. The snapshot keeps secrets in the untracked `.env`.
    ///
    /// ## Example
    /// ```yaml
    ///   postgres:
    ///     environment:
    ///       POSTGRES_PASSWORD: secret
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     environment:
    ///       POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
    /// ```
    /// with the value in the untracked `.env`, or a Compose secret
    /// (`secrets: [db_password]` and `POSTGRES_PASSWORD_FILE: /run/secrets/db_password`).
    ///
    /// ## Source
    /// Docker docs, "Manage secrets securely in Docker Compose" ("Don't use environment
    /// variables to pass sensitive information, such as passwords",
    /// <https://docs.docker.com/compose/how-tos/use-secrets/>) and "Interpolation"
    /// (`${VAR:?err}`, <https://docs.docker.com/reference/compose-file/interpolation/>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §8 ("Database password: `.env` file (not tracked)").
    pub struct PlaintextSecretInEnvironment {
        code: "DCK010",
        name: "plaintext-secret-in-environment",
        severity: Error,
    }
}

impl Rule for PlaintextSecretInEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            for service in &project.model.services {
                for entry in &service.environment {
                    let Some(how) = written_secret(entry) else {
                        continue;
                    };
                    let key = &entry.key.value;
                    findings.push(
                        finding(
                            &Self::META,
                            project,
                            entry.loc,
                            format!(
                                "`{key}` of `{}` is {how} in the compose file (value not shown)",
                                service.name
                            ),
                        )
                        .help(format!(
                            "use `{key}{}${{{key}:?set {key} in .env}}` and keep the value in the untracked .env, or a Compose secret for images that read `{key}_FILE`",
                            match entry.form {
                                ListForm::Short => "=",
                                ListForm::Long => ": ",
                            }
                        )),
                    );
                }
            }
        }
    }
}

/// How a credential is written into the file, if it is.
fn written_secret(entry: &KeyValue) -> Option<&'static str> {
    let key = entry.key.value.as_str();
    if !is_secret_key(key) || key.to_ascii_uppercase().ends_with("_FILE") {
        return None;
    }
    let value = entry.value.as_ref()?;
    if value.refs.is_empty() {
        return (!value.value.is_empty()).then_some("a plaintext secret");
    }
    let literal_default = value.refs.iter().any(|r| {
        r.parent.is_none()
            && matches!(
                r.operator,
                Operator::DefaultIfUnset | Operator::DefaultIfUnsetOrEmpty
            )
            && r.argument
                .as_deref()
                .is_some_and(|d| !d.is_empty() && !d.contains('$'))
    });
    literal_default.then_some("given a plaintext default")
}
