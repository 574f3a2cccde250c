//! Shared helpers for the integration tests.
#![allow(dead_code)]

use ipai::engine::Report;
use ipai::lint::{self, LintRequest, Outcome};
use ipai::stack::Date;
use std::path::{Path, PathBuf};

/// The date every test lints on, so expiry findings are reproducible.
pub const TODAY: &str = "2026-11-25";

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Lints a directory as its own repo root.
pub fn lint_root(root: &Path) -> Outcome {
    let mut request = LintRequest::new(Vec::new());
    request.root = Some(root.to_path_buf());
    request.today = TODAY.parse::<Date>().expect("TODAY is a date");
    lint::run(&request).unwrap_or_else(|err| panic!("lint of {} failed: {err}", root.display()))
}

/// `file:line:col CODE message` lines, one a finding.
pub fn concise(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|f| format!("{}:{}:{} {} {}\n", f.location.file, f.start.line, f.start.column, f.rule.code, f.message))
        .collect()
}
