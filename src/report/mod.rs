//! Renderers: one `Report` in, text out. Renderers never decide severity or filter; every
//! format lists findings in the engine's order (file, line, column, code), except `github`,
//! which puts errors first. No format prints a timestamp or an absolute path.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::engine::Report;
use crate::workspace::Workspace;

/// Output formats of `ipai-lint --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette snippets with file:line:col and help.
    Human,
    /// One `file:line:col: CODE message` line a finding, for editors and problem matchers.
    Concise,
    /// The versioned JSON contract of DESIGN.md.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations), errors first.
    Github,
    /// JUnit XML, for GitLab test reports.
    Junit,
    /// A GitLab Code Quality report, for the merge request widget.
    Gitlab,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Gitlab,
    ];
}

/// How to render, beyond the report itself.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Colour human output.
    pub color: bool,
    /// Prepended to file names in SARIF, GitHub, JUnit and GitLab output, which name files relative
    /// to the git repository (the lint root's path in it, e.g. `infra/`; usually empty).
    pub repo_prefix: String,
}

/// Renders a report in the given format.
pub fn render(
    format: Format,
    report: &Report,
    workspace: &Workspace,
    options: &RenderOptions,
) -> String {
    match format {
        Format::Human => human::render(report, workspace, options.color),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, workspace, &options.repo_prefix),
        Format::Github => github::render(report, &options.repo_prefix),
        Format::Junit => junit::render(report, &options.repo_prefix),
        Format::Gitlab => gitlab::render(report, &options.repo_prefix),
    }
}

/// "1 error", "2 warnings".
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The one-line count every human-facing format ends with.
pub fn summary_line(report: &Report) -> String {
    use crate::severity::Severity;
    let mut line = format!(
        "{}, {}, {} in {}",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info"),
        plural(report.files, "file"),
    );
    let inline = report
        .suppressed
        .iter()
        .filter(|f| f.suppressed.as_ref().is_some_and(|s| s.comment.is_some()))
        .count();
    let by_config = report.suppressed.len() - inline;
    let mut notes = Vec::new();
    if inline > 0 {
        notes.push(format!("{inline} suppressed inline"));
    }
    if by_config > 0 {
        notes.push(format!("{by_config} ignored by per-path config"));
    }
    if report.baseline_applied {
        notes.push(format!("{} baselined", report.baselined.len()));
    }
    if !notes.is_empty() {
        line.push_str(&format!(" ({})", notes.join(", ")));
    }
    line
}

/// What became of a finding, for formats that list every one (SARIF, JUnit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Disposition {
    /// Reported: it counts toward the exit code.
    Reported,
    /// Silenced by an inline comment or a per-path ignore.
    Suppressed,
    /// Accepted by the baseline.
    Baselined,
}

/// Every finding of a report, reported, suppressed or baselined, in the engine's order.
pub(crate) fn every_finding(report: &Report) -> Vec<(&crate::finding::Finding, Disposition)> {
    let mut all: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f, Disposition::Reported))
        .chain(
            report
                .suppressed
                .iter()
                .map(|f| (f, Disposition::Suppressed)),
        )
        .chain(report.baselined.iter().map(|f| (f, Disposition::Baselined)))
        .collect();
    all.sort_by(|(a, _), (b, _)| a.sort_key().cmp(&b.sort_key()));
    all
}

/// Whether a character would act on a terminal or a CI log instead of showing: C0 and C1
/// controls (ESC starts the sequences that move the cursor and erase lines) other than
/// line breaks and tabs, and the bidirectional overrides and isolates that reorder what a
/// reader sees ("Trojan Source", CVE-2021-42574).
fn acts_on_display(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from a repo made safe to print: each character that would act on the display is
/// written as its escape (`\u{1b}`), so a config file cannot erase or forge lines of a
/// report or a CI log.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(acts_on_display) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_display(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text shown in a source snippet, with the same byte length so every span still points
/// where it did: each character that would act on the display becomes `?`, `¿` or `�`
/// (one, two or three bytes, as the character it replaces).
pub fn visible_same_length(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(acts_on_display) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match (acts_on_display(c), c.len_utf8()) {
                (false, _) => c,
                (true, 1) => '?',
                (true, 2) => '\u{bf}',
                (true, _) => '\u{fffd}',
            })
            .collect(),
    )
}

#[cfg(test)]
mod visible_tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_lengths_kept_in_snippets() {
        let text = "location /\u{1b}[2Kfake \u{202e}x\u{9b}\n\tnext";
        let shown = visible(text);
        assert_eq!(shown, "location /\\u{1b}[2Kfake \\u{202e}x\\u{9b}\n\tnext");
        let same = visible_same_length(text);
        assert_eq!(same.len(), text.len());
        assert_eq!(same, "location /?[2Kfake \u{fffd}x\u{bf}\n\tnext");
        assert!(matches!(
            visible("plain text"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
