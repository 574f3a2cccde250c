use super::scripts;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Checks the hosts a script reaches against the stack's facts: a `curl`/`wget` URL
    /// (a health check such as `https://erp.insightpulseai.net/web/health`) whose host is
    /// the stack's domain or a name below it must be a site of the facts, and the host of
    /// `ssh user@HOST` must be a host of the facts when it is an address or a name below
    /// the domain (a site served from the host counts). Names outside the domain and
    /// aliases from `~/.ssh/config` are not judged, nor private addresses. Only facts the
    /// repo states (its stack.yaml, or the snapshot's facts for the snapshot's repo) are
    /// used: facts read from the repo's own vhosts would judge a script by what it is
    /// checked against.
    ///
    /// ## Why is this bad?
    /// A health check of a name no vhost serves fails, or passes against the wrong
    /// server; a deploy that connects to an old droplet's address updates a machine that
    /// no longer serves the stack while production stays as it was.
    ///
    /// ## Example
    /// ```bash
    /// ssh root@178.128.112.241 "docker compose restart odoo-prod"
    /// curl -f https://erp.insightpulse.net/web/health
    /// ```
    ///
    /// ## Fix
    /// Use the host and the sites of stack.yaml (`178.128.112.214`,
    /// `erp.insightpulseai.net`), or add a new site to the facts with its vhost, DNS record
    /// and certificate.
    ///
    /// ## Source
    /// RFC 3986 §3.2.2 (the host of a URL); ssh(1) (`[user@]hostname`);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §1 (hosts), §7 (health endpoints) and §9
    /// (verification commands).
    pub struct ScriptHostIsStackHost {
        code: "STK024",
        name: "script-host-is-stack-host",
        severity: Warning,
    }
}

impl Rule for ScriptHostIsStackHost {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let stack = cx.stack;
        let domain = stack.domain.trim_end_matches('.').to_ascii_lowercase();
        if stack.inferred || domain.is_empty() {
            return;
        }
        let below_domain = |host: &str| host == domain || host.ends_with(&format!(".{domain}"));
        for file in scripts(cx) {
            for command in &file.script.commands {
                for url in command.urls() {
                    if url.dynamic {
                        continue;
                    }
                    let Some((host, span)) = url_host(&url.value, url.span, url.inner) else {
                        continue;
                    };
                    if !below_domain(&host) || stack.site(&host).is_some() {
                        continue;
                    }
                    let sites = stack.sites.iter().map(|s| s.fqdn.as_str());
                    let help = match crate::suggest::closest(&host, sites) {
                        Some(close) => format!("did you mean `{close}`? Otherwise add `{host}` to the sites in stack.yaml, with its vhost"),
                        None => format!("add `{host}` to the sites in stack.yaml, with its vhost, DNS record and certificate"),
                    };
                    findings.push(
                        Finding::new(
                            &Self::META,
                            file.at(span),
                            format!(
                                "`{}` fetches `{host}`, which is not a site of the stack",
                                command.program()
                            ),
                        )
                        .help(help),
                    );
                }
                let Some(ssh) = command.ssh() else {
                    continue;
                };
                if ssh.target.dynamic || stack.hosts.is_empty() {
                    continue;
                }
                let host = ssh.host.to_ascii_lowercase();
                let known = match host.parse::<std::net::Ipv4Addr>() {
                    Ok(ip) => {
                        ip.is_private()
                            || ip.is_loopback()
                            || stack.hosts.iter().any(|h| h.ipv4 == ip)
                    }
                    Err(_) => {
                        !below_domain(&host)
                            || stack
                                .hosts
                                .iter()
                                .any(|h| h.name.eq_ignore_ascii_case(&host))
                            || stack.site(&host).is_some()
                    }
                };
                if known {
                    continue;
                }
                let start = ssh.target.span.end() - ssh.host.len();
                let span = if ssh.target.quoted {
                    ssh.target.span
                } else {
                    Span::new(start, ssh.target.span.end())
                };
                let hosts: Vec<String> = stack
                    .hosts
                    .iter()
                    .map(|h| format!("`{}` ({})", h.name, h.ipv4))
                    .collect();
                findings.push(
                    Finding::new(
                        &Self::META,
                        file.at(span),
                        format!(
                            "`ssh` connects to `{}`, which is not a host of the stack",
                            ssh.host
                        ),
                    )
                    .help(format!("the stack's hosts are {}", hosts.join(", "))),
                );
            }
        }
    }
}

/// The lower-cased host of an `http(s)://` URL word and where it is written, when the
/// word's text maps onto the source one to one (unquoted, or one quoted string).
fn url_host(url: &str, span: Span, inner: Option<Span>) -> Option<(String, Span)> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_port = &authority[host_start..];
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => host_port,
    };
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return None;
    }
    let base = inner.unwrap_or(span);
    let offset = base.start() + scheme_end + host_start;
    let at = if base.len() == url.len() {
        Span::new(offset, offset + host.len())
    } else {
        span
    };
    Some((host.trim_end_matches('.').to_ascii_lowercase(), at))
}
