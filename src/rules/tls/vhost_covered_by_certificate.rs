use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::nginx::{servers, tls_lineage};

declare_rule! {
    /// ## What it does
    /// Checks that every `server_name` of a TLS server is covered by a SAN of the stack
    /// certificate its `ssl_certificate` path names (a wildcard SAN covers exactly one
    /// label).
    ///
    /// ## Why is this bad?
    /// A name missing from the certificate gets a browser certificate error
    /// (`NET::ERR_CERT_COMMON_NAME_INVALID`): the site is down for its users even though
    /// nginx and Odoo are up.
    ///
    /// ## Example
    /// ```nginx
    /// server_name erp.insightpulseai.net mcp.insightpulseai.net;
    /// ssl_certificate /etc/letsencrypt/live/erp.insightpulseai.net/fullchain.pem;
    /// ```
    /// where that certificate's SANs are erp, n8n and superset.
    ///
    /// ## Fix
    /// Add the name to the certificate (`certbot certonly --cert-name erp.insightpulseai.net
    /// -d … -d mcp.insightpulseai.net`) and to its `sans` in stack.yaml, or serve the name
    /// from its own server block with its own certificate.
    ///
    /// ## Source
    /// RFC 6125 §6.4 "Matching the DNS Domain Name Portion"
    /// (<https://www.rfc-editor.org/rfc/rfc6125#section-6.4>).
    pub struct VhostCoveredByCertificate {
        code: "TLS002",
        name: "vhost-covered-by-certificate",
        severity: Error,
    }
}

impl Rule for VhostCoveredByCertificate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            if !server.is_tls() {
                continue;
            }
            let Some(cert_directive) = server.effective("ssl_certificate") else {
                continue;
            };
            let Some((lineage, _)) = cert_directive.arg(0).and_then(tls_lineage) else {
                continue;
            };
            let Some(cert) = cx.stack.certificate(lineage) else {
                continue;
            };
            for name in server.names() {
                let host = name.as_str();
                if host == "_"
                    || host.starts_with('~')
                    || host.contains('*')
                    || host.starts_with('.')
                {
                    continue;
                }
                if !cert.covers(host) {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            server.name_at(name),
                            format!("`{host}` is not among the SANs of certificate `{}` ({})", cert.name, cert.sans.join(", ")),
                        )
                        .help(format!("add -d {host} to the certificate (and to its sans in stack.yaml), or give this name its own certificate"))
                        .related(server.at(cert_directive, cert_directive.args_span()), "the certificate this server uses"),
                    );
                }
            }
        }
    }
}
