//! The one type every rule produces and every renderer consumes.

use crate::rule::RuleMeta;
use crate::severity::Severity;
use crate::source::{LineCol, Span};

/// A place in a file: the file's repo-relative name and a byte span in its text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: String,
    pub span: Span,
}

impl Location {
    pub fn new(file: impl Into<String>, span: Span) -> Self {
        Location {
            file: file.into(),
            span,
        }
    }
}

/// Another place that explains a finding, usually in another file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
    /// Filled in by the engine from the file's line index.
    pub start: LineCol,
}

/// A suppression that silenced a finding, kept for audit output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub reason: String,
    /// The inline comment that silenced it; `None` when a per-path ignore of the lint
    /// config did.
    pub comment: Option<Location>,
}

/// One problem, at one place, with the places that explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// The rule's default until the engine applies the policy and the repo's overrides.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    pub location: Location,
    pub related: Vec<Related>,
    /// Filled in by the engine from the file's line index.
    pub start: LineCol,
    pub end: LineCol,
    pub suppressed: Option<Suppressed>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, location: Location, message: impl Into<String>) -> Self {
        let unknown = LineCol { line: 1, column: 1 };
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            location,
            related: Vec::new(),
            start: unknown,
            end: unknown,
            suppressed: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A severity other than the rule's default, for a case the rule knows to be milder
    /// (a deprecated alias that still works, where a removed option does nothing).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        let start = LineCol { line: 1, column: 1 };
        self.related.push(Related {
            location,
            message: message.into(),
            start,
        });
        self
    }

    /// The order every output uses: file, line, column, then rule code.
    pub fn sort_key(&self) -> (&str, LineCol, &str, &str) {
        (
            &self.location.file,
            self.start,
            self.rule.code,
            &self.message,
        )
    }
}
