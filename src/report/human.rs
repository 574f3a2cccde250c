//! Human output: miette's graphical report for each finding, its related locations as
//! advice with their own snippets, and a one-line summary.

use crate::engine::Report;
use crate::finding::Finding;
use crate::severity::Severity;
use crate::source::SourceFile;
use crate::workspace::Workspace;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

pub fn render(report: &Report, workspace: &Workspace, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Lines are not re-wrapped: terminals wrap long lines themselves, CI logs keep a message
    // on one line for grep, and wrapping was most of the rendering time.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_wrap_lines(false)
        .with_width(100);
    let mut out = String::new();
    for finding in &report.findings {
        let diagnostic = FindingDiagnostic::new(finding, workspace);
        if handler.render_report(&mut out, &diagnostic).is_err() {
            // A snippet could not be read: fall back to the plain line.
            out.push_str(&plain_line(finding));
        }
        out.push('\n');
    }
    out.push_str(&summary(report));
    out
}

fn plain_line(f: &Finding) -> String {
    format!(
        "{}:{}:{}: {} {}\n",
        f.location.file, f.start.line, f.start.column, f.rule.code, f.message
    )
}

fn summary(report: &Report) -> String {
    super::summary_line(report) + "\n"
}

/// A finding as miette sees it: one source, one label, help, and related advice.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    title: String,
    source: Option<FileCode<'a>>,
    related: Vec<RelatedDiagnostic<'a>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, workspace: &'a Workspace) -> Self {
        let related = finding
            .related
            .iter()
            .map(|r| RelatedDiagnostic {
                message: r.message.clone(),
                span: r.location.span,
                source: FileCode::new(workspace, &r.location.file),
                fallback: format!("{}:{}:{}", r.location.file, r.start.line, r.start.column),
            })
            .collect();
        let title = format!("{} ({})", finding.rule.code, finding.rule.name);
        FindingDiagnostic {
            finding,
            title,
            source: FileCode::new(workspace, &finding.location.file),
            related,
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(_) => f.write_str(&self.finding.message),
            None => write!(
                f,
                "{}:{}:{}: {}",
                self.finding.location.file,
                self.finding.start.line,
                self.finding.start.column,
                self.finding.message
            ),
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.title))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = self.finding.location.span;
        let label = LabeledSpan::new_primary_with_span(
            Some(self.finding.rule.severity_label()),
            to_miette(span),
        );
        Some(Box::new(std::iter::once(label)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A related location, shown as advice under the finding.
struct RelatedDiagnostic<'a> {
    message: String,
    span: crate::source::Span,
    source: Option<FileCode<'a>>,
    fallback: String,
}

impl fmt::Debug for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(_) => f.write_str(&self.message),
            None => write!(f, "{} ({})", self.message, self.fallback),
        }
    }
}

impl std::error::Error for RelatedDiagnostic<'_> {}

impl Diagnostic for RelatedDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, to_miette(self.span)),
        )))
    }
}

fn to_miette(span: crate::source::Span) -> SourceSpan {
    SourceSpan::new(span.start().into(), span.len())
}

/// A source file for miette that reads only the lines around a span, using the file's line
/// index instead of scanning from the start for every label. Credential values are already
/// replaced by `*`.
struct FileCode<'a> {
    file: &'a SourceFile,
    text: &'a str,
}

impl<'a> FileCode<'a> {
    fn new(workspace: &'a Workspace, name: &str) -> Option<Self> {
        Some(FileCode {
            file: workspace.source(name)?,
            text: workspace.redacted_text(name)?,
        })
    }
}

impl SourceCode for FileCode<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let file = self.file;
        let text: &str = self.text;
        let start = span.offset().min(text.len());
        let end = (start + span.len()).min(text.len());
        let first_line = file.line_of(start).saturating_sub(before).max(1);
        let last_line = (file.line_of(end) + after).min(file.line_count());
        let window_start = file.line_start(first_line).unwrap_or(0);
        let window_end = file.line_start(last_line + 1).unwrap_or(text.len());
        let window = &text.as_bytes()[window_start..window_end];
        let local = SourceSpan::new((start - window_start).into(), end - start);
        let contents = window.read_span(&local, before, after)?;
        let global = SourceSpan::new(
            (contents.span().offset() + window_start).into(),
            contents.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            contents.data(),
            global,
            contents.line() + first_line - 1,
            contents.column(),
            contents.line_count(),
        )))
    }
}
