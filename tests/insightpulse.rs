//! The bundled example stack, reconstructed from the snapshot with its faults: what a user
//! sees when linting it, in both output formats.

mod common;

use ipai::report::{self, Format};

#[test]
fn the_snapshot_repo_shows_its_real_faults() {
    let outcome = common::lint_root(&common::repo_path("fixtures/insightpulse"));
    insta::assert_snapshot!("insightpulse_concise", common::concise(&outcome.report));
    let human = report::render(
        Format::Human,
        &outcome.report,
        &outcome.workspace,
        &report::RenderOptions::default(),
    );
    insta::assert_snapshot!("insightpulse_human", human);
    let json = report::render(
        Format::Json,
        &outcome.report,
        &outcome.workspace,
        &report::RenderOptions::default(),
    );
    insta::assert_snapshot!("insightpulse_json", json);
}

#[test]
fn linting_one_file_reports_only_that_file_with_the_whole_repo_as_context() {
    let root = common::repo_path("fixtures/insightpulse");
    let mut request = ipai::lint::LintRequest::new(vec![root.join("config/odoo.conf")]);
    request.today = common::TODAY.parse().unwrap();
    let outcome = ipai::lint::run(&request).unwrap();
    assert!(!outcome.report.findings.is_empty());
    assert!(outcome
        .report
        .findings
        .iter()
        .all(|f| f.location.file == "config/odoo.conf"));
    // The nginx vhosts were still read: the workspace holds them for cross-file rules.
    assert!(outcome
        .workspace
        .find("deploy/nginx/erp.insightpulseai.net.conf")
        .is_some());
}
