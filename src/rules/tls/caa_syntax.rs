use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::caa;
use crate::formats::zone::{RData, RDataKind};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::dns::zones;

/// Property tags CAs act on (RFC 8659 §4.2–4.4, RFC 9495 `issuemail`, `issuevmc`).
pub(crate) const KNOWN_TAGS: [&str; 5] = ["issue", "issuewild", "iodef", "issuemail", "issuevmc"];

declare_rule! {
    /// ## What it does
    /// Checks CAA records: flags are 0 or 128, the tag is a known property in lower case,
    /// an `issue`/`issuewild` value is an issuer domain with `name=value` parameters (or
    /// `;` alone, which forbids issuance), and an `iodef` value is a `mailto:` or `https:`
    /// URL. An unknown tag with the critical flag set is an error of its own: it stops every
    /// CA from issuing.
    ///
    /// ## Why is this bad?
    /// A CA skips a malformed `issue` record as if it did not authorise anyone; if it was the
    /// only one, no certificate can be issued or renewed. Let's Encrypt compares the issuer
    /// domain exactly, so `LetsEncrypt.org` does not match.
    ///
    /// ## Example
    /// ```text
    /// @  IN CAA 0 issue "lets encrypt"
    /// ```
    ///
    /// ## Fix
    /// ```text
    /// @  IN CAA 0 issue "letsencrypt.org"
    /// ```
    ///
    /// ## Source
    /// RFC 8659 §4.1–§4.4 (<https://www.rfc-editor.org/rfc/rfc8659#section-4>); RFC 8657 (parameters).
    pub struct CaaSyntax {
        code: "TLS003",
        name: "caa-syntax",
        severity: Error,
    }
}

impl Rule for CaaSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            for record in file.of_kind(RDataKind::Caa) {
                let RData::Caa(caa) = &record.rdata else {
                    continue;
                };
                let tag = String::from_utf8_lossy(file.zone.bytes(caa.tag.value));
                let value = String::from_utf8_lossy(file.zone.bytes(caa.value.value));
                let tag_at = || file.at(record.file, caa.tag.span);
                let value_at = || file.at(record.file, caa.value.span);
                let mut report = |at, message: String, help: &str| {
                    findings.push(Finding::new(&Self::META, at, message).help(help.to_string()));
                };
                if caa.flags.value != 0 && caa.flags.value != 128 {
                    report(
                        file.at(record.file, caa.flags.span),
                        format!("CAA flags {} use reserved bits", caa.flags.value),
                        "use 0, or 128 for a critical property",
                    );
                }
                let Some(lower) = KNOWN_TAGS
                    .iter()
                    .find(|known| known.eq_ignore_ascii_case(&tag))
                else {
                    if caa.is_critical() {
                        report(
                            tag_at(),
                            format!(
                                "unknown critical CAA tag `{tag}`: no CA may issue for this name"
                            ),
                            "remove the record or clear its critical flag",
                        );
                    } else {
                        report(
                            tag_at(),
                            format!("`{tag}` is not a CAA property CAs know"),
                            "use issue, issuewild or iodef",
                        );
                    }
                    continue;
                };
                if *lower != tag {
                    report(
                        tag_at(),
                        format!("CAA tag `{tag}` should be lower case"),
                        "write the tag in lower case",
                    );
                }
                match *lower {
                    "issue" | "issuewild" => match caa::parse_issue(&value) {
                        Ok(parsed) if parsed.issuer.chars().any(|c| c.is_ascii_uppercase()) => {
                            report(
                                value_at(),
                                format!(
                                    "issuer `{}` has capitals; CAs compare it exactly",
                                    parsed.issuer
                                ),
                                "write the issuer domain in lower case, e.g. letsencrypt.org",
                            )
                        }
                        Ok(_) => {}
                        Err(err) => report(
                            value_at(),
                            format!(
                                "malformed {lower} value: {}; CAs skip this record",
                                err.message
                            ),
                            "write `issuer.domain` or `issuer.domain; name=value`",
                        ),
                    },
                    "iodef" if !caa::is_iodef_url(&value) => report(
                        value_at(),
                        format!("iodef `{value}` is not a mailto: or http(s): URL"),
                        "write e.g. \"mailto:security@insightpulseai.net\"",
                    ),
                    _ => {}
                }
            }
        }
    }
}
