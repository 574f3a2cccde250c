use super::dmarc_records;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::dmarc;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Notes each DMARC report address (`rua`, `ruf`) outside the zone: the receiving domain
    /// must publish `<policy domain>._report._dmarc.<receiving domain> TXT "v=DMARC1"`, or
    /// reporters drop the address. ipai cannot query that record offline, so the finding
    /// names the exact record to confirm.
    ///
    /// ## Why is this bad?
    /// Without the authorisation record no aggregate report arrives, and a move from
    /// `p=none` to an enforcing policy is made blind.
    ///
    /// ## Example
    /// ```text
    /// _dmarc  IN TXT "v=DMARC1; p=none; rua=mailto:3651085@dmarc.mailgun.org"
    /// ```
    ///
    /// ## Fix
    /// Confirm that `insightpulseai.net._report._dmarc.dmarc.mailgun.org` has a
    /// `v=DMARC1` TXT record (Mailgun's DMARC reporting publishes it), or receive reports at
    /// an address in your own domain.
    ///
    /// ## Source
    /// RFC 9990 §4 "Verifying External Destinations" (<https://www.rfc-editor.org/rfc/rfc9990#section-4>);
    /// RFC 7489 §7.1.
    pub struct DmarcExternalReportAuthorization {
        code: "MAIL008",
        name: "dmarc-external-report-authorization",
        severity: Info,
    }
}

impl Rule for DmarcExternalReportAuthorization {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for (file, record, text) in dmarc_records(cx) {
            let parsed = dmarc::parse(text);
            let policy_domain = file
                .display(record.owner.id)
                .trim_start_matches("_dmarc.")
                .to_string();
            for tag in parsed
                .tags
                .iter()
                .filter(|t| t.name == "rua" || t.name == "ruf")
            {
                for uri in tag.value.split(',').map(str::trim) {
                    let Some(address) = uri.strip_prefix("mailto:") else {
                        continue;
                    };
                    let Some((_, domain)) =
                        address.split('!').next().unwrap_or("").rsplit_once('@')
                    else {
                        continue;
                    };
                    let domain = domain.to_ascii_lowercase();
                    if file.in_zone(&format!("{domain}.")) {
                        continue;
                    }
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.txt_location(record, tag.value_range.clone()),
                            format!("reports go to `{domain}`, outside this zone: it must publish `{policy_domain}._report._dmarc.{domain} TXT \"v=DMARC1\"`"),
                        )
                        .help(format!("check with `dig +short TXT {policy_domain}._report._dmarc.{domain}`")),
                    );
                }
            }
        }
    }
}
