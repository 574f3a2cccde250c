//! The one error type every parser returns: a message at a span.

use crate::source::Span;

/// Something a parser could not accept. Parsers collect these and keep going where they
/// can; the engine turns each into a `SYN` finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// How to fix it, when the parser knows.
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
