//! The lint configuration: `ipai.toml`, or the `lint:` section of `stack.yaml`, in the same
//! shape. It selects and ignores rules by code or code prefix, overrides severities, ignores
//! rules under some paths (a reason is required), sets the failure threshold and can turn
//! inline suppressions off. The engine applies it, in one place.
//!
//! Discovery: from the lint root up to the enclosing git work tree (or only the root, outside
//! git), the nearest `ipai.toml` wins; a `lint:` section in the root's `stack.yaml` counts as
//! a config in the root. `--config FILE` replaces discovery.

use crate::rules;
use crate::severity::Severity;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The config file's name.
pub const CONFIG_FILE: &str = "ipai.toml";

/// Rule code prefixes, one per area (DESIGN.md). A selector may name an area before any of
/// its rules exist in this build.
pub const AREA_PREFIXES: [&str; 8] = ["ODOO", "NGX", "DCK", "DNS", "MAIL", "TLS", "STK", "SYN"];

/// The config as written. Every key is optional; the defaults run every rule at its default
/// severity and fail on errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintConfig {
    /// Run only rules whose code starts with one of these (all rules when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub select: Vec<String>,
    /// Never run rules whose code starts with one of these. The longer of two matching
    /// selectors wins, so `select = ["NGX001"]` with `ignore = ["NGX"]` keeps NGX001.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Severity per code or prefix; the longest matching key wins.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<String, Severity>,
    /// Rules ignored under some paths, each with its reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_path_ignores: Vec<PathIgnore>,
    /// Exit 1 when a finding is at least this severe (`--fail-on` wins). Default: error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Severity>,
    /// Ignore `ipai-lint: ignore[…]` comments: central policy decides.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disable_inline_ignores: bool,
}

/// `[[per-path-ignores]]`: these rules do not apply under these paths, for this reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathIgnore {
    /// Globs over repo-relative file names (`*` stays within a directory, `**` crosses
    /// them). A pattern also matches everything under a directory it names.
    pub paths: Vec<String>,
    /// Codes or prefixes.
    pub rules: Vec<String>,
    /// Why these findings are acceptable; shown in SARIF and JUnit output.
    pub reason: String,
}

/// A config that cannot be used (the CLI exits 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

/// A validated config, ready for the engine.
#[derive(Clone, Debug, Default)]
pub struct LintSettings {
    /// Where the config came from, e.g. `ipai.toml` or `stack.yaml (lint:)`; `None` for the
    /// defaults.
    pub origin: Option<String>,
    pub config: LintConfig,
    /// One set per entry of `config.per_path_ignores`.
    path_globs: Vec<GlobSet>,
}

impl LintSettings {
    /// Validates a config: every selector names a rule or a prefix, every glob compiles,
    /// every per-path ignore has a reason. `text` is the file's text, to locate problems.
    pub fn new(origin: &str, text: &str, mut config: LintConfig) -> Result<Self, ConfigError> {
        let error = |needle: &str, message: String| {
            let (line, column) = locate(text, needle);
            ConfigError {
                file: origin.to_string(),
                line,
                column,
                message,
            }
        };
        let checked = |selectors: &mut Vec<String>, key: &str| {
            for selector in selectors.iter_mut() {
                check_selector(selector).map_err(|m| error(selector, format!("{key}: {m}")))?;
                *selector = selector.to_ascii_uppercase();
            }
            Ok::<(), ConfigError>(())
        };
        checked(&mut config.select, "select")?;
        checked(&mut config.ignore, "ignore")?;
        let mut severity = BTreeMap::new();
        for (selector, level) in std::mem::take(&mut config.severity) {
            check_selector(&selector).map_err(|m| error(&selector, format!("severity: {m}")))?;
            severity.insert(selector.to_ascii_uppercase(), level);
        }
        config.severity = severity;
        let mut path_globs = Vec::new();
        for entry in &mut config.per_path_ignores {
            if entry.reason.trim().is_empty() {
                return Err(error(
                    "reason",
                    "per-path-ignores: every entry needs a `reason` saying why these findings are acceptable".into(),
                ));
            }
            if entry.paths.is_empty() || entry.rules.is_empty() {
                return Err(error(
                    &entry.reason,
                    "per-path-ignores: every entry needs `paths` and `rules`".into(),
                ));
            }
            checked(&mut entry.rules, "per-path-ignores rules")?;
            let mut set = GlobSetBuilder::new();
            for pattern in &entry.paths {
                let glob = GlobBuilder::new(pattern.trim_end_matches('/'))
                    .literal_separator(true)
                    .build()
                    .map_err(|e| error(pattern, format!("per-path-ignores: {e}")))?;
                set.add(glob);
            }
            let set = set
                .build()
                .map_err(|e| error(&entry.reason, format!("per-path-ignores: {e}")))?;
            path_globs.push(set);
        }
        Ok(LintSettings {
            origin: Some(origin.to_string()),
            config,
            path_globs,
        })
    }

    /// Whether the config lets this rule run.
    pub fn selects(&self, code: &str) -> bool {
        let best = |selectors: &[String]| {
            selectors
                .iter()
                .filter(|s| code.starts_with(s.as_str()))
                .map(String::len)
                .max()
        };
        let selected = if self.config.select.is_empty() {
            Some(0)
        } else {
            best(&self.config.select)
        };
        match (selected, best(&self.config.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(select), Some(ignore)) => select > ignore,
        }
    }

    /// The configured severity of a rule, if the config sets one.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.config
            .severity
            .iter()
            .filter(|(selector, _)| code.starts_with(selector.as_str()))
            .max_by_key(|(selector, _)| selector.len())
            .map(|(_, severity)| *severity)
    }

    /// The per-path ignore that covers a finding of `code` in `file`, if any.
    pub fn path_ignore(&self, file: &str, code: &str) -> Option<&PathIgnore> {
        self.config
            .per_path_ignores
            .iter()
            .zip(&self.path_globs)
            .find(|(entry, globs)| {
                entry.rules.iter().any(|r| code.starts_with(r.as_str()))
                    && path_and_parents(file).any(|p| globs.is_match(p))
            })
            .map(|(entry, _)| entry)
    }
}

/// `a/b/c.conf`, `a/b`, `a`.
fn path_and_parents(file: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(file), |p| p.rsplit_once('/').map(|(parent, _)| parent))
}

/// A selector is a prefix of a known code, or an area prefix with up to three digits (so a
/// config may name an area whose rules this build lacks). A whole code must exist.
fn check_selector(selector: &str) -> Result<(), String> {
    let upper = selector.to_ascii_uppercase();
    let codes = || rules::all().iter().map(|r| r.meta().code);
    if !upper.is_empty() && codes().any(|code| code.starts_with(&upper)) {
        return Ok(());
    }
    let letters = upper.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = upper.len() - letters.len();
    if AREA_PREFIXES.contains(&letters) && digits < 3 {
        return Ok(());
    }
    let hint = crate::suggest::closest(&upper, codes().chain(AREA_PREFIXES))
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    Err(format!(
        "`{selector}` is not a rule code or prefix{hint} (`ipai-lint rules` lists them)"
    ))
}

/// The 1-based line and column of the first quoted or bare occurrence of `needle`, or 1:1.
fn locate(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (1, 1);
    }
    let quoted = format!("\"{needle}\"");
    let at = text
        .find(&quoted)
        .or_else(|| text.find(needle))
        .unwrap_or(0);
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Parses an `ipai.toml`.
pub fn parse_toml(origin: &str, text: &str) -> Result<LintSettings, ConfigError> {
    let config: LintConfig = toml::from_str(text).map_err(|err| {
        let (line, column) = err
            .span()
            .map(|span| {
                let before = text.get(..span.start).unwrap_or("");
                (
                    before.matches('\n').count() + 1,
                    before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
                )
            })
            .unwrap_or((1, 1));
        ConfigError {
            file: origin.to_string(),
            line,
            column,
            message: err.message().trim().to_string(),
        }
    })?;
    LintSettings::new(origin, text, config)
}

/// Reads a config file given on the command line (`--config`).
pub fn load(path: &Path) -> Result<LintSettings, ConfigError> {
    let origin = path.display().to_string();
    let text = read(path, &origin)?;
    parse_toml(&origin, &text)
}

fn read(path: &Path, origin: &str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|err| ConfigError {
        file: origin.to_string(),
        line: 1,
        column: 1,
        message: format!("cannot read: {err}"),
    })
}

/// Finds the config for a lint root: the `lint:` section of the root's `stack.yaml`, or else
/// the nearest `ipai.toml` from `root` up to the enclosing git work tree (only `root` itself
/// outside git). Settings in both `stack.yaml` and the root's `ipai.toml` are an error: one
/// place decides.
pub fn discover(root: &Path, stack_lint: Option<&LintConfig>) -> Result<LintSettings, ConfigError> {
    if let Some(lint) = stack_lint {
        let beside = root.join(CONFIG_FILE);
        if beside.is_file() {
            let text = read(&beside, CONFIG_FILE)?;
            if parse_toml(CONFIG_FILE, &text)?.config != LintConfig::default() {
                return Err(ConfigError {
                    file: CONFIG_FILE.into(),
                    line: 1,
                    column: 1,
                    message:
                        "stack.yaml has a `lint:` section too: keep the lint settings in one place"
                            .into(),
                });
            }
        }
        return from_stack(root, lint);
    }
    let stop = crate::discover::git_root(root);
    for dir in root.ancestors() {
        let path = dir.join(CONFIG_FILE);
        if path.is_file() {
            // Named from the root: `ipai.toml`, `../ipai.toml`, …
            let depth = root
                .strip_prefix(dir)
                .map_or(0, |up| up.components().count());
            let origin = format!("{}{CONFIG_FILE}", "../".repeat(depth));
            let text = read(&path, &origin)?;
            return parse_toml(&origin, &text);
        }
        if stop.as_deref().is_none_or(|stop| dir == stop) {
            break;
        }
    }
    Ok(LintSettings::default())
}

fn from_stack(root: &Path, lint: &LintConfig) -> Result<LintSettings, ConfigError> {
    let text = std::fs::read_to_string(root.join("stack.yaml")).unwrap_or_default();
    LintSettings::new("stack.yaml", &text, lint.clone()).map_err(|mut err| {
        err.message = format!("lint: {}", err.message);
        err
    })
}

/// What `ipai-lint init` writes: every key, explained, with the defaults in force.
pub const STARTER: &str = r#"# ipai-lint configuration. ipai-lint finds this file by walking up from the linted
# directory to the git work tree's root; `--config FILE` names another one. The same keys
# may instead sit under `lint:` in stack.yaml (keep them in one place).
# Rule codes and prefixes: `ipai-lint rules`. A rule's documentation: `ipai-lint explain CODE`.

# Exit 1 when a finding is at least this severe: "error", "warning" or "info".
# `--fail-on` on the command line wins.
fail-on = "error"

# Run only these rules (codes or prefixes). Without `select`, every rule runs.
# select = ["SYN", "ODOO", "NGX", "DCK", "DNS", "MAIL", "TLS", "STK"]

# Never run these rules. When `select` and `ignore` both match a code, the longer one wins.
# ignore = ["SYN007"]

# Ignore `# ipai-lint: ignore[CODE] -- reason` comments, so this file alone decides.
# disable-inline-ignores = true

# Severity per code or prefix; the longest matching key wins.
# [severity]
# SYN011 = "error"
# SYN = "warning"

# Rules that do not apply under some paths. Globs are relative to the repo root (where
# stack.yaml, ipai.toml or .git is); `*` stays within a directory, `**` crosses them, and a
# directory matches everything under it. The reason is required.
# [[per-path-ignores]]
# paths = ["legacy/nginx/**"]
# rules = ["SYN001"]
# reason = "The retired vhosts are kept for reference and are not deployed."
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> LintSettings {
        parse_toml("ipai.toml", text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn longest_selector_wins() {
        let s = settings("select = [\"SYN\"]\nignore = [\"SYN01\"]\n");
        assert!(s.selects("SYN001"));
        assert!(!s.selects("SYN011"));
        let s = settings("select = [\"SYN011\"]\nignore = [\"SYN\"]\n");
        assert!(s.selects("SYN011"));
        assert!(!s.selects("SYN010"));
        assert!(!settings("select = [\"NGX\"]\n").selects("SYN001"));
        assert!(LintSettings::default().selects("SYN001"));
    }

    #[test]
    fn severity_by_code_or_prefix() {
        let s = settings("[severity]\nSYN = \"info\"\nsyn011 = \"error\"\n");
        assert_eq!(s.severity("SYN011"), Some(Severity::Error));
        assert_eq!(s.severity("SYN001"), Some(Severity::Info));
        assert_eq!(s.severity("NGX001"), None);
    }

    #[test]
    fn path_ignores_match_globs_and_directories() {
        let s = settings(
            "[[per-path-ignores]]\npaths = [\"legacy\", \"deploy/*.conf\"]\nrules = [\"SYN007\"]\nreason = \"vendor files\"\n",
        );
        assert!(s.path_ignore("legacy/nginx/old.conf", "SYN007").is_some());
        assert!(s.path_ignore("deploy/site.conf", "SYN007").is_some());
        assert!(s.path_ignore("deploy/nginx/site.conf", "SYN007").is_none());
        assert!(s.path_ignore("legacy/old.conf", "SYN001").is_none());
    }

    #[test]
    fn mistakes_are_located_and_explained() {
        let err = parse_toml("ipai.toml", "fail-on = \"error\"\nselct = [\"SYN\"]\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1), "{err}");
        assert!(err.message.contains("selct"), "{err}");

        let err = parse_toml("ipai.toml", "select = [\"SYN\", \"SYM001\"]\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 18), "{err}");
        assert!(err.message.contains("did you mean `SYN001`"), "{err}");

        let err = parse_toml(
            "ipai.toml",
            "[[per-path-ignores]]\npaths = [\"x\"]\nrules = [\"SYN\"]\nreason = \" \"\n",
        )
        .unwrap_err();
        assert!(err.message.contains("reason"), "{err}");

        assert!(parse_toml("ipai.toml", "select = [\"NGX0\"]\n").is_ok());
        assert!(parse_toml("ipai.toml", "fail-on = \"fatal\"\n").is_err());
    }

    #[test]
    fn the_starter_parses_and_so_does_every_example_in_it() {
        let starter = settings(STARTER);
        assert_eq!(
            starter.config,
            LintConfig {
                fail_on: Some(Severity::Error),
                ..LintConfig::default()
            }
        );
        let uncommented: String = STARTER
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(example) if is_toml_example(example) => example,
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let all = settings(&uncommented);
        assert!(all.config.disable_inline_ignores);
        assert_eq!(all.config.per_path_ignores.len(), 1);
        assert_eq!(all.severity("SYN011"), Some(Severity::Error));
    }

    /// `key = value` or `[table]`: a commented-out example rather than prose.
    fn is_toml_example(line: &str) -> bool {
        line.starts_with('[')
            || line.split_once(" = ").is_some_and(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    }
}
