//! `--format json`: the stable, versioned contract of DESIGN.md.

use crate::engine::Report;
use crate::severity::Severity;
use serde_json::{json, Value};

/// The contract's version; bumped only on an incompatible change.
pub const JSON_VERSION: u32 = 1;

pub fn render(report: &Report) -> String {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.code,
                "name": f.rule.name,
                "severity": f.severity.as_str(),
                "message": f.message,
                "file": f.location.file,
                "line": f.start.line,
                "column": f.start.column,
                "end_line": f.end.line,
                "end_column": f.end.column,
                "related": f.related.iter().map(|r| json!({
                    "file": r.location.file,
                    "line": r.start.line,
                    "column": r.start.column,
                    "message": r.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let document = json!({
        "version": JSON_VERSION,
        "findings": findings,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "infos": report.count(Severity::Info),
            "files": report.files,
        },
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
