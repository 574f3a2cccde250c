use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

declare_rule! {
    /// ## What it does
    /// Checks that every address of a `resolver` directive is on the host or its private
    /// network: loopback (Docker's embedded DNS is `127.0.0.11`), RFC 1918 and shared
    /// (`100.64.0.0/10`) IPv4, link-local, or IPv6 unique local. A public address
    /// (`1.1.1.1`, `8.8.8.8`) is reported; a resolver named by host name is left alone. Only
    /// a configuration that resolves names while it runs is judged: a `proxy_pass` (or
    /// `fastcgi_pass`, `grpc_pass`, …) with a variable, `ssl_stapling on`, `ssl_ocsp`, or an
    /// upstream `server … resolve`. Elsewhere nginx resolves at start with the system's
    /// resolver and never asks the one configured, so nothing can be spoofed through it.
    ///
    /// ## Why is this bad?
    /// nginx's resolver asks over plain UDP and takes the first answer that matches: a
    /// resolver across the internet gives anyone on the path, or able to race the answer,
    /// the chance to spoof the address nginx then proxies to (`proxy_pass` with a
    /// variable, an upstream `resolve`) or fetches OCSP responses from. nginx's
    /// documentation asks for DNS servers "in a properly secured trusted local network".
    ///
    /// ## Example
    /// ```nginx
    /// resolver 1.1.1.1 8.8.8.8 valid=300s;
    /// ```
    ///
    /// ## Fix
    /// Use the resolver of the host or of its network, e.g. systemd-resolved or a local
    /// unbound, or Docker's in a container:
    /// ```nginx
    /// resolver 127.0.0.11 valid=30s;
    /// ```
    ///
    /// ## Source
    /// nginx `resolver` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver>:
    /// "To prevent DNS spoofing, it is recommended configuring DNS servers in a properly
    /// secured trusted local network"); RFC 1918, RFC 6598, RFC 4193. gixy-next's
    /// `resolver_external` also flags a resolver nothing resolves through, so it is not
    /// claimed.
    pub struct ResolverTrusted {
        code: "NGX033",
        name: "resolver-trusted",
        severity: Warning,
    }
}

/// The IP address of one `resolver` address (`1.1.1.1`, `1.1.1.1:53`, `::1`,
/// `[2001:db8::1]:53`); `None` for a host name or a parameter (`valid=30s`).
fn address(word: &str) -> Option<IpAddr> {
    if let Some(rest) = word.strip_prefix('[') {
        return rest
            .split_once(']')?
            .0
            .parse::<Ipv6Addr>()
            .ok()
            .map(IpAddr::V6);
    }
    if let Ok(v6) = word.parse::<Ipv6Addr>() {
        return Some(IpAddr::V6(v6));
    }
    let host = word.rsplit_once(':').map_or(word, |(host, _)| host);
    host.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// Whether an address is on the host or a private network.
fn local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| local(IpAddr::V4(v4)))
        }
    }
}

/// Whether a configuration asks its `resolver` anything while it runs.
fn resolves_at_run_time(config: &crate::formats::nginx::Config) -> bool {
    const PASSES: [&str; 6] = [
        "proxy_pass",
        "fastcgi_pass",
        "uwsgi_pass",
        "scgi_pass",
        "grpc_pass",
        "memcached_pass",
    ];
    let mut found = false;
    config.walk(|v| {
        let d = v.directive;
        let arg = |i| d.arg(i).unwrap_or_default();
        found |= (PASSES.iter().any(|p| d.is(p)) && arg(0).contains('$'))
            || (d.is("ssl_stapling") && arg(0) == "on")
            || (d.is("ssl_ocsp") && arg(0) != "off")
            || (d.is("server") && d.args.iter().any(|w| w.as_str() == "resolve"));
    });
    found
}

impl Rule for ResolverTrusted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut resolves = crate::hash::FastHashMap::default();
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("resolver") {
                return;
            }
            let key = std::ptr::from_ref(config) as usize;
            if !*resolves
                .entry(key)
                .or_insert_with(|| resolves_at_run_time(config))
            {
                return;
            }
            let public: Vec<_> = d
                .args
                .iter()
                .filter_map(|w| {
                    address(w.as_str())
                        .filter(|ip| !local(*ip))
                        .map(|ip| (w, ip))
                })
                .collect();
            let Some((first, _)) = public.first() else {
                return;
            };
            let names: Vec<String> = public.iter().map(|(_, ip)| format!("`{ip}`")).collect();
            let (list, verb) = match names.as_slice() {
                [one] => (one.clone(), "is a public DNS server"),
                _ => (names.join(", "), "are public DNS servers"),
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, first.span.to(public[public.len() - 1].0.span)),
                    format!(
                        "resolver {list} {verb}: answers cross networks nginx does not trust and can be spoofed"
                    ),
                )
                .help("use the host's or its private network's resolver (127.0.0.53, Docker's 127.0.0.11, a local unbound)"),
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{address, local};

    #[test]
    fn resolver_addresses() {
        let is_local = |w: &str| address(w).map(local);
        assert_eq!(is_local("1.1.1.1"), Some(false));
        assert_eq!(is_local("8.8.8.8:53"), Some(false));
        assert_eq!(is_local("[2606:4700:4700::1111]:53"), Some(false));
        assert_eq!(is_local("127.0.0.11"), Some(true));
        assert_eq!(is_local("10.0.0.1"), Some(true));
        assert_eq!(is_local("169.254.0.1"), Some(true));
        assert_eq!(is_local("100.100.100.100"), Some(true));
        assert_eq!(is_local("::1"), Some(true));
        assert_eq!(is_local("[::1]:53"), Some(true));
        assert_eq!(is_local("fea0:abcd:1234::1"), Some(true));
        assert_eq!(is_local("fd00::53"), Some(true));
        assert_eq!(is_local("localhost"), None);
        assert_eq!(is_local("valid=30s"), None);
    }
}
