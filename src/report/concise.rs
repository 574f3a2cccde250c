//! `--format concise`: `file:line:col: CODE message`, one line a finding, in the gcc style
//! that editors and CI problem matchers read. Nothing else is printed, so every line parses.

use crate::engine::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}:{}: {} {}\n",
            super::visible(&f.location.file),
            f.start.line,
            f.start.column,
            f.rule.code,
            one_line(&f.message)
        ));
    }
    out
}

/// A message on one line: line breaks would split a finding in two for a line reader.
pub(crate) fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
