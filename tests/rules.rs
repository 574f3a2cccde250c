//! Every rule has a complete doc, a fixture where it fires and one where it must not.

mod common;

use ipai::engine::all_rules;
use ipai::rule::DOC_SECTIONS;
use std::collections::BTreeSet;

const PREFIXES: [&str; 8] = ["ODOO", "NGX", "DCK", "DNS", "MAIL", "TLS", "STK", "SYN"];

#[test]
fn every_rule_has_a_stable_code_a_kebab_name_and_every_doc_section() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut problems = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        let prefix = meta.code.trim_end_matches(|c: char| c.is_ascii_digit());
        let digits = &meta.code[prefix.len()..];
        if !PREFIXES.contains(&prefix) || digits.len() != 3 {
            problems.push(format!(
                "{}: code must be a DESIGN.md prefix and three digits",
                meta.code
            ));
        }
        let kebab = meta.name.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
        if !kebab {
            problems.push(format!(
                "{}: name `{}` is not kebab-case",
                meta.code, meta.name
            ));
        }
        if !codes.insert(meta.code) {
            problems.push(format!("{}: code used twice", meta.code));
        }
        if !names.insert(meta.name) {
            problems.push(format!("{}: name `{}` used twice", meta.code, meta.name));
        }
        let mut last = 0;
        for section in DOC_SECTIONS {
            match meta.doc_text().find(section) {
                Some(at) if at >= last => last = at,
                Some(_) => problems.push(format!(
                    "{}: doc section `{section}` out of order",
                    meta.code
                )),
                None => problems.push(format!("{}: doc lacks `{section}`", meta.code)),
            }
            if meta.section(section).is_some_and(|text| text.is_empty()) {
                problems.push(format!("{}: doc section `{section}` is empty", meta.code));
            }
        }
        let source = meta.section("## Source").unwrap_or_default();
        if !(source.contains("http") || source.contains("RFC")) {
            problems.push(format!(
                "{}: `## Source` cites no primary source (a URL or an RFC)",
                meta.code
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "rule metadata problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_rule_fires_on_its_fixture_and_stays_quiet_on_its_clean_one() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let code = rule.meta().code;
        for case in ["fires", "clean"] {
            if !common::repo_path(&format!("fixtures/rules/{code}/{case}")).is_dir() {
                problems.push(format!(
                    "{code}: missing fixture fixtures/rules/{code}/{case}/"
                ));
            }
        }
        // `fires` and `clean`, then `fires-<topic>` and `clean-<topic>`: more cases, each
        // citing the Odoo source line it rests on.
        let mut cases: Vec<(String, bool)> =
            std::fs::read_dir(common::repo_path(&format!("fixtures/rules/{code}")))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter_map(|name| {
                    let fires = name == "fires" || name.starts_with("fires-");
                    let clean = name == "clean" || name.starts_with("clean-");
                    (fires || clean).then_some((name, fires))
                })
                .collect();
        cases.sort();
        for (case, should_fire) in cases {
            let dir = common::repo_path(&format!("fixtures/rules/{code}/{case}"));
            let outcome = common::lint_root(&dir);
            let fired = outcome.report.findings.iter().any(|f| f.rule.code == code);
            if fired != should_fire {
                problems.push(format!(
                    "{code}: expected it {} on fixtures/rules/{code}/{case}, findings were:\n{}",
                    if should_fire {
                        "to fire"
                    } else {
                        "not to fire"
                    },
                    common::concise(&outcome.report)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
