//! The policy pack: every invariant's parameters, as data. Rules read them from here and
//! never hard-code a value.

use crate::severity::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The default pack, embedded.
pub const DEFAULT_POLICY_YAML: &str = include_str!("../policies/default.yaml");

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub version: u32,
    pub odoo: OdooPolicy,
    pub nginx: NginxPolicy,
    pub tls: TlsPolicy,
    pub compose: ComposePolicy,
    #[serde(default)]
    pub images: ImagesPolicy,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleOverride>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdooPolicy {
    pub workers_per_core: u32,
    pub min_max_cron_threads: u32,
    pub remote_db_sslmodes: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NginxPolicy {
    /// An nginx size, e.g. `100M`.
    pub client_max_body_size: String,
    /// An nginx time, e.g. `720s`.
    pub proxy_read_timeout: String,
    pub static_expires: String,
    pub hsts_min_max_age: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsPolicy {
    pub cert_expiry_warning_days: i64,
}

/// What ipai knows about container images.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesPolicy {
    /// The TCP ports an image's server listens on in its container, by image repository
    /// (`odoo`, `ghcr.io/acme/odoo`): for upstreams naming a service that has neither
    /// `expose` nor `ports`.
    #[serde(default)]
    pub ports: BTreeMap<String, Vec<u16>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComposePolicy {
    /// Profiles that mark a service as development-only.
    pub dev_profiles: Vec<String>,
    /// Words that mark a compose file as a development override when one of them is a word
    /// of its name (`docker-compose.override.yml`, `compose.dev.yaml`).
    pub dev_file_words: Vec<String>,
    /// The names of the file documenting a project's variables, looked for next to the
    /// compose file, then at the repo root.
    pub env_example_files: Vec<String>,
    /// Env files whose name ends with one of these are templates, not real values.
    pub env_template_suffixes: Vec<String>,
    /// Values that are obviously not a real secret, compared case-insensitively.
    pub placeholder_values: Vec<String>,
    /// Prefixes of obvious placeholders (`your-api-key`), compared case-insensitively.
    pub placeholder_prefixes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl Policy {
    /// The embedded default pack.
    pub fn default_pack() -> Policy {
        // The embedded pack is tested to parse, so this cannot fail at run time.
        serde_saphyr::from_str(DEFAULT_POLICY_YAML).expect("the embedded policy pack is valid")
    }

    /// The default pack with a repo's overrides (in the pack's own shape) laid over it.
    pub fn with_overrides(overrides: Option<&serde_json::Value>) -> Result<Policy, String> {
        let Some(overrides) = overrides else {
            return Ok(Policy::default_pack());
        };
        let mut merged: serde_json::Value =
            serde_saphyr::from_str(DEFAULT_POLICY_YAML).map_err(|e| e.to_string())?;
        merge(&mut merged, overrides);
        serde_json::from_value(merged).map_err(|err| format!("policy: {err}"))
    }

    /// What the repo says about one rule, if anything.
    pub fn rule(&self, code: &str) -> Option<&RuleOverride> {
        self.rules.get(code)
    }
}

fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(base), serde_json::Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (slot, value) => *slot = value.clone(),
    }
}

/// Parses an nginx size (`100M`, `1g`, `512k`, `1024`) into bytes.
/// nginx: "Sizes can be specified in bytes, kilobytes (suffixes k and K) or megabytes
/// (suffixes m and M)" and g/G since 1.x (<https://nginx.org/en/docs/syntax.html>).
pub fn parse_nginx_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&text[..i], Some(c.to_ascii_lowercase())),
        _ => (text, None),
    };
    let n: u64 = digits.parse().ok()?;
    let factor = match unit {
        None => 1,
        Some('k') => 1 << 10,
        Some('m') => 1 << 20,
        Some('g') => 1 << 30,
        Some(_) => return None,
    };
    n.checked_mul(factor)
}

/// Parses an nginx time (`720s`, `12m`, `1h 30m`, `1d`, `60`) into seconds; a bare number is
/// seconds (<https://nginx.org/en/docs/syntax.html>). Milliseconds round down.
pub fn parse_nginx_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total_ms: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits_end == 0 {
            return None;
        }
        let n: u64 = rest[..digits_end].parse().ok()?;
        rest = &rest[digits_end..];
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit_ms: u64 = match &rest[..unit_end] {
            "" | "s" => 1_000,
            "ms" => 1,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "M" => 2_592_000_000,
            "y" => 31_536_000_000,
            _ => return None,
        };
        rest = &rest[unit_end..];
        total_ms = total_ms.checked_add(n.checked_mul(unit_ms)?)?;
    }
    Some(total_ms / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pack_parses() {
        let policy = Policy::default_pack();
        assert_eq!(policy.odoo.workers_per_core, 2);
        assert_eq!(
            parse_nginx_size(&policy.nginx.client_max_body_size),
            Some(100 << 20)
        );
        assert_eq!(
            parse_nginx_seconds(&policy.nginx.proxy_read_timeout),
            Some(720)
        );
    }

    #[test]
    fn overrides_replace_leaves_only() {
        let over = serde_json::json!({"odoo": {"workers_per_core": 3}, "rules": {"NGX001": {"enabled": false}}});
        let policy = Policy::with_overrides(Some(&over)).unwrap();
        assert_eq!(policy.odoo.workers_per_core, 3);
        assert_eq!(policy.odoo.min_max_cron_threads, 1);
        assert_eq!(policy.rule("NGX001").unwrap().enabled, Some(false));
        let bad = serde_json::json!({"odoo": {"workers_per_core": "many"}});
        assert!(Policy::with_overrides(Some(&bad)).is_err());
    }

    #[test]
    fn nginx_units() {
        assert_eq!(parse_nginx_seconds("1h 30m"), Some(5400));
        assert_eq!(parse_nginx_seconds("864000"), Some(864_000));
        assert_eq!(parse_nginx_seconds("10d"), Some(864_000));
        assert_eq!(parse_nginx_seconds("max"), None);
        assert_eq!(parse_nginx_size("1g"), Some(1 << 30));
        assert_eq!(parse_nginx_size("100Q"), None);
    }
}
