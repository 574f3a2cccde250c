use super::{confs, placeholders};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

/// Options whose value is a credential.
const SECRET_OPTIONS: [&str; 3] = ["db_password", "admin_passwd", "smtp_password"];

/// The passlib prefix of the hash Odoo 16–18 store for the master password.
const HASH_PREFIX: &str = "$pbkdf2-sha512$";

declare_rule! {
    /// ## What it does
    /// Reports a plaintext credential in odoo.conf: `db_password` or `smtp_password` with a
    /// literal value, or an `admin_passwd` that is not a `$pbkdf2-sha512$` hash. The finding
    /// never shows the value, in any output format.
    ///
    /// ## Why is this bad?
    /// odoo.conf lives in the repo and in every backup and image layer; a password in it is
    /// readable by everyone who can read those. Odoo accepts a hashed master password and
    /// the official image takes the database password from the environment.
    ///
    /// ## Example
    /// ```ini
    /// db_password = hunter2
    /// admin_passwd = my-master-password
    /// ```
    ///
    /// ## Fix
    /// Drop `db_password` and pass `PASSWORD` to the container from an untracked `.env`; set
    /// `admin_passwd` to the hash Odoo writes when the master password is changed in the
    /// database manager (`$pbkdf2-sha512$600000$…`).
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — Database manager security" (the master password
    /// and its hashed form, <https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#database-manager-security>);
    /// the official image's `entrypoint.sh` (<https://github.com/odoo/docker/blob/master/18.0/entrypoint.sh>).
    pub struct PlaintextSecret {
        code: "ODOO015",
        name: "plaintext-secret",
        severity: Error,
    }
}

impl Rule for PlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            for key in SECRET_OPTIONS {
                let Some(entry) = conf.entry(key) else {
                    continue;
                };
                let value = entry.value.as_str();
                // Empty and False mean "unset"; `${VAR}` is ODOO014's; `admin` is ODOO021's.
                let unset = value.is_empty() || value == "False" || value == "false";
                let placeholder = !placeholders(value).is_empty();
                let hashed = key == "admin_passwd" && value.starts_with(HASH_PREFIX);
                let default_admin = key == "admin_passwd" && value == "admin";
                if unset || placeholder || hashed || default_admin {
                    continue;
                }
                let help = if key == "admin_passwd" {
                    "store the `$pbkdf2-sha512$…` hash instead: Odoo writes it when the master password is changed"
                } else {
                    "remove it from odoo.conf and pass it from an untracked .env through the container's environment"
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        conf.at(entry.key_span),
                        format!("`{key}` holds a plaintext secret (value not shown)"),
                    )
                    .help(help),
                );
            }
        }
    }
}
