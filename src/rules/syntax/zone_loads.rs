use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{NameId, RData, RDataKind, Record};
use crate::hash::FastHashSet;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::dns::{zones, ZoneFile};

declare_rule! {
    /// ## What it does
    /// Reports a zone file that parses but that BIND 9.18 refuses to load, as
    /// `named-checkzone` does: no SOA record at all (in a file with the apex's NS records,
    /// so a master file and not a list of records for a DNS provider), two different SOA
    /// records, an SOA record below the top of the zone, no NS record at the apex, an apex
    /// NS target inside the zone with no address record (A or AAAA), and a DS record at the
    /// apex. The top of the zone is the first SOA record's owner.
    ///
    /// ## Why is this bad?
    /// The server keeps serving the previous version of the zone, or none: every change in
    /// the file, and every record added since, is silently not published.
    ///
    /// ## Example
    /// ```text
    /// @    IN SOA ns1.example.net. hostmaster.example.net. 1 3600 900 1209600 300
    /// @    IN NS  ns1.example.net.
    /// www  IN A   192.0.2.10
    /// ```
    ///
    /// ## Fix
    /// ```text
    /// ns1  IN A   192.0.2.1
    /// ```
    ///
    /// ## Source
    /// BIND 9.18 `named-checkzone` (`lib/dns/zone.c`: "has 0 SOA records", "has no NS
    /// records", "NS '…' has no address records (A or AAAA)"; `lib/dns/master.c`: "SOA
    /// record not at top of zone", "DS record at top of zone"); RFC 1035 §5.2 (exactly one
    /// SOA, at the top of the zone); RFC 4035 §2.4 (DS records belong to the parent side
    /// of a delegation).
    pub struct ZoneLoads {
        code: "SYN008",
        name: "zone-does-not-load",
        severity: Error,
        applies: Start,
    }
}

impl Rule for ZoneLoads {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            check_zone(&file, findings);
        }
    }
}

fn check_zone(file: &ZoneFile<'_>, findings: &mut Vec<Finding>) {
    let soas: Vec<&Record> = file.of_kind(RDataKind::Soa).collect();
    let Some(first) = soas.first().copied() else {
        // Only a file that is a master file (NS records at its origin) must have one.
        let origin = file.zone.origin;
        if let Some(ns) = file
            .at_name(origin)
            .find(|r| matches!(r.rdata, RData::Ns(_)))
        {
            findings.push(
                Finding::new(
                    &ZoneLoads::META,
                    file.record(ns),
                    format!(
                        "`{}` has NS records but no SOA record: BIND refuses the zone (\"has 0 SOA records\")",
                        file.display(origin)
                    ),
                )
                .help("add the zone's SOA record at its top (`@ IN SOA <primary NS> <hostmaster> <serial> …`)"),
            );
        }
        return;
    };
    let apex = first.owner.id;
    for soa in &soas[1..] {
        let (message, related) = if soa.owner.id != apex {
            (
                format!(
                    "an SOA record at `{}`, below the top of the zone `{}`: BIND refuses the zone (\"SOA record not at top of zone\")",
                    file.display(soa.owner.id),
                    file.display(apex)
                ),
                "the zone's SOA record",
            )
        } else if file.data_key(soa) != file.data_key(first) {
            (
                format!(
                    "a second, different SOA record at `{}`: a zone has exactly one, and BIND refuses this one",
                    file.display(apex)
                ),
                "the first SOA record",
            )
        } else {
            continue;
        };
        findings.push(
            Finding::new(&ZoneLoads::META, file.record(soa), message)
                .help("keep one SOA record, at the top of the zone")
                .related(file.record(first), related),
        );
    }
    let at_apex: Vec<&Record> = file.at_name(apex).collect();
    let ns: Vec<&Record> = at_apex
        .iter()
        .copied()
        .filter(|r| matches!(r.rdata, RData::Ns(_)))
        .collect();
    if ns.is_empty() {
        findings.push(
            Finding::new(
                &ZoneLoads::META,
                file.owner(first),
                format!(
                    "`{}` has no NS record at its top: BIND refuses the zone (\"has no NS records\")",
                    file.display(apex)
                ),
            )
            .help("add the zone's name servers: `@ IN NS ns1.<provider>.`"),
        );
    }
    if let Some(ds) = at_apex.iter().find(|r| r.rtype.mnemonic() == Some("DS")) {
        findings.push(
            Finding::new(
                &ZoneLoads::META,
                file.record(ds),
                format!(
                    "a DS record at the top of `{}`: it belongs in the parent zone, and BIND refuses this one (\"DS record at top of zone\")",
                    file.display(apex)
                ),
            )
            .help("publish the DS record at the registrar or in the parent zone, and remove it here"),
        );
    }
    // Apex NS targets inside the zone need an address here (BIND's integrity check), unless
    // they lie below a delegation, whose glue BIND does not ask for.
    let apex_name = file.name(apex);
    let cuts: FastHashSet<NameId> = file
        .of_kind(RDataKind::Ns)
        .filter(|r| r.owner.id != apex)
        .map(|r| r.owner.id)
        .collect();
    let mut reported: FastHashSet<NameId> = FastHashSet::default();
    for record in &ns {
        let RData::Ns(target) = &record.rdata else {
            continue;
        };
        let name = file.name(target.id);
        if !in_zone(name, apex_name) || below_cut(file, name, apex_name, &cuts) {
            continue;
        }
        let has_address = file
            .at_name(target.id)
            .any(|r| matches!(r.rdata, RData::A(_) | RData::Aaaa(_)));
        if !has_address && reported.insert(target.id) {
            findings.push(
                Finding::new(
                    &ZoneLoads::META,
                    file.record(record),
                    format!(
                        "the name server `{}` lies inside the zone but has no A or AAAA record: BIND refuses the zone (\"has no address records\")",
                        file.display(target.id)
                    ),
                )
                .help(format!(
                    "add `{} IN A <address>` (and AAAA where it has one)",
                    file.display(target.id)
                )),
            );
        }
    }
}

/// Whether an absolute name is the apex or below it.
fn in_zone(name: &str, apex: &str) -> bool {
    apex == "." || name == apex || name.ends_with(&format!(".{apex}"))
}

/// Whether a name lies at or below a delegation point of the zone (not the apex).
fn below_cut(file: &ZoneFile<'_>, name: &str, apex: &str, cuts: &FastHashSet<NameId>) -> bool {
    let mut rest = name;
    while rest != apex && !rest.is_empty() && rest != "." {
        if file
            .zone
            .find_name(rest)
            .is_some_and(|id| cuts.contains(&id))
        {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) => rest = parent,
            None => break,
        }
    }
    false
}
