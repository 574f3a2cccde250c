use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `admin_passwd`, the master password of the database manager, is set and is
    /// not `admin`, its default. An empty value is accepted: it forbids the database manager
    /// entirely.
    ///
    /// ## Why is this bad?
    /// With the default `admin`, anyone who reaches `/web/database/manager` can back up,
    /// drop or restore every database.
    ///
    /// ## Example
    /// ```ini
    /// [options]
    /// db_host = db
    /// ```
    ///
    /// ## Fix
    /// Set a long random master password once in the database manager and keep the
    /// `$pbkdf2-sha512$…` hash Odoo writes for `admin_passwd`, or set `admin_passwd =` (empty)
    /// to disable the manager.
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — Database manager security"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#database-manager-security>);
    /// `odoo/tools/config.py` default `admin_passwd = 'admin'`.
    pub struct AdminPasswordSet {
        code: "ODOO021",
        name: "admin-password-set",
        severity: Error,
    }
}

impl Rule for AdminPasswordSet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            if conf.conf.options().is_none() {
                continue;
            }
            let message = match conf.entry("admin_passwd").map(|e| e.value.as_str()) {
                None => "admin_passwd is not set, so the master password is Odoo's default `admin`",
                Some("admin") => "admin_passwd is Odoo's default `admin`",
                Some(_) => continue,
            };
            findings.push(
                Finding::new(&Self::META, conf.key_or_header("admin_passwd"), message)
                    .help("set a strong master password and keep its $pbkdf2-sha512$ hash, or leave admin_passwd empty to disable the database manager"),
            );
        }
    }
}
