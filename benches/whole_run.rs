//! The whole lint of the bundled example stack, as a library call: discovery, parsing,
//! every rule, sorting. The process-level figure (with start-up) is in
//! benches/peers/whole_run.sh.

use ipai::lint::{self, LintRequest};
use std::path::PathBuf;

fn main() {
    divan::main();
}

#[divan::bench]
fn lint_insightpulse_fixture() -> usize {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/insightpulse");
    let mut request = LintRequest::new(Vec::new());
    request.root = Some(root);
    request.today = "2026-11-25".parse().expect("a date");
    lint::run(divan::black_box(&request))
        .map(|o| o.report.findings.len())
        .unwrap_or(0)
}
