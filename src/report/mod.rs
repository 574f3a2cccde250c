//! Renderers: one `Report` in, text out. Renderers never decide severity or filter.

pub mod human;
pub mod json;

use crate::engine::Report;
use crate::workspace::Workspace;

/// Output formats of `ipai-lint --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette snippets with file:line:col and help.
    Human,
    /// The versioned JSON contract of DESIGN.md.
    Json,
}

/// Renders a report in the given format.
pub fn render(format: Format, report: &Report, workspace: &Workspace, color: bool) -> String {
    match format {
        Format::Human => human::render(report, workspace, color),
        Format::Json => json::render(report),
    }
}
