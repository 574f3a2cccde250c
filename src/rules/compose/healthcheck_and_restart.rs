use super::{finding, is_dev_only, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::{Command, Healthcheck, Service};
use crate::hash::FastHashSet;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every long-running service has a `healthcheck` and a restart policy
    /// (`restart:` other than `"no"`, or `deploy.restart_policy`). Every service counts as
    /// long-running except:
    /// - one-shot services: `restart: "no"` written explicitly (the author says the
    ///   container is not meant to be kept running), or a service another one waits for
    ///   with `condition: service_completed_successfully` (an init job), or one whose
    ///   command obtains certificates once (`certbot certonly …` with no loop);
    /// - development services: enabled only by development profiles (the policy's
    ///   `compose.dev_profiles`), or defined only in a development override file (the
    ///   policy's `compose.dev_file_words`, as for DCK002).
    ///
    /// A healthcheck with `disable: true` or `test: ["NONE"]` counts as none. An image may
    /// declare its own `HEALTHCHECK`, which a static check cannot see offline: the rule
    /// reports the service anyway, and a service relying on its image's healthcheck
    /// should say so with an inline suppression. (The official odoo, nginx, redis and
    /// postgres images declare none.)
    ///
    /// ## Why is this bad?
    /// Without a restart policy (Docker's default is `no`), a crashed Odoo or a reboot of
    /// the droplet leaves the site down until someone notices. Without a healthcheck, a hung
    /// Odoo worker or a Redis that stopped answering still shows as `Up`, monitoring sees
    /// nothing, and `depends_on: {condition: service_healthy}` cannot order the start-up.
    ///
    /// ## Example
    /// ```yaml
    ///   redis:
    ///     image: redis:7.4-alpine
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   redis:
    ///     image: redis:7.4-alpine
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       test: ["CMD", "redis-cli", "ping"]
    ///       interval: 30s
    /// ```
    ///
    /// ## Source
    /// Compose Specification, "healthcheck" and "restart"
    /// (<https://docs.docker.com/reference/compose-file/services/#healthcheck>,
    /// <https://docs.docker.com/reference/compose-file/services/#restart>); Docker docs, "Start
    /// containers automatically" (<https://docs.docker.com/engine/containers/start-containers-automatically/>);
    /// Dockerfile reference, `HEALTHCHECK` (<https://docs.docker.com/reference/dockerfile/#healthcheck>).
    pub struct HealthcheckAndRestart {
        code: "DCK015",
        name: "healthcheck-and-restart",
        severity: Warning,
    }
}

impl Rule for HealthcheckAndRestart {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            let services = &project.model.services;
            // Services another waits for to complete: one-shot jobs, by design.
            let awaited: FastHashSet<&str> = services
                .iter()
                .flat_map(|s| &s.depends_on)
                .filter(|d| d.condition() == "service_completed_successfully")
                .map(|d| d.service.value.as_str())
                .collect();
            for service in services {
                if is_one_shot(service, &awaited)
                    || is_dev_only(project, service, &cx.policy.compose)
                {
                    continue;
                }
                let health = health(service);
                let restart = has_restart_policy(service, project.root.as_ref());
                let (what, help) = match (health, restart) {
                    (Health::Checked, true) => continue,
                    (Health::Checked, false) => (
                        "no restart policy: after a crash or a reboot it stays down".to_owned(),
                        "add `restart: unless-stopped`",
                    ),
                    (Health::None, true) => (
                        "no healthcheck: a hung process still shows as `Up`".to_owned(),
                        "add a `healthcheck` whose test proves the service answers (Odoo: `curl -fsS http://localhost:8069/web/health`)",
                    ),
                    (Health::Disabled(_), true) => (
                        "its healthcheck disabled: a hung process still shows as `Up`".to_owned(),
                        "enable a `healthcheck` whose test proves the service answers",
                    ),
                    (_, false) => (
                        "neither a healthcheck nor a restart policy: it stays down after a crash or a reboot, and a hung process still shows as `Up`".to_owned(),
                        "add `restart: unless-stopped` and a `healthcheck` whose test proves the service answers",
                    ),
                };
                let loc = match health {
                    Health::Disabled(loc) => loc,
                    _ => service.key,
                };
                findings.push(
                    finding(
                        &Self::META,
                        project,
                        loc,
                        format!("`{}` runs with {what}", service.name),
                    )
                    .help(help),
                );
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Health {
    Checked,
    None,
    Disabled(crate::formats::compose::Loc),
}

fn health(service: &Service) -> Health {
    match &service.healthcheck {
        None => Health::None,
        Some(check) if is_disabled(check) => Health::Disabled(check.loc),
        Some(_) => Health::Checked,
    }
}

fn is_disabled(check: &Healthcheck) -> bool {
    check.disable
        || matches!(&check.test, Some(Command::List { items, .. })
            if items.first().is_some_and(|t| t.value == "NONE"))
}

fn has_restart_policy(service: &Service, root: Option<&crate::formats::compose::Node>) -> bool {
    let restart = service
        .restart
        .as_ref()
        .is_some_and(|r| r.value != "no" && !r.value.is_empty());
    let deploy_policy = root
        .and_then(|root| service.node_in(root))
        .and_then(|node| node.get("deploy"))
        .and_then(|d| d.get("restart_policy"))
        .is_some_and(|p| {
            p.get("condition")
                .and_then(|c| c.as_str())
                .is_none_or(|c| c != "none")
        });
    restart || deploy_policy
}

/// A job that runs once and exits: `restart: "no"`, awaited by another service with
/// `service_completed_successfully`, or a command that obtains certificates once
/// (`certbot certonly …` with no loop around it).
fn is_one_shot(service: &Service, awaited: &FastHashSet<&str>) -> bool {
    let declared = service.restart.as_ref().is_some_and(|r| r.value == "no");
    declared || awaited.contains(service.name.as_str()) || obtains_certificates_once(service)
}

fn obtains_certificates_once(service: &Service) -> bool {
    let words: Vec<&str> = [&service.entrypoint, &service.command]
        .into_iter()
        .flatten()
        .flat_map(|command| match command {
            Command::String(text) => text.value.split_whitespace().collect::<Vec<_>>(),
            Command::List { items, .. } => items
                .iter()
                .flat_map(|t| t.value.split_whitespace())
                .collect(),
        })
        .collect();
    let looped = words
        .iter()
        .any(|w| matches!(w.trim_end_matches(';'), "while" | "sleep" | "until" | "for"));
    words.contains(&"certonly") && !looped
}
