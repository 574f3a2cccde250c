use super::{spf_records, SpfRecord};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::spf::Term;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks an SPF record's terms against RFC 7208's grammar: known mechanisms with their
    /// arguments (`include:` and `exists:` need a domain, `ip4:`/`ip6:` an address), at most
    /// one `redirect` and one `exp`, nothing after `all`, and domain arguments written as
    /// full names (SPF does not append the zone's origin).
    ///
    /// ## Why is this bad?
    /// A syntax error makes the whole record a "permerror" at receivers: SPF then fails for
    /// all mail of the domain. Terms after `all` are never evaluated.
    ///
    /// ## Example
    /// ```text
    /// mg  IN TXT "v=spf1 include mailgun.org ~all"
    /// ```
    ///
    /// ## Fix
    /// ```text
    /// mg  IN TXT "v=spf1 include:mailgun.org ~all"
    /// ```
    ///
    /// ## Source
    /// RFC 7208 §4.6.1, §5, §6 and §12 (<https://www.rfc-editor.org/rfc/rfc7208#section-12>).
    pub struct SpfSyntax {
        code: "MAIL002",
        name: "spf-syntax",
        severity: Error,
    }
}

impl Rule for SpfSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for SpfRecord {
            file,
            record,
            terms,
        } in spf_records(cx)
        {
            let mut seen_all = false;
            let mut modifiers: Vec<&str> = Vec::new();
            for term in terms {
                let problem = match term {
                    Term::Invalid { text, why, .. } => Some((format!("`{text}`: {why}"), "see RFC 7208 §12 for the term syntax")),
                    _ if seen_all => Some(("this term comes after `all` and is never evaluated".to_string(), "move it before `all`")),
                    Term::Modifier { name, .. } if matches!(name.to_ascii_lowercase().as_str(), "redirect" | "exp") => {
                        let lower = name.to_ascii_lowercase();
                        let repeated = modifiers.contains(&lower.as_str());
                        modifiers.push(if lower == "redirect" { "redirect" } else { "exp" });
                        repeated.then(|| (format!("`{lower}` appears more than once"), "keep one"))
                    }
                    Term::Mechanism { name: "include" | "exists", argument: Some(domain), .. }
                        if !domain.contains('.') && !domain.contains('%') =>
                    {
                        Some((format!("`{domain}` is not a full domain name: SPF does not append the zone's origin"), "write the whole domain, e.g. include:_spf.example.net"))
                    }
                    _ => None,
                };
                if let Term::Mechanism { name: "all", .. } = term {
                    seen_all = true;
                }
                if let Some((message, help)) = problem {
                    let at = file.txt_location(record, term.range());
                    findings.push(Finding::new(&Self::META, at, message).help(help));
                }
            }
        }
    }
}
