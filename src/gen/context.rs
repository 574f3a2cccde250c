//! What templates see: the resolved facts turned into the values each file needs, computed
//! once here so templates hold layout and escaping, not arithmetic.

use super::resolve::{CertAction, Resolved};
use crate::policy::{parse_nginx_seconds, Policy};
use crate::stack::{Environment, Stack};
use serde::Serialize;

/// The core add-ons of the Debian package the official image installs (odoo/docker
/// `18.0/Dockerfile`, research/odoo.md §3).
pub const CORE_ADDONS: &str = "/usr/lib/python3/dist-packages/odoo/addons";
/// Where the official image expects extra add-ons (`VOLUME /mnt/extra-addons`).
pub const EXTRA_ADDONS: &str = "/mnt/extra-addons";
/// Certbot's webroot on the host, mounted into nginx for the ACME challenge.
pub const ACME_WEBROOT: &str = "/var/www/certbot";
/// Mozilla's intermediate HSTS max-age (ssl-config guidelines 6.0, `hsts_min_age`).
pub const MOZILLA_HSTS_MAX_AGE: u64 = 63_072_000;
/// Odoo's default memory limits (cli.rst: 2048 MiB soft, 2560 MiB hard), the snapshot's.
const DEFAULT_MEMORY_SOFT: u64 = 2048 << 20;
const DEFAULT_MEMORY_HARD: u64 = 2560 << 20;
/// deploy.rst's sample `limit_time_cpu`.
const LIMIT_TIME_CPU: u64 = 600;

#[derive(Clone, Debug, Serialize)]
pub struct StackView {
    pub domain: String,
    pub host_name: String,
    pub host_ip: String,
    pub odoo_version: String,
    pub odoo_image: String,
    pub nginx: NginxView,
    pub sites: Vec<SiteView>,
    pub odoo_envs: Vec<OdooEnvView>,
    pub apps: Vec<AppView>,
    pub certificates: Vec<CertView>,
    pub mail: Option<MailView>,
    pub zone: ZoneView,
    pub env_vars: Vec<EnvVarView>,
    pub firewall: Vec<String>,
    pub redis: ServiceView,
    pub postgres: ServiceView,
    pub paths: PathsView,
    pub acme_webroot: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct NginxView {
    pub version: String,
    pub service: String,
    pub image: String,
    /// nginx ≥ 1.25.1: `http2 on;` instead of `listen … http2`.
    pub http2_directive: bool,
    /// Mozilla's template turns session tickets off below 1.23.2 only.
    pub session_tickets_off: bool,
    pub hsts_max_age: u64,
    pub client_max_body_size: String,
    pub proxy_timeout: String,
    pub static_expires: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SiteView {
    pub fqdn: String,
    pub description: Option<String>,
    pub environment: &'static str,
    /// `odoo`, `app` or `redirect`.
    pub kind: &'static str,
    pub staging: bool,
    pub redirect_to: Option<String>,
    pub upstream: Option<String>,
    pub port: Option<u16>,
    pub gevent_port: Option<u16>,
    /// Upstream block names derived from the FQDN, unique across vhosts.
    pub upstream_id: String,
    pub certificate: String,
    pub file: String,
    /// `CNAME` for an alias that redirects to another name of the zone, else `A`.
    pub record: &'static str,
    pub in_zone: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct OdooEnvView {
    pub name: &'static str,
    pub service: String,
    pub config: String,
    /// The config file as the compose file's directory sees it.
    pub config_from_compose: String,
    pub http_port: u16,
    pub gevent_port: u16,
    pub workers: u32,
    pub max_cron_threads: u32,
    pub limit_memory_soft: u64,
    pub limit_memory_hard: u64,
    pub limit_time_cpu: u64,
    pub limit_time_real: u64,
    pub db_host: String,
    pub db_port: u16,
    pub db_name: String,
    pub dbfilter: String,
    pub db_sslmode: String,
    pub db_maxconn: Option<u64>,
    pub addons_path: String,
    pub addons_mounts: Vec<MountView>,
    pub data_volume: String,
    pub sites: Vec<String>,
    pub production: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct MountView {
    pub source: String,
    pub target: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AppView {
    pub service: String,
    pub port: u16,
    pub image_var: String,
    pub sites: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ServiceView {
    pub service: String,
    pub image: String,
    pub port: u16,
}

#[derive(Clone, Debug, Serialize)]
pub struct CertView {
    pub name: String,
    pub sans: Vec<String>,
    /// `keep`, `new` or `renew`.
    pub action: &'static str,
    pub note: String,
    pub wildcard: bool,
    pub issuer: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MailView {
    pub provider: String,
    pub domain: String,
    pub mx: Vec<String>,
    pub spf: String,
    pub dmarc: String,
    pub dkim_name: Option<String>,
    pub dkim_key: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ZoneView {
    pub origin: String,
    pub ttl: u32,
    pub nameservers: Vec<String>,
    pub soa_mname: String,
    pub soa_rname: String,
    pub records: Vec<RecordView>,
}

/// One resource record; which fields are set depends on `rtype`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RecordView {
    pub owner: String,
    pub rtype: &'static str,
    pub comment: Option<String>,
    pub ip: Option<String>,
    pub target: Option<String>,
    pub preference: Option<u16>,
    pub text: Option<String>,
    pub caa_tag: Option<&'static str>,
    pub caa_value: Option<String>,
    /// An `ipai-lint: ignore[…] -- reason` comment for findings the facts ask for.
    pub suppress: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EnvVarView {
    pub name: String,
    pub secret: bool,
    pub comment: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PathsView {
    pub compose: String,
    pub compose_dev: String,
    /// The compose file's own name.
    pub compose_file: String,
    /// The development override as the compose file's directory sees it.
    pub compose_dev_from_compose: String,
    pub compose_dir: String,
    pub nginx_dir: String,
    pub nginx_from_compose: String,
    pub nginx_common: String,
    pub zone: String,
    pub env_example: String,
    pub env_file: String,
    pub certbot: String,
    pub verify: String,
    pub snapshot: String,
    /// The repo root as the scripts' directories see it, to `cd` to.
    pub root_from_certbot: String,
    pub root_from_verify: String,
}

/// Builds the view of the resolved facts.
pub fn build(resolved: &Resolved, policy: &Policy) -> StackView {
    let stack = &resolved.stack;
    let layout = &stack.layout;
    let host = stack.hosts.first();
    let compose_dir = parent(&layout.compose);
    // Facts ipai-gen renders from always name a version (stack.yaml requires one).
    let nginx_version = stack
        .nginx_version()
        .unwrap_or(crate::stack::NginxVersion::HTTP2_DIRECTIVE);
    let paths = PathsView {
        compose: layout.compose.clone(),
        compose_dev: layout.compose_dev.clone(),
        compose_file: layout
            .compose
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
        compose_dev_from_compose: relative(&compose_dir, &layout.compose_dev)
            .trim_start_matches("./")
            .to_string(),
        compose_dir: compose_dir.clone(),
        nginx_dir: layout.nginx_dir.clone(),
        nginx_from_compose: relative(&compose_dir, &layout.nginx_dir),
        nginx_common: join(&layout.nginx_dir, "00-common.conf"),
        zone: zone_path(stack),
        env_example: layout.env_example.clone(),
        env_file: join(&parent(&layout.env_example), ".env"),
        certbot: layout.certbot.clone(),
        verify: layout.verify.clone(),
        snapshot: layout.snapshot.clone(),
        root_from_certbot: relative(&parent(&layout.certbot), ""),
        root_from_verify: relative(&parent(&layout.verify), ""),
    };
    let proxy_timeout = policy.nginx.proxy_read_timeout.clone();
    let nginx = NginxView {
        version: stack.nginx.version.clone(),
        service: stack
            .nginx
            .service
            .clone()
            .unwrap_or_else(|| "nginx".into()),
        image: format!("nginx:{}.{}-alpine", nginx_version.0, nginx_version.1),
        http2_directive: nginx_version.has_http2_directive(),
        session_tickets_off: nginx_version < crate::stack::NginxVersion(1, 23, 2),
        hsts_max_age: policy.nginx.hsts_min_max_age.max(MOZILLA_HSTS_MAX_AGE),
        client_max_body_size: policy.nginx.client_max_body_size.clone(),
        proxy_timeout: proxy_timeout.clone(),
        static_expires: policy.nginx.static_expires.clone(),
    };

    let odoo_envs = odoo_envs(stack, policy, &compose_dir);
    let sites = sites(stack, &odoo_envs);
    let apps = apps(stack);
    let certificates = resolved
        .certificates
        .iter()
        .map(|planned| {
            let (action, note) = match &planned.action {
                CertAction::Keep => (
                    "keep",
                    match stack.certificate(&planned.name).and_then(|c| c.not_after) {
                        Some(date) => format!("valid until {date}"),
                        None => "expiry not recorded in the facts".to_string(),
                    },
                ),
                CertAction::New { for_sites } => (
                    "new",
                    format!("new: no certificate covered {}", for_sites.join(", ")),
                ),
                CertAction::RenewExpired { not_after } => {
                    ("renew", format!("renew now: expired on {not_after}"))
                }
                CertAction::RenewExpiring {
                    not_after,
                    days_left,
                } => (
                    "renew",
                    format!("renew now: expires on {not_after}, in {days_left} days"),
                ),
            };
            CertView {
                name: planned.name.clone(),
                sans: planned.sans.clone(),
                action,
                note,
                wildcard: planned.sans.iter().any(|s| s.starts_with("*.")),
                issuer: stack
                    .certificate(&planned.name)
                    .map(|c| c.issuer.clone())
                    .unwrap_or_else(|| "letsencrypt.org".into()),
            }
        })
        .collect::<Vec<_>>();
    let mail = stack.mail.as_ref().map(|mail| {
        let mut spf = String::from("v=spf1");
        for include in &mail.spf_includes {
            spf.push_str(" include:");
            spf.push_str(include);
        }
        spf.push_str(" ~all");
        let dmarc = match &mail.dmarc_rua {
            Some(rua) => format!("v=DMARC1; p=none; rua={rua}"),
            None => "v=DMARC1; p=none".to_string(),
        };
        MailView {
            provider: mail.provider.clone(),
            domain: mail.domain.clone(),
            mx: mail.mx.clone(),
            spf,
            dmarc,
            dkim_name: mail
                .dkim_selector
                .as_ref()
                .map(|s| format!("{s}._domainkey.{}", mail.domain)),
            dkim_key: mail.dkim_key.clone(),
        }
    });
    let zone = zone(stack, resolved, &sites, mail.as_ref(), &certificates);
    let env_vars = env_vars(stack, &apps, &paths);

    StackView {
        domain: stack.domain.clone(),
        host_name: host.map(|h| h.name.clone()).unwrap_or_default(),
        host_ip: host.map(|h| h.ipv4.to_string()).unwrap_or_default(),
        odoo_version: stack.odoo.version.clone(),
        odoo_image: format!("odoo:{}", stack.odoo.version),
        nginx,
        sites,
        odoo_envs,
        apps,
        certificates,
        mail,
        zone,
        env_vars,
        firewall: stack.firewall.allow.clone(),
        redis: ServiceView {
            service: "redis".into(),
            // The snapshot says `redis:alpine`, a tag that moves across major versions.
            image: "redis:7-alpine".into(),
            port: 6379,
        },
        postgres: ServiceView {
            service: "postgres".into(),
            image: "postgres:16-alpine".into(),
            port: 5432,
        },
        paths,
        acme_webroot: ACME_WEBROOT,
    }
}

pub fn zone_path(stack: &Stack) -> String {
    join(&stack.layout.dns_dir, &format!("{}.zone", stack.domain))
}

pub fn site_file(stack: &Stack, fqdn: &str) -> String {
    join(&stack.layout.nginx_dir, &format!("{fqdn}.conf"))
}

fn odoo_envs(stack: &Stack, policy: &Policy, compose_dir: &str) -> Vec<OdooEnvView> {
    let cores = stack.cpu_cores().unwrap_or(1);
    let workers = policy.odoo.workers_per_core.saturating_mul(cores);
    let max_cron_threads = policy.odoo.min_max_cron_threads.max(2);
    let (limit_memory_soft, limit_memory_hard) = match stack.memory_bytes() {
        // Every process Odoo limits must fit the host together: the HTTP workers, the cron
        // workers and the gevent process (odoo/service/server.py, set_limit_memory_hard).
        Some(memory) if workers > 0 => {
            let processes = u64::from(workers) + u64::from(max_cron_threads) + 1;
            let hard = whole_mib(memory / processes).min(DEFAULT_MEMORY_HARD);
            (whole_mib(hard / 5 * 4), hard)
        }
        _ => (DEFAULT_MEMORY_SOFT, DEFAULT_MEMORY_HARD),
    };
    // Odoo must give up before nginx does: limit_time_real ≤ proxy_read_timeout.
    let limit_time_real = parse_nginx_seconds(&policy.nginx.proxy_read_timeout).unwrap_or(720);
    let limit_time_cpu = LIMIT_TIME_CPU.min(limit_time_real);
    let addons_mounts: Vec<MountView> = stack
        .layout
        .addons
        .iter()
        .map(|dir| {
            let inside = dir.strip_prefix("addons/").unwrap_or(dir);
            MountView {
                source: relative(compose_dir, dir),
                target: format!("{EXTRA_ADDONS}/{inside}"),
            }
        })
        .collect();
    let mut addons_path: Vec<String> = addons_mounts.iter().map(|m| m.target.clone()).collect();
    addons_path.push(CORE_ADDONS.to_string());

    stack
        .odoo
        .environments
        .iter()
        .map(|env| {
            let service = env.service.clone().unwrap_or_default();
            let config = env.config.clone().unwrap_or_default();
            let db_name = env.database.name.clone().unwrap_or_default();
            let sharing = stack
                .odoo
                .environments
                .iter()
                .filter(|e| e.database.host == env.database.host)
                .count()
                .max(1) as u64;
            let processes = u64::from(workers) + u64::from(max_cron_threads) + 1;
            let db_maxconn = env
                .database
                .max_connections
                .map(|max| (u64::from(max) / (processes * sharing)).max(1));
            OdooEnvView {
                name: env.name.as_str(),
                config_from_compose: relative(compose_dir, &config),
                config,
                http_port: env.http_port,
                gevent_port: env.gevent_port,
                workers,
                max_cron_threads,
                limit_memory_soft,
                limit_memory_hard,
                limit_time_cpu,
                limit_time_real,
                db_host: env.database.host.clone(),
                db_port: env.database.port,
                dbfilter: format!("^{}$", regex_escape(&db_name)),
                db_name,
                db_sslmode: env.database.sslmode.clone(),
                db_maxconn,
                addons_path: addons_path.join(","),
                addons_mounts: addons_mounts.clone(),
                data_volume: format!("{service}-data"),
                sites: stack
                    .sites
                    .iter()
                    .filter(|s| s.upstream.as_deref() == Some(service.as_str()))
                    .map(|s| s.fqdn.clone())
                    .collect(),
                production: env.name == Environment::Production,
                service,
            }
        })
        .collect()
}

fn sites(stack: &Stack, envs: &[OdooEnvView]) -> Vec<SiteView> {
    stack
        .sites
        .iter()
        .map(|site| {
            let odoo = site
                .upstream
                .as_ref()
                .and_then(|u| envs.iter().find(|e| &e.service == u));
            let kind = match (&site.upstream, odoo) {
                (Some(_), Some(_)) => "odoo",
                (Some(_), None) => "app",
                (None, _) => "redirect",
            };
            let in_zone = within(&site.fqdn, &stack.domain);
            let alias = site.redirect_to.as_ref().filter(|target| {
                !site.fqdn.eq_ignore_ascii_case(&stack.domain)
                    && stack.site(target).is_some()
                    && within(target, &stack.domain)
            });
            SiteView {
                fqdn: site.fqdn.clone(),
                description: site.description.clone(),
                environment: site.environment.as_str(),
                kind,
                staging: site.environment == Environment::Staging,
                redirect_to: if kind == "redirect" {
                    site.redirect_to.clone()
                } else {
                    None
                },
                upstream: site.upstream.clone(),
                port: odoo.map(|e| e.http_port).or(site.port),
                gevent_port: odoo.map(|e| e.gevent_port),
                upstream_id: site
                    .fqdn
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect(),
                certificate: stack
                    .certificates
                    .iter()
                    .find(|c| c.covers(&site.fqdn))
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                file: site_file(stack, &site.fqdn),
                record: if alias.is_some() { "CNAME" } else { "A" },
                in_zone,
            }
        })
        .collect()
}

fn apps(stack: &Stack) -> Vec<AppView> {
    let odoo_services: Vec<&str> = stack
        .odoo
        .environments
        .iter()
        .filter_map(|e| e.service.as_deref())
        .collect();
    let mut apps: Vec<AppView> = Vec::new();
    for site in &stack.sites {
        let Some(upstream) = &site.upstream else {
            continue;
        };
        if odoo_services.contains(&upstream.as_str()) {
            continue;
        }
        match apps.iter_mut().find(|a| &a.service == upstream) {
            Some(app) => app.sites.push(site.fqdn.clone()),
            None => apps.push(AppView {
                service: upstream.clone(),
                port: site.port.unwrap_or(8080),
                image_var: format!(
                    "{}_IMAGE",
                    upstream
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() {
                            c.to_ascii_uppercase()
                        } else {
                            '_'
                        })
                        .collect::<String>()
                ),
                sites: vec![site.fqdn.clone()],
            }),
        }
    }
    apps
}

fn zone(
    stack: &Stack,
    resolved: &Resolved,
    sites: &[SiteView],
    mail: Option<&MailView>,
    certificates: &[CertView],
) -> ZoneView {
    let ip = stack
        .hosts
        .first()
        .map(|h| h.ipv4.to_string())
        .unwrap_or_default();
    let mut records = Vec::new();
    for site in sites.iter().filter(|s| s.in_zone) {
        let mut record = RecordView {
            owner: site.fqdn.clone(),
            rtype: site.record,
            comment: site.description.clone(),
            ..RecordView::default()
        };
        if site.record == "CNAME" {
            record.target = site.redirect_to.clone();
        } else {
            record.ip = Some(ip.clone());
        }
        records.push(record);
    }
    let mut issuers: Vec<String> = Vec::new();
    for cert in certificates {
        if !issuers.contains(&cert.issuer) {
            issuers.push(cert.issuer.clone());
        }
    }
    for (i, issuer) in issuers.iter().enumerate() {
        records.push(RecordView {
            owner: stack.domain.clone(),
            rtype: "CAA",
            comment: (i == 0)
                .then(|| "CAA (RFC 8659): only these CAs may issue for the zone".to_string()),
            caa_tag: Some("issue"),
            caa_value: Some(issuer.clone()),
            ..RecordView::default()
        });
    }
    // RFC 8659 §4.3: issuewild ";" forbids wildcard certificates; allow them only when the
    // facts hold one.
    let wildcard_issuers: Vec<&CertView> = certificates.iter().filter(|c| c.wildcard).collect();
    if wildcard_issuers.is_empty() {
        records.push(RecordView {
            owner: stack.domain.clone(),
            rtype: "CAA",
            caa_tag: Some("issuewild"),
            caa_value: Some(";".into()),
            ..RecordView::default()
        });
    } else {
        for cert in wildcard_issuers {
            records.push(RecordView {
                owner: stack.domain.clone(),
                rtype: "CAA",
                caa_tag: Some("issuewild"),
                caa_value: Some(cert.issuer.clone()),
                ..RecordView::default()
            });
        }
    }
    if let Some(mail) = mail {
        let zone = stack.domain.clone();
        let mut txt = |owner: String, text: &str, comment: &str| {
            records.push(RecordView {
                owner,
                rtype: "TXT",
                text: Some(text.to_string()),
                comment: Some(comment.to_string()),
                suppress: dmarc_exceptions(text, &zone),
                ..RecordView::default()
            });
        };
        txt(stack.domain.clone(), &mail.spf, "SPF");
        txt(format!("_dmarc.{}", stack.domain), &mail.dmarc, "DMARC");
        if within(&mail.domain, &stack.domain) {
            txt(mail.domain.clone(), &mail.spf, "SPF for the sending domain");
            txt(
                format!("_dmarc.{}", mail.domain),
                &mail.dmarc,
                "DMARC for the sending domain",
            );
            if let (Some(name), Some(key)) = (&mail.dkim_name, &mail.dkim_key) {
                txt(name.clone(), key, "DKIM");
            }
            for (i, mx) in mail.mx.iter().enumerate() {
                records.push(RecordView {
                    owner: mail.domain.clone(),
                    rtype: "MX",
                    comment: (i == 0).then(|| format!("Mail exchangers of {}", mail.domain)),
                    preference: Some(10),
                    target: Some(mx.clone()),
                    ..RecordView::default()
                });
            }
        }
    }
    let soa_mname = resolved
        .nameservers
        .first()
        .cloned()
        .unwrap_or_else(|| format!("ns1.{}", stack.domain));
    ZoneView {
        origin: stack.domain.clone(),
        ttl: 3600,
        nameservers: resolved.nameservers.clone(),
        soa_mname,
        soa_rname: format!("hostmaster.{}", stack.domain),
        records,
    }
}

fn env_vars(stack: &Stack, apps: &[AppView], paths: &PathsView) -> Vec<EnvVarView> {
    let secret = |name: &str| {
        ["PASSWORD", "SECRET", "KEY", "TOKEN"]
            .iter()
            .any(|w| name.contains(w))
    };
    let mut vars = vec![
        EnvVarView {
            name: "POSTGRES_USER".into(),
            secret: false,
            comment: format!(
                "Database role Odoo connects as; the official image's entrypoint passes it as --db_user ({}). Use a role that is not a superuser (deploy.rst).",
                paths.compose
            ),
        },
        EnvVarView {
            name: "POSTGRES_PASSWORD".into(),
            secret: true,
            comment: format!(
                "Its password; the entrypoint passes it as --db_password, so odoo.conf never holds it ({}).",
                paths.compose
            ),
        },
    ];
    for app in apps {
        vars.push(EnvVarView {
            name: app.image_var.clone(),
            secret: false,
            comment: format!(
                "Image of the {} service, pinned to a tag; the facts do not name it ({}).",
                app.service, paths.compose
            ),
        });
    }
    vars.push(EnvVarView {
        name: "CERTBOT_EMAIL".into(),
        secret: false,
        comment: format!(
            "Let's Encrypt account e-mail for expiry notices ({}).",
            paths.certbot
        ),
    });
    for name in &stack.env.required {
        if vars.iter().any(|v| &v.name == name) {
            continue;
        }
        let comment = if name == "ADMIN_PASSWORD" {
            "Required by the stack facts. Odoo does not read it: admin_passwd can only be set in odoo.conf, which leaves it empty so the database manager accepts no password.".to_string()
        } else {
            "Required by the stack facts; none of the generated files reads it.".to_string()
        };
        vars.push(EnvVarView {
            name: name.clone(),
            secret: secret(name),
            comment,
        });
    }
    vars
}

/// Rounds down to whole MiB.
fn whole_mib(bytes: u64) -> u64 {
    bytes & !((1 << 20) - 1)
}

/// Escapes regular-expression metacharacters (Python `re.escape` semantics for the
/// characters a database name can hold), for an anchored `dbfilter`.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c.is_ascii_alphanumeric() || c == '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn within(name: &str, domain: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    name == domain || name.ends_with(&format!(".{domain}"))
}

/// The directory part of a repo-relative path (`""` for the root).
pub fn parent(path: &str) -> String {
    path.rsplit_once('/')
        .map(|(dir, _)| dir.to_string())
        .unwrap_or_default()
}

pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The path from directory `from` to `to`, both repo-relative, starting with `./` or `../`
/// as Compose wants relative bind mounts to.
pub fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    let joined = parts.join("/");
    if joined.starts_with("..") {
        joined
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        format!("./{joined}")
    }
}

/// The DMARC findings the facts ask for, as a suppression with its reason: a monitoring
/// policy (`p=none`, MAIL007) and reports sent outside the zone (MAIL008) are the stack's
/// choices, stated in its facts, not faults of the generated zone.
fn dmarc_exceptions(text: &str, zone: &str) -> Option<String> {
    use crate::formats::mail::dmarc;
    if !dmarc::is_dmarc(text) {
        return None;
    }
    let record = dmarc::parse(text);
    let mut codes = Vec::new();
    if record.tag("p").is_none_or(|p| p.value == "none") {
        codes.push("MAIL007");
    }
    let external = record
        .tags
        .iter()
        .filter(|t| t.name == "rua" || t.name == "ruf")
        .any(|t| {
            t.value
                .split(',')
                .filter_map(|uri| uri.trim().strip_prefix("mailto:"))
                .any(|address| {
                    let domain = address
                        .split('!')
                        .next()
                        .unwrap_or("")
                        .rsplit_once('@')
                        .map_or("", |(_, d)| d)
                        .to_ascii_lowercase();
                    !(domain == zone || domain.ends_with(&format!(".{zone}")))
                })
        });
    if external {
        codes.push("MAIL008");
    }
    (!codes.is_empty()).then(|| {
        format!(
            "ipai-lint: ignore[{}] -- the stack's facts set this DMARC policy and report address",
            codes.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative("deploy", "config/odoo.conf"),
            "../config/odoo.conf"
        );
        assert_eq!(relative("deploy", "deploy/nginx"), "./nginx");
        assert_eq!(relative("", "config/odoo.conf"), "./config/odoo.conf");
        assert_eq!(relative("a/b", "a"), "..");
    }

    #[test]
    fn dbfilter_is_anchored_and_escaped() {
        assert_eq!(format!("^{}$", regex_escape("odoo")), "^odoo$");
        assert_eq!(regex_escape("a.b-c"), "a\\.b\\-c");
    }
}
