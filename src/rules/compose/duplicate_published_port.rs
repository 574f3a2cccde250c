use std::net::IpAddr;

use super::{finding, projects, uses_host_network};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::{Port, PortRange, Service};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports two `ports:` entries of one compose project (the same service or two) that
    /// publish the same host port and protocol on overlapping addresses. No host IP means all
    /// IPv4 and IPv6 addresses, so it overlaps every other binding; `0.0.0.0` overlaps every
    /// IPv4 address and `::` every IPv6 one; two specific addresses overlap when they are
    /// equal. Ranges overlap when they share a port. Two services whose profiles have none in
    /// common are meant to run one at a time and are not compared; host ports that come from
    /// unset variables, and random host ports, are skipped.
    ///
    /// ## Why is this bad?
    /// Only one socket can listen on a host address and port: the container started second
    /// fails with "Bind for 0.0.0.0:8069 failed: port is already allocated". The usual cause
    /// is a staging service copied from production with its ports, so staging never starts,
    /// or starts instead of production after a reboot.
    ///
    /// ## Example
    /// ```yaml
    ///   odoo-prod:
    ///     ports: ["127.0.0.1:8069:8069"]
    ///   odoo-staging:
    ///     ports: ["127.0.0.1:8069:8069"]
    /// ```
    ///
    /// ## Fix
    /// Give the second service its own host port (`"127.0.0.1:8169:8069"`), or publish
    /// nothing and let nginx reach it over the compose network.
    ///
    /// ## Source
    /// Compose Specification, "ports" (`HOST:CONTAINER`, host IP and protocol,
    /// <https://docs.docker.com/reference/compose-file/services/#ports>); Docker docs, "Port
    /// publishing and mapping" (<https://docs.docker.com/engine/network/port-publishing/>).
    pub struct DuplicatePublishedPort {
        code: "DCK009",
        name: "duplicate-published-port",
        severity: Error,
        applies: Start,
    }
}

/// A published host port, read.
struct Published<'a> {
    service: &'a Service,
    port: &'a Port,
    /// `None`: every address, IPv4 and IPv6.
    host: Option<IpAddr>,
    range: PortRange,
    protocol: &'a str,
}

impl Rule for DuplicatePublishedPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            let published = published_ports(&project.model.services);
            // Sweep in port order; `active` holds the entries whose range reaches the current one.
            let mut order: Vec<usize> = (0..published.len()).collect();
            order.sort_by_key(|&i| (published[i].protocol, published[i].range.start));
            let mut active: Vec<usize> = Vec::new();
            let mut reported = vec![false; published.len()];
            for &i in &order {
                let current = &published[i];
                active.retain(|&j| {
                    published[j].protocol == current.protocol
                        && published[j].range.end >= current.range.start
                });
                for &j in &active {
                    let (first, second) = if j < i { (j, i) } else { (i, j) };
                    let (a, b) = (&published[first], &published[second]);
                    if reported[second] || !clash(a, b) {
                        continue;
                    }
                    reported[second] = true;
                    let by = if a.service.name == b.service.name {
                        "another entry of the same service".to_owned()
                    } else {
                        format!("`{}`", a.service.name)
                    };
                    findings.push(
                        finding(
                            &Self::META,
                            project,
                            b.port.loc,
                            format!(
                                "`{}` publishes host port {}/{}, which {by} already publishes: the container started second fails with \"port is already allocated\"",
                                b.service.name,
                                describe_range(shared(a.range, b.range)),
                                b.protocol
                            ),
                        )
                        .help("give this entry another host port, or publish nothing and let nginx reach the service over the compose network")
                        .related(
                            super::at(project, a.port.loc.file, a.port.loc.span),
                            format!("`{}` publishes it here", a.service.name),
                        ),
                    );
                }
                active.push(i);
            }
        }
    }
}

fn published_ports(services: &[Service]) -> Vec<Published<'_>> {
    let mut out = Vec::new();
    for service in services {
        if uses_host_network(service) {
            continue;
        }
        for port in &service.ports {
            let host = match &port.host_ip {
                None => None,
                Some(ip) if ip.unresolved => continue,
                Some(ip) => match ip.value.parse::<IpAddr>() {
                    Ok(addr) => Some(addr),
                    Err(_) => continue,
                },
            };
            let Some(published) = &port.published else {
                continue;
            };
            if published.unresolved {
                continue;
            }
            let Some(range) = PortRange::parse(&published.value) else {
                continue;
            };
            out.push(Published {
                service,
                port,
                host,
                range,
                protocol: port.protocol(),
            });
        }
    }
    out
}

/// Whether two entries would bind the same socket when both services run.
fn clash(a: &Published, b: &Published) -> bool {
    let same_ports =
        a.protocol == b.protocol && a.range.start <= b.range.end && b.range.start <= a.range.end;
    let run_together = a.service.profiles.is_empty()
        || b.service.profiles.is_empty()
        || a.service
            .profiles
            .iter()
            .any(|p| b.service.profiles.iter().any(|q| q.value == p.value));
    same_ports && run_together && hosts_overlap(a.host, b.host)
}

fn hosts_overlap(a: Option<IpAddr>, b: Option<IpAddr>) -> bool {
    match (a, b) {
        (None, _) | (_, None) => true,
        (Some(x), Some(y)) => {
            let same_family = x.is_ipv4() == y.is_ipv4();
            x == y || (same_family && (x.is_unspecified() || y.is_unspecified()))
        }
    }
}

fn shared(a: PortRange, b: PortRange) -> PortRange {
    PortRange {
        start: a.start.max(b.start),
        end: a.end.min(b.end),
    }
}

fn describe_range(range: PortRange) -> String {
    if range.start == range.end {
        range.start.to_string()
    } else {
        format!("{}-{}", range.start, range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_overlap_like_sockets() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(hosts_overlap(None, ip("127.0.0.1")));
        assert!(hosts_overlap(ip("0.0.0.0"), ip("127.0.0.1")));
        assert!(hosts_overlap(ip("::"), ip("::1")));
        assert!(!hosts_overlap(ip("127.0.0.1"), ip("::1")));
        assert!(!hosts_overlap(ip("127.0.0.1"), ip("10.0.0.5")));
        assert!(!hosts_overlap(ip("0.0.0.0"), ip("::1")));
    }
}
