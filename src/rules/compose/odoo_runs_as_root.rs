use super::{finding, projects};
use crate::declare_rule;
use crate::formats::compose::{Command, Project, Service};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a compose service that runs Odoo with `user: root` (or `0`, `0:0`,
    /// `root:…`), unless its entrypoint or command, or the repo script mounted (or given as
    /// a `configs` file) over the entrypoint, drops to another user (`gosu`, `su-exec`, `setpriv`, `runuser`, `su`,
    /// `chpst`, `s6-setuidgid`) before starting Odoo.
    ///
    /// ## Why is this bad?
    /// The official image runs Odoo as the unprivileged `odoo` user. As root, a flaw in
    /// any module (a server action, a report's template, an upload) can write anywhere in
    /// the container and its mounts, install packages, and read every secret; Odoo itself
    /// warns at start: "Running as user 'root' is a security risk".
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   odoo:
    ///     image: odoo:19.0
    ///     user: root
    /// ```
    ///
    /// ## Fix
    /// Remove `user: root`. Install packages at build time in a Dockerfile (`USER root`,
    /// `RUN apt-get …`, then `USER odoo`), or drop privileges in the entrypoint
    /// (`exec gosu odoo odoo "$@"`).
    ///
    /// ## Source
    /// Odoo `odoo/cli/server.py` (16.0–19.0): `check_root_user()` writes "Running as user
    /// 'root' is a security risk." (<https://github.com/odoo/odoo/blob/19.0/odoo/cli/server.py>);
    /// the official image's Dockerfile ends with `USER odoo`
    /// (<https://github.com/odoo/docker/blob/master/19.0/Dockerfile>); Compose specification,
    /// `user` (<https://github.com/compose-spec/compose-spec/blob/main/05-services.md#user>).
    pub struct OdooRunsAsRoot {
        code: "DCK018",
        name: "odoo-runs-as-root",
        severity: Warning,
    }
}

/// Tools an entrypoint drops privileges with before it starts the server.
const DROPS: [&str; 7] = [
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "su",
    "chpst",
    "s6-setuidgid",
];

impl Rule for OdooRunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<crate::finding::Finding>) {
        for project in projects(cx) {
            let Some(root) = project.root.as_ref() else {
                continue;
            };
            for service in &project.model.services {
                if !crate::workspace::scope::is_odoo_service(service) {
                    continue;
                }
                let Some(user) = service.node_in(root).and_then(|n| n.get("user")) else {
                    continue;
                };
                let Some(value) = user.as_str() else { continue };
                let who = value.split(':').next().unwrap_or(value).trim();
                if !matches!(who, "root" | "0") || drops_privileges(cx, project, service) {
                    continue;
                }
                findings.push(
                    finding(
                        &Self::META,
                        project,
                        user.loc,
                        format!(
                            "`{}` runs Odoo as root (`user: {value}`), and nothing drops to another user before Odoo starts",
                            service.name
                        ),
                    )
                    .help("remove `user: root`: install packages in a Dockerfile and end it with `USER odoo`, or start Odoo with `exec gosu odoo odoo \"$@\"`"),
                );
            }
        }
    }
}

/// Whether the service's entrypoint or command, or a repo script mounted where the
/// entrypoint runs, switches user before the server starts.
fn drops_privileges(cx: &Context<'_>, project: &Project, service: &Service) -> bool {
    let words = |command: &Option<Command>| -> Vec<String> {
        match command {
            Some(Command::String(text)) => {
                text.value.split_whitespace().map(str::to_string).collect()
            }
            Some(Command::List { items, .. }) => items
                .iter()
                .flat_map(|t| t.value.split_whitespace())
                .map(str::to_string)
                .collect(),
            None => Vec::new(),
        }
    };
    let drops = |word: &str| DROPS.contains(&word.rsplit('/').next().unwrap_or(word));
    let entrypoint = words(&service.entrypoint);
    if entrypoint
        .iter()
        .chain(&words(&service.command))
        .any(|w| drops(w))
    {
        return true;
    }
    // The official image's entrypoint, or the one the service names.
    let runs = entrypoint
        .first()
        .cloned()
        .unwrap_or_else(|| "/entrypoint.sh".to_string());
    let base = project
        .compose_files()
        .next()
        .map(|(_, f)| {
            f.source
                .name
                .rsplit_once('/')
                .map_or("", |(dir, _)| dir)
                .to_string()
        })
        .unwrap_or_default();
    // What is mounted there: a bind mount, or a `configs` entry whose file is in the repo.
    let mut scripts: Vec<String> = service
        .volumes
        .iter()
        .filter_map(|mount| {
            let (source, target) = (mount.source.as_ref()?, mount.target.as_ref()?);
            (target.value == runs && !source.unresolved).then(|| source.value.clone())
        })
        .collect();
    let configs = project
        .root
        .as_ref()
        .and_then(|root| service.node_in(root))
        .and_then(|node| node.get("configs"))
        .and_then(|c| c.as_seq())
        .unwrap_or_default();
    for entry in configs {
        let (Some(source), Some(target)) = (
            entry.get("source").and_then(|n| n.as_str()),
            entry.get("target").and_then(|n| n.as_str()),
        ) else {
            continue;
        };
        if target != runs {
            continue;
        }
        if let Some(file) = project
            .model
            .configs
            .iter()
            .find(|c| c.name.value == source)
            .and_then(|c| c.file.as_ref())
        {
            scripts.push(file.value.clone());
        }
    }
    scripts.iter().any(|source| {
        if source.starts_with(['/', '~']) {
            // A script outside the repo may do anything: say nothing.
            return true;
        }
        let Some(name) = crate::workspace::join_in_repo(&base, source) else {
            return true;
        };
        crate::workspace::read_in_repo(&cx.workspace.root, &name).is_none_or(|script| {
            script
                .split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == '`')
                .any(drops)
        })
    })
}
