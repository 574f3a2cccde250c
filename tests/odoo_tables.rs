//! The ODOO rules' claims against the generated tables (`data/odoo/<series>.json`), and
//! the file `odoo --save` writes, which must lint clean of every claim about Odoo's
//! reading of the file.

mod common;

use ipai::engine::all_rules;
use ipai::formats::odoo_conf::options::{FileEffect, IGNORED};
use ipai::formats::odoo_conf::{lookup, Lookup, OdooVersion};

/// Every claim `lookup` makes, for every key any table knows plus the keys people write,
/// checked against the table of the version it speaks of.
#[test]
fn every_claim_about_an_option_holds_in_the_tables() {
    let mut keys: Vec<&str> = Vec::new();
    for version in OdooVersion::ALL {
        let table = version.table();
        keys.extend(table.options.iter().map(|s| s.name));
        keys.extend(table.aliases.iter().map(|a| a.from));
        keys.extend(table.module_reads.iter().map(|m| m.name));
    }
    keys.extend([
        "session_store",
        "redis_host",
        "debug_mode",
        "auto_reload",
        "logrotate",
    ]);
    keys.sort_unstable();
    keys.dedup();
    let mut checked = 0;
    let mut problems = Vec::new();
    for version in OdooVersion::ALL {
        let table = version.table();
        for key in &keys {
            checked += 1;
            let declared = table.spec(key).is_some();
            let read = table.module_read(key).is_some();
            let aliased = table.alias(key).is_some();
            let ok = match lookup(key, version) {
                Lookup::Known(spec) => declared && spec.effect == FileEffect::Read,
                Lookup::ReadByModule { .. } => read || !declared,
                Lookup::LaterInSeries => table.later_in_series.contains(key),
                Lookup::Renamed { to, .. } => aliased && table.spec(to).is_some(),
                Lookup::Removed { since, .. } => {
                    !declared
                        && !read
                        && !aliased
                        && since <= version
                        && OdooVersion::ALL.iter().any(|v| {
                            *v < version && v.table().spec(key).is_some()
                                || v.table().alias(key).is_some()
                        })
                }
                Lookup::AddedLater { since, .. } => {
                    !declared && !read && since > version && since.table().spec(key).is_some()
                }
                Lookup::Ignored {
                    spec: Some(spec), ..
                } => declared && spec.effect != FileEffect::Read,
                Lookup::Ignored { spec: None, .. } => {
                    !declared
                        && !read
                        && (table.computed.iter().any(|(n, _)| n == key)
                            || OdooVersion::ALL
                                .iter()
                                .all(|v| v.table().spec(key).is_none()))
                }
                Lookup::Unknown => !declared && !read && !aliased,
            };
            if !ok {
                problems.push(format!("{version} {key}: {:?}", lookup(key, version)));
            }
        }
    }
    // The hints for keys no version has must name no option of any version.
    for hint in IGNORED {
        for version in OdooVersion::ALL {
            let table = version.table();
            let hit = table
                .options
                .iter()
                .map(|s| s.name)
                .chain(table.module_reads.iter().map(|m| m.name))
                .find(|name| hint.pattern.matches(name));
            if let Some(name) = hit {
                problems.push(format!(
                    "{version}: the hint {:?} names `{name}`",
                    hint.pattern
                ));
            }
        }
    }
    assert!(checked > 400, "{checked}");
    // Every series' table was drawn from a tree holding its server and bundled addons, so
    // where each option is read is known (a claim that Odoo never reads a key rests on it).
    for version in OdooVersion::ALL {
        assert!(version.table().reads_known, "{version}: reads not scanned");
    }
    println!("{checked} claims checked against the tables");
    assert!(
        problems.is_empty(),
        "claims the tables contradict:\n{}",
        problems.join("\n")
    );
}

/// A rule doc that names an option in backquotes names one some version has (or a key
/// the hints explain).
#[test]
fn rule_docs_name_only_options_the_tables_know() {
    let known = |name: &str| {
        OdooVersion::ALL.iter().any(|v| {
            let t = v.table();
            t.spec(name).is_some() || t.alias(name).is_some() || t.module_read(name).is_some()
        }) || IGNORED.iter().any(|i| i.pattern.matches(name))
    };
    let mut problems = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        // ODOO006's example is a typo on purpose.
        if !meta.code.starts_with("ODOO") || meta.code == "ODOO006" {
            continue;
        }
        let doc = meta.doc_text();
        for line in doc.lines().filter(|l| l.contains(" = ")) {
            // `key = value` lines of the ini examples
            let key = line.trim().split(" = ").next().unwrap_or_default();
            if key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && !key.is_empty()
                && !known(key)
            {
                problems.push(format!("{}: `{key}`", meta.code));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `odoo --save` with default options, per version (generated by
/// scripts/odoo_options/extract.py): none of the claims about how Odoo reads the file may
/// fire on what Odoo writes itself. Policy rules (the default master password, the
/// database manager left on) still speak.
#[test]
fn the_file_odoo_save_writes_lints_clean_of_reading_claims() {
    const READING: [&str; 8] = [
        "ODOO005", "ODOO006", "ODOO007", "ODOO008", "ODOO010", "ODOO014", "ODOO018", "SYN002",
    ];
    let mut problems = Vec::new();
    for version in OdooVersion::ALL {
        let dir = common::TempDir::new(&format!("odoo-save-{version}"));
        let saved = std::fs::read_to_string(common::repo_path(&format!(
            "fixtures/odoo-save/{version}/config/odoo.conf"
        )))
        .expect("generated by scripts/odoo_options/extract.py");
        dir.write("config/odoo.conf", &saved);
        dir.write(
            "stack.yaml",
            format!("version: 1\ndomain: example.net\nodoo:\n  version: \"{version}\"\n"),
        );
        let outcome = common::lint_root(&dir.0);
        for finding in &outcome.report.findings {
            if READING.contains(&finding.rule.code) || finding.rule.code.starts_with("SYN") {
                problems.push(format!(
                    "{version}: {}:{} {} {}",
                    finding.location.file, finding.start.line, finding.rule.code, finding.message
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
