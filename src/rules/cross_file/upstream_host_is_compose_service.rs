use super::for_each_target;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{is_loopback, nginx_runs, services_key, Deployed, NginxRuns};

declare_rule! {
    /// ## What it does
    /// When nginx runs as a compose service (`nginx.service` in the stack facts), checks
    /// that every host it proxies to (an `upstream` block's `server`, or the host of a
    /// `proxy_pass` URL) is a name Docker's resolver answers on nginx's networks: a service
    /// of nginx's compose project, its `container_name` or a network alias, on a network
    /// nginx joins, and a service that runs without a profile. Names with a dot (external
    /// DNS names), addresses and variables are left alone; loopback is STK008's.
    ///
    /// ## Why is this bad?
    /// nginx resolves upstream names when it loads its configuration. A name no container
    /// answers to stops nginx from starting ("host not found in upstream"), or, behind a
    /// `resolver`, turns every request into a 502. The snapshot's vhost proxies to
    /// `odoo:8069` while the service is called `odoo-prod`.
    ///
    /// ## Example
    /// ```nginx
    /// upstream odoo { server odoo:8069; }
    /// ```
    /// with the compose service `odoo-prod`.
    ///
    /// ## Fix
    /// ```nginx
    /// upstream odoo { server odoo-prod:8069; }
    /// ```
    /// or give the service the network alias `odoo`.
    ///
    /// ## Source
    /// Docker, "Networking in Compose" (<https://docs.docker.com/compose/how-tos/networking/>);
    /// Compose specification, `networks.aliases`
    /// (<https://github.com/compose-spec/compose-spec/blob/main/05-services.md#aliases>);
    /// nginx `upstream` `server` (<https://nginx.org/en/docs/http/ngx_http_upstream_module.html#server>).
    pub struct UpstreamHostIsComposeService {
        code: "STK004",
        name: "upstream-host-is-compose-service",
        severity: Error,
        applies: Start,
    }
}

impl Rule for UpstreamHostIsComposeService {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let NginxRuns::InCompose(nginx) = nginx_runs(cx) else {
            return;
        };
        let project = nginx.project;
        let members: Vec<Deployed<'_>> = project
            .model
            .services
            .iter()
            .map(|service| Deployed { project, service })
            .collect();
        let own_hosts = nginx.extra_host_names();
        let nginx_networks = nginx.networks();
        for_each_target(cx, |server, _location, target| {
            let host = target.host.as_str();
            if !target.is_name() || is_loopback(host) || host.contains('.') {
                return;
            }
            if own_hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
                return;
            }
            let owner = members
                .iter()
                .find(|d| d.name() == host)
                .or_else(|| members.iter().find(|d| d.dns_names().contains(&host)));
            let site_service = server
                .site(cx)
                .and_then(|s| s.upstream.as_deref())
                .filter(|name| members.iter().any(|d| d.name() == *name && d.enabled()));
            match owner {
                None => {
                    let names: Vec<&str> = members
                        .iter()
                        .filter(|d| d.enabled())
                        .flat_map(|d| d.dns_names())
                        .collect();
                    let suggestion = site_service
                        .filter(|s| *s != host)
                        .or_else(|| crate::suggest::closest(host, names.iter().copied()));
                    let help = match suggestion {
                        Some(name) => format!(
                            "did you mean `{name}`? Otherwise add `{host}` as a network alias of the service nginx should reach"
                        ),
                        None => format!(
                            "use one of the project's services ({}), or add `{host}` as a network alias",
                            names.join(", ")
                        ),
                    };
                    let mut finding = Finding::new(
                        &Self::META,
                        target.host_at.clone(),
                        format!(
                            "`{host}` is not a service, container name or network alias of the compose project `{}` runs in",
                            nginx.name()
                        ),
                    )
                    .help(help);
                    if let Some(at) = services_key(project) {
                        let all: Vec<&str> = members.iter().map(|d| d.name()).collect();
                        finding = finding
                            .related(at, format!("the project's services: {}", all.join(", ")));
                    }
                    findings.push(finding);
                }
                Some(owner) if !owner.enabled() => {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            target.host_at.clone(),
                            format!(
                                "`{}` runs only with the profile `{}`, which a plain `docker compose up` does not enable",
                                owner.name(),
                                owner.profiles().join("`, `")
                            ),
                        )
                        .help("proxy to a service that always runs, or remove the service's `profiles`")
                        .related(owner.field_at("profiles"), "the service's profiles"),
                    );
                }
                Some(owner) => {
                    let (Some(ours), Some(theirs)) = (&nginx_networks, owner.networks()) else {
                        return;
                    };
                    if ours.iter().any(|n| theirs.contains(n)) {
                        return;
                    }
                    findings.push(
                        Finding::new(
                            &Self::META,
                            target.host_at.clone(),
                            format!(
                                "`{}` shares no network with `{}` (it joins {}; nginx joins {})",
                                owner.name(),
                                nginx.name(),
                                theirs.join(", "),
                                ours.join(", ")
                            ),
                        )
                        .help("attach both services to a common network")
                        .related(owner.field_at("networks"), "the service's networks")
                        .related(nginx.field_at("networks"), "nginx's networks"),
                    );
                }
            }
        });
    }
}
