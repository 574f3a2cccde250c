use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{self, stack_fact_at, HostSource};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Checks that the odoo.conf an environment's compose service mounts where Odoo reads
    /// its configuration (`/etc/odoo/odoo.conf`, the official image's `ODOO_RC`, or the
    /// service's own `ODOO_RC` or `-c`) is the file the stack facts name as that
    /// environment's `config`. A service that mounts no configuration at all runs the
    /// image's default file, which is reported too, unless the service builds its own image.
    ///
    /// ## Why is this bad?
    /// ipai checks an environment's rules (list_db, dbfilter, workers, ports) on the file
    /// Docker mounts. When the facts name another file, the reviewed file is not the one
    /// Odoo runs, and a fix made there never reaches the container.
    ///
    /// ## Example
    /// `stack.yaml` says `config: config/odoo.staging.conf` for staging, while compose has
    /// ```yaml
    /// odoo-staging:
    ///   volumes:
    ///     - ../config/odoo.conf:/etc/odoo/odoo.conf:ro
    /// ```
    ///
    /// ## Fix
    /// Mount the environment's own file (`../config/odoo.staging.conf:/etc/odoo/odoo.conf:ro`),
    /// or correct `config` in stack.yaml.
    ///
    /// ## Source
    /// The official image's `ENV ODOO_RC=/etc/odoo/odoo.conf`
    /// (<https://github.com/odoo/docker/blob/master/18.0/Dockerfile>); Odoo reads `-c`, else
    /// `$ODOO_RC` (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#reference-cmdline-config>);
    /// Compose specification, `volumes`
    /// (<https://github.com/compose-spec/compose-spec/blob/main/05-services.md#volumes>).
    pub struct OdooConfMountMatchesStack {
        code: "STK006",
        name: "odoo-conf-mount-matches-stack",
        severity: Warning,
    }
}

impl Rule for OdooConfMountMatchesStack {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for env in &cx.stack.odoo.environments {
            let Some(config) = env.config.as_deref() else {
                continue;
            };
            let Some(deployed) = env
                .service
                .as_deref()
                .and_then(|name| deployment::service(cx, name))
            else {
                continue;
            };
            let rc = deployed.odoo_rc();
            let (at, mounted) = match deployed.mounted_conf(cx) {
                Some(mapped) => {
                    let mounted = match &mapped.source {
                        HostSource::Repo(_) => mapped.repo_path().unwrap_or_default(),
                        other => other.describe(),
                    };
                    if mapped.repo_path().as_deref() == Some(config) {
                        continue;
                    }
                    let what = match &mapped.source {
                        HostSource::Repo(_) => format!("`{mounted}`"),
                        _ => mounted,
                    };
                    (deployed.at(mapped.mount.loc), what)
                }
                None if deployed.service.build.is_some() => continue,
                None => (
                    deployed.field_at("volumes"),
                    "nothing (so the image's built-in file)".to_string(),
                ),
            };
            let fact = stack_fact_at(cx, config);
            let source = if fact.is_some() {
                "stack.yaml"
            } else {
                "the stack facts"
            };
            let mut finding = Finding::new(
                &Self::META,
                at,
                format!(
                    "`{}` mounts {mounted} at {rc}, but {source} name{} `{config}` as the {} environment's odoo.conf",
                    deployed.name(),
                    if fact.is_some() { "s" } else { "" },
                    env.name.as_str()
                ),
            )
            .help(format!(
                "mount the environment's file (`{config}`) at {rc}, or correct `config` in stack.yaml"
            ));
            if let Some(fact) = fact {
                finding = finding.related(fact, "the environment's config in the facts");
            }
            if cx.workspace.source(config).is_some() {
                finding = finding.related(
                    Location::new(config, Span::at(0)),
                    "the file the facts name",
                );
            }
            findings.push(finding);
        }
    }
}
