//! Differential test: ipai's odoo.conf parser against CPython's `configparser`, the reader
//! Odoo 16–18 use.
//!
//! `tests/validators/configparser_dump.py` reads each file with `RawConfigParser()` and prints
//! what Python makes of it. For every odoo.conf under `fixtures/` (every `*.conf` whose first
//! line that is not blank or a comment is a `[section]` header, and every file under
//! `fixtures/parsers/odoo_conf/`), and for a few hundred generated files full of edge cases,
//! the two must agree on whether the file is accepted, on the exception and the lines it
//! names, and, when Python read the whole file, on every section, key and value.
//!
//! Needs `python3`. Without it the test fails when `CI` is set and is skipped otherwise.

use ipai::formats::odoo_conf::{parse, Entry, OdooConf, DEFAULT_SECTION};
use ipai::source::SourceFile;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const DUMP_SCRIPT: &str = "tests/validators/configparser_dump.py";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `python3`, or `None` (after failing under CI) when it cannot run.
fn python() -> Option<&'static str> {
    let works = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if works {
        return Some("python3");
    }
    if std::env::var_os("CI").is_some() {
        panic!("python3 is required for the configparser differential test (CI is set)");
    }
    eprintln!("notice: python3 not found, skipping the configparser differential test");
    None
}

/// What Python made of one file.
struct PythonView {
    ok: bool,
    error_type: Option<String>,
    error_lines: Vec<u64>,
    /// `None` when Python stopped before the end of the file.
    content: Option<Content>,
}

#[derive(Debug, PartialEq)]
struct Content {
    sections: Vec<(String, Vec<(String, String)>)>,
    defaults: Vec<(String, String)>,
    /// `parser.items(name)` for each section, in `sections` order.
    items: Vec<Vec<(String, String)>>,
}

fn run_python(python: &str, files: &[PathBuf]) -> Vec<PythonView> {
    let mut views = Vec::new();
    // Batches keep the command line short.
    for batch in files.chunks(200) {
        let out = Command::new(python)
            .arg(root().join(DUMP_SCRIPT))
            .args(batch)
            .output()
            .expect("run configparser_dump.py");
        assert!(
            out.status.success(),
            "configparser_dump.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).expect("the dump is UTF-8 JSON");
        for line in stdout.lines() {
            let json: Value = serde_json::from_str(line).expect("one JSON object a line");
            views.push(python_view(&json));
        }
    }
    assert_eq!(views.len(), files.len(), "one result a file");
    views
}

fn python_view(json: &Value) -> PythonView {
    let pairs = |v: &Value| -> Vec<(String, String)> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|pair| {
                let text = |i: usize| {
                    pair.get(i)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                (text(0), text(1))
            })
            .collect()
    };
    let ok = json["ok"].as_bool().unwrap_or(false);
    let error_type = json["error_type"].as_str().map(str::to_owned);
    let complete = ok || error_type.as_deref() == Some("ParsingError");
    let content = complete.then(|| Content {
        sections: json["section_order"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|name| (name.to_owned(), pairs(&json["sections"][name])))
            .collect(),
        defaults: pairs(&json["defaults"]),
        items: json["section_order"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|name| pairs(&json["items"][name]))
            .collect(),
    });
    PythonView {
        ok,
        error_type,
        error_lines: json["error_lines"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect(),
        content,
    }
}

/// Our model seen as Python's dicts: sections by first appearance, a repeated key replacing
/// the earlier value in place.
fn our_content(conf: &OdooConf) -> Content {
    fn upsert(list: &mut Vec<(String, String)>, index: &mut HashMap<String, usize>, e: &Entry) {
        match index.get(&e.key) {
            Some(&at) => list[at].1 = e.value.clone(),
            None => {
                index.insert(e.key.clone(), list.len());
                list.push((e.key.clone(), e.value.clone()));
            }
        }
    }
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut indexes: Vec<HashMap<String, usize>> = Vec::new();
    let mut defaults = Vec::new();
    let mut default_index = HashMap::new();
    for section in &conf.sections {
        if section.name == DEFAULT_SECTION {
            for entry in &section.entries {
                upsert(&mut defaults, &mut default_index, entry);
            }
            continue;
        }
        let at = match sections.iter().position(|(name, _)| *name == section.name) {
            Some(at) => at,
            None => {
                sections.push((section.name.clone(), Vec::new()));
                indexes.push(HashMap::new());
                sections.len() - 1
            }
        };
        for entry in &section.entries {
            upsert(&mut sections[at].1, &mut indexes[at], entry);
        }
    }
    let items = sections
        .iter()
        .map(|(name, _)| {
            conf.items(name)
                .unwrap_or_default()
                .iter()
                .map(|e| (e.key.clone(), e.value.clone()))
                .collect()
        })
        .collect();
    Content {
        sections,
        defaults,
        items,
    }
}

/// Every disagreement between Python and us on one file.
fn compare(path: &Path, python: &PythonView) -> Vec<String> {
    let bytes = std::fs::read(path).expect("read fixture");
    let conf = parse(&SourceFile::from_bytes(
        path.display().to_string(),
        path,
        &bytes,
    ));
    let mut problems = Vec::new();
    let ours_type = conf
        .python_error
        .as_ref()
        .map(|e| e.kind.class_name().to_owned());
    if python.ok != conf.python_accepts() || python.error_type != ours_type {
        problems.push(format!(
            "Python: {:?} {:?}; ipai: {:?} (errors: {:?})",
            python.error_type,
            python.error_lines,
            conf.python_error,
            conf.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        ));
    } else if let Some(error) = &conf.python_error {
        let ours: Vec<u64> = error.lines.iter().map(|&l| l as u64).collect();
        if ours != python.error_lines {
            problems.push(format!(
                "error lines: Python {:?}, ipai {ours:?}",
                python.error_lines
            ));
        }
    }
    if python.ok != conf.errors.is_empty()
        && !matches!(conf.python_error, Some(ref e) if e.kind.class_name() == "UnicodeDecodeError")
    {
        problems.push(format!(
            "Python accepts: {}, but ipai reports {} syntax errors",
            python.ok,
            conf.errors.len()
        ));
    }
    if let Some(expected) = &python.content {
        let ours = our_content(&conf);
        if &ours != expected {
            problems.push(format!(
                "content:\n  Python {expected:?}\n  ipai   {ours:?}"
            ));
        }
    }
    problems
}

fn check_all(python: &str, files: &[PathBuf]) -> Vec<PythonView> {
    let views = run_python(python, files);
    let mut failures = Vec::new();
    for (path, view) in files.iter().zip(&views) {
        for problem in compare(path, view) {
            failures.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    views
}

/// Whether a file reads as INI: its first line that is not blank or a comment is a header.
fn looks_like_ini(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .is_some_and(|l| l.starts_with('['))
}

fn collect_fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_fixtures(&path, out);
            continue;
        }
        let ours = path.starts_with(root().join("fixtures/parsers/odoo_conf"));
        let is_conf = path.extension().is_some_and(|e| e == "conf");
        if ours || (is_conf && std::fs::read(&path).is_ok_and(|b| looks_like_ini(&b))) {
            out.push(path);
        }
    }
}

#[test]
fn every_odoo_conf_fixture_reads_as_configparser_reads_it() {
    let Some(python) = python() else { return };
    let mut files = Vec::new();
    collect_fixtures(&root().join("fixtures"), &mut files);
    files.sort();
    assert!(
        files
            .iter()
            .filter(|f| f.starts_with(root().join("fixtures/parsers/odoo_conf")))
            .count()
            >= 30,
        "the odoo.conf fixtures are missing"
    );
    let _ = check_all(python, &files);
}

/// Lines that exercise every branch of `RawConfigParser._read`.
const PIECES: &[&str] = &[
    "[options]",
    "[DEFAULT]",
    "[Options]",
    "[queue_job]",
    "  [options]",
    "[a]b]",
    "[]",
    "[unclosed",
    "[x] ; trailing",
    "workers = 4",
    "Workers=2",
    "db_host: db",
    "db_port :5432",
    "proxy_mode = True ; inline",
    "addons_path =",
    "  /mnt/a,",
    "\t/mnt/b",
    "    deeper",
    " shallow = 1",
    "",
    "   ",
    "\t",
    "# comment",
    "  ; indented comment",
    "= no name",
    " : no name",
    "no separator here",
    "key =",
    "dup = 1",
    "DUP = 2",
    "\u{a0}nbsp\u{a0}=\u{a0}x\u{a0}",
    "\u{3000}ideographic = y",
    "\u{c}",
    "\u{1c}sep = z",
    "k = a=b:c",
    "ünï = ΣΣ",
    "%(x)s = %d",
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn generated_file(rng: &mut Rng) -> Vec<u8> {
    let mut text = String::new();
    if rng.below(25) == 0 {
        text.push('\u{feff}');
    }
    // Most files start with a header, so that later branches are reached.
    if rng.below(6) != 0 {
        text.push_str("[options]\n");
    }
    let endings = ["\n", "\n", "\n", "\r\n", "\r"];
    for _ in 0..rng.below(14) {
        text.push_str(PIECES[rng.below(PIECES.len())]);
        text.push_str(endings[rng.below(endings.len())]);
    }
    if rng.below(4) == 0 {
        text.push_str(PIECES[rng.below(PIECES.len())]);
    }
    text.into_bytes()
}

#[test]
fn generated_edge_case_files_read_as_configparser_reads_them() {
    let Some(python) = python() else { return };
    let dir = std::env::temp_dir().join(format!(
        "ipai-odoo-conf-differential-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut files = Vec::new();
    for i in 0..600 {
        let path = dir.join(format!("case-{i:03}.conf"));
        std::fs::write(&path, generated_file(&mut rng)).expect("write case");
        files.push(path);
    }
    let views = check_all(python, &files);
    let _ = std::fs::remove_dir_all(&dir);

    // The generator must reach every outcome, or the agreement above proves little.
    let mut outcomes: HashMap<String, usize> = HashMap::new();
    for view in &views {
        let outcome = view
            .error_type
            .clone()
            .unwrap_or_else(|| "accepted".to_owned());
        *outcomes.entry(outcome).or_default() += 1;
    }
    for outcome in [
        "accepted",
        "ParsingError",
        "MissingSectionHeaderError",
        "DuplicateOptionError",
        "DuplicateSectionError",
    ] {
        let seen = outcomes.get(outcome).copied().unwrap_or(0);
        assert!(
            seen >= 20,
            "only {seen} generated files end in {outcome}: {outcomes:?}"
        );
    }
}
