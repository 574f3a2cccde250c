//! The CI output formats as their consumers read them: SARIF checked against the OASIS
//! schema by a real validator, GitHub workflow commands and the job summary, JUnit XML
//! parsed by an XML parser, GitLab Code Quality JSON, concise lines, and byte-identical
//! output run after run.
//!
//! The example repo is `fixtures/ci/`: one unreadable suppression (SYN010, an error), one
//! Latin-1 vhost (SYN007, a warning), one suppressed inline with a reason and one under a
//! per-path ignore of its ipai.toml. The tests copy it to `infra/` of a fresh git work tree,
//! so SARIF, GitHub and JUnit must name files `infra/…`.

mod common;

use common::{copy_tree, ipai_lint, ipai_lint_env, repo_path, TempDir};
use ipai::engine::Report;
use ipai::finding::{Finding, Location};
use ipai::report::{self, Format, RenderOptions};
use ipai::rules::syntax::{NotUtf8, UnusedSuppression};
use ipai::source::{LineCol, Span};
use ipai::workspace::Workspace;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The example repo at `<tmp>/infra`, with `<tmp>/.git` making `<tmp>` the git work tree.
fn example_repo(label: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new(label);
    std::fs::create_dir_all(dir.0.join(".git")).expect("create .git");
    let infra = dir.0.join("infra");
    copy_tree(&repo_path("fixtures/ci"), &infra);
    (dir, infra)
}

fn run(format: &str, cwd: &Path) -> (i32, String) {
    let (code, stdout, stderr) = ipai_lint(&["--format", format], cwd);
    assert!(
        code == 0 || code == 1,
        "ipai-lint --format {format} failed to run: {stderr}"
    );
    (code, stdout)
}

/// Errors of the SARIF document against the OASIS SARIF 2.1.0 schema, by Python's
/// jsonschema (Draft 7, as the schema declares). `None` when the validator is unavailable
/// outside CI.
fn sarif_schema_errors(document: &str) -> Option<Vec<String>> {
    let venv = common::python_tools()?;
    let dir = TempDir::new("sarif-doc");
    let doc = dir.write("result.sarif", document);
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1], encoding='utf-8'))\n\
        doc = json.load(open(sys.argv[2], encoding='utf-8'))\n\
        validator = jsonschema.Draft7Validator(schema)\n\
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):\n\
        \x20   print('/' + '/'.join(map(str, e.absolute_path)) + ': ' + e.message)\n";
    let output = std::process::Command::new(venv.join("bin/python"))
        .arg("-c")
        .arg(script)
        .arg(repo_path("tests/schemas/sarif-2.1.0.json"))
        .arg(&doc)
        .output()
        .expect("run the schema validator");
    assert!(
        output.status.success(),
        "the validator crashed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let (_dir, infra) = example_repo("sarif-schema");
    let (code, sarif) = run("sarif", &infra);
    assert_eq!(code, 1, "the SYN010 error fails the run");
    let Some(errors) = sarif_schema_errors(&sarif) else {
        return;
    };
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));

    // The validator is not vacuous: a wrong level and a missing message are caught.
    let mut broken: Value = serde_json::from_str(&sarif).unwrap();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let errors = sarif_schema_errors(&broken.to_string()).unwrap_or_default();
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn sarif_describes_rules_locations_and_suppressions_as_github_reads_them() {
    let (_dir, infra) = example_repo("sarif-content");
    let (_, sarif) = run("sarif", &infra);
    let doc: Value = serde_json::from_str(&sarif).expect("valid JSON");
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ipai::engine::all_rules().len());
    for rule in rules {
        for field in [
            "/id",
            "/name",
            "/shortDescription/text",
            "/fullDescription/text",
            "/help/text",
            "/help/markdown",
            "/defaultConfiguration/level",
        ] {
            let text = rule.pointer(field).and_then(Value::as_str).unwrap_or("");
            assert!(!text.trim().is_empty(), "{} lacks {field}", rule["id"]);
        }
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= 1024,
            "GitHub's limit"
        );
    }
    let results = run["results"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at the rule"
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for field in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(location["region"][field].as_u64().unwrap() >= 1, "{field}");
        }
        assert!(result["partialFingerprints"]["ipaiFingerprint/v1"].is_string());
        assert!(
            result.get("baselineState").is_none(),
            "no baseline, no baselineState"
        );
    }

    let error = results
        .iter()
        .find(|r| r["ruleId"] == "SYN010")
        .expect("the SYN010 error");
    assert_eq!(error["level"], "error");
    let region = &error["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        error["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/config/odoo.conf",
        "URIs are relative to the git work tree, not to the lint root"
    );
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&Value::from(2), &Value::from(3))
    );
    assert_eq!(
        (&region["endLine"], &region["endColumn"]),
        (&Value::from(2), &Value::from(28))
    );

    let suppression = |uri: &str| {
        let result = results
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
            .unwrap_or_else(|| panic!("no result in {uri}"));
        result["suppressions"][0].clone()
    };
    let inline = suppression("infra/deploy/nginx/shop.example.net.conf");
    assert_eq!(inline["kind"], "inSource");
    assert_eq!(
        inline["justification"],
        "the header is pasted from the vendor's Latin-1 template"
    );
    assert_eq!(
        inline["location"]["physicalLocation"]["region"]["startLine"],
        4
    );
    let by_path = suppression("infra/legacy/nginx/old-erp.conf");
    assert_eq!(by_path["kind"], "external");
    assert!(by_path["justification"]
        .as_str()
        .unwrap()
        .starts_with("The retired vhosts"));
    let unsuppressed = suppression("infra/deploy/nginx/erp.example.net.conf");
    assert!(
        unsuppressed.is_null(),
        "a reported finding has no suppressions"
    );
}

/// A cross-file finding, built directly: no rule of this build yet points at two files.
fn cross_file_report() -> (Report, Workspace) {
    let workspace = Workspace::from_memory(
        Path::new("/nonexistent"),
        vec![
            (
                "config/odoo.conf".into(),
                b"[options]\nproxy_mode = False\n".to_vec(),
            ),
            (
                "deploy/nginx/erp.conf".into(),
                b"server {\n    proxy_set_header X-Forwarded-Host $host;\n}\n".to_vec(),
            ),
        ],
    );
    let mut finding = Finding::new(
        &NotUtf8::META,
        Location::new("config/odoo.conf", Span::new(10, 28)),
        "proxy_mode is off while nginx forwards X-Forwarded-Host",
    )
    .help("set `proxy_mode = True`")
    .related(
        Location::new("deploy/nginx/erp.conf", Span::new(13, 29)),
        "nginx sets the forwarded headers here",
    );
    finding.start = LineCol { line: 2, column: 1 };
    finding.end = LineCol {
        line: 2,
        column: 19,
    };
    finding.related[0].start = LineCol { line: 2, column: 5 };
    let mut accepted = Finding::new(
        &UnusedSuppression::META,
        Location::new("deploy/nginx/erp.conf", Span::new(0, 6)),
        "an old finding the baseline accepts",
    );
    accepted.end = LineCol { line: 1, column: 7 };
    let report = Report {
        findings: vec![finding],
        baselined: vec![accepted],
        baseline_applied: true,
        files: 2,
        ..Report::default()
    };
    (report, workspace)
}

#[test]
fn sarif_lists_related_locations_and_baseline_states() {
    let (report, workspace) = cross_file_report();
    let sarif = report::render(
        Format::Sarif,
        &report,
        &workspace,
        &RenderOptions::default(),
    );
    let doc: Value = serde_json::from_str(&sarif).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let reported = &results[0];
    assert_eq!(reported["baselineState"], "new");
    assert_eq!(
        reported["message"]["text"],
        "proxy_mode is off while nginx forwards X-Forwarded-Host\nhelp: set `proxy_mode = True`"
    );
    let related = &reported["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "deploy/nginx/erp.conf"
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(related["physicalLocation"]["region"]["startColumn"], 5);
    assert_eq!(
        related["message"]["text"],
        "nginx sets the forwarded headers here"
    );
    assert_eq!(results[1]["baselineState"], "unchanged");
    if let Some(errors) = sarif_schema_errors(&sarif) {
        assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
    }
}

#[test]
fn github_commands_put_errors_first_and_escape_their_fields() {
    let (dir, infra) = example_repo("github");
    let summary = dir.write("step-summary.md", "## earlier step\n\n");
    let summary_env = summary.to_string_lossy().into_owned();
    let (code, stdout, stderr) = ipai_lint_env(
        &["--format", "github"],
        &infra,
        &[("GITHUB_STEP_SUMMARY", summary_env.as_str())],
    );
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=infra/config/odoo.conf,line=2,col=3,endLine=2,endColumn=28,title=SYN010 invalid-suppression::suppression without a reason%0Ahelp: add ` -- why this is acceptable` after the code list; a reason is required",
            "::warning file=infra/deploy/nginx/erp.example.net.conf,line=4,col=28,endLine=4,endColumn=29,title=SYN007 file-not-utf8::this file is not valid UTF-8 (first invalid byte at offset 84)%0Ahelp: re-save the file as UTF-8",
            "ipai-lint: 1 error, 1 warning, 0 infos in 4 files (1 suppressed inline, 1 ignored by per-path config)",
        ]
    );

    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("## earlier step\n\n## ipai-lint\n"),
        "appended, not replaced:\n{written}"
    );
    assert!(written.contains("| severity | rule | location | message |"));
    assert!(written.contains(
        "| error | SYN010 invalid-suppression | infra/config/odoo.conf:2:3 | suppression without a reason |"
    ), "{written}");
    let error_row = written.find("| error |").unwrap();
    let warning_row = written.find("| warning |").unwrap();
    assert!(error_row < warning_row, "errors first in the table too");

    // Without the variable, nothing is written anywhere but stdout.
    let (_, again, _) = ipai_lint(&["--format", "github"], &infra);
    assert_eq!(again, stdout);
}

#[test]
fn github_sorts_errors_before_warnings_across_files() {
    // A warning in a file that sorts first and an error in a file that sorts last.
    let repo = TempDir::new("github-order");
    repo.write("ipai.toml", "select = [\"SYN\"]\n");
    repo.write(
        "a/site.conf",
        b"server {\n    add_header X-Owner \"Caf\xe9\";\n}\n",
    );
    repo.write(
        "z/site.conf",
        "server {\n    # ipai-lint: ignore[SYN001]\n}\n",
    );
    let (_, stdout, _) = ipai_lint(&["--format", "github"], &repo.0);
    let kinds: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("::"))
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["error", "warning"], "{stdout}");
}

#[test]
fn junit_is_well_formed_xml_that_gitlab_can_read() {
    let (_dir, infra) = example_repo("junit");
    let (code, xml) = run("junit", &infra);
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite = suites
        .children()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    assert_eq!(suite.attribute("tests"), Some("4"));
    assert_eq!(suite.attribute("failures"), Some("2"));
    assert_eq!(suite.attribute("skipped"), Some("2"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 4);
    let first = cases[0];
    assert_eq!(
        first.attribute("name"),
        Some("SYN010 invalid-suppression at infra/config/odoo.conf:2:3")
    );
    assert_eq!(first.attribute("file"), Some("infra/config/odoo.conf"));
    let failure = first
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("error"));
    assert_eq!(
        failure.attribute("message"),
        Some("suppression without a reason")
    );
    assert!(failure
        .text()
        .unwrap()
        .contains("\nhelp: add ` -- why this is acceptable`"));
    let skipped: Vec<&str> = cases
        .iter()
        .filter_map(|c| c.children().find(|n| n.has_tag_name("skipped")))
        .filter_map(|n| n.attribute("message"))
        .collect();
    assert_eq!(
        skipped,
        [
            "suppressed: the header is pasted from the vendor's Latin-1 template",
            "suppressed: The retired vhosts are kept byte for byte as the vendor shipped them, in Latin-1."
        ]
    );
}

#[test]
fn gitlab_code_quality_lists_reported_findings_under_repo_paths() {
    let (_dir, infra) = example_repo("gitlab");
    let (code, text) = run("gitlab", &infra);
    assert_eq!(code, 1);
    let issues: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    // The two reported findings; the suppressed and the path-ignored ones are not debt.
    assert_eq!(issues.len(), 2, "{text}");
    let first = &issues[0];
    assert_eq!(first["check_name"], "SYN010");
    assert_eq!(first["severity"], "major");
    assert_eq!(first["location"]["path"], "infra/config/odoo.conf");
    assert_eq!(first["location"]["lines"]["begin"], 2);
    assert_eq!(first["location"]["positions"]["begin"]["column"], 3);
    assert!(first["description"]
        .as_str()
        .unwrap()
        .starts_with("SYN010: suppression without a reason (help: "));
    assert_eq!(issues[1]["check_name"], "SYN007");
    assert_eq!(issues[1]["severity"], "minor");
    for issue in &issues {
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert!(
            fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
            "{fingerprint}"
        );
    }
}

#[test]
fn gitlab_fingerprints_are_unique_and_survive_moved_lines() {
    let repo = TempDir::new("gitlab-fingerprints");
    repo.write("ipai.toml", "select = [\"SYN010\"]\n");
    let conf =
        "[options]\n# ipai-lint: ignore[ODOO001]\nworkers = 2\n# ipai-lint: ignore[ODOO001]\n";
    repo.write("config/odoo.conf", conf);
    let issues = |repo: &TempDir| -> Vec<Value> {
        let (code, text, _) = ipai_lint(&["--format", "gitlab"], &repo.0);
        assert_eq!(code, 1, "{text}");
        serde_json::from_str(&text).unwrap()
    };
    let before = issues(&repo);
    assert_eq!(before.len(), 2);
    // Two findings with the same rule, file and message still differ: GitLab would show
    // only the first of a fingerprint.
    assert_ne!(before[0]["fingerprint"], before[1]["fingerprint"]);

    repo.write("config/odoo.conf", format!("; moved down\n\n{conf}"));
    let after = issues(&repo);
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(old["fingerprint"], new["fingerprint"]);
        assert_eq!(
            new["location"]["lines"]["begin"].as_u64(),
            old["location"]["lines"]["begin"]
                .as_u64()
                .map(|line| line + 2)
        );
    }
}

#[test]
fn junit_escapes_markup_and_drops_characters_xml_forbids() {
    let (mut report, workspace) = cross_file_report();
    report.findings[0].message = "a <b> & \"c\" 'd' \u{7}\u{1b}[31m".into();
    let xml = report::render(
        Format::Junit,
        &report,
        &workspace,
        &RenderOptions::default(),
    );
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some("a <b> & \"c\" 'd' \u{FFFD}\u{FFFD}[31m")
    );
    let clean = report::render(
        Format::Junit,
        &Report::default(),
        &workspace,
        &RenderOptions::default(),
    );
    let doc = roxmltree::Document::parse(&clean).unwrap();
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .expect("a clean run is one passing test case");
    assert_eq!(case.attribute("name"), Some("no findings in 0 files"));
    assert_eq!(case.children().filter(|n| n.is_element()).count(), 0);
}

#[test]
fn concise_is_one_gcc_style_line_a_finding() {
    let (_dir, infra) = example_repo("concise");
    let (code, stdout) = run("concise", &infra);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "config/odoo.conf:2:3: SYN010 suppression without a reason\n\
         deploy/nginx/erp.example.net.conf:4:28: SYN007 this file is not valid UTF-8 (first invalid byte at offset 84)\n"
    );
}

#[test]
fn every_format_is_byte_identical_run_after_run_and_names_no_absolute_path() {
    let (dir, infra) = example_repo("determinism");
    let absolute = dir.0.to_string_lossy().into_owned();
    let canonical = std::fs::canonicalize(&dir.0)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    for format in Format::ALL {
        let name = clap::ValueEnum::to_possible_value(&format)
            .unwrap()
            .get_name()
            .to_string();
        let (_, first) = run(&name, &infra);
        let (_, second) = run(&name, &infra);
        assert!(!first.is_empty(), "{name} printed nothing");
        assert_eq!(first, second, "{name} output differs between two runs");
        for path in [&absolute, &canonical] {
            assert!(
                !first.contains(path.as_str()),
                "{name} output names the absolute path {path}:\n{first}"
            );
        }
    }
}
