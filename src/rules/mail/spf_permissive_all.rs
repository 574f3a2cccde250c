use super::spf_terms;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::spf::{Qualifier, Term};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an SPF record ending in `+all` (or a bare `all`) or `?all`.
    ///
    /// ## Why is this bad?
    /// `+all` authorises every host on the internet to send as the domain; `?all` says
    /// nothing about anyone. Both make SPF useless for the domain and let DMARC's SPF
    /// alignment pass for forged mail.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 include:mailgun.org +all"
    /// ```
    ///
    /// ## Fix
    /// End with `~all` (soft fail) or `-all` (fail).
    ///
    /// ## Source
    /// RFC 7208 §5.1 and Appendix A (<https://www.rfc-editor.org/rfc/rfc7208#section-5.1>).
    pub struct SpfPermissiveAll {
        code: "MAIL003",
        name: "spf-permissive-all",
        severity: Error,
    }
}

impl Rule for SpfPermissiveAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for (spf, term) in spf_terms(cx) {
            let Term::Mechanism {
                name: "all",
                qualifier: qualifier @ (Qualifier::Pass | Qualifier::Neutral),
                range,
                ..
            } = term
            else {
                continue;
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    spf.file.txt_location(spf.record, range.clone()),
                    format!(
                        "`{}all` lets any host send mail as `{}`",
                        qualifier.symbol(),
                        spf.file.display(spf.record.owner.id)
                    ),
                )
                .help("end the record with ~all or -all"),
            );
        }
    }
}
