//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the run and on the pull request's diff
//! (<https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands>).
//!
//! GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and 50 per
//! job (actions/toolkit `docs/problem-matchers.md`), so errors come first: they are the ones
//! that must not be cut. Every finding still appears in the log. When `$GITHUB_STEP_SUMMARY`
//! is set, the binary also appends [`step_summary`], a Markdown table of every finding, to
//! the job summary.

use super::concise::one_line;
use crate::engine::Report;
use crate::finding::Finding;
use crate::severity::Severity;
use std::io::Write;
use std::path::Path;

/// Rows in the step summary table; GitHub caps a step summary at 1 MiB.
const SUMMARY_ROWS: usize = 300;

pub fn render(report: &Report, repo_prefix: &str) -> String {
    let mut out = String::new();
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        for f in report.findings.iter().filter(|f| f.severity == severity) {
            out.push_str(&command(f, repo_prefix));
        }
    }
    out.push_str("ipai-lint: ");
    out.push_str(&super::summary_line(report));
    out.push('\n');
    out
}

/// One `::error file=…,line=…::message` command.
fn command(f: &Finding, repo_prefix: &str) -> String {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let file = format!("{repo_prefix}{}", super::visible(&f.location.file));
    let title = format!("{} {}", f.rule.code, f.rule.name);
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(&file),
        f.start.line,
        f.start.column,
        f.end.line,
        f.end.column,
        escape_property(&title),
        escape_data(&message),
    )
}

/// The message part of a workflow command (actions/toolkit `command.ts` `escapeData`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A `key=value` property (actions/toolkit `command.ts` `escapeProperty`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The job summary: counts, then a table of the findings, errors first.
pub fn step_summary(report: &Report, repo_prefix: &str) -> String {
    let mut out = String::from("## ipai-lint\n\n");
    out.push_str(&format!("**{}**\n\n", super::summary_line(report)));
    if report.findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    out.push_str("| severity | rule | location | message |\n|---|---|---|---|\n");
    let ordered = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .flat_map(|s| report.findings.iter().filter(move |f| f.severity == s));
    for f in ordered.clone().take(SUMMARY_ROWS) {
        let at = format!(
            "{repo_prefix}{}:{}:{}",
            f.location.file, f.start.line, f.start.column
        );
        out.push_str(&format!(
            "| {} | {} {} | {} | {} |\n",
            f.severity,
            f.rule.code,
            f.rule.name,
            cell(&at),
            cell(&f.message),
        ));
    }
    let rest = ordered.count().saturating_sub(SUMMARY_ROWS);
    if rest > 0 {
        out.push_str(&format!(
            "\n…and {rest} more: see the step's log, or run `ipai-lint` locally.\n"
        ));
    }
    out
}

/// Text safe inside a Markdown table cell: one line, no column breaks, no raw HTML.
fn cell(text: &str) -> String {
    one_line(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Appends the step summary to the file `$GITHUB_STEP_SUMMARY` names.
pub fn append_step_summary(path: &Path, report: &Report, repo_prefix: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(step_summary(report, repo_prefix).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(cell("a | b <i>\nc"), "a \\| b &lt;i&gt; c");
    }
}
