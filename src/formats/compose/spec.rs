//! The keys the Compose specification allows, as data, for unknown-key rules.
//!
//! Source: compose-spec/compose-go `schema/compose-spec.json` (the canonical schema,
//! Apache-2.0; `definitions.service.properties` and the top-level `properties`), which matches
//! `05-services.md` of the specification. Any key starting with `x-` is an extension and is
//! allowed everywhere user keys are not expected (`11-extension.md`).

/// Top-level keys.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "version", "name", "include", "services", "models", "networks", "volumes", "secrets", "configs",
];

/// Keys of a service.
pub const SERVICE_KEYS: &[&str] = &[
    "annotations",
    "attach",
    "blkio_config",
    "build",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpu_shares",
    "cpus",
    "cpuset",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "gpus",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "label_file",
    "labels",
    "links",
    "logging",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "models",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "post_start",
    "pre_start",
    "pre_stop",
    "privileged",
    "profiles",
    "provider",
    "pull_policy",
    "pull_refresh_after",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "use_api_socket",
    "user",
    "userns_mode",
    "uts",
    "volumes",
    "volumes_from",
    "working_dir",
];

/// Keys of a service's `healthcheck`.
pub const HEALTHCHECK_KEYS: &[&str] = &[
    "disable",
    "interval",
    "retries",
    "start_interval",
    "start_period",
    "test",
    "timeout",
];

/// Keys of a long-syntax port.
pub const PORT_KEYS: &[&str] = &[
    "app_protocol",
    "host_ip",
    "mode",
    "name",
    "protocol",
    "published",
    "target",
];

/// Keys of a long-syntax service volume.
pub const VOLUME_MOUNT_KEYS: &[&str] = &[
    "bind",
    "consistency",
    "image",
    "read_only",
    "source",
    "target",
    "tmpfs",
    "type",
    "volume",
];

/// Whether `key` is an extension (`x-...`), allowed anywhere.
pub fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

pub fn is_service_key(key: &str) -> bool {
    SERVICE_KEYS.binary_search(&key).is_ok() || is_extension(key)
}

pub fn is_top_level_key(key: &str) -> bool {
    TOP_LEVEL_KEYS.contains(&key) || is_extension(key)
}

/// The closest allowed key to a mistyped one (`imagee` → `image`, `enviroment` →
/// `environment`), if one is close enough to be a plausible typo.
pub fn suggest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let lowered = key.to_ascii_lowercase().replace('-', "_");
    if let Some(exact) = allowed.iter().find(|k| **k == lowered) {
        return Some(exact);
    }
    let (best, distance) = allowed
        .iter()
        .map(|k| (*k, strsim::damerau_levenshtein(&lowered, k)))
        .min_by_key(|&(k, d)| (d, k.len()))?;
    let limit = match lowered.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    (distance <= limit).then_some(best)
}

/// [`suggest`] among [`SERVICE_KEYS`].
pub fn suggest_service_key(key: &str) -> Option<&'static str> {
    suggest(key, SERVICE_KEYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_keys_are_sorted_for_binary_search() {
        let mut sorted = SERVICE_KEYS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, SERVICE_KEYS);
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(suggest_service_key("imagee"), Some("image"));
        assert_eq!(suggest_service_key("enviroment"), Some("environment"));
        assert_eq!(suggest_service_key("depends-on"), Some("depends_on"));
        assert_eq!(suggest_service_key("Ports"), Some("ports"));
        assert_eq!(suggest_service_key("healtcheck"), Some("healthcheck"));
        assert_eq!(suggest_service_key("frobnicate"), None);
        assert!(is_service_key("x-anything") && is_service_key("ports") && !is_service_key("port"));
    }
}
