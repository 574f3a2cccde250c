use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::caa;
use crate::formats::zone::{NameId, RData, Record};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::dns::{absolute, zones, ZoneFile};

declare_rule! {
    /// ## What it does
    /// Decides, for every SAN of every stack certificate inside the zone, whether the
    /// certificate's issuer may issue for it under the zone's CAA records, the way a CA
    /// does (RFC 8659 §3): climb from the name towards the apex and take the first
    /// non-empty CAA set (a CNAME inside the zone is followed to its target's set); in it,
    /// `issuewild` rules wildcard names when present, `issue` rules the rest; the issuer
    /// must be named exactly, and `validationmethods`, if given, must allow HTTP-01, which
    /// certbot uses. No CAA set at all means any CA may issue.
    ///
    /// ## Why is this bad?
    /// Renewal fails with "CAA record prevents issuance" weeks after someone adds a CAA for
    /// another CA: every site on the certificate expires.
    ///
    /// ## Example
    /// ```text
    /// @  IN CAA 0 issue "sectigo.com"
    /// ```
    /// with certificates from Let's Encrypt.
    ///
    /// ## Fix
    /// ```text
    /// @  IN CAA 0 issue "letsencrypt.org"
    /// ```
    ///
    /// ## Source
    /// RFC 8659 §3 "Relevant Resource Record Set" and §4.2–§4.3
    /// (<https://www.rfc-editor.org/rfc/rfc8659#section-3>); RFC 8657 §4 (`validationmethods`).
    pub struct CaaAllowsIssuer {
        code: "TLS004",
        name: "caa-allows-issuer",
        severity: Error,
    }
}

/// The relevant CAA set for `name` (RFC 8659 §3), inside this zone.
fn relevant_set<'a>(file: &ZoneFile<'a>, name: &str) -> Vec<&'a Record> {
    let mut current = name.to_string();
    loop {
        if let Some(id) = file.zone.find_name(&current) {
            let set = caa_at(file, id);
            if !set.is_empty() {
                return set;
            }
        }
        let apex = file.name(file.zone.origin);
        if current == apex || current == "." {
            return Vec::new();
        }
        current = match current.split_once('.') {
            Some((_, parent)) if !parent.is_empty() => parent.to_string(),
            _ => return Vec::new(),
        };
    }
}

fn caa_at<'a>(file: &ZoneFile<'a>, id: NameId) -> Vec<&'a Record> {
    let (target, _) = file.resolve(id);
    file.at_name(target)
        .filter(|r| matches!(r.rdata, RData::Caa(_)))
        .collect()
}

impl Rule for CaaAllowsIssuer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            for cert in &cx.stack.certificates {
                for san in &cert.sans {
                    let wildcard = san.starts_with("*.");
                    let base = absolute(san.trim_start_matches("*."));
                    if !file.in_zone(&base) {
                        continue;
                    }
                    let set = relevant_set(&file, &base);
                    if set.is_empty() {
                        continue;
                    }
                    let property = |r: &&Record, tag: &str| match &r.rdata {
                        RData::Caa(c) => file
                            .zone
                            .bytes(c.tag.value)
                            .eq_ignore_ascii_case(tag.as_bytes()),
                        _ => false,
                    };
                    let critical_unknown = set.iter().any(|r| match &r.rdata {
                        RData::Caa(c) => {
                            let tag = String::from_utf8_lossy(file.zone.bytes(c.tag.value))
                                .to_ascii_lowercase();
                            c.is_critical()
                                && !super::caa_syntax::KNOWN_TAGS.contains(&tag.as_str())
                        }
                        _ => false,
                    });
                    let wild: Vec<_> = set.iter().filter(|r| property(r, "issuewild")).collect();
                    let issue: Vec<_> = set.iter().filter(|r| property(r, "issue")).collect();
                    let relevant = if wildcard && !wild.is_empty() {
                        wild
                    } else {
                        issue
                    };
                    let allowed = !critical_unknown
                        && (relevant.is_empty()
                            || relevant.iter().any(|r| {
                                let RData::Caa(c) = &r.rdata else {
                                    return false;
                                };
                                let value = String::from_utf8_lossy(file.zone.bytes(c.value.value))
                                    .into_owned();
                                caa::parse_issue(&value).is_ok_and(|v| {
                                    v.issuer == cert.issuer
                                        && v.parameters.iter().all(|(k, val)| {
                                            !k.eq_ignore_ascii_case("validationmethods")
                                                || val.split(',').any(|m| m.trim() == "http-01")
                                        })
                                })
                            }));
                    if allowed {
                        continue;
                    }
                    let mut finding = Finding::new(
                        &Self::META,
                        file.record(set[0]),
                        format!(
                            "CAA at `{}` does not let `{}` issue for `{san}` (certificate `{}`)",
                            file.display(set[0].owner.id),
                            cert.issuer,
                            cert.name
                        ),
                    )
                    .help(format!(
                        "add `{} IN CAA 0 issue \"{}\"`",
                        file.display(set[0].owner.id),
                        cert.issuer
                    ));
                    for record in &set[1..] {
                        finding = finding.related(
                            file.record(record),
                            "another record of the relevant CAA set",
                        );
                    }
                    findings.push(finding);
                }
            }
        }
    }
}
