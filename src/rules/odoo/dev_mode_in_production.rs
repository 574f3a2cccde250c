use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, Lookup};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a production odoo.conf whose `dev_mode` turns on developer features
    /// (`all`, `reload`, `qweb`, `xml`, `access`, `werkzeug`) in a series that reads the
    /// option from the file: 19.0 on (`--dev` is loaded from the file there; 16.0–18.0
    /// overwrite it with the command line's, which ODOO018 reports). `replica` alone, which
    /// only routes reads to the primary as a replica, is not a developer feature. Also
    /// reports a production `log_level` of `debug`, `debug_sql`, `debug_rpc` or
    /// `debug_rpc_answer` (every series reads it from the file).
    ///
    /// ## Why is this bad?
    /// `reload` starts a file watcher that restarts the server whenever a Python file
    /// under the addons paths changes; `qweb` and `xml` read views from the files on
    /// every request instead of the database, bypassing caches; `access` logs a traceback
    /// for every access error. The debug log levels write every request, SQL query or RPC
    /// answer, with the data in it, to the log. None of it belongs on a server that customers
    /// use.
    ///
    /// ## Example
    /// ```ini
    /// [options]
    /// dev_mode = reload
    /// ```
    ///
    /// ## Fix
    /// Remove the line (or leave it empty) in the production configuration; pass `--dev`
    /// on the command line of development containers only. Use `log_level = info` (or
    /// `warn`).
    ///
    /// ## Source
    /// Odoo 19.0 `odoo/tools/config.py`: `--dev`, `dest='dev_mode'`, `type='comma'`,
    /// loaded from the file like every option with a `dest` that is not command-line only;
    /// `ALL_DEV_MODE = ['access', 'qweb', 'reload', 'xml']`; `odoo/service/server.py`
    /// `start()`: `if 'reload' in config['dev_mode'] and not odoo.evented:` starts the
    /// `FSWatcher` (<https://github.com/odoo/odoo/blob/19.0/odoo/service/server.py>).
    pub struct DevModeInProduction {
        code: "ODOO022",
        name: "dev-mode-in-production",
        severity: Warning,
    }
}

/// The log levels of `--log-level` that log every request, query or answer.
const DEBUG_LEVELS: [&str; 4] = ["debug", "debug_sql", "debug_rpc", "debug_rpc_answer"];

/// The developer features of `--dev`, 16.0–19.0 (`werkzeug` until 18.0).
const FEATURES: [&str; 6] = ["all", "reload", "qweb", "xml", "access", "werkzeug"];

impl Rule for DevModeInProduction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            if !conf.is_production() {
                continue;
            }
            if let Some(level) = conf
                .entry("log_level")
                .filter(|e| DEBUG_LEVELS.contains(&e.value.trim()))
            {
                if !conf.set_on_command_line(cx, &["--log-level"]) {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            conf.at(level.value_span),
                            format!(
                                "production Odoo logs at log_level = {}: every request's details go to the log",
                                level.value.trim()
                            ),
                        )
                        .help("set `log_level = info` (or `warn`) in production"),
                    );
                }
            }
            let Some(entry) = conf.entry("dev_mode") else {
                continue;
            };
            let on: Vec<&str> = entry
                .value
                .split(',')
                .map(str::trim)
                .filter(|feature| FEATURES.contains(feature))
                .collect();
            if on.is_empty() {
                continue;
            }
            let read = |lookup: &Lookup| matches!(lookup, Lookup::Known(_));
            if !read(&odoo_conf::lookup("dev_mode", conf.version))
                || !conf.holds_in_its_series(entry, read)
            {
                continue;
            }
            let watcher = if on.iter().any(|f| matches!(*f, "all" | "reload")) {
                ": a file watcher restarts the server whenever a Python file changes"
            } else {
                ""
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    conf.at(entry.value_span),
                    format!(
                        "production Odoo {} runs with developer features on (dev_mode = {}){watcher}{}",
                        conf.version,
                        on.join(","),
                        conf.series_note()
                    ),
                )
                .help("remove `dev_mode` from the production configuration; pass --dev only to development containers"),
            );
        }
    }
}
