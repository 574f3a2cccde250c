use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, Lookup};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports `[options]` keys that Odoo reads from nowhere or overwrites: `session_store`,
    /// `session_redis*` and `redis*` (Odoo core has no Redis session store), `dev_mode`
    /// (replaced by the command line's `--dev`), `debug_mode`, `auto_reload`, `logrotate`,
    /// and other keys of older versions or other tools.
    ///
    /// ## Why is this bad?
    /// The file promises behaviour that does not exist. The stack's `session_store = redis`
    /// leaves sessions on the filesystem of each container, so they are lost on redeploy and
    /// not shared between workers on different hosts.
    ///
    /// ## Example
    /// ```ini
    /// session_store = redis
    /// session_redis_host = redis
    /// ```
    ///
    /// ## Fix
    /// Remove the keys. For Redis sessions, install camptocamp's `session_redis`, add it to
    /// `server_wide_modules`, and set `ODOO_SESSION_REDIS=1` and `ODOO_SESSION_REDIS_HOST` in
    /// the container's environment.
    ///
    /// ## Source
    /// Odoo `odoo/http.py` (16.0–18.0): `Application.session_store` is a
    /// `FilesystemSessionStore` (<https://github.com/odoo/odoo/blob/18.0/odoo/http.py>);
    /// camptocamp `session_redis` README (<https://github.com/camptocamp/odoo-cloud-platform/tree/17.0/session_redis>).
    pub struct OptionIgnoredByOdoo {
        code: "ODOO018",
        name: "option-ignored-by-odoo",
        severity: Warning,
    }
}

impl Rule for OptionIgnoredByOdoo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            for entry in conf.entries() {
                let Lookup::Ignored { why, at, .. } = odoo_conf::lookup(&entry.key, conf.version)
                else {
                    continue;
                };
                if conf
                    .version
                    .table()
                    .saved_by_default(&entry.key, &entry.value)
                {
                    continue;
                }
                if !conf.holds_in_its_series(entry, |l| matches!(l, Lookup::Ignored { .. })) {
                    continue;
                }
                let why = match at {
                    Some(at) => format!("{why} ({at})"),
                    None => why.to_string(),
                };
                let session = entry.key.starts_with("session_") || entry.key.starts_with("redis");
                let help = if session {
                    "for Redis sessions use the session_redis module: server_wide_modules = base,web,session_redis and ODOO_SESSION_REDIS=1"
                } else {
                    "remove it"
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        conf.at(entry.key_span),
                        format!(
                            "Odoo {} ignores `{}`: {why}{}",
                            conf.version,
                            entry.key,
                            conf.series_note()
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}
