use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `(workers + max_cron_threads + 1) × db_maxconn` stays within the
    /// database's `max_connections`, when the stack facts give it. Each Odoo process (HTTP
    /// workers, cron workers, and the gevent worker) keeps its own pool of up to
    /// `db_maxconn` connections; the threaded server (`workers = 0`) has one pool.
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
    /// Odoo `odoo/sql_db.py`: one `ConnectionPool(db_maxconn)` per process
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
            let (Some(workers), Some(cron), Some(maxconn)) = (
                conf.int("workers"),
                conf.int("max_cron_threads"),
                conf.int("db_maxconn"),
            ) else {
                continue;
            };
            let processes = if workers > 0 { workers + cron + 1 } else { 1 };
            let total = processes.saturating_mul(maxconn);
            if total <= i128::from(limit) {
                continue;
            }
            findings.push(
                Finding::new(
                    &Self::META,
                    conf.key_or_header("db_maxconn"),
                    format!(
                        "{processes} Odoo processes × db_maxconn {maxconn} = {total} connections, more than the {} database's max_connections of {limit}",
                        environment.as_str()
                    ),
                )
                .help(format!("set db_maxconn to at most {}", i128::from(limit) / processes)),
            );
        }
    }
}
