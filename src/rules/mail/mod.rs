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

/// Every SPF record (a TXT starting `v=spf1`) of every zone, with its text.
pub(crate) fn spf_records<'a>(cx: &'a Context<'_>) -> Vec<(ZoneFile<'a>, &'a Record, &'a str)> {
    txt_records(cx, spf::is_spf)
}

/// Every DMARC record (a TXT starting `v=DMARC1`), with its text.
pub(crate) fn dmarc_records<'a>(cx: &'a Context<'_>) -> Vec<(ZoneFile<'a>, &'a Record, &'a str)> {
    txt_records(cx, dmarc::is_dmarc)
}

/// Every DKIM key record (a TXT record at `<selector>._domainkey.<domain>`), with its text.
pub(crate) fn dkim_records<'a>(cx: &'a Context<'_>) -> Vec<(ZoneFile<'a>, &'a Record, String)> {
    let mut found = Vec::new();
    for file in zones(cx) {
        for record in file.zone.records.iter() {
            let is_txt = matches!(record.rdata, crate::formats::zone::RData::Txt(_));
            if !is_txt || !file.name(record.owner.id).contains("._domainkey.") {
                continue;
            }
            if let Some(text) = file.txt(record) {
                found.push((file.clone(), record, text));
            }
        }
    }
    found
}

fn txt_records<'a>(
    cx: &'a Context<'_>,
    wanted: fn(&str) -> bool,
) -> Vec<(ZoneFile<'a>, &'a Record, &'a str)> {
    let mut found = Vec::new();
    for (file, parsed) in zones(cx).zip(cx.workspace.zones.iter()) {
        for (index, text) in &parsed.tagged_txt {
            if let Some(record) = file
                .zone
                .records
                .get(*index as usize)
                .filter(|_| wanted(text))
            {
                found.push((file.clone(), record, text.as_str()));
            }
        }
    }
    found
}
