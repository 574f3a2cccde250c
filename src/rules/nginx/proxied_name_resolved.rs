use super::at;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::hash::{FastHashMap, FastHashSet};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks how nginx resolves the DNS names it proxies to (`proxy_pass`, `grpc_pass`):
    ///
    /// - a fully qualified name (`api.example.com`, an AWS load balancer, a Heroku app)
    ///   written in `proxy_pass` or as an `upstream` server without `resolve` is reported:
    ///   nginx resolves it once, at start;
    /// - a `proxy_pass` with a variable, which nginx resolves per request, and an `upstream`
    ///   server with `resolve` are reported when no `resolver` is set around them.
    ///
    /// IP addresses, unix sockets, `localhost`, names without a dot (compose services,
    /// resolved by Docker's DNS) and private suffixes (`.local`, `.internal`, `.lan`,
    /// `.home.arpa`) are left alone. A site file inherits the `resolver` of the `http`
    /// block of a main configuration in the repo, and an `include` ipai cannot read may set
    /// one where it stands.
    ///
    /// ## Why is this bad?
    /// A name resolved at start is kept until nginx reloads: when the provider moves the
    /// service (a load balancer scales, a platform redeploys), nginx goes on sending every
    /// request to the old address, and users get 502s or someone else's server. A name nginx
    /// must resolve at run time without a `resolver` fails every request with
    /// "no resolver defined to resolve".
    ///
    /// ## Example
    /// ```nginx
    /// location /reports/ {
    ///     proxy_pass https://reports.example-bi.com;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Let nginx re-resolve the name (nginx 1.27.3 or later):
    /// ```nginx
    /// resolver 127.0.0.53 valid=30s;
    /// upstream reports {
    ///     zone reports 64k;
    ///     server reports.example-bi.com:443 resolve;
    /// }
    /// ```
    /// or put the name in a variable, with a `resolver`.
    ///
    /// ## Source
    /// nginx `proxy_pass` ("If a domain name resolves to several addresses… In addition, an
    /// address can be specified as a server group… Parameter value can contain variables.
    /// In this case, if an address is specified as a domain name, the name is searched
    /// among the described server groups, and, if not found, is determined using a
    /// resolver", <https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass>);
    /// `upstream` `server … resolve` (<https://nginx.org/en/docs/http/ngx_http_upstream_module.html#resolve>);
    /// gixy-next plugin `stale_dns_cache`.
    pub struct ProxiedNameResolved {
        code: "NGX042",
        name: "proxied-name-resolved",
        severity: Warning,
        peers: ["gixy-next/stale_dns_cache"],
    }
}

/// The host of a `proxy_pass` URL or an `upstream` server address, without port, and
/// whether it is a unix socket.
fn host_of(address: &str) -> (&str, bool) {
    let rest = address.split_once("://").map_or(address, |(_, r)| r);
    if rest.starts_with("unix:") {
        return ("", true);
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    if let Some(v6) = authority.strip_prefix('[') {
        return (v6.split(']').next().unwrap_or(v6), false);
    }
    (authority.split(':').next().unwrap_or(authority), false)
}

fn is_ip(host: &str) -> bool {
    host.parse::<std::net::IpAddr>().is_ok()
}

/// Whether a host is a DNS name on the internet, whose address may move: it has a dot,
/// is not an address, and has no private suffix.
fn public_name(host: &str) -> bool {
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    const PRIVATE: [&str; 6] = [
        ".local",
        ".internal",
        ".lan",
        ".home.arpa",
        ".localdomain",
        ".localhost",
    ];
    lower.contains('.') && !is_ip(&lower) && !PRIVATE.iter().any(|s| lower.ends_with(s))
}

/// What one configuration holds that the rule looks things up in.
#[derive(Default)]
struct Index<'a> {
    /// `upstream` blocks by name, with the block around them.
    upstreams: FastHashMap<&'a str, (&'a Directive, Option<&'a Directive>)>,
    /// The values `set` gives each variable (lower-cased name, without `$`).
    sets: FastHashMap<String, Vec<&'a str>>,
}

impl Rule for ProxiedNameResolved {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        // A site file is read inside the `http` block of a main configuration, whose
        // `resolver` it inherits: the repo's, or one on the host ipai cannot see.
        let main_resolver = cx.workspace.nginx.iter().any(|c| {
            c.find_top_level("http")
                .any(|http| c.find(http, "resolver").next().is_some())
        });
        for config in &cx.workspace.nginx {
            let site_file = config.find_top_level("http").next().is_none();
            let inherited = site_file && main_resolver;
            let unseen = config
                .top_level()
                .any(|d| d.is("include") && super::include_unseen(config, d));
            check_config(config, inherited || unseen, findings);
        }
    }
}

/// `resolver_around`: a resolver may be set where this configuration cannot show it.
fn check_config(config: &Config, resolver_around: bool, findings: &mut Vec<Finding>) {
    let mut index = Index::default();
    let mut passes: Vec<(&Directive, Vec<&Directive>)> = Vec::new();
    config.walk(|visit| {
        let d = visit.directive;
        if d.is("upstream") && d.has_block() {
            if let Some(name) = d.arg(0) {
                index.upstreams.entry(name).or_insert((d, visit.parent()));
            }
        } else if d.is("set") {
            if let (Some(var), Some(value)) = (d.arg(0), d.arg(1)) {
                let var = var.trim_start_matches('$').to_ascii_lowercase();
                index.sets.entry(var).or_default().push(value);
            }
        } else if d.is("proxy_pass") || d.is("grpc_pass") {
            passes.push((d, visit.ancestors.to_vec()));
        }
    });
    if passes.is_empty() {
        return;
    }
    // Each block's own `resolver` (or an include ipai cannot read), looked up once.
    let mut resolver_in: FastHashMap<*const Directive, bool> = FastHashMap::default();
    let top_resolver = resolver_around || config.top_level().any(|d| d.is("resolver"));
    let mut has_resolver = |block: &Directive| {
        *resolver_in
            .entry(std::ptr::from_ref(block))
            .or_insert_with(|| {
                config.children(block).any(|d| {
                    d.is("resolver") || (d.is("include") && super::include_unseen(config, d))
                })
            })
    };
    let mut judged: FastHashSet<*const Directive> = FastHashSet::default();
    for (pass, ancestors) in passes {
        let Some(url) = pass.args.first() else {
            continue;
        };
        let resolver = ancestors.iter().any(|a| has_resolver(a)) || top_resolver;
        let (host, unix) = host_of(url.as_str());
        if unix || is_ip(host) {
            continue;
        }
        let upstream_names: Vec<&str> = match host.strip_prefix('$') {
            Some(var) => {
                let values = index
                    .sets
                    .get(&var.trim_matches(['{', '}']).to_ascii_lowercase())
                    .cloned()
                    .unwrap_or_default();
                let mut upstreams = Vec::new();
                for value in values {
                    if index.upstreams.contains_key(value) {
                        upstreams.push(value);
                    } else if !resolver && !is_ip(host_of(value).0) && !value.contains('$') {
                        findings.push(no_resolver(config, pass, "its host comes from a variable"));
                        break;
                    }
                }
                upstreams
            }
            None if index.upstreams.contains_key(host) => vec![host],
            None if url.as_str().contains('$') => {
                if !resolver && host != "localhost" {
                    findings.push(no_resolver(config, pass, "it holds a variable"));
                }
                continue;
            }
            None => {
                if public_name(host) {
                    findings.push(
                        Finding::new(
                            &ProxiedNameResolved::META,
                            at(config, pass, url.span),
                            format!(
                                "`{host}` is resolved once, when nginx starts: when its address changes, nginx keeps sending requests to the old one until it is reloaded"
                            ),
                        )
                        .help("use an upstream with `server … resolve` and a `resolver` (nginx 1.27.3), or the name in a variable with a `resolver`"),
                    );
                }
                continue;
            }
        };
        for name in upstream_names {
            let Some(&(block, parent)) = index.upstreams.get(name) else {
                continue;
            };
            if !judged.insert(std::ptr::from_ref(block)) {
                continue;
            }
            let upstream_resolver =
                has_resolver(block) || parent.map_or(top_resolver, &mut has_resolver);
            for server in config.find(block, "server") {
                let Some(address) = server.args.first() else {
                    continue;
                };
                let (host, unix) = host_of(address.as_str());
                if unix || is_ip(host) {
                    continue;
                }
                let resolves = server.arg_values().skip(1).any(|a| a == "resolve");
                let message = if resolves && !upstream_resolver {
                    format!("`server {host} … resolve` without a `resolver` for the upstream: nginx cannot resolve it")
                } else if !resolves && public_name(host) {
                    format!("upstream `{name}` server `{host}` is resolved once, when nginx starts: when its address changes, nginx keeps sending requests to the old one until it is reloaded")
                } else {
                    continue;
                };
                findings.push(
                    Finding::new(&ProxiedNameResolved::META, at(config, server, address.span), message)
                        .related(at(config, pass, url.span), "proxied here")
                        .help("add `resolve` to the server and a `resolver` (nginx 1.27.3; the upstream needs a `zone`)"),
                );
            }
        }
    }
}

fn no_resolver(config: &Config, pass: &Directive, why: &str) -> Finding {
    Finding::new(
        &ProxiedNameResolved::META,
        at(config, pass, pass.args_span()),
        format!(
            "`{}` is resolved per request because {why}, and no `resolver` is set: every request fails with \"no resolver defined to resolve\"",
            pass.name()
        ),
    )
    .help("add `resolver` (e.g. `resolver 127.0.0.53 valid=30s;`, Docker's `127.0.0.11`) to the location, server or http block")
}

#[cfg(test)]
mod tests {
    use super::{host_of, public_name};

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://api.example.com:443/x"),
            ("api.example.com", false)
        );
        assert_eq!(host_of("http://[2001:db8::1]:8080"), ("2001:db8::1", false));
        assert!(host_of("http://unix:/run/a.sock").1);
        assert_eq!(
            host_of("backend.example.com:8080"),
            ("backend.example.com", false)
        );
        assert!(public_name("my-app.herokuapp.com"));
        assert!(public_name("api.xn--mgbaam7a8h"));
        assert!(!public_name("odoo-prod"));
        assert!(!public_name("localhost"));
        assert!(!public_name("odoo.internal"));
        assert!(!public_name("10.0.0.1"));
    }
}
