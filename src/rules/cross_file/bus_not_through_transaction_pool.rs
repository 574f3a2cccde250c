use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{self, Deployed, HostSource};

declare_rule! {
    /// ## What it does
    /// Checks that an Odoo compose service does not reach PostgreSQL through a PgBouncer
    /// service of its project that pools by transaction (or by statement). Odoo's database
    /// host is its odoo.conf `db_host`, else `--db_host` in `command`, else the `HOST` or
    /// `PGHOST` the official image's entrypoint passes; the pool mode is PgBouncer's
    /// `POOL_MODE`/`PGBOUNCER_POOL_MODE` variable (edoburu, bitnami images), else
    /// `pool_mode` in the `pgbouncer.ini` the service mounts from the repo. PgBouncer's
    /// default, session pooling, is fine.
    ///
    /// ## Why is this bad?
    /// Odoo's bus (chat, notifications, live updates of open records) waits for
    /// PostgreSQL notifications: its dispatcher runs `LISTEN imbus` and commits. In
    /// transaction pooling the server connection goes back to the pool at that commit, so
    /// the registration stays on a backend the dispatcher no longer holds; PgBouncer lists
    /// LISTEN/NOTIFY as never supported in that mode. Nothing fails: the notifications
    /// simply never arrive.
    ///
    /// ## Example
    /// `odoo` with `HOST: pgbouncer`, and `pgbouncer` (`edoburu/pgbouncer`) with
    /// `POOL_MODE: transaction`.
    ///
    /// ## Fix
    /// Pool Odoo's connections by session (`POOL_MODE: session`), or point Odoo at
    /// PostgreSQL directly: its own pool (`db_maxconn`) already bounds its connections.
    ///
    /// ## Source
    /// PgBouncer, "Features", SQL feature map for pooling modes: LISTEN/NOTIFY is "Never"
    /// supported in transaction pooling (<https://www.pgbouncer.org/features.html>);
    /// PgBouncer configuration, `pool_mode` (default `session`)
    /// (<https://www.pgbouncer.org/config.html#pool_mode>); Odoo
    /// `addons/bus/models/bus.py`, `ImDispatch.loop` (`cr.execute("listen imbus")` then
    /// `cr.commit()`, 16.0–19.0).
    pub struct BusNotThroughTransactionPool {
        code: "STK011",
        name: "bus-not-through-transaction-pool",
        severity: Error,
    }
}

impl Rule for BusNotThroughTransactionPool {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for odoo in deployment::services(cx) {
            if !crate::workspace::scope::is_odoo_service(odoo.service) || !odoo.enabled() {
                continue;
            }
            let Some((host, host_at)) = database_host(cx, &odoo) else {
                continue;
            };
            let Some(pooler) = odoo.project.model.services.iter().find(|s| {
                s.name == host || s.container_name.as_ref().is_some_and(|c| c.value == host)
            }) else {
                continue;
            };
            let pooler = Deployed {
                project: odoo.project,
                service: pooler,
            };
            if !is_pgbouncer(&pooler) {
                continue;
            }
            let (mode, mode_at) = pool_mode(cx, &pooler);
            if !matches!(mode.as_str(), "transaction" | "statement") {
                continue;
            }
            let mut finding = Finding::new(
                &Self::META,
                host_at,
                format!(
                    "`{}` reaches PostgreSQL through `{}`, which pools by {mode}: the bus's `LISTEN imbus` is lost, so chat and notifications never arrive",
                    odoo.service.name, pooler.service.name
                ),
            )
            .help("pool Odoo's connections by session (`POOL_MODE: session`), or point Odoo at PostgreSQL directly");
            if let Some(at) = mode_at {
                finding = finding.related(at, "the pool mode");
            }
            findings.push(finding);
        }
    }
}

/// The host Odoo connects to, and where it is written.
fn database_host(cx: &Context<'_>, odoo: &Deployed<'_>) -> Option<(String, Location)> {
    let conf = odoo
        .mounted_conf(cx)
        .and_then(|m| m.repo_path())
        .and_then(|path| crate::rules::odoo::confs(cx).find(|c| c.source.name == path));
    if let Some(conf) = &conf {
        if let (Some(value), Some(entry)) = (conf.text("db_host"), conf.entry("db_host")) {
            return Some((value.trim().to_string(), conf.at(entry.span)));
        }
    }
    if let Some(value) = odoo.command_option(None, "--db_host") {
        return Some((value.to_string(), odoo.field_at("command")));
    }
    ["HOST", "PGHOST"].iter().find_map(|key| {
        let value = odoo.env_value(key)?;
        let at = odoo.service.env(key).map(|kv| odoo.at(kv.loc))?;
        Some((value.trim().to_string(), at))
    })
}

fn is_pgbouncer(service: &Deployed<'_>) -> bool {
    service.service.image.as_ref().is_some_and(|image| {
        image
            .name
            .value
            .rsplit('/')
            .next()
            .is_some_and(|name| name.eq_ignore_ascii_case("pgbouncer"))
    })
}

/// PgBouncer's pool mode: its image's variable, else its mounted `pgbouncer.ini`, else
/// the default, `session`. The location is the variable's (an ini outside the workspace's
/// files has none).
fn pool_mode(cx: &Context<'_>, pooler: &Deployed<'_>) -> (String, Option<Location>) {
    for key in ["POOL_MODE", "PGBOUNCER_POOL_MODE"] {
        if let Some(value) = pooler.env_value(key) {
            let at = pooler.service.env(key).map(|kv| pooler.at(kv.loc));
            return (value.trim().to_ascii_lowercase(), at);
        }
    }
    for mount in &pooler.service.volumes {
        let Some(HostSource::Repo(path)) = pooler.host_source(cx, mount) else {
            continue;
        };
        let target = mount.target.as_ref().map_or("", |t| t.value.as_str());
        let ini = if target.ends_with(".ini") {
            path
        } else {
            format!("{path}/pgbouncer.ini")
        };
        if let Some(text) = crate::workspace::read_in_repo(&cx.workspace.root, &ini) {
            return (
                ini_pool_mode(&text).unwrap_or_else(|| "session".into()),
                None,
            );
        }
    }
    ("session".into(), None)
}

/// `pool_mode` of the `[pgbouncer]` section of a pgbouncer.ini.
fn ini_pool_mode(text: &str) -> Option<String> {
    let mut in_section = false;
    let mut mode = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line.eq_ignore_ascii_case("[pgbouncer]");
            continue;
        }
        if !in_section || line.starts_with([';', '#']) {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            if key.trim() == "pool_mode" {
                mode = Some(value.trim().to_ascii_lowercase());
            }
        }
    }
    mode
}

#[cfg(test)]
mod tests {
    use super::ini_pool_mode;

    #[test]
    fn the_pgbouncer_section_sets_the_mode() {
        let ini = "[databases]\nodoo = host=db pool_mode=session\n\n[pgbouncer]\n; pool_mode = session\npool_mode = transaction\n";
        assert_eq!(ini_pool_mode(ini).as_deref(), Some("transaction"));
        assert_eq!(ini_pool_mode("[pgbouncer]\nlisten_port = 6432\n"), None);
    }
}
