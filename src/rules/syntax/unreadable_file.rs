use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::workspace::{ReadProblem, MAX_FILE_BYTES};

declare_rule! {
    /// ## What it does
    /// Reports a configuration file ipai could not lint at all: it cannot be read, it is
    /// larger than ipai's limit, or it holds binary data (NUL bytes) where text is expected.
    ///
    /// ## Why is this bad?
    /// A file nobody can check is a file whose faults reach production. Binary junk in a
    /// config path usually means a bad merge, a stray upload or an editor swap file.
    ///
    /// ## Example
    /// A `config/odoo.conf` that contains a NUL byte.
    ///
    /// ## Fix
    /// Restore the file from version control, or exclude it with `.gitignore` if it is not
    /// configuration.
    ///
    /// ## Source
    /// POSIX.1-2017 §3.403 "Text File": a text file contains no NUL characters
    /// (<https://pubs.opengroup.org/onlinepubs/9699919799/basedefs/V1_chap03.html#tag_03_403>).
    pub struct UnreadableFile {
        code: "SYN006",
        name: "unreadable-file",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for UnreadableFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for issue in &cx.workspace.read_issues {
            let message = match &issue.problem {
                ReadProblem::Unreadable(why) => {
                    format!("cannot read this {} file: {why}", issue.kind.as_str())
                }
                ReadProblem::TooLarge(size) => {
                    format!("{size} bytes is more than the {MAX_FILE_BYTES} bytes ipai reads; the file was not linted")
                }
                ReadProblem::Binary => format!(
                    "this {} file holds binary data (NUL bytes) and was not linted",
                    issue.kind.as_str()
                ),
                ReadProblem::NotUtf8(_) => continue,
            };
            findings.push(Finding::new(
                &Self::META,
                Location::new(&issue.file, issue.span),
                message,
            ));
        }
    }
}
