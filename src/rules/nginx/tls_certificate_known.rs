use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

const LIVE: &str = "/etc/letsencrypt/live/";

declare_rule! {
    /// ## What it does
    /// Checks that every TLS server uses a certificate the stack knows, by certbot's paths:
    /// `ssl_certificate /etc/letsencrypt/live/<name>/fullchain.pem` and `ssl_certificate_key
    /// /etc/letsencrypt/live/<name>/privkey.pem`, the same `<name>`, a certificate in the
    /// stack facts.
    ///
    /// ## Why is this bad?
    /// Any other file is not renewed by certbot and expires unnoticed; `cert.pem` instead of
    /// `fullchain.pem` omits the intermediate and breaks clients; a key of another lineage
    /// makes nginx refuse to start ("key values mismatch").
    ///
    /// ## Example
    /// ```nginx
    /// ssl_certificate     /etc/ssl/certs/erp-selfsigned.pem;
    /// ssl_certificate_key /etc/letsencrypt/live/erp.insightpulseai.net/privkey.pem;
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// ssl_certificate     /etc/letsencrypt/live/erp.insightpulseai.net/fullchain.pem;
    /// ssl_certificate_key /etc/letsencrypt/live/erp.insightpulseai.net/privkey.pem;
    /// ```
    ///
    /// ## Source
    /// Certbot documentation, "Where are my certificates?"
    /// (<https://eff-certbot.readthedocs.io/en/stable/using.html#where-are-my-certificates>);
    /// nginx `ssl_certificate` (<https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_certificate>).
    pub struct TlsCertificateKnown {
        code: "NGX001",
        name: "tls-certificate-known",
        severity: Error,
    }
}

/// The certbot lineage of a live path and the file it names, e.g.
/// `("erp.insightpulseai.net", "fullchain.pem")`.
pub(crate) fn lineage(path: &str) -> Option<(&str, &str)> {
    path.strip_prefix(LIVE)?.split_once('/')
}

impl Rule for TlsCertificateKnown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            if !server.is_tls() {
                continue;
            }
            let (Some(cert), key) = (
                server.effective("ssl_certificate"),
                server.effective("ssl_certificate_key"),
            ) else {
                findings.push(
                    Finding::new(
                        &Self::META,
                        server.names_location(),
                        "TLS server without `ssl_certificate`: nginx refuses to start",
                    )
                    .help("add ssl_certificate and ssl_certificate_key for a stack certificate"),
                );
                continue;
            };
            if cx.stack.certificates.is_empty() {
                // The facts name no certificate: which ones exist cannot be told.
                continue;
            }
            let cert_path = cert.arg(0).unwrap_or("");
            let cert_at = server.at(cert, cert.args_span());
            match lineage(cert_path) {
                Some((name, "fullchain.pem")) if cx.stack.certificate(name).is_some() => {
                    let key_ok = key.and_then(|k| k.arg(0)).and_then(lineage) == Some((name, "privkey.pem"));
                    if !key_ok {
                        let location = key.map_or_else(|| cert_at.clone(), |k| server.at(k, k.args_span()));
                        findings.push(
                            Finding::new(&Self::META, location, format!("the key is not certificate `{name}`'s privkey.pem"))
                                .help(format!("ssl_certificate_key {LIVE}{name}/privkey.pem;"))
                                .related(cert_at.clone(), "the certificate"),
                        );
                    }
                }
                Some((name, file)) if cx.stack.certificate(name).is_some() => findings.push(
                    Finding::new(&Self::META, cert_at, format!("`{file}` of `{name}`: nginx needs the full chain"))
                        .help(format!("ssl_certificate {LIVE}{name}/fullchain.pem;")),
                ),
                Some((name, _)) => findings.push(
                    Finding::new(&Self::META, cert_at, format!("`{name}` is not a certificate in the stack facts"))
                        .help(format!(
                            "use one of: {}",
                            cx.stack.certificates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                        )),
                ),
                None => findings.push(
                    Finding::new(&Self::META, cert_at, format!("`{cert_path}` is not a Let's Encrypt live certificate"))
                        .help(format!("use {LIVE}<certificate>/fullchain.pem of a stack certificate, which certbot renews")),
                ),
            }
        }
    }
}
