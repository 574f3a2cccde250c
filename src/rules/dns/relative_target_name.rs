use super::zones;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{Name, RData};
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

fn targets(rdata: &RData) -> Vec<&Name> {
    match rdata {
        RData::Cname(n) | RData::Ns(n) | RData::Ptr(n) | RData::Dname(n) => vec![n],
        RData::Mx(mx) => vec![&mx.exchange],
        RData::Srv(srv) => vec![&srv.target],
        RData::Soa(soa) => vec![&soa.mname, &soa.rname],
        _ => Vec::new(),
    }
}

impl Rule for RelativeTargetName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            for record in file.records().filter(|r| !r.generated) {
                for target in targets(&record.rdata) {
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
