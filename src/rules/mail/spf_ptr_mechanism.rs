use super::spf_terms;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::spf::Term;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports the `ptr` mechanism in an SPF record.
    ///
    /// ## Why is this bad?
    /// `ptr` is slow, unreliable and puts load on the reverse DNS of every sender; RFC 7208
    /// says it SHOULD NOT be used, and large receivers skip it, so mail it was meant to
    /// authorise fails.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 ptr ~all"
    /// ```
    ///
    /// ## Fix
    /// List the senders with `ip4:`/`ip6:` or `include:` instead.
    ///
    /// ## Source
    /// RFC 7208 §5.5 (<https://www.rfc-editor.org/rfc/rfc7208#section-5.5>).
    pub struct SpfPtrMechanism {
        code: "MAIL004",
        name: "spf-ptr-mechanism",
        severity: Warning,
    }
}

impl Rule for SpfPtrMechanism {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for (spf, term) in spf_terms(cx) {
            if let Term::Mechanism {
                name: "ptr", range, ..
            } = term
            {
                findings.push(
                    Finding::new(
                        &Self::META,
                        spf.file.txt_location(spf.record, range.clone()),
                        "the SPF `ptr` mechanism should not be used",
                    )
                    .help("replace it with ip4:/ip6: ranges or include: of the sending service"),
                );
            }
        }
    }
}
