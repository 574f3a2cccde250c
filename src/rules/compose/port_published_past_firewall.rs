use std::net::IpAddr;

use super::{finding, projects, uses_host_network};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::{Port, PortRange, PortSyntax};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that no published port bypasses the firewall. Every `ports:` entry of every
    /// service counts, profiled ones included: a port bound to a loopback address
    /// (`127.0.0.1:8069:8069`, `[::1]:8069:8069`, `host_ip: 127.0.0.1`) is fine; any other
    /// binding (no host IP, which means all interfaces, `0.0.0.0`, `::`, or a specific
    /// address) is allowed only for host ports the firewall of the stack facts opens
    /// (`firewall.allow`: `22/tcp`, `80/tcp`, `443/tcp` for the snapshot). A port without a
    /// host port (`- "8069"`) gets a random host port on all interfaces and is reported too.
    /// Host IPs or ports that come from unset variables are skipped; a loopback default
    /// (`${ODOO_BIND:-127.0.0.1}`) counts as loopback. Services with `network_mode: host`
    /// publish nothing through `ports:` and are skipped. Without firewall facts, a project
    /// is judged only when something shows it sits behind a proxy: its own reverse proxy
    /// publishing 80 or 443, or a deployed vhost of the repo proxying on 127.0.0.1 to a
    /// port it publishes (nginx on the host); its other ports then bypass that proxy.
    ///
    /// ## Why is this bad?
    /// Docker publishes ports with DNAT rules in the `nat` table, before ufw's `INPUT` chain
    /// sees the packet: "Packets are routed before the firewall rules can be applied,
    /// effectively ignoring your firewall configuration". On the droplet, `"8069:8069"`
    /// exposes Odoo without TLS and without nginx's database-manager block, `5432` exposes
    /// PostgreSQL and `6379` a Redis without a password, to the whole internet, while
    /// `ufw status` shows only 22, 80 and 443.
    ///
    /// ## Example
    /// ```yaml
    ///   odoo-prod:
    ///     ports:
    ///       - "8069:8069"
    /// ```
    ///
    /// ## Fix
    /// Bind to loopback when nginx runs on the host, or publish nothing and let nginx reach
    /// the service over the compose network:
    /// ```yaml
    ///     ports:
    ///       - "127.0.0.1:8069:8069"
    ///     # or
    ///     expose:
    ///       - "8069"
    /// ```
    ///
    /// ## Source
    /// Docker docs, "Packet filtering and firewalls — Docker and ufw"
    /// (<https://docs.docker.com/engine/network/packet-filtering-firewalls/#docker-and-ufw>)
    /// and "Port publishing and mapping" ("Publishing container ports is insecure by
    /// default", <https://docs.docker.com/engine/network/port-publishing/>); Compose
    /// Specification, "ports" and "expose"
    /// (<https://docs.docker.com/reference/compose-file/services/#ports>).
    pub struct PortPublishedPastFirewall {
        code: "DCK008",
        name: "port-published-past-firewall",
        severity: Error,
    }
}

impl Rule for PortPublishedPastFirewall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let facts: Vec<Allowed> = cx
            .stack
            .firewall
            .allow
            .iter()
            .flat_map(|rule| parse_allow(rule))
            .collect();
        let open = open_ports(&facts);
        // Host ports a deployed vhost of the repo proxies to on the loopback: the services
        // publishing them are meant to be reached through that nginx only.
        let mut behind_host_nginx: crate::hash::FastHashMap<u16, String> = Default::default();
        if facts.is_empty() {
            for server in crate::rules::nginx::servers(cx) {
                let file = &server.config.root().source.name;
                if !cx.environment_of(file).is_deployed() {
                    continue;
                }
                for (host, port) in server.proxied(cx) {
                    if let Some(port) = port.filter(|_| crate::rules::deployment::is_loopback(host))
                    {
                        behind_host_nginx
                            .entry(port)
                            .or_insert_with(|| file.clone());
                    }
                }
            }
        }
        for project in projects(cx) {
            // Without firewall facts, a project whose reverse proxy publishes 80 or 443 is
            // meant to be reached through that proxy only: anything else published on every
            // interface goes past it. A project without one cannot be judged.
            let proxy = (facts.is_empty())
                .then(|| project.model.services.iter().find(|s| is_public_proxy(s)))
                .flatten();
            // Or the host's nginx proxies to one of its published ports on 127.0.0.1.
            let host_vhost = || {
                project
                    .model
                    .services
                    .iter()
                    .flat_map(|s| &s.ports)
                    .find_map(|port| {
                        let range = port.published_range()?;
                        (range.start..=range.end).find_map(|p| behind_host_nginx.get(&p))
                    })
            };
            let (allowed, why) = match proxy {
                _ if !facts.is_empty() => (facts.as_slice(), format!("Docker's NAT rules bypass ufw, which opens only {open}")),
                Some(proxy) => (
                    PROXY_PORTS,
                    format!("clients reach it directly, past the reverse proxy `{}`, and Docker's NAT rules bypass a host firewall", proxy.name),
                ),
                None => match host_vhost() {
                    Some(vhost) => (
                        PROXY_PORTS,
                        format!("clients reach it directly, past the host's nginx (`{vhost}` proxies to this project on 127.0.0.1), and Docker's NAT rules bypass a host firewall"),
                    ),
                    None => continue,
                },
            };
            for service in &project.model.services {
                if uses_host_network(service) {
                    continue;
                }
                for port in &service.ports {
                    let Some(problem) = problem(port, allowed) else {
                        continue;
                    };
                    let protocol = port.protocol();
                    let target = port.target.as_ref().map_or("?", |t| t.value.as_str());
                    let what = match problem {
                        Problem::RandomHostPort { interface } => format!(
                            "publishes container port {target}/{protocol} on a random host port on {interface}"
                        ),
                        Problem::NotAllowed { published, interface } => format!(
                            "publishes port {published}/{protocol} on {interface}"
                        ),
                    };
                    findings.push(
                        finding(
                            &Self::META,
                            project,
                            port.loc,
                            format!("`{}` {what}: {why}", service.name),
                        )
                        .help(replacement(port)),
                    );
                }
            }
        }
    }
}

/// One `ufw allow` rule: a port range and the protocols it opens.
/// What a reverse proxy in front of the stack is there to publish: HTTP, HTTPS and HTTP/3.
const PROXY_PORTS: &[Allowed] = &[
    Allowed {
        ports: PortRange { start: 80, end: 80 },
        protocol: Some("tcp"),
    },
    Allowed {
        ports: PortRange {
            start: 443,
            end: 443,
        },
        protocol: None,
    },
];

/// A reverse proxy (nginx, Traefik, Caddy, HAProxy and the nginx-based proxy images, by
/// image or by service name) that publishes 80 or 443.
fn is_public_proxy(service: &crate::formats::compose::Service) -> bool {
    crate::workspace::scope::is_proxy_service(service)
        && service.ports.iter().any(|p| {
            p.published_range().is_some_and(|r| {
                (r.start..=r.end).contains(&80) || (r.start..=r.end).contains(&443)
            })
        })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Allowed {
    ports: PortRange,
    /// `None`: both tcp and udp (`ufw allow 80`).
    protocol: Option<&'static str>,
}

/// Reads `80/tcp`, `443`, `8000:8100/udp` or `80,443/tcp` (ufw's syntax); application
/// profiles such as `OpenSSH` name no port and give nothing.
fn parse_allow(rule: &str) -> Vec<Allowed> {
    let rule = rule.trim();
    let (ports, protocol) = match rule.split_once('/') {
        Some((p, "tcp")) => (p, Some("tcp")),
        Some((p, "udp")) => (p, Some("udp")),
        Some(_) => return Vec::new(),
        None => (rule, None),
    };
    ports
        .split(',')
        .filter_map(|p| PortRange::parse(&p.replace(':', "-")))
        .map(|ports| Allowed { ports, protocol })
        .collect()
}

/// `22, 80 and 443`, for messages.
fn open_ports(allowed: &[Allowed]) -> String {
    let mut ports: Vec<String> = allowed
        .iter()
        .map(|a| match a.ports.start == a.ports.end {
            true => a.ports.start.to_string(),
            false => format!("{}-{}", a.ports.start, a.ports.end),
        })
        .collect();
    ports.dedup();
    match ports.split_last() {
        None => "no port".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

enum Problem {
    RandomHostPort {
        interface: String,
    },
    NotAllowed {
        published: String,
        interface: String,
    },
}

fn problem(port: &Port, allowed: &[Allowed]) -> Option<Problem> {
    let interface = match &port.host_ip {
        None => "all interfaces".to_owned(),
        Some(ip) if ip.unresolved => return None,
        Some(ip) => match ip.value.parse::<IpAddr>() {
            Ok(addr) if addr.is_loopback() => return None,
            Ok(addr) if addr.is_unspecified() => format!("all interfaces ({addr})"),
            Ok(addr) => format!("{addr}"),
            Err(_) => return None,
        },
    };
    let Some(published) = &port.published else {
        return Some(Problem::RandomHostPort { interface });
    };
    if published.unresolved {
        return None;
    }
    let range = PortRange::parse(&published.value)?;
    let protocol = port.protocol();
    let covered = (range.start..=range.end).all(|p| {
        allowed
            .iter()
            .any(|a| a.ports.contains(p) && a.protocol.is_none_or(|proto| proto == protocol))
    });
    (!covered).then(|| Problem::NotAllowed {
        published: published.value.clone(),
        interface,
    })
}

/// The fix, spelled out for this port.
fn replacement(port: &Port) -> String {
    let target = port.target.as_ref().map_or("", |t| t.value.as_str());
    let published = port.published.as_ref().map_or(target, |p| p.value.as_str());
    let protocol = port
        .protocol
        .as_ref()
        .map_or(String::new(), |p| format!("/{}", p.value));
    match port.syntax {
        PortSyntax::Long => format!(
            "set `host_ip: 127.0.0.1` on this port, or remove it and use `expose: [\"{target}\"]` if only other containers reach it"
        ),
        PortSyntax::Short | PortSyntax::Number => format!(
            "bind it to loopback: `\"127.0.0.1:{published}:{target}{protocol}\"`, or remove it and use `expose: [\"{target}\"]` if only other containers reach it"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ufw_rules_are_read() {
        let tcp = |start, end| Allowed {
            ports: PortRange { start, end },
            protocol: Some("tcp"),
        };
        assert_eq!(parse_allow("22/tcp"), vec![tcp(22, 22)]);
        assert_eq!(parse_allow("8000:8100/tcp"), vec![tcp(8000, 8100)]);
        assert_eq!(parse_allow("80,443/tcp"), vec![tcp(80, 80), tcp(443, 443)]);
        assert_eq!(parse_allow("53")[0].protocol, None);
        assert!(parse_allow("OpenSSH").is_empty());
        assert_eq!(
            open_ports(&[tcp(22, 22), tcp(80, 80), tcp(443, 443)]),
            "22, 80 and 443"
        );
    }
}
