//! `MAIL`: SPF, DMARC and DKIM records in the zone (MX targets are DNS004's).

mod dkim_key_strength;
mod dkim_key_valid;
mod dmarc_external_report_authorization;
mod dmarc_policy_none;
mod dmarc_record_valid;
mod single_spf_record;
mod spf_lookup_limit;
mod spf_permissive_all;
mod spf_ptr_mechanism;
mod spf_syntax;

pub use dkim_key_strength::DkimKeyStrength;
pub use dkim_key_valid::DkimKeyValid;
pub use dmarc_external_report_authorization::DmarcExternalReportAuthorization;
pub use dmarc_policy_none::DmarcPolicyNone;
pub use dmarc_record_valid::DmarcRecordValid;
pub use single_spf_record::SingleSpfRecord;
pub use spf_lookup_limit::SpfLookupLimit;
pub use spf_permissive_all::SpfPermissiveAll;
pub use spf_ptr_mechanism::SpfPtrMechanism;
pub use spf_syntax::SpfSyntax;

use crate::formats::mail::{dmarc, spf};
use crate::formats::zone::Record;
use crate::rule::Context;
use crate::rules::dns::{zones, ZoneFile};

/// An SPF record (a TXT starting `v=spf1`) and its terms.
pub(crate) struct SpfRecord<'a> {
    pub file: ZoneFile<'a>,
    pub record: &'a Record,
    pub terms: Box<[spf::Term<'a>]>,
}

/// Every SPF record of every zone, read once a run and shared by the SPF rules.
pub(crate) fn spf_records<'a, 'w>(cx: &'a Context<'w>) -> &'a [SpfRecord<'w>] {
    cx.shared.spf.get_or_init(|| {
        let mut found = Vec::new();
        for file in zones(cx) {
            for (record, text) in file.tagged_txt().filter(|(_, text)| spf::is_spf(text)) {
                found.push(SpfRecord {
                    file: file.clone(),
                    record,
                    terms: spf::parse(text).into_boxed_slice(),
                });
            }
        }
        found
    })
}

/// Every term of every SPF record, with its record.
pub(crate) fn spf_terms<'a, 'w>(
    cx: &'a Context<'w>,
) -> impl Iterator<Item = (&'a SpfRecord<'w>, &'a spf::Term<'w>)> {
    spf_records(cx)
        .iter()
        .flat_map(|spf| spf.terms.iter().map(move |term| (spf, term)))
}

/// Every DMARC record (a TXT starting `v=DMARC1`), with its text.
pub(crate) fn dmarc_records<'a>(cx: &'a Context<'_>) -> Vec<(ZoneFile<'a>, &'a Record, &'a str)> {
    let mut found = Vec::new();
    for file in zones(cx) {
        found.extend(
            file.tagged_txt()
                .filter(|(_, text)| dmarc::is_dmarc(text))
                .map(|(record, text)| (file.clone(), record, text)),
        );
    }
    found
}

/// Every DKIM key record (a TXT record at `<selector>._domainkey.<domain>`), with its text.
pub(crate) fn dkim_records<'a>(cx: &'a Context<'_>) -> Vec<(ZoneFile<'a>, &'a Record, &'a str)> {
    let mut found = Vec::new();
    for file in zones(cx) {
        found.extend(
            file.dkim_txt()
                .map(|(record, text)| (file.clone(), record, text)),
        );
    }
    found
}
