use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `admin_passwd`, the master password of the database manager, is set and is
    /// not `admin`, its default. An empty value is accepted: it forbids the database manager
    /// entirely. A value that opens like passlib's `$pbkdf2-sha512$` hash must be one whole:
    /// `$pbkdf2-sha512$<rounds>$<salt>$<checksum>`, the rounds a decimal from 1, the salt and
    /// the 86-character checksum (64 bytes) in passlib's adapted base64 (`./0-9A-Za-z`).
    /// A line `admin_passwd = admin` that a script or playbook of the repo holds as written
    /// (`content.replace("admin_passwd = admin", …)`, `sed 's/admin_passwd = admin/…/'`) is
    /// a template's, replaced before deployment, and is not reported.
    ///
    /// ## Why is this bad?
    /// With the default `admin`, anyone who reaches `/web/database/manager` can back up,
    /// drop or restore every database. A hash cut short when it was copied (a lost `$`
    /// segment, a truncated checksum) is no password at all: passlib takes the value for a
    /// `pbkdf2_sha512` hash by its prefix, then refuses to parse it ("malformed hash"), so
    /// every master-password check fails with an error.
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
    /// `odoo/tools/config.py` default `admin_passwd = 'admin'`, and its `verify_admin_password`
    /// through a passlib `CryptContext(['pbkdf2_sha512', 'plaintext'])`; passlib,
    /// "pbkdf2_digest" hash format (<https://passlib.readthedocs.io/en/stable/lib/passlib.hash.pbkdf2_digest.html>).
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
            let message = match conf.entry("admin_passwd").map(|e| e.value.trim()) {
                None => "admin_passwd is not set, so the master password is Odoo's default `admin`",
                // A template line a deploy script replaces is no one's password.
                Some("admin") if conf.rewritten_by_script(cx, "admin_passwd") => continue,
                Some("admin") => "admin_passwd is Odoo's default `admin`",
                Some(value) if malformed_hash(value) => {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            conf.key_or_header("admin_passwd"),
                            "admin_passwd opens like a `$pbkdf2-sha512$` hash but is not a whole one: passlib refuses it, so no master password works",
                        )
                        .help("set the master password again in the database manager and keep the whole hash Odoo writes: `$pbkdf2-sha512$<rounds>$<salt>$<86-character checksum>`"),
                    );
                    continue;
                }
                Some(_) => continue,
            };
            findings.push(
                Finding::new(&Self::META, conf.key_or_header("admin_passwd"), message)
                    .help("set a strong master password and keep its $pbkdf2-sha512$ hash, or leave admin_passwd empty to disable the database manager"),
            );
        }
    }
}

/// Whether a value that passlib identifies as a `pbkdf2_sha512` hash (by its prefix) fails
/// to parse: `$pbkdf2-sha512$<rounds>$<salt>$<checksum>`.
fn malformed_hash(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("$pbkdf2-sha512$") else {
        return false;
    };
    let ab64 = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
    };
    let parts: Vec<&str> = rest.split('$').collect();
    let [rounds, salt, checksum] = parts.as_slice() else {
        return true;
    };
    let rounds_ok = !rounds.starts_with('0')
        && rounds
            .parse::<u64>()
            .is_ok_and(|r| (1..1 << 32).contains(&r));
    !(rounds_ok && ab64(salt) && ab64(checksum) && checksum.len() == 86)
}

#[cfg(test)]
mod tests {
    use super::malformed_hash;

    #[test]
    fn a_whole_pbkdf2_sha512_hash_is_accepted_and_a_cut_one_is_not() {
        let checksum = "a".repeat(86);
        assert!(!malformed_hash(&format!(
            "$pbkdf2-sha512$600000$c2FsdHNhbHQ${checksum}"
        )));
        assert!(malformed_hash("$pbkdf2-sha512$600000$abc"));
        assert!(malformed_hash(&format!(
            "$pbkdf2-sha512$600000$c2Fs${}",
            &checksum[..40]
        )));
        assert!(malformed_hash(&format!(
            "$pbkdf2-sha512$0600$c2Fs${checksum}"
        )));
        assert!(!malformed_hash("a-long-plaintext-password"));
    }
}
