//! `--format json`: the stable, versioned contract of DESIGN.md.
//!
//! The document is serialized straight from borrowed structs; their fields are declared in
//! alphabetical order, the order the contract has always printed them in.

use crate::engine::Report;
use crate::severity::Severity;
use serde::Serialize;

/// The contract's version; bumped only on an incompatible change.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    findings: Vec<Finding<'a>>,
    summary: Summary,
    version: u32,
}

#[derive(Serialize)]
struct Finding<'a> {
    column: usize,
    end_column: usize,
    end_line: usize,
    file: &'a str,
    line: usize,
    message: &'a str,
    name: &'a str,
    related: Vec<Related<'a>>,
    rule: &'a str,
    severity: &'a str,
}

#[derive(Serialize)]
struct Related<'a> {
    column: usize,
    file: &'a str,
    line: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    files: usize,
    infos: usize,
    warnings: usize,
}

pub fn render(report: &Report) -> String {
    let findings = report
        .findings
        .iter()
        .map(|f| Finding {
            column: f.start.column,
            end_column: f.end.column,
            end_line: f.end.line,
            file: &f.location.file,
            line: f.start.line,
            message: &f.message,
            name: f.rule.name,
            related: f
                .related
                .iter()
                .map(|r| Related {
                    column: r.start.column,
                    file: &r.location.file,
                    line: r.start.line,
                    message: &r.message,
                })
                .collect(),
            rule: f.rule.code,
            severity: f.severity.as_str(),
        })
        .collect();
    let document = Document {
        findings,
        summary: Summary {
            errors: report.count(Severity::Error),
            files: report.files,
            infos: report.count(Severity::Info),
            warnings: report.count(Severity::Warning),
        },
        version: JSON_VERSION,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
