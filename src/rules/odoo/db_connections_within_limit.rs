use super::{confs, Processes};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the connections every Odoo process may open stay within the database's
    /// `max_connections`, when the stack facts give it. Each process keeps its own pool: in
    /// prefork mode (`workers` above 0) each HTTP worker and each cron worker
    /// (`max_cron_threads` of them) up to `db_maxconn`, and the gevent process up to
    /// `db_maxconn_gevent` where that is set (17.0 on), else `db_maxconn`; the threaded
    /// server (`workers = 0`) one pool. Where a process also opens read-only cursors on a
    /// replica that is the same server (18.0 on: `db_replica_host` equal to `db_host`; 19.0:
    /// `dev_mode = replica` with no `db_replica_host`), its second pool counts too.
    ///
    /// ## Why is this bad?
    /// Under load the pools grow to their limit; once the server's `max_connections` is
    /// reached, new connections fail with "too many connections" and requests error out.
    /// Managed PostgreSQL plans have low limits.
    ///
    /// ## Example
    /// With `max_connections: 100` in stack.yaml:
    /// ```ini
    /// workers = 12
    /// max_cron_threads = 2
    /// db_maxconn = 64
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// db_maxconn = 6
    /// ```
    /// or use a connection pooler in front of the database.
    ///
    /// ## Source
    /// Odoo `odoo/sql_db.py`, `db_connect()`: one `ConnectionPool` per process of
    /// `db_maxconn_gevent` in the gevent process (17.0 on) or `db_maxconn`, and a second,
    /// read-only one of the same size (18.0 on), which the registry opens when
    /// `db_replica_host` is set (19.0: also `dev_mode = replica`), connecting to
    /// `db_replica_host`, else `db_host` (`connection_info_for()`)
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/sql_db.py>); PostgreSQL
    /// `max_connections` (<https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS>).
    pub struct DbConnectionsWithinLimit {
        code: "ODOO019",
        name: "db-connections-within-limit",
        severity: Error,
    }
}

impl Rule for DbConnectionsWithinLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            let environment = conf.environment();
            let Some(limit) = cx
                .stack
                .odoo_environment(environment)
                .and_then(|e| e.database.max_connections)
            else {
                continue;
            };
            let limit = i128::from(limit);
            let (Some(_), Some(maxconn)) = (conf.int("workers"), conf.int("db_maxconn")) else {
                continue;
            };
            let maxconn = maxconn.max(1);
            let gevent = conf
                .int("db_maxconn_gevent")
                .filter(|&g| g > 0 && g != maxconn);
            let pools: i128 = if replica_on_same_server(&conf) { 2 } else { 1 };
            let prefork = Processes::prefork(&conf);
            let (total, what) = match &prefork {
                Some(processes) => (
                    processes.total(maxconn, gevent).saturating_mul(pools),
                    processes.describe(
                        "db_maxconn",
                        &maxconn.to_string(),
                        gevent.map(|g| ("db_maxconn_gevent", g.to_string())),
                    ),
                ),
                None => (
                    maxconn.saturating_mul(pools),
                    format!("the threaded server's db_maxconn {maxconn}"),
                ),
            };
            if total <= limit {
                continue;
            }
            let replica_part = if pools == 2 {
                ", twice over with the read-only pools on the same server"
            } else {
                ""
            };
            let at_most = match &prefork {
                Some(processes) => processes.at_most(limit / pools, gevent),
                None => limit / pools,
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    conf.key_or_header("db_maxconn"),
                    format!(
                        "{what}{replica_part} = {total} connections, more than the {} database's max_connections of {limit}",
                        environment.as_str()
                    ),
                )
                .help(format!("set db_maxconn to at most {}", at_most.max(1))),
            );
        }
    }
}

/// Whether each process's read-only pool (18.0 on) connects to the primary server itself:
/// `db_replica_host` is `db_host` (and the ports agree), or, in 19.0, `dev_mode` asks for
/// `replica` with no `db_replica_host`, so the replica settings fall back to `db_host`.
fn replica_on_same_server(conf: &super::Conf<'_>) -> bool {
    if conf.spec("db_replica_host").is_none() {
        return false;
    }
    let port = |key: &str| conf.text(key).map(str::trim);
    match conf.text("db_replica_host").map(str::trim) {
        Some(replica) if !replica.is_empty() => {
            conf.text("db_host").map(str::trim) == Some(replica)
                && port("db_replica_port").is_none_or(|p| Some(p) == port("db_port"))
        }
        _ => {
            conf.version >= crate::formats::odoo_conf::OdooVersion::V19
                && conf
                    .text("dev_mode")
                    .is_some_and(|modes| modes.split(',').any(|m| m.trim() == "replica"))
        }
    }
}
