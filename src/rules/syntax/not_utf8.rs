use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::workspace::ReadProblem;

declare_rule! {
    /// ## What it does
    /// Reports a configuration file that is not valid UTF-8, for example one saved as
    /// Latin-1. The file is still linted, with the invalid bytes shown as `�`.
    ///
    /// ## Why is this bad?
    /// Odoo reads odoo.conf as text in the locale's encoding (UTF-8 in the official image)
    /// and stops on a decoding error; Compose requires UTF-8 YAML; nginx passes the bytes
    /// through, so a Latin-1 `server_name` or header value differs from what was meant.
    ///
    /// ## Example
    /// `add_header X-Owner "Café";` saved in ISO-8859-1.
    ///
    /// ## Fix
    /// Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8`).
    ///
    /// ## Source
    /// YAML 1.2.2 §5.2 "Character Encodings" (<https://yaml.org/spec/1.2.2/#52-character-encodings>);
    /// Python `open()` text mode encoding (<https://docs.python.org/3/library/functions.html#open>).
    pub struct NotUtf8 {
        code: "SYN007",
        name: "file-not-utf8",
        severity: Warning,
        applies: Everywhere,
    }
}

impl Rule for NotUtf8 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for issue in &cx.workspace.read_issues {
            if let ReadProblem::NotUtf8(byte) = issue.problem {
                findings.push(
                    Finding::new(
                        &Self::META,
                        Location::new(&issue.file, issue.span),
                        format!(
                            "this file is not valid UTF-8 (first invalid byte at offset {byte})"
                        ),
                    )
                    .help("re-save the file as UTF-8"),
                );
            }
        }
    }
}
