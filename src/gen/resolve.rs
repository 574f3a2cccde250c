//! From the stack's facts to the facts the output is rendered from. Where the facts leave a
//! gap or contradict each other, this closes the gap the safe way and says so in a warning:
//! never silently. The resolved facts are written next to the output as `stack.yaml`, so
//! `ipai-lint` judges the output against exactly what it was rendered from.

use crate::policy::Policy;
use crate::stack::{Certificate, Date, Environment, NginxVersion, Stack};

/// What the certbot plan does with one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertAction {
    /// Valid beyond the warning window, or its expiry is not recorded.
    Keep,
    /// The facts name no certificate for these sites: request one.
    New { for_sites: Vec<String> },
    /// Past its not-after date on `today`.
    RenewExpired { not_after: Date },
    /// Within the policy's expiry warning window.
    RenewExpiring { not_after: Date, days_left: i64 },
}

/// One certificate of the plan: its lineage, SANs and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedCertificate {
    pub name: String,
    pub sans: Vec<String>,
    pub action: CertAction,
}

/// The facts after gap closing, the certificate plan, and what was changed.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub stack: Stack,
    pub certificates: Vec<PlannedCertificate>,
    /// Each gap closed or inconsistency fixed, in words; shown as warnings.
    pub warnings: Vec<String>,
    /// The zone's name servers (the facts have none; see [`DEFAULT_NAMESERVERS`]).
    pub nameservers: Vec<String>,
}

/// DigitalOcean's name servers. The stack runs on a DigitalOcean droplet with a
/// DigitalOcean managed database (snapshot §1, §3); the facts name no DNS host.
pub const DEFAULT_NAMESERVERS: [&str; 3] = [
    "ns1.digitalocean.com",
    "ns2.digitalocean.com",
    "ns3.digitalocean.com",
];

/// Listening ports of apps the snapshot names, from their own documentation: n8n listens on
/// 5678 (docs.n8n.io, "Environment variables", `N8N_PORT`), Superset on 8088 (Superset docs,
/// "Docker builds").
const WELL_KNOWN_PORTS: [(&str, u16); 2] = [("n8n", 5678), ("superset", 8088)];

/// A port for an app whose port nothing says.
const FALLBACK_APP_PORT: u16 = 8080;

/// Resolves the facts. `nginx_version` overrides the stack's target version.
pub fn resolve(
    stack: &Stack,
    policy: &Policy,
    today: Date,
    nginx_version: Option<NginxVersion>,
) -> Resolved {
    let mut stack = stack.clone();
    let mut warnings = Vec::new();

    if let Some(version) = nginx_version {
        stack.nginx.version = version.to_string();
    }
    if stack.nginx.service.is_none() {
        stack.nginx.service = Some("nginx".into());
        warnings.push(
            "nginx.service is not set: the Compose service running nginx is called `nginx`"
                .to_string(),
        );
    }
    if stack.cpu_cores().is_none() {
        warnings.push(format!(
            "no host has cpu_cores: odoo.conf uses workers = {} × 1 core; set hosts[].cpu_cores",
            policy.odoo.workers_per_core
        ));
    }

    resolve_odoo_environments(&mut stack, &mut warnings);
    resolve_sites(&mut stack, &mut warnings);
    let certificates = plan_certificates(&mut stack, policy, today, &mut warnings);

    if let Some(mail) = &stack.mail {
        if let (Some(selector), None) = (&mail.dkim_selector, &mail.dkim_key) {
            warnings.push(format!(
                "mail.dkim_key is not set: the zone has no DKIM record at {selector}._domainkey.{}; copy the key from {} into mail.dkim_key",
                mail.domain, mail.provider
            ));
        }
    }
    warnings.push(format!(
        "the facts name no DNS host: the zone's SOA and NS records use {}",
        DEFAULT_NAMESERVERS.join(", ")
    ));

    Resolved {
        stack,
        certificates,
        warnings,
        nameservers: DEFAULT_NAMESERVERS.iter().map(|s| s.to_string()).collect(),
    }
}

fn resolve_odoo_environments(stack: &mut Stack, warnings: &mut Vec<String>) {
    for env in &mut stack.odoo.environments {
        let name = env.name.as_str();
        if env.config.is_none() {
            // A layout choice, not a fact: no warning.
            env.config = Some(match env.name {
                Environment::Production => "config/odoo.conf".to_string(),
                other => format!("config/odoo.{}.conf", other.as_str()),
            });
        }
        if env.service.is_none() {
            let service = match env.name {
                Environment::Production => "odoo-prod".to_string(),
                other => format!("odoo-{}", other.as_str()),
            };
            warnings.push(format!(
                "odoo environment {name} has no service: its Compose service is `{service}`"
            ));
            env.service = Some(service);
        }
        if env.database.name.is_none() {
            // The snapshot's deploy and backup scripts use the database `odoo` (§6).
            let db = match env.name {
                Environment::Production => "odoo".to_string(),
                other => format!("odoo_{}", other.as_str()),
            };
            warnings.push(format!(
                "odoo environment {name} names no database: odoo.conf serves only `{db}` (db_name and an anchored dbfilter); set odoo.environments[].database.name"
            ));
            env.database.name = Some(db);
        }
    }
}

fn resolve_sites(stack: &mut Stack, warnings: &mut Vec<String>) {
    let odoo_services: Vec<String> = stack
        .odoo
        .environments
        .iter()
        .filter_map(|e| e.service.clone())
        .collect();
    let landing = stack
        .sites
        .iter()
        .find(|s| {
            s.environment == Environment::Production
                && s.upstream
                    .as_ref()
                    .is_some_and(|u| odoo_services.contains(u))
        })
        .or_else(|| stack.sites.iter().find(|s| s.upstream.is_some()))
        .map(|s| s.fqdn.clone());
    for site in &mut stack.sites {
        if site.upstream.is_none() && site.redirect_to.is_none() {
            if let Some(target) = &landing {
                warnings.push(format!(
                    "site {} has neither an upstream nor redirect_to: it redirects to {target}",
                    site.fqdn
                ));
                site.redirect_to = Some(target.clone());
            }
        }
        let Some(upstream) = &site.upstream else {
            continue;
        };
        if odoo_services.contains(upstream) || site.port.is_some() {
            continue;
        }
        let known = WELL_KNOWN_PORTS
            .iter()
            .find(|(name, _)| upstream.contains(name))
            .map(|(_, port)| *port);
        let port = known.unwrap_or(FALLBACK_APP_PORT);
        warnings.push(match known {
            Some(port) => format!(
                "site {} names no port: its upstream {upstream} is proxied on {port}, that app's default; set sites[].port",
                site.fqdn
            ),
            None => format!(
                "site {} names no port: its upstream {upstream} is proxied on {port}, a guess; set sites[].port",
                site.fqdn
            ),
        });
        site.port = Some(port);
    }
}

/// Gives every site a certificate and decides what certbot does with each one.
fn plan_certificates(
    stack: &mut Stack,
    policy: &Policy,
    today: Date,
    warnings: &mut Vec<String>,
) -> Vec<PlannedCertificate> {
    let issuer = stack
        .certificates
        .first()
        .map(|c| c.issuer.clone())
        .unwrap_or_else(|| "letsencrypt.org".into());
    let mut plan: Vec<PlannedCertificate> = Vec::new();
    for cert in &mut stack.certificates {
        let action = match cert.not_after {
            Some(not_after) if today.days_until(not_after) < 0 => {
                warnings.push(format!(
                    "certificate {} expired on {not_after}: the certbot plan renews it",
                    cert.name
                ));
                cert.not_after = None;
                CertAction::RenewExpired { not_after }
            }
            Some(not_after)
                if today.days_until(not_after) <= policy.tls.cert_expiry_warning_days =>
            {
                let days_left = today.days_until(not_after);
                warnings.push(format!(
                    "certificate {} expires on {not_after}, in {days_left} days: the certbot plan renews it",
                    cert.name
                ));
                cert.not_after = None;
                CertAction::RenewExpiring {
                    not_after,
                    days_left,
                }
            }
            _ => CertAction::Keep,
        };
        plan.push(PlannedCertificate {
            name: cert.name.clone(),
            sans: cert.sans.clone(),
            action,
        });
    }

    let sites: Vec<(String, Option<String>)> = stack
        .sites
        .iter()
        .map(|s| (s.fqdn.clone(), s.redirect_to.clone()))
        .collect();
    for (fqdn, redirect_to) in sites {
        if stack.certificates.iter().any(|c| c.covers(&fqdn)) {
            continue;
        }
        // A redirect alias joins the new certificate of the name it redirects to.
        let joined = redirect_to.as_ref().and_then(|target| {
            plan.iter().position(|p| {
                matches!(p.action, CertAction::New { .. })
                    && p.sans.iter().any(|s| s.eq_ignore_ascii_case(target))
            })
        });
        match joined {
            Some(index) => {
                let name = plan[index].name.clone();
                plan[index].sans.push(fqdn.clone());
                if let CertAction::New { for_sites } = &mut plan[index].action {
                    for_sites.push(fqdn.clone());
                }
                if let Some(cert) = stack.certificates.iter_mut().find(|c| c.name == name) {
                    cert.sans.push(fqdn.clone());
                }
                warnings.push(format!(
                    "site {fqdn} is covered by no certificate: the certbot plan adds it to the new certificate {name}"
                ));
            }
            None => {
                warnings.push(format!(
                    "site {fqdn} is covered by no certificate: the certbot plan requests a new certificate {fqdn}"
                ));
                plan.push(PlannedCertificate {
                    name: fqdn.clone(),
                    sans: vec![fqdn.clone()],
                    action: CertAction::New {
                        for_sites: vec![fqdn.clone()],
                    },
                });
                stack.certificates.push(Certificate {
                    name: fqdn.clone(),
                    sans: vec![fqdn],
                    issuer: issuer.clone(),
                    not_after: None,
                });
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insightpulse_gaps_are_closed_with_warnings() {
        let stack = Stack::insightpulse();
        let policy = Policy::default_pack();
        let today: Date = "2026-11-25".parse().unwrap();
        let resolved = resolve(&stack, &policy, today, None);
        let all = resolved.warnings.join("\n");
        assert!(
            all.contains("certificate erp.insightpulseai.net expired on 2026-04-08"),
            "{all}"
        );
        assert!(all.contains("site mcp.insightpulseai.net is covered by no certificate"));
        assert!(all.contains("site auth.insightpulseai.net is covered by no certificate"));
        for site in &resolved.stack.sites {
            assert!(
                resolved
                    .stack
                    .certificates
                    .iter()
                    .any(|c| c.covers(&site.fqdn)),
                "{} uncovered",
                site.fqdn
            );
        }
        let erp = &resolved.certificates[0];
        assert!(matches!(erp.action, CertAction::RenewExpired { .. }));
        let apex = resolved
            .certificates
            .iter()
            .find(|c| c.name == "insightpulseai.net")
            .unwrap();
        assert_eq!(
            apex.sans,
            ["insightpulseai.net", "www.insightpulseai.net"],
            "the www alias joins the apex certificate"
        );
        // Resolving resolved facts changes nothing more.
        let again = resolve(&resolved.stack, &policy, today, None);
        assert_eq!(again.stack.to_yaml(), resolved.stack.to_yaml());
        assert!(again
            .certificates
            .iter()
            .all(|c| c.action == CertAction::Keep));
    }

    #[test]
    fn a_certificate_inside_the_window_is_renewed() {
        let stack = Stack::insightpulse();
        let policy = Policy::default_pack();
        let today: Date = "2026-03-20".parse().unwrap();
        let resolved = resolve(&stack, &policy, today, None);
        assert_eq!(
            resolved.certificates[0].action,
            CertAction::RenewExpiring {
                not_after: "2026-04-08".parse().unwrap(),
                days_left: 19
            }
        );
        let today: Date = "2026-01-01".parse().unwrap();
        let resolved = resolve(&stack, &policy, today, None);
        assert_eq!(resolved.certificates[0].action, CertAction::Keep);
    }
}
