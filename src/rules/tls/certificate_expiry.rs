use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::nginx::{servers, tls_lineage, Server};
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
        // Built on the first expiring certificate, once: a stack may list thousands.
        let by_lineage = std::sync::OnceLock::new();
        let name_lines = std::sync::OnceLock::new();
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
            let uses = by_lineage
                .get_or_init(|| servers_by_lineage(servers))
                .get(cert.name.as_str())
                .cloned()
                .unwrap_or_default();
            let fact = stack_file.and_then(|file| {
                let start = *name_lines
                    .get_or_init(|| name_lines_of(&file.text))
                    .get(cert.name.as_str())?;
                let needle = format!("name: {}", cert.name);
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

/// Where each vhost names each certificate lineage, sorted, once each.
fn servers_by_lineage<'a>(servers: &'a [Server<'a>]) -> FastHashMap<&'a str, Vec<Location>> {
    let mut uses: FastHashMap<&str, Vec<Location>> = FastHashMap::default();
    for server in servers {
        if let Some(d) = server.effective("ssl_certificate") {
            if let Some((name, _)) = d.arg(0).and_then(tls_lineage) {
                uses.entry(name)
                    .or_default()
                    .push(server.at(d, d.args_span()));
            }
        }
    }
    for locations in uses.values_mut() {
        locations.sort();
        locations.dedup();
    }
    uses
}

/// The offset of the first `name: <value>` of each value in stack.yaml's text.
fn name_lines_of(text: &str) -> FastHashMap<&str, usize> {
    let mut found = FastHashMap::default();
    for (start, _) in text.match_indices("name: ") {
        let value = &text[start + "name: ".len()..];
        let value = value
            .split(|c: char| c.is_whitespace() || c == '#')
            .next()
            .unwrap_or("");
        found.entry(value).or_insert(start);
    }
    found
}
