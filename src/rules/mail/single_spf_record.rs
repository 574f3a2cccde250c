use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::spf;
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
            let mut owners: Vec<_> = file.owners().collect();
            owners.sort();
            for owner in owners {
                let records: Vec<_> = file
                    .txt_at(owner)
                    .into_iter()
                    .filter(|(_, t)| spf::is_spf(t))
                    .collect();
                let Some(((_, _), rest)) = records.split_first() else {
                    continue;
                };
                for (record, _) in rest {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.record(record),
                            format!(
                                "`{}` has {} SPF records: receivers treat that as permerror",
                                file.display(owner),
                                records.len()
                            ),
                        )
                        .help("merge the mechanisms into a single v=spf1 record")
                        .related(file.record(records[0].0), "the first SPF record"),
                    );
                }
            }
        }
    }
}
