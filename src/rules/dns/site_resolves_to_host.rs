use super::{absolute, zones};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::RData;
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every stack site inside the zone has an A/AAAA record, directly or
    /// through CNAMEs inside the zone, and that its A records point at a stack host. This is
    /// the DNS link of the naming chain: server_name (STK001) → DNS (this rule) →
    /// certificate SAN (TLS002) → CAA (TLS004).
    ///
    /// ## Why is this bad?
    /// A site without a record, or with a record pointing elsewhere, does not reach the
    /// droplet: the vhost, the certificate and Odoo are there, but nobody arrives. Let's
    /// Encrypt's HTTP-01 challenge fails too, so the certificate cannot be renewed.
    ///
    /// ## Example
    /// ```text
    /// www  IN CNAME insightpulseai.net     ; relative: insightpulseai.net.insightpulseai.net.
    /// ```
    ///
    /// ## Fix
    /// Add `NAME IN A <host IP>` (or a CNAME to a name that has one), and fix dangling
    /// CNAMEs.
    ///
    /// ## Source
    /// RFC 1034 §3.6.2 and §4.3.2 (CNAME resolution, <https://www.rfc-editor.org/rfc/rfc1034#section-4.3.2>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §1 (every subdomain terminates on the droplet).
    pub struct SiteResolvesToHost {
        code: "DNS006",
        name: "site-resolves-to-host",
        severity: Error,
    }
}

impl Rule for SiteResolvesToHost {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let hosts: Vec<_> = cx.stack.hosts.iter().map(|h| h.ipv4).collect();
        // Each site is judged in one zone: the one whose apex is its closest enclosing name
        // (a site below a child zone's apex belongs to the child), the first file of that
        // apex when copies exist. Looked up by apex, so the work is sites plus zones.
        let files: Vec<_> = zones(cx).collect();
        let mut by_apex: FastHashMap<String, usize> = FastHashMap::default();
        for (i, file) in files.iter().enumerate() {
            by_apex
                .entry(file.name(file.zone.origin).to_ascii_lowercase())
                .or_insert(i);
        }
        let judged = cx.stack.sites.iter().filter_map(|site| {
            let fqdn = absolute(&site.fqdn).to_ascii_lowercase();
            let apex = enclosing_names(&fqdn).find_map(|name| by_apex.get(name).copied())?;
            Some((&files[apex], site, fqdn))
        });
        {
            for (file, site, fqdn) in judged {
                let Some(name) = file
                    .zone
                    .find_name(&fqdn)
                    .filter(|id| file.at_name(*id).next().is_some())
                else {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.at(
                                crate::formats::zone::FileId::ROOT,
                                crate::source::Span::at(0),
                            ),
                            format!("the stack site `{}` has no record in this zone", site.fqdn),
                        )
                        .help(format!(
                            "add `{} IN A {}`",
                            site.fqdn
                                .trim_end_matches(&format!(".{}", file.display(file.zone.origin))),
                            hosts.first().map(|h| h.to_string()).unwrap_or_default()
                        )),
                    );
                    continue;
                };
                let (end, chain) = file.resolve(name);
                let addresses: Vec<_> = file
                    .at_name(end)
                    .filter_map(|r| match &r.rdata {
                        RData::A(a) => Some((r, Some(a.value))),
                        RData::Aaaa(_) => Some((r, None)),
                        _ => None,
                    })
                    .collect();
                let first_hop = chain.first().copied();
                let start = first_hop.map_or_else(|| file.at_name(name).next(), Some);
                let Some(start) = start else { continue };
                if addresses.is_empty() {
                    if !file.in_zone(file.name(end)) {
                        continue; // the chain leaves the zone: not checkable offline
                    }
                    let mut finding = Finding::new(
                        &Self::META,
                        file.record(start),
                        format!("`{}` does not resolve to an address: the chain ends at `{}`, which has no A/AAAA record in this zone", site.fqdn, file.name(end)),
                    )
                    .help("point it at a name with an A record (mind the trailing dot), or give it its own A record");
                    for hop in chain.iter().skip(1) {
                        finding = finding.related(file.record(hop), "next CNAME in the chain");
                    }
                    findings.push(finding);
                    continue;
                }
                let on_host = addresses
                    .iter()
                    .any(|(_, ip)| ip.is_none_or(|ip| hosts.contains(&ip)));
                if !hosts.is_empty() && !on_host {
                    let (record, _) = addresses[0];
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.record(record),
                            format!(
                                "`{}` points at {}, not at a stack host",
                                site.fqdn,
                                file.zone.rdata_text(&record.rdata)
                            ),
                        )
                        .help(format!("use the host's address {}", hosts[0])),
                    );
                }
            }
        }
    }
}

/// `a.example.org.`, `example.org.`, `org.`, `.`: the name and every name above it.
fn enclosing_names(fqdn: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(fqdn);
    std::iter::from_fn(move || {
        let name = rest?;
        rest = match name.split_once('.') {
            Some((_, "")) if name != "." => Some("."),
            Some((_, parent)) if !parent.is_empty() => Some(parent),
            _ => None,
        };
        Some(name)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn enclosing_names_climb_to_the_root() {
        let names: Vec<_> = super::enclosing_names("a.example.org.").collect();
        assert_eq!(names, ["a.example.org.", "example.org.", "org.", "."]);
    }
}
