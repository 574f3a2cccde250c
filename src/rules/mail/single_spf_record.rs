use super::spf_records;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{NameId, Zone};
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a name with more than one SPF record (TXT records starting `v=spf1`).
    ///
    /// ## Why is this bad?
    /// A receiver that finds two SPF records must return "permerror": neither record applies,
    /// and mail from the domain fails SPF everywhere. It usually happens when a second
    /// provider's record is added instead of merged.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 include:mailgun.org ~all"
    /// @  IN TXT "v=spf1 include:_spf.google.com ~all"
    /// ```
    ///
    /// ## Fix
    /// Merge them into one: `"v=spf1 include:mailgun.org include:_spf.google.com ~all"`.
    ///
    /// ## Source
    /// RFC 7208 §3.2 and §4.5 (<https://www.rfc-editor.org/rfc/rfc7208#section-4.5>).
    pub struct SingleSpfRecord {
        code: "MAIL001",
        name: "single-spf-record",
        severity: Error,
    }
}

impl Rule for SingleSpfRecord {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let records = spf_records(cx);
        let mut by_owner: FastHashMap<(*const Zone, NameId), Vec<usize>> = FastHashMap::default();
        for (index, (file, record, _)) in records.iter().enumerate() {
            by_owner
                .entry((file.zone as *const Zone, record.owner.id))
                .or_default()
                .push(index);
        }
        for (index, (file, record, _)) in records.iter().enumerate() {
            let same = &by_owner[&(file.zone as *const Zone, record.owner.id)];
            let Some(&first) = same.first().filter(|&&first| first != index) else {
                continue;
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    file.record(record),
                    format!(
                        "`{}` has {} SPF records: receivers treat that as permerror",
                        file.display(record.owner.id),
                        same.len()
                    ),
                )
                .help("merge the mechanisms into a single v=spf1 record")
                .related(file.record(records[first].1), "the first SPF record"),
            );
        }
    }
}
