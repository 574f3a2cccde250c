use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a TLS server with `ssl_stapling on` (its own or inherited) can staple
    /// anything: its certificate is not a Let's Encrypt one, and a `resolver` is set in the
    /// server or around it to find the OCSP responder. A server that staples from a file
    /// (`ssl_stapling_file`) or names its responder by IP address
    /// (`ssl_stapling_responder http://192.0.2.1/`) needs no resolver; one whose
    /// configuration includes a file ipai cannot see is left alone.
    ///
    /// ## Why is this bad?
    /// nginx staples the OCSP response it fetches from the responder named in the
    /// certificate. Let's Encrypt stopped putting an OCSP address in its certificates on
    /// 7 May 2025 and turned its responders off on 6 August 2025: for such a certificate
    /// nginx logs "no OCSP responder URL in the certificate" on every reload and staples
    /// nothing. Without a `resolver`, nginx cannot resolve the responder's name and logs
    /// "no resolver defined to resolve" instead. Either way `ssl_stapling on` does nothing,
    /// while the configuration claims it does.
    ///
    /// ## Example
    /// ```nginx
    /// ssl_certificate /etc/letsencrypt/live/erp.example.com/fullchain.pem;
    /// ssl_stapling on;
    /// ssl_stapling_verify on;
    /// ```
    ///
    /// ## Fix
    /// For a Let's Encrypt certificate, drop `ssl_stapling` and `ssl_stapling_verify`. For a
    /// certificate whose CA still runs OCSP, add a resolver:
    /// ```nginx
    /// resolver 127.0.0.53 valid=300s;
    /// ```
    ///
    /// ## Source
    /// nginx `ssl_stapling` (<https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_stapling>:
    /// "For a resolution of the OCSP responder hostname, the resolver directive should also
    /// be specified"), `ssl_stapling_file` and `ssl_stapling_responder` (same page); nginx
    /// source `src/event/ngx_event_openssl_stapling.c` (<https://github.com/nginx/nginx/blob/master/src/event/ngx_event_openssl_stapling.c>);
    /// Let's Encrypt, "Ending OCSP Support in 2025" (<https://letsencrypt.org/2024/12/05/ending-ocsp/>);
    /// gixy-next plugins `ssl_stapling_without_resolver` and `ssl_stapling_letsencrypt`.
    pub struct SslStaplingEffective {
        code: "NGX028",
        name: "ssl-stapling-effective",
        severity: Info,
        peers: [
            "gixy-next/ssl_stapling_without_resolver",
            "gixy-next/ssl_stapling_letsencrypt",
        ],
    }
}

/// Whether a certificate path is a Let's Encrypt one: certbot's `/etc/letsencrypt/`, or
/// a folder of that name elsewhere (a bind mount of it).
fn lets_encrypt(path: &str) -> bool {
    path.split('/').any(|part| part == "letsencrypt")
}

/// Whether an OCSP responder URL names its host by IP address, which needs no resolver.
fn ip_literal_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.starts_with('[') {
        return true;
    }
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    host.parse::<std::net::Ipv4Addr>().is_ok()
}

impl Rule for SslStaplingEffective {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            let Some(stapling) = server.effective("ssl_stapling") else {
                continue;
            };
            if !stapling
                .arg(0)
                .is_some_and(|v| v.eq_ignore_ascii_case("on"))
                || !server.is_tls()
                || server.has_unseen_include()
                || server.effective("ssl_stapling_file").is_some()
            {
                continue;
            }
            let Some(certificate) = server.effective("ssl_certificate") else {
                continue;
            };
            let responder = server
                .effective("ssl_stapling_responder")
                .and_then(|d| d.arg(0));
            let certificate_path = certificate.arg(0).unwrap_or("");
            let (message, help) = if responder.is_none() && lets_encrypt(certificate_path) {
                (
                    format!(
                        "`ssl_stapling on` with the Let's Encrypt certificate `{certificate_path}`: its certificates name no OCSP responder since May 2025, so nginx staples nothing"
                    ),
                    "drop ssl_stapling and ssl_stapling_verify",
                )
            } else if responder.is_some_and(ip_literal_host)
                || server.effective("resolver").is_some()
            {
                continue;
            } else {
                (
                    "`ssl_stapling on` without a `resolver`: nginx cannot resolve the OCSP responder and staples nothing".to_owned(),
                    "add `resolver` (e.g. `resolver 127.0.0.53 valid=300s;`) to the server or http block",
                )
            };
            findings.push(
                Finding::new(&Self::META, server.at(stapling, stapling.span), message).help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responders_named_by_address() {
        assert!(ip_literal_host("http://192.0.2.1/ocsp"));
        assert!(ip_literal_host("http://192.0.2.1:8080"));
        assert!(ip_literal_host("http://[2001:db8::1]/"));
        assert!(!ip_literal_host("http://ocsp.example.com/"));
    }

    #[test]
    fn lets_encrypt_paths() {
        assert!(lets_encrypt("/etc/letsencrypt/live/a/fullchain.pem"));
        assert!(!lets_encrypt("/etc/ssl/certs/letsencrypt-a.pem"));
    }
}
