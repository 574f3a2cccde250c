use super::for_each_target;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{
    self, is_loopback, nginx_runs, publishers, reachable_on_loopback, NginxRuns,
};

declare_rule! {
    /// ## What it does
    /// Checks that nginx can reach each host and port it proxies to from where it runs.
    /// In compose (`nginx.service` in the stack facts), `127.0.0.1` is nginx's own
    /// container (unless it shares another's with `network_mode`), so a loopback upstream
    /// reaches nothing. On the host (no `nginx.service`,
    /// or `network_mode: host`), compose service names do not resolve, and
    /// `127.0.0.1:PORT` reaches a container only through a port a running service publishes
    /// on loopback (`127.0.0.1:8069:8069`) or on every interface. The typical case: the
    /// gevent port is not published while nginx on the host routes `/websocket` to it.
    ///
    /// ## Why is this bad?
    /// The connection is refused (or the name is not found, and nginx does not start):
    /// every request through the location gets a 502, and for `/websocket` Odoo's chat,
    /// notifications and live updates stop working while the rest of the site looks fine.
    ///
    /// ## Example
    /// nginx on the host with
    /// ```nginx
    /// location /websocket { proxy_pass http://127.0.0.1:8072; }
    /// ```
    /// and `odoo-prod` publishing only `"127.0.0.1:8069:8069"`.
    ///
    /// ## Fix
    /// ```yaml
    /// ports:
    ///   - "127.0.0.1:8069:8069"
    ///   - "127.0.0.1:8072:8072"
    /// ```
    /// In compose, proxy to the service by name (`odoo-prod:8072`) instead of loopback.
    ///
    /// ## Source
    /// Docker, "Port publishing and mapping"
    /// (<https://docs.docker.com/engine/network/port-publishing/>); Docker, "Networking in
    /// Compose" (<https://docs.docker.com/compose/how-tos/networking/>); Odoo documentation,
    /// "Deploying Odoo", LiveChat and the nginx sample with `127.0.0.1:8072`
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#livechat>).
    pub struct UpstreamReachableWhereNginxRuns {
        code: "STK008",
        name: "upstream-reachable-where-nginx-runs",
        severity: Error,
        applies: Start,
    }
}

impl Rule for UpstreamReachableWhereNginxRuns {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let runs = nginx_runs(cx);
        if matches!(runs, NginxRuns::Unknown) {
            return;
        }
        for_each_target(cx, |server, location, target| {
            let host = target.host.as_str();
            if target.is_dynamic() {
                return;
            }
            // The compose service this vhost fronts, for the suggested fix.
            let site_service = server
                .site(cx)
                .and_then(|s| s.upstream.as_deref())
                .and_then(|name| deployment::service(cx, name));
            let path = location.pattern().1;
            match &runs {
                // `network_mode: service:…` shares another container's loopback.
                NginxRuns::InCompose(nginx)
                    if is_loopback(host) && nginx.service.network_mode.is_none() =>
                {
                    let help = match &site_service {
                        Some(d) => format!(
                            "proxy to the service by name: `{}:{}`",
                            d.name(),
                            target.port
                        ),
                        None => "proxy to the compose service by name".to_string(),
                    };
                    findings.push(
                        Finding::new(
                            &Self::META,
                            target.host_at.clone(),
                            format!(
                                "nginx runs in the container `{}`, where `{host}` is nginx itself: `location {path}` reaches nothing on port {}",
                                nginx.name(),
                                target.port
                            ),
                        )
                        .help(help)
                        .related(nginx.key_at(), "nginx's service"),
                    );
                }
                NginxRuns::OnHost if is_loopback(host) => {
                    let all = publishers(cx, target.port);
                    if all.iter().any(|p| reachable_on_loopback(p.port)) {
                        return;
                    }
                    let mut message = format!(
                        "nginx runs on the host, and no running compose service publishes port {} there: `location {path}` reaches nothing",
                        target.port
                    );
                    if let Some(other) = all.first() {
                        let ip = other.port.host_ip.as_ref().map_or("", |t| t.value.as_str());
                        message = format!(
                            "nginx runs on the host, and `{}` publishes port {} on {ip} only, not on loopback: `location {path}` reaches nothing",
                            other.deployed.name(),
                            target.port
                        );
                    }
                    let port = target.port;
                    let mut finding = Finding::new(&Self::META, target.port_at.clone(), message);
                    finding = match &site_service {
                        Some(d) => finding
                            .help(format!(
                                "publish it on loopback: add `\"127.0.0.1:{port}:{port}\"` to the ports of `{}`",
                                d.name()
                            ))
                            .related(d.field_at("ports"), "the service's published ports"),
                        None => finding.help(format!(
                            "publish the port on loopback (`\"127.0.0.1:{port}:{port}\"`) on the service that serves it"
                        )),
                    };
                    findings.push(finding);
                }
                NginxRuns::OnHost if target.is_name() && !host.contains('.') => {
                    let Some(owner) =
                        deployment::services(cx).find(|d| d.dns_names().contains(&host))
                    else {
                        return;
                    };
                    let port = target.port;
                    findings.push(
                        Finding::new(
                            &Self::META,
                            target.host_at.clone(),
                            format!(
                                "nginx runs on the host, where the compose name `{host}` does not resolve: only containers on the project's networks know it"
                            ),
                        )
                        .help(format!(
                            "publish the port on loopback (`\"127.0.0.1:{port}:{port}\"` on `{}`) and proxy to `127.0.0.1:{port}`",
                            owner.name()
                        ))
                        .related(owner.key_at(), "the compose service"),
                    );
                }
                _ => {}
            }
        });
    }
}
