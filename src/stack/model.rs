//! The `stack.yaml` schema: what exists in the stack. Version 1.

use super::date::Date;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// The facts of one stack. Unknown keys are rejected so a typo never silently drops a fact.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stack {
    /// Schema version. 1: every fact is stated (`odoo.version`, and the nginx version
    /// defaults to 1.27). 2: what the file does not state (the domain, the sites, the Odoo
    /// and nginx versions) is read from the repo's own files, as without a stack.yaml;
    /// `ipai-lint init --stack` writes one.
    pub version: u32,
    /// The zone apex, e.g. `insightpulseai.net`.
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub hosts: Vec<Host>,
    #[serde(default)]
    pub sites: Vec<Site>,
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    #[serde(default)]
    pub odoo: Odoo,
    #[serde(default)]
    pub nginx: Nginx,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<Mail>,
    #[serde(default)]
    pub firewall: Firewall,
    #[serde(default)]
    pub env: EnvFacts,
    #[serde(default)]
    pub compose: ComposeFacts,
    /// Overrides of the policy pack, in the policy pack's own shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<serde_json::Value>,
    /// ipai-lint settings, in the shape of `ipai.toml`, for repos that keep one file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lint: Option<crate::engine::config::LintConfig>,
    /// Where `ipai-gen` puts the files it renders.
    #[serde(default)]
    pub layout: Layout,
    /// Which repo paths belong to which environment, when the repo's own evidence is not
    /// enough: `scope: [{paths: ["legacy/**"], environment: not-stack}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<crate::workspace::scope::ScopeRule>,
    /// The sites by lower-case name, built on the first look-up.
    #[serde(skip)]
    pub(crate) site_index: std::sync::OnceLock<crate::hash::FastHashMap<String, usize>>,
    /// Facts were read from the repo's own files (no stack.yaml and not the snapshot's
    /// stack, or a version 2 stack.yaml): the snapshot's conventions
    /// (`X-Environment: STAGING`) are not this repo's.
    #[serde(skip)]
    pub inferred: bool,
}

/// Where the files `ipai-gen` renders live, relative to the repo root. The defaults follow
/// the snapshot's repo layout (§3 "Directory Structure": `config/odoo.conf`,
/// `deploy/docker-compose.yml`; §12: `deploy/nginx/<fqdn>.conf`). An Odoo environment's
/// odoo.conf is its `config`; without one, `config/odoo.conf` for production and
/// `config/odoo.<environment>.conf` for the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Layout {
    /// One vhost a site, `<nginx_dir>/<fqdn>.conf`, and the shared `00-common.conf`.
    pub nginx_dir: String,
    pub compose: String,
    /// The development override that adds PostgreSQL.
    pub compose_dev: String,
    /// The zone file is `<dns_dir>/<domain>.zone`.
    pub dns_dir: String,
    pub env_example: String,
    /// The certbot command lines, one a certificate.
    pub certbot: String,
    /// The snapshot's §9 verification commands.
    pub verify: String,
    /// The canonical snapshot Markdown.
    pub snapshot: String,
    /// Repo folders that directly hold Odoo modules; each is mounted read-only at
    /// `/mnt/extra-addons/<folder without its leading addons/>`.
    pub addons: Vec<String>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            nginx_dir: "deploy/nginx".into(),
            compose: "deploy/docker-compose.yml".into(),
            compose_dev: "deploy/docker-compose.dev.yml".into(),
            dns_dir: "deploy/dns".into(),
            env_example: "deploy/.env.example".into(),
            certbot: "scripts/certbot.sh".into(),
            verify: "scripts/verify-stack.sh".into(),
            snapshot: "docs/CANONICAL_ODOO_STACK_SNAPSHOT.md".into(),
            addons: vec!["addons/ipai".into(), "addons/external/oca".into()],
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub name: String,
    pub ipv4: Ipv4Addr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_cores: Option<u32>,
    /// Memory in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Production,
    Staging,
    Development,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development",
        }
    }
}

/// One public name the stack serves.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub fqdn: String,
    pub environment: Environment,
    /// The compose service nginx proxies this site to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
    /// For a redirect-only site, the name it redirects to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_to: Option<String>,
    /// The port `upstream` listens on, for a site that is not Odoo (an Odoo site takes its
    /// ports from its environment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// What the site is, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// The certbot lineage name: `/etc/letsencrypt/live/<name>/`.
    pub name: String,
    pub sans: Vec<String>,
    /// The CA's CAA identifier, e.g. `letsencrypt.org`.
    pub issuer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<Date>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Odoo {
    /// `16.0` … `19.0`; in a version 2 file, empty or absent when the repo decides.
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub environments: Vec<OdooEnvironment>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdooEnvironment {
    pub name: Environment,
    /// The odoo.conf of this environment, relative to the repo root, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// The compose service that runs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default = "default_http_port")]
    pub http_port: u16,
    #[serde(default = "default_gevent_port")]
    pub gevent_port: u16,
    pub database: Database,
}

fn default_http_port() -> u16 {
    8069
}

fn default_gevent_port() -> u16 {
    8072
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub host: String,
    pub port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// libpq sslmode the server requires, e.g. `require`.
    pub sslmode: String,
    /// The server's `max_connections`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nginx {
    /// The nginx version the configs target, e.g. `1.27` or `1.22.1`; in a version 2
    /// file, absent when the repo decides.
    #[serde(default)]
    pub version: String,
    /// The compose service running nginx, when nginx runs in compose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The version was read from a compose service's nginx image (facts inferred from the
    /// repo), so it holds only for the configs a proxy service mounts: a vhost on the
    /// host runs the host's nginx, whose version the repo does not state.
    #[serde(skip)]
    pub from_image: bool,
}

impl Default for Nginx {
    fn default() -> Self {
        Nginx {
            version: "1.27".into(),
            service: None,
            from_image: false,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mail {
    pub provider: String,
    /// The sending domain, e.g. `mg.insightpulseai.net`.
    pub domain: String,
    /// SPF `include:` targets the provider needs.
    #[serde(default)]
    pub spf_includes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dkim_selector: Option<String>,
    /// The DKIM key record the provider publishes (`k=rsa; p=…`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dkim_key: Option<String>,
    #[serde(default)]
    pub mx: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dmarc_rua: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Firewall {
    /// ufw allow rules, e.g. `22/tcp`.
    #[serde(default)]
    pub allow: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvFacts {
    /// Variables every deployment must define.
    #[serde(default)]
    pub required: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComposeFacts {
    /// The compose files to merge, repo-relative, base first. Empty: each directory's
    /// default file and override, as `docker compose` finds them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Services production needs.
    #[serde(default)]
    pub services: Vec<String>,
    /// Services that may run only in development (a dev profile or a dev override).
    #[serde(default)]
    pub dev_only: Vec<String>,
}
