use super::{container_name, scripts, ScriptFile};
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::formats::shell::Command;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{self, is_loopback, Deployed};
use crate::stack::Environment;

declare_rule! {
    /// ## What it does
    /// Checks that a backup or dump in a script (`pg_dump`, `pg_dumpall`, `psql`,
    /// `pg_restore`; `psql` in a backup, restore or deploy script or over `ssh`) run inside a compose database service (`docker compose exec postgres
    /// pg_dump …`, `docker exec CONTAINER pg_dump …`) reads the database production's Odoo
    /// uses. It fires when that service is a PostgreSQL container (its image, or the facts'
    /// `compose.dev_only`) while production's Odoo connects elsewhere: its odoo.conf
    /// `db_host` (else the facts' production database host) names a server that no compose
    /// service is, such as a managed database. A client pointed at another server with
    /// `-h HOST` is left alone, and so is a service that a deployed Odoo's `HOST`/`PGHOST`
    /// names.
    ///
    /// ## Why is this bad?
    /// Production uses DigitalOcean Managed PostgreSQL; the compose project's `postgres` is
    /// for development. A backup run in that container dumps a development database (or
    /// fails to find one, into an empty file) every night while the real data is never
    /// saved, and nobody notices until a restore is needed.
    ///
    /// ## Example
    /// ```bash
    /// ssh root@178.128.112.214 << 'EOF'
    /// docker compose exec postgres pg_dump -U odoo odoo > "$BACKUP_DIR/odoo_$TIMESTAMP.sql"
    /// EOF
    /// ```
    /// with `db_host = odoo-db-sgp1-do-user-27714628-0.g.db.ondigitalocean.com` in
    /// config/odoo.conf.
    ///
    /// ## Fix
    /// Dump the managed database itself, over TLS, with its credentials from the
    /// environment:
    /// ```bash
    /// pg_dump "host=$DB_HOST port=25060 user=doadmin dbname=odoo sslmode=require" \
    ///   -Fc -f "$BACKUP_DIR/odoo_$TIMESTAMP.dump"
    /// ```
    /// or rely on the provider's backups and say so in the script.
    ///
    /// ## Source
    /// PostgreSQL, "pg_dump" (connection options `-h`, `-d`; without `-h` the client
    /// connects to the local server, <https://www.postgresql.org/docs/current/app-pgdump.html>);
    /// Docker, "docker compose exec" (runs the command in the service's container,
    /// <https://docs.docker.com/reference/cli/docker/compose/exec/>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §3 ("postgres (Development only)", "Database:
    /// DigitalOcean Managed PostgreSQL") and §6 (`backup_db.sh`).
    pub struct BackupTargetsDeployedDatabase {
        code: "STK021",
        name: "backup-targets-deployed-database",
        severity: Error,
    }
}

/// The environment keys an Odoo service's database host is read from (the official
/// image's entrypoint reads `HOST`; others use `PGHOST`, `DB_HOST`).
const HOST_KEYS: [&str; 5] = [
    "HOST",
    "PGHOST",
    "DB_HOST",
    "POSTGRES_HOST",
    "DATABASE_HOST",
];

/// Where production's Odoo connects, and where that is said.
struct ProductionDatabase {
    host: String,
    at: Option<Location>,
    said_by: String,
}

impl Rule for BackupTargetsDeployedDatabase {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        if cx.workspace.shell_scripts.is_empty() {
            return;
        }
        let databases = production_databases(cx);
        if databases.is_empty() {
            return;
        }
        // Every name a compose service answers to, so a `db_host` naming one is not "managed".
        let services: Vec<Deployed<'_>> = deployment::services(cx).collect();
        let answers_to = |d: &Deployed<'_>, name: &str| {
            d.service.name == name
                || d.service
                    .container_name
                    .as_ref()
                    .is_some_and(|c| c.value == name)
        };
        let external = databases.iter().all(|db| {
            let host = db.host.as_str();
            !host.is_empty()
                && !host.contains(['$', '{', '%'])
                && !host.starts_with('/')
                && !is_loopback(host)
                && host.contains('.')
                && !services.iter().any(|d| answers_to(d, host))
        });
        if !external {
            return;
        }
        for file in scripts(cx) {
            for command in &file.script.commands {
                let Some(pg) = command.pg_client() else {
                    continue;
                };
                // `psql` also sets up development databases: only a backup, restore or
                // deploy script's, or one run on the server, is judged.
                if pg.program == "psql" && file.runs_locally(command) && !names_a_backup(file.name)
                {
                    continue;
                }
                let Some(container) = file.container_of(command) else {
                    continue;
                };
                let Some((name, _)) = container_name(container) else {
                    continue;
                };
                // `-h managed-host` from inside a container is a client of that server.
                if pg
                    .host
                    .is_some_and(|h| !is_loopback(&h.value) && h.value != name)
                {
                    continue;
                }
                let Some(service) = services.iter().find(|d| answers_to(d, name)) else {
                    continue;
                };
                if !is_postgres(cx, service) {
                    continue;
                }
                let used_by_odoo = services.iter().any(|d| {
                    HOST_KEYS
                        .iter()
                        .any(|k| d.env_value(k) == Some(service.service.name.as_str()))
                });
                if used_by_odoo {
                    continue;
                }
                findings.push(finding(
                    &file, container, command, pg.program, service, &databases,
                ));
            }
        }
    }
}

fn finding(
    file: &ScriptFile<'_>,
    container: &Command,
    command: &Command,
    program: &str,
    service: &Deployed<'_>,
    databases: &[ProductionDatabase],
) -> Finding {
    let first = &databases[0];
    let what = match program {
        "psql" => "runs SQL against",
        "pg_restore" => "restores into",
        _ => "dumps",
    };
    let mut finding = Finding::new(
        &BackupTargetsDeployedDatabase::META,
        file.at(container.span.to(command.span)),
        format!(
            "`{program}` {what} the compose service `{}`, a development PostgreSQL container, while production's Odoo uses `{}` ({}): the deployed database is not the one this touches",
            service.name(),
            first.host,
            first.said_by
        ),
    )
    .help(format!(
        "connect to `{}` itself (`pg_dump \"host=… sslmode=require\" …`), with its credentials from the environment",
        first.host
    ))
    .related(service.key_at(), format!("`{}` is defined here", service.name()));
    for db in databases {
        if let Some(at) = &db.at {
            finding = finding.related(
                at.clone(),
                format!("production's database host, {}", db.said_by),
            );
        }
    }
    finding
}

/// A script whose name says it backs up, restores, dumps or deploys.
fn names_a_backup(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["backup", "restore", "dump", "deploy"]
        .iter()
        .any(|word| lower.contains(word))
}

/// A PostgreSQL container: its image is PostgreSQL's (`postgres`, `postgis/postgis`,
/// `bitnami/postgresql`), or the facts mark the service development-only.
fn is_postgres(cx: &Context<'_>, service: &Deployed<'_>) -> bool {
    let image = service.service.image.as_ref().map(|i| {
        i.name
            .value
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    });
    image.is_some_and(|i| i.starts_with("postgres") || i.starts_with("postgis"))
        || cx.stack.compose.dev_only.contains(&service.service.name)
}

/// Where production's Odoo connects: the `db_host` of the odoo.conf each production
/// environment of the facts runs, else the facts' database host (not when the facts were
/// read from the repo, which states none); without environments in the facts, the
/// `db_host` of the repo's production odoo.conf files.
fn production_databases(cx: &Context<'_>) -> Vec<ProductionDatabase> {
    let mut out = Vec::new();
    let environments = cx
        .stack
        .odoo
        .environments
        .iter()
        .filter(|e| e.name == Environment::Production);
    for env in environments {
        let conf = crate::rules::odoo::conf_of(cx, env);
        match conf.as_ref().and_then(|c| Some((c, c.text("db_host")?))) {
            Some((conf, host)) => out.push(ProductionDatabase {
                host: host.trim().to_ascii_lowercase(),
                at: conf.entry("db_host").map(|e| conf.at(e.span)),
                said_by: format!("`db_host` in {}", conf.source.name),
            }),
            None if !cx.stack.inferred => out.push(ProductionDatabase {
                host: env.database.host.trim().to_ascii_lowercase(),
                at: None,
                said_by: "the stack facts' production database".to_string(),
            }),
            None => {}
        }
    }
    if !out.is_empty() || !cx.stack.odoo.environments.is_empty() {
        return out;
    }
    for conf in crate::rules::odoo::confs(cx) {
        if conf.scope_env != crate::workspace::scope::FileEnvironment::Production {
            continue;
        }
        if let Some(host) = conf.text("db_host") {
            out.push(ProductionDatabase {
                host: host.trim().to_ascii_lowercase(),
                at: conf.entry("db_host").map(|e| conf.at(e.span)),
                said_by: format!("`db_host` in {}", conf.source.name),
            });
        }
    }
    out
}
