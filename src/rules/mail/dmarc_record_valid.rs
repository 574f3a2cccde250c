use super::{dmarc_records, spf_records};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::mail::dmarc::{self, KNOWN_TAGS, REMOVED_TAGS};
use crate::formats::zone::RDataKind;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::dns::zones;

declare_rule! {
    /// ## What it does
    /// Checks DMARC: a domain that sends mail (it has SPF or MX records, and its SPF is not
    /// `v=spf1 -all`, which says it sends none) has a policy at `_dmarc.<domain>` (or at the
    /// zone apex, which subdomains inherit); each policy record starts with `v=DMARC1` (a
    /// `_dmarc` record that carries DMARC tags in another order is reported), is the only
    /// one at its name, uses only RFC 9989 tags with valid values, and lists `mailto:`
    /// report addresses.
    ///
    /// ## Why is this bad?
    /// Receivers ignore a malformed or duplicated record entirely: the domain then has no
    /// DMARC policy and no reports. Placeholders such as `rua=...` send reports nowhere.
    ///
    /// ## Example
    /// ```text
    /// _dmarc.mg  IN TXT "v=DMARC1; p=none; rua=..."
    /// ```
    ///
    /// ## Fix
    /// ```text
    /// _dmarc.mg  IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@insightpulseai.net"
    /// ```
    ///
    /// ## Source
    /// RFC 9989 §4.7 (record format) and §4.8 (discovery)
    /// (<https://www.rfc-editor.org/rfc/rfc9989>); RFC 7489 §6.3 for receivers still on it.
    pub struct DmarcRecordValid {
        code: "MAIL006",
        name: "dmarc-record-valid",
        severity: Error,
    }
}

impl Rule for DmarcRecordValid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let records = dmarc_records(cx);
        for (file, record, text) in &records {
            let owner = file.name(record.owner.id);
            if !owner.starts_with("_dmarc.") {
                findings.push(
                    Finding::new(&Self::META, file.owner(record), format!("a DMARC record at `{}` is never read: policies live at `_dmarc.<domain>`", file.display(record.owner.id)))
                        .help("move it to _dmarc.<domain>"),
                );
                continue;
            }
            let first = file
                .txt_at(record.owner.id)
                .into_iter()
                .find(|(_, t)| dmarc::is_dmarc(t))
                .map(|(r, _)| r);
            if let Some(first) = first.filter(|f| f.span != record.span || f.file != record.file) {
                findings.push(
                    Finding::new(
                        &Self::META,
                        file.record(record),
                        "more than one DMARC record at this name: receivers ignore them all",
                    )
                    .help("keep one")
                    .related(file.record(first), "the other DMARC record"),
                );
            }
            let parsed = dmarc::parse(text);
            let mut seen: Vec<String> = Vec::new();
            for (index, tag) in parsed.tags.iter().enumerate() {
                let at = file.txt_location(record, tag.range.clone());
                let name = tag.name.to_ascii_lowercase();
                let problem = if !tag.well_formed {
                    Some(format!("`{}` is not `tag=value`", tag.name))
                } else if index == 0 && (name != "v" || tag.value != "DMARC1") {
                    Some("a DMARC record must start with `v=DMARC1`".to_string())
                } else if seen.contains(&name) {
                    Some(format!("tag `{name}` appears twice"))
                } else if REMOVED_TAGS.contains(&name.as_str()) {
                    Some(format!(
                        "tag `{name}` was removed by RFC 9989 and is ignored"
                    ))
                } else if let Some((_, allowed)) = KNOWN_TAGS.iter().find(|(k, _)| *k == name) {
                    match allowed {
                        Some(values) if !values.contains(&tag.value) => Some(format!(
                            "`{name}={}` is not one of {}",
                            tag.value,
                            values.join(", ")
                        )),
                        None if name == "rua" || name == "ruf" => bad_uris(tag.value),
                        _ => None,
                    }
                } else {
                    Some(format!("`{name}` is not a DMARC tag"))
                };
                seen.push(name);
                if let Some(message) = problem {
                    findings.push(
                        Finding::new(&Self::META, at, message)
                            .help("see RFC 9989 §4.7 for the tags and their values"),
                    );
                }
            }
        }
        // A TXT record at `_dmarc.<domain>` that speaks DMARC but does not open with
        // `v=DMARC1`: receivers discard it (RFC 9989 §4.7, RFC 7489 §6.6.3).
        for file in zones(cx) {
            for record in file.of_kind(RDataKind::Txt) {
                if !file.name(record.owner.id).starts_with("_dmarc.") {
                    continue;
                }
                let Some(text) = file.txt(record) else {
                    continue;
                };
                let lower = text.to_ascii_lowercase();
                if dmarc::is_dmarc(&text)
                    || !(lower.contains("v=dmarc1") || lower.trim_start().starts_with("p="))
                {
                    continue;
                }
                findings.push(
                    Finding::new(
                        &Self::META,
                        file.record(record),
                        "this DMARC record does not start with `v=DMARC1`: receivers ignore it, so the domain has no policy",
                    )
                    .help("put `v=DMARC1;` first, then the other tags"),
                );
            }
        }
        // A sending domain without any policy.
        let spf = spf_records(cx);
        for file in zones(cx) {
            let apex = file.name(file.zone.origin);
            let policies: crate::hash::FastHashSet<&str> = records
                .iter()
                .filter(|(f, _, _)| std::ptr::eq(f.zone, file.zone))
                .map(|(_, r, _)| file.name(r.owner.id))
                .collect();
            if policies.contains(format!("_dmarc.{apex}").as_str()) {
                continue; // the apex policy covers every name below it
            }
            // `v=spf1 -all` says the name sends no mail at all (RFC 7208 §10.1.2).
            let silent: crate::hash::FastHashSet<_> = spf
                .iter()
                .filter(|spf| std::ptr::eq(spf.file.zone, file.zone) && sends_nothing(&spf.terms))
                .map(|spf| spf.record.owner.id)
                .collect();
            let mut senders: Vec<&crate::formats::zone::Record> = spf
                .iter()
                .filter(|spf| std::ptr::eq(spf.file.zone, file.zone))
                .map(|spf| spf.record)
                .collect();
            senders.extend(file.of_kind(RDataKind::Mx));
            senders.retain(|r| !silent.contains(&r.owner.id));
            senders.sort_by_key(|r| (r.owner.id, r.span.start()));
            senders.dedup_by_key(|r| r.owner.id);
            senders.sort_by_key(|r| r.span.start());
            for record in senders {
                let domain = file.name(record.owner.id);
                if !policies.contains(format!("_dmarc.{domain}").as_str()) {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.owner(record),
                            format!(
                                "`{}` sends mail but has no DMARC policy",
                                file.display(record.owner.id)
                            ),
                        )
                        .help(format!(
                            "add `_dmarc.{} IN TXT \"v=DMARC1; p=quarantine; rua=mailto:…\"`",
                            file.display(record.owner.id)
                        )),
                    );
                }
            }
        }
    }
}

fn bad_uris(value: &str) -> Option<String> {
    value.split(',').map(str::trim).find_map(|uri| {
        let address = uri
            .strip_prefix("mailto:")
            .or_else(|| uri.strip_prefix("MAILTO:"));
        match address {
            Some(a)
                if a.split('!').next().is_some_and(|a| {
                    a.contains('@') && !a.starts_with('@') && !a.ends_with('@')
                }) =>
            {
                None
            }
            _ => Some(format!("`{uri}` is not a mailto: address")),
        }
    })
}

/// Whether an SPF record authorises no sender: its only mechanism is `-all`, with no
/// `redirect`.
fn sends_nothing(terms: &[crate::formats::mail::spf::Term<'_>]) -> bool {
    use crate::formats::mail::spf::{Qualifier, Term};
    let mut mechanisms = terms.iter().filter_map(|t| match t {
        Term::Mechanism {
            name, qualifier, ..
        } => Some((*name, *qualifier)),
        _ => None,
    });
    let redirect = terms
        .iter()
        .any(|t| matches!(t, Term::Modifier { name, .. } if name.eq_ignore_ascii_case("redirect")));
    !redirect && mechanisms.next() == Some(("all", Qualifier::Fail)) && mechanisms.next().is_none()
}
