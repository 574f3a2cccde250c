use super::{spf_records, SpfRecord};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::spf::Term;
use crate::hash::{FastHashMap, FastHashSet};
use crate::rule::{Context, Rule, RuleMeta};
use std::borrow::Cow;

/// RFC 7208 §4.6.4: at most 10 terms that cause DNS lookups.
const LOOKUP_LIMIT: usize = 10;

declare_rule! {
    /// ## What it does
    /// Counts the DNS lookups an SPF record needs where that can be known offline: each
    /// `include`, `a`, `mx`, `ptr`, `exists` and `redirect` costs one, plus the lookups of
    /// records it includes from this zone. More than 10 is an error. Includes of other
    /// domains (`include:mailgun.org`) count as one each; what they include in turn is not
    /// visible offline.
    ///
    /// ## Why is this bad?
    /// Past 10 lookups receivers stop evaluating and return "permerror": SPF fails for all of
    /// the domain's mail.
    ///
    /// ## Example
    /// A record with eleven `include:` terms.
    ///
    /// ## Fix
    /// Drop unused includes, replace `a`/`mx` with `ip4:`/`ip6:` ranges, or flatten a
    /// provider's include into addresses.
    ///
    /// ## Source
    /// RFC 7208 §4.6.4 (<https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4>).
    pub struct SpfLookupLimit {
        code: "MAIL005",
        name: "spf-lookup-limit",
        severity: Error,
    }
}

impl Rule for SpfLookupLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let records = spf_records(cx);
        // Only the SPF records some record includes or redirects to are ever followed.
        let targets: FastHashSet<Cow<'_, str>> = records
            .iter()
            .flat_map(|spf| spf.terms.iter().filter_map(target).map(domain_key))
            .collect();
        let by_name: FastHashMap<&str, &SpfRecord<'_>> = records
            .iter()
            .filter_map(|spf| {
                let name = spf.file.name(spf.record.owner.id).trim_end_matches('.');
                targets.contains(name).then_some((name, spf))
            })
            .collect();
        for spf in records {
            let count = lookups(spf, &by_name, 0);
            if count > LOOKUP_LIMIT {
                findings.push(
                    Finding::new(&Self::META, spf.file.record(spf.record), format!("this SPF record needs at least {count} DNS lookups; receivers stop at {LOOKUP_LIMIT}"))
                        .help("remove includes, or replace a/mx/include terms with ip4:/ip6: ranges"),
                );
            }
        }
    }
}

/// The domain an `include:` or `redirect=` term sends the evaluation to.
fn target<'t>(term: &Term<'t>) -> Option<&'t str> {
    match term {
        Term::Mechanism {
            name: "include",
            argument: Some(domain),
            ..
        } => Some(domain),
        Term::Modifier { name, value, .. } if name.eq_ignore_ascii_case("redirect") => Some(value),
        _ => None,
    }
}

/// A domain as the zone's names are written, lower case and without the trailing dot.
fn domain_key(domain: &str) -> Cow<'_, str> {
    let domain = domain.trim_end_matches('.');
    if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(domain.to_ascii_lowercase())
    } else {
        Cow::Borrowed(domain)
    }
}

/// Lookups of a record, following includes and redirects to SPF records of the linted
/// zones.
fn lookups(
    spf: &SpfRecord<'_>,
    records: &FastHashMap<&str, &SpfRecord<'_>>,
    depth: usize,
) -> usize {
    if depth > LOOKUP_LIMIT {
        return 0;
    }
    let mut count = 0;
    for term in spf.terms.iter().filter(|t| t.counts_lookup()) {
        count += 1;
        if let Some(domain) = target(term) {
            if let Some(included) = records.get(domain_key(domain).as_ref()) {
                count += lookups(included, records, depth + 1);
            }
        }
    }
    count
}
