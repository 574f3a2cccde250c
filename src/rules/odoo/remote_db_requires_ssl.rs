use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that an odoo.conf whose `db_host` is another machine sets `db_sslmode` to one
    /// of the policy's modes (`require`, `verify-ca` or `verify-full` by default). A host is
    /// local when it is empty, a Unix socket path, a loopback address, or a one-label name
    /// (a compose service on the same Docker network).
    ///
    /// ## Why is this bad?
    /// Odoo's default `prefer` silently falls back to plaintext when TLS fails, so the
    /// database password and every query can cross the network unencrypted. The stack's
    /// managed PostgreSQL requires TLS.
    ///
    /// ## Example
    /// ```ini
    /// db_host = odoo-db-sgp1-do-user-27714628-0.g.db.ondigitalocean.com
    /// db_sslmode = prefer
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// db_sslmode = require
    /// ```
    ///
    /// ## Source
    /// PostgreSQL documentation, "SSL Support — Protection Provided in Different Modes"
    /// (<https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION>);
    /// Odoo `--db_sslmode` (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#database>).
    pub struct RemoteDbRequiresSsl {
        code: "ODOO013",
        name: "remote-db-requires-ssl",
        severity: Error,
    }
}

/// Whether libpq reaches `host` without leaving the machine or its Docker network.
fn is_local(host: &str) -> bool {
    let host = host.trim();
    host.is_empty()
        || host.starts_with('/')
        || host == "localhost"
        || host == "::1"
        || host.starts_with("127.")
        || !host.contains('.') && !host.contains(':')
}

impl Rule for RemoteDbRequiresSsl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let accepted = &cx.policy.odoo.remote_db_sslmodes;
        for conf in confs(cx) {
            let Some(host) = conf.text("db_host") else {
                continue;
            };
            if is_local(host) {
                continue;
            }
            let mode = conf
                .entry("db_sslmode")
                .map_or("prefer", |e| e.value.as_str());
            if accepted.iter().any(|m| m == mode) {
                continue;
            }
            let message = match conf.entry("db_sslmode") {
                Some(_) => format!("db_sslmode = {mode} for the remote database `{host}`: the connection may fall back to plaintext"),
                None => format!("db_sslmode is not set (libpq's `prefer`) for the remote database `{host}`: the connection may fall back to plaintext"),
            };
            let mut finding = Finding::new(&Self::META, conf.key_or_header("db_sslmode"), message)
                .help(format!(
                    "set `db_sslmode = {}`",
                    accepted.first().map_or("require", String::as_str)
                ));
            if let Some(entry) = conf.entry("db_host") {
                finding = finding.related(conf.at(entry.span), "the database host");
            }
            findings.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn local_hosts() {
        for host in [
            "",
            "/var/run/postgresql",
            "localhost",
            "127.0.0.1",
            "::1",
            "db",
            "postgres",
        ] {
            assert!(super::is_local(host), "{host}");
        }
        for host in ["10.0.0.5", "db.example.net", "fd00::5"] {
            assert!(!super::is_local(host), "{host}");
        }
    }
}
