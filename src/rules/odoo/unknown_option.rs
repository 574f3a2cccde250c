use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, Lookup};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports keys in `[options]` that are not options of the stack's Odoo version, with
    /// the option it most likely meant.
    ///
    /// ## Why is this bad?
    /// Odoo 16–18 store any key of `[options]` without a word: a typo such as
    /// `max_cron_thread = 2` is kept and never read, so the setting silently stays at its
    /// default.
    ///
    /// ## Example
    /// ```ini
    /// max_cron_thread = 2
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// max_cron_threads = 2
    /// ```
    /// Settings for modules belong in their own section (e.g. `[queue_job]`), which Odoo
    /// keeps for them in `config.misc`.
    ///
    /// ## Source
    /// Odoo `odoo/tools/config.py` (16.0–18.0), `configmanager.load()`: every `[options]`
    /// item is stored as is (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>);
    /// Odoo 19 warns "unknown option … in the config file".
    pub struct UnknownOption {
        code: "ODOO006",
        name: "unknown-option",
        severity: Warning,
    }
}

/// How many unknown keys of one file get a "did you mean".
const MAX_SUGGESTIONS_PER_FILE: usize = 1_000;

impl Rule for UnknownOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            // A suggestion costs an edit distance to every option: a file of thousands of
            // unknown keys gets suggestions for its first ones only.
            let mut suggestions_left = MAX_SUGGESTIONS_PER_FILE;
            for entry in conf.entries() {
                let Lookup::Unknown = odoo_conf::lookup(&entry.key, conf.version) else {
                    continue;
                };
                // With the series unknown, only a key no series 16–19 has is reported.
                if !conf.holds_in_its_series(entry, |l| matches!(l, Lookup::Unknown)) {
                    continue;
                }
                let table = conf.version.table();
                if table.saved_by_default(&entry.key, &entry.value) {
                    continue;
                }
                let fate = if table.warns_unknown {
                    format!(
                        "Odoo {} logs \"unknown option\" and stores it unparsed ({})",
                        conf.version, table.unknown_stored_at
                    )
                } else {
                    format!(
                        "Odoo {} stores it, and neither its server nor its bundled addons read it",
                        conf.version
                    )
                };
                let mut finding = Finding::new(
                    &Self::META,
                    conf.at(entry.key_span),
                    format!(
                        "`{}` is not an Odoo {} option: {fate}{}",
                        entry.key,
                        conf.version,
                        conf.series_note()
                    ),
                );
                let did_you_mean = (suggestions_left > 0)
                    .then(|| {
                        suggestions_left -= 1;
                        odoo_conf::did_you_mean(&entry.key, conf.version)
                    })
                    .flatten();
                finding = match did_you_mean {
                    Some(name) => finding.help(format!("did you mean `{name}`?")),
                    None => finding
                        .help("remove it, or move a module's setting to that module's own section"),
                };
                findings.push(finding);
            }
        }
    }
}
