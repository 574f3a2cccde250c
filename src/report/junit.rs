//! `--format junit`: JUnit XML, which GitLab shows as a test report
//! (<https://docs.gitlab.com/ci/testing/unit_test_reports/>, `artifacts:reports:junit`).
//!
//! One test suite; one failed test case a reported finding, named after its rule and place,
//! with the file as class name; suppressed and baselined findings are skipped test cases
//! that say why. A clean run is one passing test case, so the report is never empty.

use super::{every_finding, Disposition};
use crate::engine::Report;
use crate::finding::Finding;

pub fn render(report: &Report, repo_prefix: &str) -> String {
    let all = every_finding(report);
    let failures = report.findings.len();
    let skipped = all.len() - failures;
    let tests = all.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts =
        format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\"");
    out.push_str(&format!("<testsuites name=\"ipai-lint\" {counts}>\n"));
    out.push_str(&format!("  <testsuite name=\"ipai-lint\" {counts}>\n"));
    if all.is_empty() {
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"ipai-lint\"/>\n",
            escape(&format!(
                "no findings in {}",
                super::plural(report.files, "file")
            ))
        ));
    }
    for (f, disposition) in all {
        out.push_str(&testcase(f, disposition, repo_prefix));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn testcase(f: &Finding, disposition: Disposition, repo_prefix: &str) -> String {
    let file = format!("{repo_prefix}{}", f.location.file);
    let place = format!("{file}:{}:{}", f.start.line, f.start.column);
    let mut out = format!(
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n",
        escape(&format!("{} {} at {place}", f.rule.code, f.rule.name)),
        escape(&file),
        escape(&file),
        f.start.line,
    );
    match disposition {
        Disposition::Reported => {
            let mut body = format!("{place}: {} {} {}", f.severity, f.rule.code, f.message);
            if let Some(help) = &f.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            for related in &f.related {
                body.push_str(&format!(
                    "\nsee {repo_prefix}{}:{}:{}: {}",
                    related.location.file,
                    related.start.line,
                    related.start.column,
                    related.message
                ));
            }
            body.push_str(&format!("\nmore: ipai-lint explain {}", f.rule.code));
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                f.severity,
                escape(&f.message),
                escape(&body)
            ));
        }
        Disposition::Suppressed => {
            let reason = f.suppressed.as_ref().map_or("", |s| s.reason.as_str());
            out.push_str(&format!(
                "      <skipped message=\"{}\"/>\n",
                escape(&format!("suppressed: {reason}"))
            ));
        }
        Disposition::Baselined => {
            out.push_str("      <skipped message=\"accepted by the baseline\"/>\n");
        }
    }
    out.push_str("    </testcase>\n");
    out
}

/// Text safe in XML 1.0 attribute values and content. Characters XML 1.0 forbids (most
/// C0 controls, U+FFFE, U+FFFF) become U+FFFD; line breaks and tabs are kept as character
/// references so attribute values keep them too.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_quotes_and_forbidden_characters() {
        assert_eq!(
            super::escape("<a href=\"x\">Tom & Jerry's</a>\u{1}\u{FFFF}\n"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;\u{FFFD}\u{FFFD}&#10;"
        );
    }
}
