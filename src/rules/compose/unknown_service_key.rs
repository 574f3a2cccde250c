use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::spec;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a service key the Compose specification does not define. Every compose file of
    /// a project is read (overrides and `extends`ed files included), and the message names the
    /// closest valid key when one is near: `enviroment` → `environment`, `depends-on` →
    /// `depends_on`. Extension keys (`x-…`) are allowed anywhere. A key merged
    /// in from an anchor is reported where the anchor is used, with the anchor as a related
    /// location.
    ///
    /// ## Why is this bad?
    /// `docker compose` validates the file against the Compose schema and refuses the whole
    /// project ("additional properties 'enviroment' not allowed"); older tools ignored such a
    /// key, so the setting silently did nothing.
    ///
    /// ## Example
    /// ```yaml
    ///   odoo-prod:
    ///     enviroment:
    ///       HOST: ${ODOO_DB_HOST}
    /// ```
    ///
    /// ## Fix
    /// Spell the key as the specification does (`environment:`), or prefix a private key with
    /// `x-`.
    ///
    /// ## Source
    /// Compose Specification, "Services top-level elements" (the service attributes,
    /// <https://docs.docker.com/reference/compose-file/services/>) and "Extensions"
    /// (<https://docs.docker.com/reference/compose-file/extension/>); the canonical schema,
    /// compose-go `schema/compose-spec.json`
    /// (<https://github.com/compose-spec/compose-go/blob/main/schema/compose-spec.json>).
    pub struct UnknownServiceKey {
        code: "DCK016",
        name: "unknown-service-key",
        severity: Error,
        applies: Start,
    }
}

impl Rule for UnknownServiceKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            for file in &project.files {
                let Some(services) = file
                    .compose
                    .as_ref()
                    .and_then(|c| c.root.as_ref())
                    .and_then(|r| r.get("services"))
                    .and_then(|s| s.as_map())
                else {
                    continue;
                };
                for service in services.iter().filter(|s| !spec::is_extension(s.name())) {
                    let Some(keys) = service.value.as_map() else {
                        continue;
                    };
                    for key in keys {
                        let name = key.name();
                        if spec::is_service_key(name) {
                            continue;
                        }
                        let mut f = finding(
                            &Self::META,
                            project,
                            key.key.loc,
                            format!(
                                "`{name}` is not a Compose service key (service `{}`): `docker compose` rejects the file",
                                service.name()
                            ),
                        );
                        f = match spec::suggest_service_key(name) {
                            Some(close) => f.help(format!("did you mean `{close}`?")),
                            None => f.help(
                                "remove it, or prefix it with `x-` to keep it as an extension",
                            ),
                        };
                        findings.push(f);
                    }
                }
            }
        }
    }
}
