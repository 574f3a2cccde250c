use super::for_each_target;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{
    is_loopback, listening, nginx_runs, publishers, reachable_on_loopback, Deployed, NginxRuns,
};

declare_rule! {
    /// ## What it does
    /// Checks that nginx proxies to a port the target service listens on in its container:
    /// one of its `expose` ports, the container side of its `ports`, or what its server
    /// opens: an Odoo environment's `http_port` (and `gevent_port` when multi-process) from
    /// its odoo.conf, or the image's ports from the policy pack (`images.ports`: odoo 8069
    /// and 8072, nginx 80 and 443, redis 6379, postgres 5432). With nginx in compose the
    /// target is the service the upstream names. With nginx on the host it is the service
    /// publishing the `127.0.0.1` port, and the container port it forwards to must be one
    /// its `expose` or its server opens (a `ports` entry does not make a process listen).
    /// The Odoo service of an Odoo vhost is STK002's: its ports are checked against
    /// odoo.conf there. A service whose ports nothing tells is skipped.
    ///
    /// ## Why is this bad?
    /// Nothing answers on that port: every request through the location fails with 502 Bad
    /// Gateway ("connect() failed (111: Connection refused) while connecting to upstream").
    ///
    /// ## Example
    /// ```nginx
    /// upstream n8n { server n8n:8080; }
    /// ```
    /// with `n8n` exposing 5678.
    ///
    /// ## Fix
    /// ```nginx
    /// upstream n8n { server n8n:5678; }
    /// ```
    ///
    /// ## Source
    /// Compose specification, `expose` and `ports`
    /// (<https://github.com/compose-spec/compose-spec/blob/main/05-services.md#ports>);
    /// nginx `upstream` `server` (<https://nginx.org/en/docs/http/ngx_http_upstream_module.html#server>);
    /// the odoo/docker 18.0 Dockerfile, `EXPOSE 8069 8071 8072`
    /// (<https://github.com/odoo/docker/blob/master/18.0/Dockerfile>).
    pub struct UpstreamPortIsServicePort {
        code: "STK005",
        name: "upstream-port-is-service-port",
        severity: Error,
        applies: Start,
    }
}

impl Rule for UpstreamPortIsServicePort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let runs = nginx_runs(cx);
        for_each_target(cx, |server, _location, target| {
            let host = target.host.as_str();
            if target.is_dynamic() {
                return;
            }
            // (service, container port, how nginx gets there)
            let resolved: Vec<(Deployed<'_>, u16, String)> = match &runs {
                NginxRuns::InCompose(nginx) => {
                    if !target.is_name() || host.contains('.') {
                        return;
                    }
                    let project = nginx.project;
                    let members = project
                        .model
                        .services
                        .iter()
                        .map(|service| Deployed { project, service });
                    let mut members: Vec<Deployed<'_>> = members.collect();
                    let exact = members.iter().position(|d| d.name() == host);
                    let owner = match exact {
                        Some(i) => Some(members.swap_remove(i)),
                        None => members.into_iter().find(|d| d.dns_names().contains(&host)),
                    };
                    owner
                        .map(|d| (d, target.port, format!("`{host}:{}`", target.port)))
                        .into_iter()
                        .collect()
                }
                NginxRuns::OnHost if is_loopback(host) => publishers(cx, target.port)
                    .into_iter()
                    .filter(|p| reachable_on_loopback(p.port))
                    .filter_map(|p| {
                        let via = format!(
                            "host port {} (published by `{}`)",
                            target.port,
                            p.deployed.name()
                        );
                        Some((p.deployed, p.container_port?, via))
                    })
                    .collect(),
                _ => return,
            };
            let vhost_odoo = server
                .odoo_environment(cx)
                .and_then(|e| e.service.as_deref());
            for (deployed, port, via) in resolved {
                if vhost_odoo == Some(deployed.name()) {
                    continue;
                }
                let in_compose = matches!(runs, NginxRuns::InCompose(_));
                let Some(listening) = listening(cx, &deployed, in_compose) else {
                    continue;
                };
                if listening.contains(port) {
                    continue;
                }
                let message = if via.starts_with('`') {
                    format!(
                        "nginx proxies to {via}, but `{}` listens on {} (from {})",
                        deployed.name(),
                        listening.list(),
                        listening.sources.join(", ")
                    )
                } else {
                    format!(
                        "nginx proxies to {via}, which forwards to container port {port}, but `{}` listens on {} (from {})",
                        deployed.name(),
                        listening.list(),
                        listening.sources.join(", ")
                    )
                };
                let first = listening.ports.first().map_or(0, |r| r.start);
                findings.push(
                    Finding::new(&Self::META, target.port_at.clone(), message)
                        .help(format!(
                            "proxy to one of the ports `{}` listens on, e.g. {first}",
                            deployed.name()
                        ))
                        .related(deployed.key_at(), "the service"),
                );
            }
        });
    }
}
