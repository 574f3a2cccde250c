use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, Lookup, OdooVersion};
use crate::rule::{Context, Rule, RuleMeta};
use crate::severity::Severity;

declare_rule! {
    /// ## What it does
    /// Reports options the stack's Odoo version renamed, removed, or does not have yet, and
    /// names the option to use. The canonical case: `longpolling_port` on Odoo 18, which is
    /// silently ignored while `gevent_port` stays at 8072.
    ///
    /// ## Why is this bad?
    /// A removed option is stored and never read, so the setting you think you made does
    /// not exist (an error). A deprecated alias works today and breaks on the upgrade that
    /// drops it (a warning).
    ///
    /// ## Example
    /// ```ini
    /// longpolling_port = 8072
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// gevent_port = 8072
    /// ```
    /// and route nginx's `/websocket` to that port.
    ///
    /// ## Source
    /// Odoo `odoo/tools/config.py`: 17.0 `_warn_deprecated_options` maps `longpolling_port`
    /// to `gevent_port`; 18.0 removed the alias
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>); Odoo documentation,
    /// `--gevent-port` (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html>).
    pub struct OptionRemoved {
        code: "ODOO007",
        name: "option-removed",
        severity: Error,
    }
}

impl Rule for OptionRemoved {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            for entry in conf.entries() {
                let version = conf.version;
                let table = version.table();
                // `odoo --save` writes it so itself: not the user's doing, and harmless.
                if table.saved_by_default(&entry.key, &entry.value) {
                    continue;
                }
                let fate = if table.warns_unknown {
                    format!(
                        "logs \"unknown option\" and stores it unparsed ({})",
                        table.unknown_stored_at
                    )
                } else {
                    "stores it, and neither its server nor its bundled addons read it".to_string()
                };
                let retired = |l: &Lookup| {
                    matches!(
                        l,
                        Lookup::Removed { .. } | Lookup::Renamed { .. } | Lookup::AddedLater { .. }
                    )
                };
                if !conf.holds_in_its_series(entry, retired) {
                    continue;
                }
                let mut severity = Self::META.severity;
                // The series unknown and the option a working alias in some of 16.0–19.0:
                // only what holds in all of them is said.
                if conf.series_open() {
                    if let Some((message, help)) = mixed_fate(&entry.key, conf.candidates) {
                        findings.push(
                            Finding::new(&Self::META, conf.at(entry.key_span), message)
                                .help(help)
                                .with_severity(Severity::Warning),
                        );
                        continue;
                    }
                }
                let (message, help) = match odoo_conf::lookup(&entry.key, version) {
                    Lookup::Removed { replacement, since } => (
                        format!(
                            "`{}` does nothing in Odoo {version}: no option since {since}; Odoo {version} {fate}{}",
                            entry.key,
                            replacement.map_or_else(String::new, |r| format!(", so it does not set `{r}`"))
                        ),
                        replacement.map_or_else(|| "remove it".to_string(), |r| format!("use `{r}` instead")),
                    ),
                    Lookup::Renamed { to, note, at } => {
                        // The alias still works today: a warning, not the error of an
                        // option that does nothing.
                        severity = Severity::Warning;
                        (
                            format!("`{}` is a deprecated alias of `{to}` in Odoo {version} ({at}): {note}", entry.key),
                            format!("rename it to `{to}` before the release that drops the alias"),
                        )
                    }
                    Lookup::AddedLater { since, .. } => (
                        format!("`{}` exists only from Odoo {since}; Odoo {version} {fate}", entry.key),
                        "remove it, or change the stack's Odoo version".to_string(),
                    ),
                    _ => continue,
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        conf.at(entry.key_span),
                        format!("{message}{}", conf.series_note()),
                    )
                    .help(help)
                    .with_severity(severity),
                );
            }
        }
    }
}

/// For an option that is a deprecated alias in some of the file's candidate series and gone
/// in others, the message that holds in every one of them.
fn mixed_fate(key: &str, candidates: &[OdooVersion]) -> Option<(String, String)> {
    let lookups: Vec<_> = candidates
        .iter()
        .map(|&v| (v, odoo_conf::lookup(key, v)))
        .collect();
    let alias: Vec<(OdooVersion, &'static str)> = lookups
        .iter()
        .filter_map(|(v, l)| match l {
            Lookup::Renamed { to, .. } => Some((*v, *to)),
            _ => None,
        })
        .collect();
    let (&(first, to), &(last, _)) = (alias.first()?, alias.last()?);
    if alias.len() == lookups.len() {
        return None;
    }
    let span = if first == last {
        format!("{first}")
    } else {
        format!("{first}–{last}")
    };
    let others: Vec<String> = lookups
        .iter()
        .filter(|(_, l)| !matches!(l, Lookup::Renamed { .. }))
        .map(|(v, _)| v.to_string())
        .collect();
    Some((
        format!(
            "`{key}` is retired: Odoo {span} reads it as a deprecated alias of `{to}`, and Odoo {} ignores it (the repo does not name its Odoo series)",
            others.join(" and ")
        ),
        format!("use `{to}` instead"),
    ))
}
