use super::zones;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::RDataKind;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a CNAME record at the zone apex (`@`).
    ///
    /// ## Why is this bad?
    /// The apex must hold the zone's SOA and NS records, and a CNAME cannot coexist with
    /// other data: a CNAME at the apex breaks the zone, mail (MX) and certificate checks.
    ///
    /// ## Example
    /// ```text
    /// @  IN CNAME insightpulse.example.com.
    /// ```
    ///
    /// ## Fix
    /// Use A/AAAA records at the apex (or the DNS provider's ALIAS/flattening feature).
    ///
    /// ## Source
    /// RFC 1912 §2.4 (<https://www.rfc-editor.org/rfc/rfc1912#section-2.4>); RFC 2181 §10.1
    /// (<https://www.rfc-editor.org/rfc/rfc2181#section-10.1>).
    pub struct CnameAtApex {
        code: "DNS002",
        name: "cname-at-apex",
        severity: Error,
    }
}

impl Rule for CnameAtApex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            for record in file.of_kind(RDataKind::Cname) {
                if record.owner.id == file.zone.origin {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.owner(record),
                            format!("CNAME at the zone apex `{}`", file.display(record.owner.id)),
                        )
                        .help("use A/AAAA records at the apex"),
                    );
                }
            }
        }
    }
}
