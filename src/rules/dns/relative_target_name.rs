use super::zones;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{Name, RData, RDataKind};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a target name (of CNAME, MX, NS, SRV, PTR or DNAME) written with a dot inside
    /// but without a trailing dot. The zone's origin is appended to such a name.
    ///
    /// ## Why is this bad?
    /// `www CNAME insightpulseai.net` means `www CNAME insightpulseai.net.insightpulseai.net.`:
    /// the name points at something that does not exist, and the zone checkers accept it
    /// silently. The stack's own `www` record has exactly this fault.
    ///
    /// ## Example
    /// ```text
    /// www  IN CNAME insightpulseai.net
    /// ```
    ///
    /// ## Fix
    /// ```text
    /// www  IN CNAME insightpulseai.net.
    /// ```
    ///
    /// ## Source
    /// RFC 1035 §5.1: "Domain names that do not end in a dot are … relative; the current
    /// origin is appended" (<https://www.rfc-editor.org/rfc/rfc1035#section-5.1>).
    pub struct RelativeTargetName {
        code: "DNS003",
        name: "relative-target-name",
        severity: Error,
    }
}

/// The kinds of data that hold target names.
const WITH_TARGETS: [RDataKind; 7] = [
    RDataKind::Cname,
    RDataKind::Ns,
    RDataKind::Ptr,
    RDataKind::Dname,
    RDataKind::Mx,
    RDataKind::Srv,
    RDataKind::Soa,
];

/// The target names of a record's data (at most two, for SOA).
fn targets(rdata: &RData) -> [Option<&Name>; 2] {
    match rdata {
        RData::Cname(n) | RData::Ns(n) | RData::Ptr(n) | RData::Dname(n) => [Some(n), None],
        RData::Mx(mx) => [Some(&mx.exchange), None],
        RData::Srv(srv) => [Some(&srv.target), None],
        RData::Soa(soa) => [Some(&soa.mname), Some(&soa.rname)],
        _ => [None, None],
    }
}

impl Rule for RelativeTargetName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            let records = WITH_TARGETS.iter().flat_map(|&kind| file.of_kind(kind));
            for record in records.filter(|r| !r.generated) {
                for target in targets(&record.rdata).into_iter().flatten() {
                    let source = file.zone.source(file.source, record.file);
                    let written = target.written(source);
                    if !target.is_relative() || !written.contains('.') {
                        continue;
                    }
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.at(record.file, target.span),
                            format!(
                                "`{written}` has no trailing dot, so it means `{}`",
                                file.name(target.id)
                            ),
                        )
                        .help(format!(
                            "write `{written}.` if the name is meant as written"
                        )),
                    );
                }
            }
        }
    }
}
