use super::dmarc_records;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::dmarc;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Notes a DMARC policy of `p=none` (or no `p`, which means none): monitoring only.
    ///
    /// ## Why is this bad?
    /// With `p=none` receivers deliver forged mail as if DMARC did not exist; it is the right
    /// first step while reading reports, not a place to stay.
    ///
    /// ## Example
    /// ```text
    /// _dmarc  IN TXT "v=DMARC1; p=none; rua=mailto:3651085@dmarc.mailgun.org"
    /// ```
    ///
    /// ## Fix
    /// Once reports show all legitimate mail aligned, move to `p=quarantine`, then
    /// `p=reject`.
    ///
    /// ## Source
    /// RFC 9989 §4.7 `p` and §8 "Policy enforcement considerations" (<https://www.rfc-editor.org/rfc/rfc9989>).
    pub struct DmarcPolicyNone {
        code: "MAIL007",
        name: "dmarc-policy-none",
        severity: Info,
    }
}

impl Rule for DmarcPolicyNone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for (file, record, text) in dmarc_records(cx) {
            let parsed = dmarc::parse(text);
            let at = match parsed.tag("p") {
                Some(tag) if tag.value == "none" => file.txt_location(record, tag.range.clone()),
                Some(_) => continue,
                None => file.record(record),
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at,
                    format!(
                        "`{}` publishes DMARC p=none: forged mail is still delivered",
                        file.display(record.owner.id)
                    ),
                )
                .help("move to p=quarantine, then p=reject, once the reports are clean"),
            );
        }
    }
}
