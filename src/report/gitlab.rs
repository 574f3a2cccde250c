//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`,
//! <https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>), which
//! GitLab shows in the merge request widget and the changes view.
//!
//! A JSON array with one object a reported finding: `description`, `check_name` (the rule
//! code), `fingerprint`, `severity` and `location` (repo-relative `path`, `lines.begin`,
//! and the exact begin and end positions). Suppressed and baselined findings are left out:
//! the report lists what is to be fixed.
//!
//! GitLab tells new findings from fixed ones by comparing fingerprints between the merge
//! request and its target branch, and shows only the first finding of a fingerprint. So a
//! fingerprint hashes what identifies a finding but not its line (the rule, the file and
//! the message), plus how many identical findings come before it in the file: it stays the
//! same when lines above it move, and no two findings share one.

use crate::engine::Report;
use crate::finding::Finding;
use crate::hash::FastHashMap;
use crate::severity::Severity;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub fn render(report: &Report, repo_prefix: &str) -> String {
    let mut seen: FastHashMap<(&str, &str, &str), usize> = FastHashMap::default();
    let issues: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let occurrence = seen
                .entry((f.rule.code, &f.location.file, &f.message))
                .or_default();
            *occurrence += 1;
            issue(f, repo_prefix, *occurrence)
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

fn issue(f: &Finding, repo_prefix: &str, occurrence: usize) -> Value {
    let path = format!("{repo_prefix}{}", f.location.file);
    let mut description = format!("{}: {}", f.rule.code, f.message);
    if let Some(help) = &f.help {
        description.push_str(" (help: ");
        description.push_str(help);
        description.push(')');
    }
    json!({
        "description": description,
        "check_name": f.rule.code,
        "fingerprint": fingerprint(f.rule.code, &path, &f.message, occurrence),
        "severity": severity(f.severity),
        "location": {
            "path": path,
            "lines": { "begin": f.start.line },
            "positions": {
                "begin": { "line": f.start.line, "column": f.start.column },
                "end": { "line": f.end.line, "column": f.end.column },
            },
        },
    })
}

/// GitLab's five levels; an error fails the run, so it is `major`, as ESLint's and other
/// linters' GitLab reports map it.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

fn fingerprint(code: &str, path: &str, message: &str, occurrence: usize) -> String {
    let mut hash = Sha256::new();
    for part in [code, path, message, &occurrence.to_string()] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
