//! Stack facts: what exists. Read from the repo's `stack.yaml`, or the embedded
//! InsightPulse snapshot when the repo has none.

mod date;
pub(crate) mod dockerfile;
pub(crate) mod infer;
mod model;
mod version;

pub use date::Date;
pub use infer::{is_insightpulse, INSIGHTPULSE_DOMAIN};
pub use model::*;
pub use version::NginxVersion;

use crate::formats::odoo_conf::OdooVersion;
use std::fmt;
use std::path::Path;

/// The facts of the InsightPulse snapshot, embedded in the binary.
pub const INSIGHTPULSE_YAML: &str = include_str!("insightpulse.yaml");

/// Where the effective facts came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StackOrigin {
    /// The repo's own file, by its repo-relative name.
    File(String),
    /// The InsightPulse snapshot's facts: the repo names its domain, or the user asked.
    Embedded,
    /// Read from the repo's own files ([`Stack::infer`]): no stack.yaml, and not the
    /// InsightPulse stack.
    Inferred,
}

/// A `stack.yaml` that cannot be used. The CLI exits 2 on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for StackError {}

impl Stack {
    /// The embedded InsightPulse facts.
    pub fn insightpulse() -> Stack {
        // The embedded file is tested to parse and validate, so this cannot fail at run time.
        Stack::from_yaml("<embedded insightpulse stack>", INSIGHTPULSE_YAML)
            .expect("the embedded stack facts are valid")
    }

    /// Loads `stack.yaml` from a repo root, or the embedded facts when there is none.
    pub fn discover(root: &Path) -> Result<(Stack, StackOrigin), StackError> {
        let path = root.join("stack.yaml");
        match std::fs::read(&path) {
            Ok(bytes) => {
                let name = "stack.yaml".to_string();
                let text = String::from_utf8(bytes).map_err(|err| StackError {
                    file: name.clone(),
                    line: 1,
                    column: 1,
                    message: format!("not UTF-8 text: {err}"),
                })?;
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                Ok((Stack::from_yaml(&name, text)?, StackOrigin::File(name)))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Ok((Stack::insightpulse(), StackOrigin::Embedded))
            }
            Err(err) => Err(StackError {
                file: path.display().to_string(),
                line: 1,
                column: 1,
                message: format!("cannot read: {err}"),
            }),
        }
    }

    /// Parses and validates facts. Errors carry the line and column of the offending node.
    pub fn from_yaml(file: &str, text: &str) -> Result<Stack, StackError> {
        let stack: Stack = serde_saphyr::from_str(text).map_err(|err| {
            let (line, column) = err
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((1, 1));
            StackError {
                file: file.to_string(),
                line,
                column,
                message: first_line(&err.without_snippet().to_string()),
            }
        })?;
        let mut stack = stack;
        // Version 2 leaves an unstated nginx version to the repo, where version 1 meant 1.27.
        if stack.version == 2 {
            let stated = serde_saphyr::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("nginx")?.get("version").cloned())
                .is_some();
            if !stated {
                stack.nginx.version.clear();
            }
        }
        stack.validate().map_err(|(needle, message)| {
            let (line, column) = find_key(text, needle);
            StackError {
                file: file.to_string(),
                line,
                column,
                message,
            }
        })?;
        Ok(stack)
    }

    /// Checks that the facts agree with each other. On failure, returns a text to locate
    /// in the file and the message.
    fn validate(&self) -> Result<(), (&str, String)> {
        if let Err(message) = crate::workspace::scope::check_rules(&self.scope) {
            return Err(("scope", message));
        }
        if !matches!(self.version, 1 | 2) {
            return Err((
                "version",
                format!(
                    "unsupported stack.yaml version {}: this ipai reads versions 1 and 2",
                    self.version
                ),
            ));
        }
        // Version 2 may leave the versions to the repo.
        let repo_decides = |value: &str| self.version == 2 && value.is_empty();
        if !repo_decides(&self.odoo.version)
            && !matches!(
                self.odoo.version.as_str(),
                "16.0" | "17.0" | "18.0" | "19.0"
            )
        {
            return Err((
                self.odoo.version.as_str(),
                format!(
                    "unsupported Odoo version `{}`: expected \"16.0\", \"17.0\", \"18.0\" or \"19.0\"",
                    self.odoo.version
                ),
            ));
        }
        if !repo_decides(&self.nginx.version) {
            if let Err(message) = self.nginx.version.parse::<NginxVersion>() {
                return Err((self.nginx.version.as_str(), message));
            }
        }
        for site in &self.sites {
            if let Some(message) = hostname_problem(&site.fqdn) {
                return Err((
                    site.fqdn.as_str(),
                    format!("site `{}`: {message}", site.fqdn),
                ));
            }
        }
        for cert in &self.certificates {
            for san in &cert.sans {
                if let Some(message) = hostname_problem(san.trim_start_matches("*.")) {
                    return Err((
                        san.as_str(),
                        format!("certificate `{}` SAN `{san}`: {message}", cert.name),
                    ));
                }
            }
        }
        for env in &self.odoo.environments {
            if env.http_port == env.gevent_port {
                return Err((
                    "gevent_port",
                    format!(
                        "odoo environment {}: http_port and gevent_port are both {}",
                        env.name.as_str(),
                        env.http_port
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn odoo_version(&self) -> OdooVersion {
        // Validated in `validate`.
        self.odoo.version.parse().unwrap_or(OdooVersion::V18)
    }

    /// The Odoo series, when the facts know it (facts read from a repo may not).
    pub fn known_odoo_version(&self) -> Option<OdooVersion> {
        self.odoo.version.parse().ok()
    }

    /// The nginx version the configs target, when the facts know it (a `stack.yaml` always
    /// does; facts read from a repo whose nginx runs on the host do not).
    pub fn nginx_version(&self) -> Option<NginxVersion> {
        self.nginx.version.parse().ok()
    }

    /// The first host with a known core count: the stack runs on one droplet.
    pub fn cpu_cores(&self) -> Option<u32> {
        self.hosts.iter().find_map(|h| h.cpu_cores)
    }

    pub fn memory_bytes(&self) -> Option<u64> {
        self.hosts.iter().find_map(|h| h.memory_bytes)
    }

    /// The site named `fqdn` (any case, a trailing dot allowed), looked up in an index: rules
    /// ask once per server name, and a stack may have thousands of sites.
    pub fn site(&self, fqdn: &str) -> Option<&Site> {
        let index = self.site_index.get_or_init(|| {
            let mut index = crate::hash::FastHashMap::default();
            for (i, site) in self.sites.iter().enumerate() {
                index.entry(site.fqdn.to_ascii_lowercase()).or_insert(i);
            }
            index
        });
        let fqdn = fqdn.trim_end_matches('.');
        let found = match index.get(fqdn) {
            Some(&i) => Some(i),
            None if fqdn.bytes().any(|b| b.is_ascii_uppercase()) => {
                index.get(&fqdn.to_ascii_lowercase()).copied()
            }
            None => None,
        };
        found.and_then(|i| self.sites.get(i))
    }

    pub fn certificate(&self, name: &str) -> Option<&Certificate> {
        self.certificates.iter().find(|c| c.name == name)
    }

    pub fn odoo_environment(&self, name: Environment) -> Option<&OdooEnvironment> {
        self.odoo.environments.iter().find(|e| e.name == name)
    }

    /// The Odoo environment whose odoo.conf is this repo-relative path.
    pub fn odoo_environment_for_config(&self, config: &str) -> Option<&OdooEnvironment> {
        self.odoo
            .environments
            .iter()
            .find(|e| e.config.as_deref() == Some(config))
    }

    /// The facts as YAML, for `--print-stack`.
    pub fn to_yaml(&self) -> String {
        serde_saphyr::to_string(self)
            .unwrap_or_else(|err| format!("# cannot print the stack: {err}\n"))
    }
}

impl Certificate {
    /// Whether a SAN of this certificate matches `host` (RFC 6125 §6.4.3: a wildcard covers
    /// exactly one left-most label).
    pub fn covers(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.sans.iter().any(|san| match san.strip_prefix("*.") {
            Some(parent) => host.split_once('.').is_some_and(|(label, rest)| {
                !label.is_empty() && rest.eq_ignore_ascii_case(parent)
            }),
            None => san.eq_ignore_ascii_case(host),
        })
    }
}

fn hostname_problem(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.len() > 253 {
        return Some("a host name has 1 to 253 characters".into());
    }
    for label in name.split('.') {
        let ok_chars = label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if label.is_empty()
            || label.len() > 63
            || !ok_chars
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Some(format!("`{label}` is not a valid DNS label (letters, digits and inner hyphens, 1 to 63 characters)"));
        }
    }
    None
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// The 1-based line and column of the first occurrence of `needle`, or 1:1.
fn find_key(text: &str, needle: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, line)| {
            line.find(needle)
                .map(|col| (i + 1, line[..col].chars().count() + 1))
        })
        .unwrap_or((1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_facts_parse_and_validate() {
        let stack = Stack::insightpulse();
        assert_eq!(stack.cpu_cores(), Some(6));
        assert_eq!(stack.odoo.version, "18.0");
        assert!(stack.nginx_version().unwrap().has_http2_directive());
        let erp = stack.certificate("erp.insightpulseai.net").unwrap();
        assert!(erp.covers("superset.insightpulseai.net"));
        assert!(!erp.covers("mcp.insightpulseai.net"));
    }

    #[test]
    fn unknown_keys_and_wrong_types_have_locations() {
        let text = "version: 1\ndomain: x.net\nodoo:\n  version: \"18.0\"\n  colour: blue\n";
        let err = Stack::from_yaml("stack.yaml", text).unwrap_err();
        assert_eq!((err.line, err.column), (5, 3), "{err}");
        assert!(err.message.contains("colour"), "{err}");

        let text = "version: 1\ndomain: x.net\nhosts:\n  - name: a\n    ipv4: 1.2.3\nodoo:\n  version: \"18.0\"\n";
        let err = Stack::from_yaml("stack.yaml", text).unwrap_err();
        assert_eq!(err.line, 5, "{err}");
    }

    #[test]
    fn wildcard_covers_one_label() {
        let cert = Certificate {
            name: "w".into(),
            sans: vec!["*.example.net".into()],
            issuer: "x".into(),
            not_after: None,
        };
        assert!(cert.covers("a.example.net"));
        assert!(!cert.covers("a.b.example.net"));
        assert!(!cert.covers("example.net"));
    }
}
