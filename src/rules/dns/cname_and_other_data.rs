use super::zones;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{RData, RDataKind};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a name that has a CNAME record and any other record, or two CNAMEs.
    ///
    /// ## Why is this bad?
    /// A CNAME says "this name is that other name": it cannot also have its own data.
    /// Resolvers return the CNAME and ignore the rest, and BIND refuses to load the zone
    /// ("CNAME and other data").
    ///
    /// ## Example
    /// ```text
    /// www  IN CNAME insightpulseai.net.
    /// www  IN TXT   "v=spf1 -all"
    /// ```
    ///
    /// ## Fix
    /// Move the other records to the CNAME's target, or replace the CNAME with A/AAAA
    /// records.
    ///
    /// ## Source
    /// RFC 1034 §3.6.2 (<https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2>) and RFC 2181
    /// §10.1 (<https://www.rfc-editor.org/rfc/rfc2181#section-10.1>).
    pub struct CnameAndOtherData {
        code: "DNS001",
        name: "cname-and-other-data",
        severity: Error,
    }
}

impl Rule for CnameAndOtherData {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            let mut owners: Vec<_> = file.of_kind(RDataKind::Cname).map(|r| r.owner.id).collect();
            owners.sort();
            owners.dedup();
            for owner in owners {
                let records: Vec<_> = file.at_name(owner).collect();
                let cnames: Vec<_> = records
                    .iter()
                    .filter(|r| matches!(r.rdata, RData::Cname(_)))
                    .collect();
                let Some(first) = cnames.first() else {
                    continue;
                };
                // DNSSEC records may coexist with a CNAME (RFC 4035 §2.5).
                let others: Vec<_> = records
                    .iter()
                    .filter(|r| !matches!(r.rdata, RData::Cname(_)))
                    .filter(|r| !matches!(r.rtype.mnemonic(), Some("RRSIG" | "NSEC" | "NSEC3")))
                    .collect();
                // Copies of the first CNAME are one record written twice (DNS005's).
                let first_target = file.data_key(first);
                let extra_cnames: Vec<_> = cnames[1..]
                    .iter()
                    .filter(|r| file.data_key(r) != first_target)
                    .copied()
                    .collect();
                if others.is_empty() && extra_cnames.is_empty() {
                    continue;
                }
                let mut finding = Finding::new(
                    &Self::META,
                    file.owner(first),
                    format!("`{}` has a CNAME and {} other record(s): a CNAME must be alone", file.display(owner), others.len() + extra_cnames.len()),
                )
                .help("move the other records to the CNAME's target, or use A/AAAA records instead of the CNAME");
                for record in others.iter().chain(extra_cnames.iter()) {
                    finding = finding.related(file.record(record), "other data at the same name");
                }
                findings.push(finding);
            }
        }
    }
}
