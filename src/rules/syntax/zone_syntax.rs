use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::severity::Severity;

declare_rule! {
    /// ## What it does
    /// Reports a DNS zone file that breaks the master file format: unbalanced parentheses, an
    /// unterminated quoted string, a bad TTL, a record whose data does not parse for its
    /// type, a label over 63 octets, or an `$INCLUDE` that cannot be followed (a missing
    /// file, a cycle, nesting deeper than 16 files or more than 256 of them).
    ///
    /// `$INCLUDE` is followed as BIND reads it when its `directory` is the checkout: a
    /// relative path is looked for beside the including file, then at the repo root (BIND
    /// resolves it against named's working directory, `named-checkzone` against its own).
    /// An error inside an included file is reported in that file, and its records are part
    /// of the zone for every other rule; a file another zone includes is linted only
    /// through that zone, with its origin. Nothing outside the repo is read: an absolute
    /// path, a `..` that climbs out, a symbolic link that leads out and a file over ipai's
    /// size limit are reported at the directive, as info, as not followed.
    ///
    /// ## Why is this bad?
    /// The name server refuses to load the zone (`named-checkzone` fails), so the zone keeps
    /// serving old data or none at all.
    ///
    /// ## Example
    /// ```text
    /// @  IN SOA ns1.example.net. hostmaster.example.net. ( 1 7200 3600 1209600
    /// ```
    ///
    /// ## Fix
    /// Correct the record at the reported position.
    ///
    /// ## Source
    /// RFC 1035 §5.1 "Format" (<https://www.rfc-editor.org/rfc/rfc1035#section-5.1>);
    /// RFC 2308 §4 (`$TTL`); RFC 3597 §5 (unknown record types).
    pub struct ZoneSyntax {
        code: "SYN004",
        name: "zone-syntax-error",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for ZoneSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        report_syntax(cx, FileKind::Zone, &Self::META, findings);
        for parsed in &cx.workspace.zones {
            let root = &cx.workspace.file(parsed.file).source;
            for skipped in &parsed.zone.not_followed {
                let file = &parsed.zone.source(root, skipped.file).name;
                findings.push(
                    Finding::new(
                        &Self::META,
                        Location::new(file, skipped.path.span),
                        format!(
                            "`$INCLUDE {}` not followed: {}; its records are not linted",
                            skipped.path.value, skipped.reason
                        ),
                    )
                    .with_severity(Severity::Info)
                    .help("include a file of the repo by a path relative to the zone file or the repo root"),
                );
            }
        }
    }
}
