use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the production odoo.conf sets `list_db = False`. (`list_db` defaults to
    /// true.)
    ///
    /// ## Why is this bad?
    /// With `list_db` on, `/web/database/manager` lets anyone on the internet list the
    /// databases and, with the master password, back up, duplicate, drop or restore them.
    /// Odoo's deployment guide: "It is strongly recommended to disable the Database Manager
    /// for any internet-facing system!"
    ///
    /// ## Example
    /// ```ini
    /// [options]
    /// proxy_mode = True
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// list_db = False
    /// ```
    /// together with a `dbfilter` or `db_name` (ODOO017).
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — Database manager security"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#database-manager-security>).
    pub struct DatabaseManagerExposed {
        code: "ODOO016",
        name: "database-manager-exposed",
        severity: Error,
    }
}

impl Rule for DatabaseManagerExposed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            // `--no-database-list` on Odoo's command line overrides the file.
            if !conf.is_production()
                || conf.conf.options().is_none()
                || !conf.flag("list_db")
                || conf.set_on_command_line(cx, &["--no-database-list"])
            {
                continue;
            }
            let message = match conf.entry("list_db") {
                Some(_) => "the production database manager is enabled (list_db is true)",
                None => "list_db is not set, so the production database manager is enabled (it defaults to true)",
            };
            findings.push(
                Finding::new(&Self::META, conf.key_or_header("list_db"), message)
                    .help("set `list_db = False`, and block /web/database in nginx too"),
            );
        }
    }
}
