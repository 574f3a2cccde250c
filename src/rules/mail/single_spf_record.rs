use super::spf_records;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{NameId, Record};
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::dns::zones;

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
        for file in zones(cx) {
            let here: Vec<&Record> = spf_records(cx)
                .iter()
                .filter(|spf| std::ptr::eq(spf.file.zone, file.zone))
                .map(|spf| spf.record)
                .collect();
            // How many SPF records each name has; names are dense ids.
            let mut count = vec![0u32; file.zone.name_count()];
            for record in &here {
                count[record.owner.id.index()] += 1;
            }
            let mut first: FastHashMap<NameId, &Record> = FastHashMap::default();
            for record in here {
                let same = count[record.owner.id.index()];
                if same < 2 {
                    continue;
                }
                let Some(first) = first.get(&record.owner.id) else {
                    first.insert(record.owner.id, record);
                    continue;
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        file.record(record),
                        format!(
                            "`{}` has {same} SPF records: receivers treat that as permerror",
                            file.display(record.owner.id),
                        ),
                    )
                    .help("merge the mechanisms into a single v=spf1 record")
                    .related(file.record(first), "the first SPF record"),
                );
            }
        }
    }
}
