use super::{at, servers};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a main nginx configuration does not turn on `quic_bpf` while it runs
    /// several worker processes (`worker_processes auto` or more than 1) and a server
    /// listens for QUIC with `reuseport` (in it or in a site file of the repo).
    ///
    /// ## Why is this bad?
    /// With `quic_bpf on`, an eBPF program routes each QUIC packet to a worker's own
    /// `reuseport` socket. On `nginx -s reload` the old workers' sockets stay in the
    /// kernel's reuseport group while those workers drain, and new QUIC connections that
    /// land on them are never answered: after every reload part of the HTTP/3 clients
    /// wait for a timeout before falling back to TCP. The nginx issue is open and the fix
    /// under review; `quic_bpf` is off by default and only needed for QUIC connection
    /// migration.
    ///
    /// ## Example
    /// ```nginx
    /// worker_processes auto;
    /// quic_bpf on;
    /// http {
    ///     server {
    ///         listen 443 quic reuseport;
    ///         listen 443 ssl;
    ///     }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Drop `quic_bpf on;` (or set `quic_bpf off;`).
    ///
    /// ## Source
    /// nginx `quic_bpf` (<https://nginx.org/en/docs/ngx_core_module.html#quic_bpf>) and
    /// `listen … reuseport` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#listen>);
    /// nginx issue "new quic connection blocked after nginx reload"
    /// (<https://github.com/nginx/nginx/issues/425>) and its fix under review
    /// (<https://github.com/nginx/nginx/pull/1756>); gixy-next plugin `quic_bpf_reuseport`.
    pub struct QuicBpfSurvivesReload {
        code: "NGX031",
        name: "quic-bpf-survives-reload",
        severity: Warning,
        peers: ["gixy-next/quic_bpf_reuseport"],
    }
}

impl Rule for QuicBpfSurvivesReload {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut reuseport_quic: Vec<(&Config, &Directive)> = Vec::new();
        for server in servers(cx) {
            for listen in server.own("listen") {
                let flags = || listen.arg_values().skip(1);
                if flags().any(|a| a == "quic") && flags().any(|a| a == "reuseport") {
                    reuseport_quic.push((server.config, listen));
                }
            }
        }
        if reuseport_quic.is_empty() {
            return;
        }
        for config in &cx.workspace.nginx {
            let mut quic_bpf = None;
            let mut workers = None;
            for d in config.top_level() {
                if d.is("quic_bpf") {
                    quic_bpf = Some(d);
                } else if d.is("worker_processes") {
                    workers = d.arg(0);
                }
            }
            let Some(quic_bpf) = quic_bpf.filter(|d| d.arg(0) == Some("on")) else {
                continue;
            };
            // nginx's default is one worker.
            let several =
                workers.is_some_and(|w| w == "auto" || w.parse::<u32>().is_ok_and(|n| n > 1));
            if !several {
                continue;
            }
            // The servers are often in site files the main configuration includes from
            // the host (`include /etc/nginx/conf.d/*.conf;`): its own first, then any.
            let Some((listen_config, listen)) = reuseport_quic
                .iter()
                .find(|(c, _)| std::ptr::eq(*c, config))
                .or(reuseport_quic.first())
                .copied()
            else {
                continue;
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, quic_bpf, quic_bpf.span),
                    "`quic_bpf on` with several workers and a QUIC `reuseport` listener: after each reload new QUIC connections that reach an old worker's socket go unanswered (nginx issue 425)",
                )
                .related(at(listen_config, listen, listen.span), "the QUIC reuseport listener")
                .help("drop `quic_bpf on` unless you need QUIC connection migration"),
            );
        }
    }
}
