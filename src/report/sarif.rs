//! `--format sarif`: SARIF 2.1.0 (OASIS, <https://docs.oasis-open.org/sarif/sarif/v2.1.0/>)
//! for GitHub code scanning, in hand-written structs that hold exactly what GitHub reads
//! (<https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support>),
//! with its required fields required here too.
//!
//! - Every rule is described (id, name, short and full description, help from its doc), so
//!   a result's `ruleIndex` does not depend on what fired.
//! - Files are repo-relative URIs against `%SRCROOT%`; regions have start and end line and
//!   column, counted in Unicode code points as ipai counts them (`columnKind`).
//! - Cross-file findings list the other files as `relatedLocations`.
//! - Suppressed findings are results with `suppressions[]` (`inSource` with the comment's
//!   reason, `external` for a per-path ignore of the config), for audit.
//! - With a baseline, `baselineState` is `unchanged` for accepted findings and `new` for
//!   the rest.
//! - `partialFingerprints` carries ipai's own line-independent key; GitHub's
//!   `primaryLocationLineHash` is left to `upload-sarif`, which computes it from the file.

use super::{every_finding, Disposition};
use crate::engine::Report;
use crate::finding::{Finding, Location};
use crate::rule::RuleMeta;
use crate::severity::Severity;
use crate::source::LineCol;
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base every result URI is relative to: the repository's root.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, BaseLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct BaseLocation {
    description: Message,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SarifLocation>,
}

pub fn render(report: &Report, workspace: &Workspace, repo_prefix: &str) -> String {
    let mut metas: Vec<&'static RuleMeta> = crate::rules::all().iter().map(|r| r.meta()).collect();
    metas.sort_by_key(|m| m.code);
    let index: BTreeMap<&str, usize> = metas.iter().enumerate().map(|(i, m)| (m.code, i)).collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let results = every_finding(report)
        .into_iter()
        .map(|(f, disposition)| {
            let key = fingerprint(f);
            let occurrence = seen.entry(key.clone()).or_default();
            *occurrence += 1;
            result(
                f,
                disposition,
                report.baseline_applied,
                index.get(f.rule.code).copied().unwrap_or(0),
                format!("{key}:{occurrence}"),
                workspace,
                repo_prefix,
            )
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "ipai-lint",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: metas.into_iter().map(descriptor).collect(),
                },
            },
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseLocation {
                    description: Message {
                        text: "The root of the repository that holds the linted files.".into(),
                    },
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn descriptor(meta: &'static RuleMeta) -> ReportingDescriptor {
    let doc = meta.doc_text();
    let what = meta
        .section("## What it does")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| meta.summary());
    ReportingDescriptor {
        id: meta.code,
        name: meta.name,
        short_description: Message {
            text: at_most(
                non_empty(meta.summary(), meta.name),
                SHORT_DESCRIPTION_CHARS,
            ),
        },
        full_description: Message {
            text: non_empty(what, meta.name),
        },
        help: MultiformatMessage {
            text: non_empty(doc.clone(), meta.name),
            markdown: non_empty(doc, meta.name),
        },
        default_configuration: Configuration {
            level: level(meta.severity),
        },
    }
}

/// GitHub's limit on `shortDescription.text`.
const SHORT_DESCRIPTION_CHARS: usize = 1024;

fn at_most(text: String, chars: usize) -> String {
    match text.char_indices().nth(chars.saturating_sub(1)) {
        Some((cut, _)) if text[cut..].chars().count() > 1 => format!("{}…", &text[..cut]),
        _ => text,
    }
}

/// GitHub rejects empty strings where it requires text.
fn non_empty(text: String, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback.to_string()
    } else {
        text
    }
}

fn result(
    f: &Finding,
    disposition: Disposition,
    baseline_applied: bool,
    rule_index: usize,
    fingerprint: String,
    workspace: &Workspace,
    repo_prefix: &str,
) -> SarifResult {
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let related_locations = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| SarifLocation {
            id: Some(i + 1),
            physical_location: physical(&r.location.file, r.start, None, repo_prefix),
            message: Some(Message {
                text: r.message.clone(),
            }),
        })
        .collect();
    let suppressions = match (&f.suppressed, disposition) {
        (Some(s), Disposition::Suppressed) => vec![Suppression {
            kind: if s.comment.is_some() {
                "inSource"
            } else {
                "external"
            },
            status: "accepted",
            justification: s.reason.clone(),
            location: s
                .comment
                .as_ref()
                .map(|comment| comment_location(comment, workspace, repo_prefix)),
        }],
        _ => Vec::new(),
    };
    let baseline_state = baseline_applied.then_some(match disposition {
        Disposition::Baselined => "unchanged",
        _ => "new",
    });
    SarifResult {
        rule_id: f.rule.code,
        rule_index,
        level: level(f.severity),
        message: Message { text },
        locations: vec![SarifLocation {
            id: None,
            physical_location: physical(&f.location.file, f.start, Some(f.end), repo_prefix),
            message: None,
        }],
        related_locations,
        partial_fingerprints: BTreeMap::from([("ipaiFingerprint/v1", fingerprint)]),
        suppressions,
        baseline_state,
    }
}

fn comment_location(comment: &Location, workspace: &Workspace, repo_prefix: &str) -> SarifLocation {
    let (start, end) = workspace
        .source(&comment.file)
        .map(|s| {
            (
                s.line_col(comment.span.start()),
                s.line_col(comment.span.end()),
            )
        })
        .unwrap_or((
            LineCol { line: 1, column: 1 },
            LineCol { line: 1, column: 1 },
        ));
    SarifLocation {
        id: None,
        physical_location: physical(&comment.file, start, Some(end), repo_prefix),
        message: None,
    }
}

fn physical(
    file: &str,
    start: LineCol,
    end: Option<LineCol>,
    repo_prefix: &str,
) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&format!("{repo_prefix}{file}")),
            uri_base_id: SRCROOT,
        },
        region: Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.map(|e| e.line),
            end_column: end.map(|e| e.column),
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a `/`-separated path: every byte but the unreserved ones
/// (RFC 3986 §2.3) and `/` is percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A key for a finding that survives line shifts: FNV-1a (64 bits) over the rule, the
/// file and the message. A counter tells equal keys apart.
fn fingerprint(f: &Finding) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [f.rule.code, f.location.file.as_str(), f.message.as_str()] {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(uri("deploy/nginx/erp.conf"), "deploy/nginx/erp.conf");
        assert_eq!(uri("a b/c#d%.conf"), "a%20b/c%23d%25.conf");
        assert_eq!(uri("café.conf"), "caf%C3%A9.conf");
    }

    #[test]
    fn short_descriptions_fit_github_limit() {
        assert_eq!(at_most("abc".into(), 3), "abc");
        assert_eq!(at_most("abcd".into(), 3), "ab…");
        assert_eq!(at_most("é".repeat(2000), 1024).chars().count(), 1024);
    }
}
