use super::dkim_records;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::dkim::{self, PublicKey};
use crate::rule::{Context, Rule, RuleMeta};

/// RFC 8301 §3.2: verifiers MUST NOT consider RSA keys under 1024 bits valid.
const MIN_RSA_BITS: usize = 1024;

declare_rule! {
    /// ## What it does
    /// Checks DKIM key records (`<selector>._domainkey.<domain>`): `v`, if present, is
    /// `DKIM1` and first; `k` is `rsa` or `ed25519`; `p` is present and, for RSA, decodes to
    /// a public key of at least 1024 bits.
    ///
    /// ## Why is this bad?
    /// Receivers cannot verify signatures against a malformed or missing key, so DKIM fails
    /// for every message; without a DKIM pass, DMARC depends on SPF alone. A placeholder
    /// such as `p=...` pasted from documentation is the typical cause.
    ///
    /// ## Example
    /// ```text
    /// pic._domainkey.mg  IN TXT "k=rsa; p=..."
    /// ```
    ///
    /// ## Fix
    /// Paste the full public key from the mail provider, split into strings of at most 255
    /// characters: `"k=rsa; p=MIIBIjANBgkq…" "…IDAQAB"`.
    ///
    /// ## Source
    /// RFC 6376 §3.6.1 (<https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1>); RFC 8301 §3.2
    /// (<https://www.rfc-editor.org/rfc/rfc8301#section-3.2>).
    pub struct DkimKeyValid {
        code: "MAIL009",
        name: "dkim-key-valid",
        severity: Error,
    }
}

impl Rule for DkimKeyValid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for (file, record, text) in dkim_records(cx) {
            let key = dkim::parse(text);
            let mut report = |range: std::ops::Range<usize>, message: String, help: &str| {
                findings.push(
                    Finding::new(&Self::META, file.txt_location(record, range), message)
                        .help(help.to_string()),
                );
            };
            if let Some(v) = key.tag("v") {
                if v.value != "DKIM1" || key.tags.first().map(|t| t.name) != Some("v") {
                    report(
                        v.range.clone(),
                        "`v` must be `DKIM1` and the first tag".into(),
                        "write v=DKIM1 first, or leave it out",
                    );
                }
            }
            let algorithm = key.tag("k").map_or("rsa", |k| k.value);
            if algorithm != "rsa" && algorithm != "ed25519" {
                let range = key.tag("k").map_or(0..text.len(), |k| k.range.clone());
                report(
                    range,
                    format!("key type `{algorithm}` is not rsa or ed25519"),
                    "use k=rsa (or k=ed25519)",
                );
            }
            let Some(p) = key.tag("p") else {
                report(
                    0..text.len(),
                    "the DKIM record has no `p=` public key".into(),
                    "add p=<base64 public key> from the mail provider",
                );
                continue;
            };
            if algorithm != "rsa" {
                continue;
            }
            match dkim::rsa_key(p.value) {
                PublicKey::Rsa { bits } if bits >= MIN_RSA_BITS => {}
                PublicKey::Rsa { bits } => report(
                    p.value_range.clone(),
                    format!(
                        "the RSA key has {bits} bits; verifiers reject keys under {MIN_RSA_BITS}"
                    ),
                    "generate a 2048-bit key",
                ),
                PublicKey::NotBase64 => report(
                    p.value_range.clone(),
                    "`p=` is not base64: receivers cannot read the key".into(),
                    "paste the whole public key from the mail provider",
                ),
                PublicKey::NotRsaKey => report(
                    p.value_range.clone(),
                    "`p=` does not hold an RSA public key".into(),
                    "paste the whole public key from the mail provider",
                ),
                PublicKey::Revoked => {}
            }
        }
    }
}
