use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::nginx::{servers, tls_lineage};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a stack certificate whose `not_after` date is past, or within the policy's
    /// warning window (30 days by default). The finding points at the vhosts that use the
    /// certificate, and at its entry in stack.yaml when the repo has one.
    ///
    /// ## Why is this bad?
    /// An expired certificate takes every name on it offline for browsers and API clients.
    /// Let's Encrypt certificates last 90 days and certbot renews them at 30 days left, so a
    /// certificate inside the window means renewal is failing.
    ///
    /// ## Example
    /// ```yaml
    /// certificates:
    ///   - name: erp.insightpulseai.net
    ///     not_after: 2026-04-08
    /// ```
    ///
    /// ## Fix
    /// Renew it (`certbot renew --cert-name erp.insightpulseai.net`), fix the renewal timer,
    /// and record the new `not_after` in stack.yaml.
    ///
    /// ## Source
    /// RFC 5280 §4.1.2.5 "Validity" (<https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5>);
    /// Let's Encrypt, "Why ninety-day lifetimes" (<https://letsencrypt.org/2015/11/09/why-90-days/>).
    pub struct CertificateExpiry {
        code: "TLS001",
        name: "certificate-expiry",
        severity: Error,
    }
}

impl Rule for CertificateExpiry {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let window = cx.policy.tls.cert_expiry_warning_days;
        let stack_file = cx.workspace.source("stack.yaml");
        let servers = servers(cx);
        for cert in &cx.stack.certificates {
            let Some(not_after) = cert.not_after else {
                continue;
            };
            let days = cx.today.days_until(not_after);
            if days > window {
                continue;
            }
            let message = if days < 0 {
                format!(
                    "certificate `{}` expired on {not_after}, {} days ago",
                    cert.name, -days
                )
            } else {
                format!("certificate `{}` expires on {not_after}, in {days} days (warning window: {window})", cert.name)
            };
            let mut uses: Vec<Location> = Vec::new();
            for server in &servers {
                if let Some(d) = server.effective("ssl_certificate") {
                    if d.arg(0)
                        .and_then(tls_lineage)
                        .is_some_and(|(name, _)| name == cert.name)
                    {
                        uses.push(server.at(d, d.args_span()));
                    }
                }
            }
            uses.sort();
            uses.dedup();
            let fact = stack_file.and_then(|file| {
                let needle = format!("name: {}", cert.name);
                let start = file.text.find(&needle)?;
                Some(Location::new(
                    &file.name,
                    Span::new(start, start + needle.len()),
                ))
            });
            let (primary, related) = match (fact, uses.split_first()) {
                (Some(fact), _) => (fact, uses.clone()),
                (None, Some((first, rest))) => (first.clone(), rest.to_vec()),
                (None, None) => continue,
            };
            let mut finding = Finding::new(&Self::META, primary, message).help(format!(
                "renew it: certbot renew --cert-name {}; then update not_after in stack.yaml",
                cert.name
            ));
            for location in related {
                finding = finding.related(location, "a vhost serving this certificate");
            }
            findings.push(finding);
        }
    }
}
