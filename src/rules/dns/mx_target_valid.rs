use super::zones;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{RData, RDataKind};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks MX records: the exchange must be a host name, not an IP address and not a name
    /// that is a CNAME in this zone; a null MX (`0 .`) must be the only MX of its name.
    ///
    /// ## Why is this bad?
    /// Mail servers look up A/AAAA records of the exchange: an IP address written as a name
    /// becomes `178.128.112.214.insightpulseai.net.`, and RFC 2181 forbids an MX pointing at
    /// an alias. A null MX beside other MX records contradicts itself, and senders treat the
    /// domain inconsistently.
    ///
    /// ## Example
    /// ```text
    /// mg  IN MX 10 178.128.112.214
    /// ```
    ///
    /// ## Fix
    /// Point the MX at a host name with A/AAAA records (`10 mxa.mailgun.org.`).
    ///
    /// ## Source
    /// RFC 2181 §10.3 (<https://www.rfc-editor.org/rfc/rfc2181#section-10.3>); RFC 7505 §3
    /// (<https://www.rfc-editor.org/rfc/rfc7505#section-3>); RFC 5321 §5.1.
    pub struct MxTargetValid {
        code: "DNS004",
        name: "mx-target-valid",
        severity: Error,
    }
}

impl Rule for MxTargetValid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            for record in file.of_kind(RDataKind::Mx) {
                let RData::Mx(mx) = &record.rdata else {
                    continue;
                };
                let source = file.zone.source(file.source, record.file);
                let written = mx.exchange.written(source).trim_end_matches('.');
                let target = file.name(mx.exchange.id);
                let at = || file.at(record.file, mx.exchange.span);
                if target == "." {
                    let others = file
                        .at_name(record.owner.id)
                        .filter(|r| matches!(r.rdata, RData::Mx(_)))
                        .count()
                        - 1;
                    if others > 0 {
                        findings.push(
                            Finding::new(&Self::META, at(), format!("a null MX must be alone, but `{}` has {others} other MX record(s)", file.display(record.owner.id)))
                                .help("remove the other MX records, or the null MX"),
                        );
                    }
                    continue;
                }
                if written.parse::<std::net::IpAddr>().is_ok() {
                    findings.push(
                        Finding::new(&Self::META, at(), format!("MX exchange `{written}` is an IP address; it is read as the name `{target}`"))
                            .help("point the MX at a host name that has A/AAAA records"),
                    );
                    continue;
                }
                let cname = file
                    .at_name(mx.exchange.id)
                    .find(|r| matches!(r.rdata, RData::Cname(_)));
                if let Some(cname) = cname {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            at(),
                            format!("MX exchange `{}` is a CNAME", file.display(mx.exchange.id)),
                        )
                        .help("point the MX at the CNAME's target")
                        .related(file.record(cname), "the CNAME"),
                    );
                }
            }
        }
    }
}
