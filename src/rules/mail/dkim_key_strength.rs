use super::dkim_records;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::dkim::{self, PublicKey};
use crate::rule::{Context, Rule, RuleMeta};

/// RFC 8301 §3.2: signers SHOULD use RSA keys of at least 2048 bits.
const RECOMMENDED_RSA_BITS: usize = 2048;

declare_rule! {
    /// ## What it does
    /// Warns about a DKIM RSA key between 1024 and 2047 bits.
    ///
    /// ## Why is this bad?
    /// 1024-bit RSA is the minimum verifiers accept and is within reach of well-funded
    /// attackers; a forged signature would pass DKIM and DMARC for the domain.
    ///
    /// ## Example
    /// A `p=` key of 1024 bits (about 216 base64 characters).
    ///
    /// ## Fix
    /// Rotate to a 2048-bit key: publish it under a new selector, switch the signer, then
    /// revoke the old selector with an empty `p=`.
    ///
    /// ## Source
    /// RFC 8301 §3.2 (<https://www.rfc-editor.org/rfc/rfc8301#section-3.2>).
    pub struct DkimKeyStrength {
        code: "MAIL010",
        name: "dkim-key-strength",
        severity: Warning,
    }
}

impl Rule for DkimKeyStrength {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for (file, record, text) in dkim_records(cx) {
            let key = dkim::parse(text);
            let Some(p) = key.tag("p") else { continue };
            if let PublicKey::Rsa { bits } = dkim::rsa_key(p.value) {
                if (1024..RECOMMENDED_RSA_BITS).contains(&bits) {
                    findings.push(
                            Finding::new(&Self::META, file.txt_location(record, p.value_range.clone()), format!("the DKIM key has {bits} bits; {RECOMMENDED_RSA_BITS} are recommended"))
                                .help("rotate to a 2048-bit key under a new selector"),
                        );
                }
            }
        }
    }
}
