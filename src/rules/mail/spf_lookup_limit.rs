use super::spf_records;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::spf::{self, Term};
use crate::rule::{Context, Rule, RuleMeta};

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
        let by_name: crate::hash::FastHashMap<&str, &str> = records
            .iter()
            .map(|(f, r, text)| (f.name(r.owner.id), *text))
            .collect();
        for (file, record, text) in &records {
            let count = lookups(text, &by_name, 0);
            if count > LOOKUP_LIMIT {
                findings.push(
                    Finding::new(&Self::META, file.record(record), format!("this SPF record needs at least {count} DNS lookups; receivers stop at {LOOKUP_LIMIT}"))
                        .help("remove includes, or replace a/mx/include terms with ip4:/ip6: ranges"),
                );
            }
        }
    }
}

/// Lookups of `text`, following includes and redirects to SPF records of the linted zones.
fn lookups(text: &str, records: &crate::hash::FastHashMap<&str, &str>, depth: usize) -> usize {
    if depth > LOOKUP_LIMIT {
        return 0;
    }
    let mut count = 0;
    for term in spf::parse(text) {
        if !term.counts_lookup() {
            continue;
        }
        count += 1;
        let target = match &term {
            Term::Mechanism {
                name: "include",
                argument: Some(domain),
                ..
            } => Some(*domain),
            Term::Modifier { name, value, .. } if name.eq_ignore_ascii_case("redirect") => {
                Some(*value)
            }
            _ => None,
        };
        if let Some(domain) = target {
            let wanted = format!("{}.", domain.trim_end_matches('.').to_ascii_lowercase());
            if let Some(included) = records.get(wanted.as_str()) {
                count += lookups(included, records, depth + 1);
            }
        }
    }
    count
}
