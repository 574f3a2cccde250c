//! `SYN`: files ipai could not read or parse, and suppression comments it could not use.

mod compose_syntax;
mod env_file_syntax;
mod invalid_suppression;
mod manifest_syntax;
mod nginx_syntax;
mod not_utf8;
mod odoo_conf_syntax;
mod unreadable_file;
mod unused_suppression;
mod zone_loads;
mod zone_syntax;

pub use compose_syntax::ComposeSyntax;
pub use env_file_syntax::EnvFileSyntax;
pub use invalid_suppression::InvalidSuppression;
pub use manifest_syntax::ManifestSyntax;
pub use nginx_syntax::NginxSyntax;
pub use not_utf8::NotUtf8;
pub use odoo_conf_syntax::OdooConfSyntax;
pub use unreadable_file::UnreadableFile;
pub use unused_suppression::UnusedSuppression;
pub use zone_loads::ZoneLoads;
pub use zone_syntax::ZoneSyntax;

use crate::discover::FileKind;
use crate::finding::{Finding, Location};
use crate::rule::{Context, RuleMeta};

/// Turns the parsers' errors for one kind of file into findings.
fn report_syntax(
    cx: &Context<'_>,
    kind: FileKind,
    meta: &'static RuleMeta,
    findings: &mut Vec<Finding>,
) {
    for issue in cx.workspace.syntax.iter().filter(|i| i.kind == kind) {
        let file = &cx.workspace.file(issue.file).source;
        let mut finding = Finding::new(
            meta,
            Location::new(&file.name, issue.error.span),
            &issue.error.message,
        );
        if let Some(help) = &issue.error.help {
            finding = finding.help(help);
        }
        findings.push(finding);
    }
}
