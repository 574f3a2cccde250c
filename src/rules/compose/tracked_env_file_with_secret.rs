use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::formats::dotenv::Value;
use crate::policy::ComposePolicy;
use crate::rule::{Context, Rule, RuleMeta};
use crate::secrets::is_secret_key;

declare_rule! {
    /// ## What it does
    /// Reports an env file (`.env`, `.env.*`, `*.env`) that is, or is about to be, in git
    /// and holds a real value for a credential. A file counts when git tracks it
    /// (`git ls-files --cached`, even if `.gitignore` now names it), or when no ignore rule
    /// covers it (`git ls-files --others --exclude-standard`); outside a git work tree,
    /// when the repo's `.gitignore` files do not ignore it. Templates are skipped: names
    /// ending in one of the policy's `compose.env_template_suffixes` (`.env.example`,
    /// `prod.env.sample`, …). A credential is a key containing PASSWORD, PASSWD, SECRET,
    /// TOKEN or KEY; its value is real unless it is empty, a reference (`${…}`), a
    /// `<placeholder>`, a run of one character (`xxxx`, `****`), or one of the policy's
    /// `compose.placeholder_values` or `compose.placeholder_prefixes` (`changeme`,
    /// `your-api-key`). The values are never shown. The same holds for a file a compose
    /// secret reads (`secrets: {db_password: {file: ./db_password.txt}}`), whose whole text
    /// is the value: reported where the compose file names it.
    ///
    /// ## Why is this bad?
    /// The snapshot keeps `.env` out of version control because it holds the database and
    /// admin passwords, the Supabase service-role key and the Mailgun signing key. Once
    /// committed, a secret stays in every clone and in the history after the file is
    /// deleted; adding the file to `.gitignore` later does not untrack it. The only fix is to
    /// rotate the secret.
    ///
    /// ## Example
    /// ```sh
    /// # .env, committed
    /// POSTGRES_PASSWORD=Zq8v-prod-2026
    /// ```
    ///
    /// ## Fix
    /// Rotate the exposed secrets, then stop tracking the file and ignore it:
    /// ```sh
    /// git rm --cached .env && echo .env >> .gitignore
    /// ```
    /// and commit a `.env.example` with placeholders instead.
    ///
    /// ## Source
    /// gitignore documentation ("Files already tracked by Git are not affected",
    /// <https://git-scm.com/docs/gitignore>); Docker docs, "Manage secrets securely in Docker
    /// Compose" (<https://docs.docker.com/compose/how-tos/use-secrets/>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §8 ("`.env` file (not tracked)").
    pub struct TrackedEnvFileWithSecret {
        code: "DCK014",
        name: "tracked-env-file-with-secret",
        severity: Error,
    }
}

impl Rule for TrackedEnvFileWithSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let policy = &cx.policy.compose;
        for parsed in &cx.workspace.env_files {
            let name = cx.workspace.file(parsed.file).source.name.as_str();
            if is_template(name, policy) {
                continue;
            }
            // The walk honours .gitignore, so a file read without git is not ignored; with
            // git, git decides (ignore rules above the root and global excludes included).
            let how = match &cx.workspace.git {
                Some(git) if git.is_tracked(name) => "is tracked by git",
                Some(git) if git.is_exposed(name) => "is not ignored by git",
                Some(_) => continue,
                None => "is not ignored by .gitignore",
            };
            let mut keys = Vec::new();
            for entry in &parsed.env.entries {
                let real = entry
                    .value
                    .as_ref()
                    .is_some_and(|v| !is_placeholder(v, policy));
                if is_secret_key(&entry.key) && real && !keys.iter().any(|(k, _)| *k == entry.key) {
                    keys.push((entry.key.clone(), entry.key_span));
                }
            }
            let Some(((first, first_span), rest)) = keys.split_first() else {
                continue;
            };
            let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
            let mut finding = Finding::new(
                &Self::META,
                Location::new(name, *first_span),
                format!(
                    "{name} {how} and holds {} (values not shown)",
                    match rest.len() {
                        0 => format!("a value for `{first}`"),
                        _ => format!("values for {}", super::list(&names)),
                    }
                ),
            )
            .help(if how.contains("tracked") {
                "rotate these secrets, then `git rm --cached` the file, add it to .gitignore and commit a .env.example with placeholders"
            } else {
                "add the file to .gitignore before it is committed, and commit a .env.example with placeholders"
            });
            for (key, span) in rest {
                finding =
                    finding.related(Location::new(name, *span), format!("`{key}` is set here"));
            }
            findings.push(finding);
        }
        secret_files(cx, findings);
    }
}

/// The files compose secrets read (`secrets: {db: {file: ./db_password}}`): the whole file
/// is the value, so one in the history is a committed secret.
fn secret_files(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let policy = &cx.policy.compose;
    for file in &cx.workspace.secret_files {
        let Some(how) = file.exposed else { continue };
        let Some(project) = cx.workspace.compose.get(file.project) else {
            continue;
        };
        let Some(loc) = project
            .model
            .secrets
            .iter()
            .find(|s| s.name.value == file.secret)
            .and_then(|s| s.file.as_ref())
            .map(|f| f.loc)
        else {
            continue;
        };
        let value = crate::workspace::read_in_repo(&cx.workspace.root, &file.name);
        if value.is_none_or(|v| is_placeholder_text(v.trim(), policy)) {
            continue;
        }
        findings.push(
            super::finding(
                &TrackedEnvFileWithSecret::META,
                project,
                loc,
                format!(
                    "{}, the file behind the compose secret `{}`, {how} (value not shown)",
                    file.name, file.secret
                ),
            )
            .help(if how.contains("tracked") {
                "rotate the secret, then `git rm --cached` the file and add it to .gitignore; create it on the host at deploy time"
            } else {
                "add the file to .gitignore before it is committed; create it on the host at deploy time"
            }),
        );
    }
}

fn is_template(name: &str, policy: &ComposePolicy) -> bool {
    let file_name = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    policy
        .env_template_suffixes
        .iter()
        .any(|s| file_name.ends_with(&s.to_ascii_lowercase()))
}

/// A value that obviously is not a real secret.
fn is_placeholder(value: &Value, policy: &ComposePolicy) -> bool {
    !value.refs.is_empty() || is_placeholder_text(value.text.trim(), policy)
}

/// A text that obviously is not a real secret: empty, `<placeholder>`, a run of one
/// character, or one of the policy's placeholder values and prefixes.
fn is_placeholder_text(text: &str, policy: &ComposePolicy) -> bool {
    let lower = text.to_ascii_lowercase();
    let mut chars = text.chars();
    let one_char_run = chars
        .next()
        .is_some_and(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '_') && chars.all(|d| d == c));
    text.is_empty()
        || (text.starts_with('<') && text.ends_with('>'))
        || one_char_run
        || policy
            .placeholder_values
            .iter()
            .any(|p| p.eq_ignore_ascii_case(text))
        || policy
            .placeholder_prefixes
            .iter()
            .any(|p| lower.starts_with(&p.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::dotenv::Quote;
    use crate::policy::Policy;
    use crate::source::Span;

    fn value(text: &str) -> Value {
        Value {
            text: text.to_owned(),
            span: Span::at(0),
            quote: Quote::None,
            refs: Vec::new(),
        }
    }

    #[test]
    fn placeholders_and_templates() {
        let policy = Policy::default_pack().compose;
        for text in [
            "",
            "<service_role_key>",
            "changeme",
            "CHANGEME",
            "xxxxxx",
            "****",
            "your-api-key",
        ] {
            assert!(is_placeholder(&value(text), &policy), "{text}");
        }
        for text in ["hunter2", "Zq8v-prod-2026", "secret", "password", "x1"] {
            assert!(!is_placeholder(&value(text), &policy), "{text}");
        }
        assert!(is_template(".env.example", &policy));
        assert!(is_template("deploy/prod.env.sample", &policy));
        assert!(!is_template("deploy/.env", &policy));
        assert!(!is_template(".env.production", &policy));
    }
}
