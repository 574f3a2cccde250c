use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a DNS zone file that breaks the master file format: unbalanced parentheses, an
    /// unterminated quoted string, a bad TTL, a record whose data does not parse for its
    /// type, a label over 63 octets, or an `$INCLUDE` that cannot be followed.
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
    }
}
