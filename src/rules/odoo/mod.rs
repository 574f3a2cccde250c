//! `ODOO`: odoo.conf, read the way each Odoo version (16.0–19.0) reads it, against the
//! stack's facts.

mod admin_password_set;
mod boolean_literal;
mod cron_threads_with_workers;
mod database_manager_exposed;
mod db_connections_within_limit;
mod dbfilter_anchored;
mod dev_mode_in_production;
mod env_placeholder_not_expanded;
mod inline_comment_in_value;
mod memory_soft_below_hard;
mod option_ignored_by_odoo;
mod option_removed;
mod option_value_type;
mod options_section_missing;
mod plaintext_secret;
mod proxy_mode_enabled;
mod remote_db_requires_ssl;
mod time_real_above_cpu;
mod unknown_option;
mod without_demo_in_production;
mod workers_match_cores;
mod workers_memory_fits_host;

pub use admin_password_set::AdminPasswordSet;
pub use boolean_literal::BooleanLiteral;
pub use cron_threads_with_workers::CronThreadsWithWorkers;
pub use database_manager_exposed::DatabaseManagerExposed;
pub use db_connections_within_limit::DbConnectionsWithinLimit;
pub use dbfilter_anchored::DbfilterAnchored;
pub use dev_mode_in_production::DevModeInProduction;
pub use env_placeholder_not_expanded::EnvPlaceholderNotExpanded;
pub use inline_comment_in_value::InlineCommentInValue;
pub use memory_soft_below_hard::MemorySoftBelowHard;
pub use option_ignored_by_odoo::OptionIgnoredByOdoo;
pub use option_removed::OptionRemoved;
pub use option_value_type::OptionValueType;
pub use options_section_missing::OptionsSectionMissing;
pub use plaintext_secret::PlaintextSecret;
pub use proxy_mode_enabled::ProxyModeEnabled;
pub use remote_db_requires_ssl::RemoteDbRequiresSsl;
pub use time_real_above_cpu::TimeRealAboveCpu;
pub use unknown_option::UnknownOption;
pub use without_demo_in_production::WithoutDemoInProduction;
pub use workers_match_cores::WorkersMatchCores;
pub use workers_memory_fits_host::WorkersMemoryFitsHost;

use crate::finding::Location;
use crate::formats::odoo_conf::value::{env_references, EnvReference};
use crate::formats::odoo_conf::{self, Entry, Interpreted, OdooConf, OdooVersion, OptionSpec};
use crate::rule::Context;
use crate::rules::deployment;
use crate::source::{SourceFile, Span};
use crate::stack::{Environment, OdooEnvironment};

/// One odoo.conf with what the rules need to judge it.
pub(crate) struct Conf<'a> {
    pub source: &'a SourceFile,
    pub conf: &'a OdooConf,
    pub version: OdooVersion,
    /// Whether the facts name the Odoo series. Facts read from a repo may not (an
    /// `odoo:latest` image, a Dockerfile's base): `version` is then the first of
    /// `candidates`, and rules whose claim depends on the series say nothing unless it
    /// holds in every candidate.
    pub version_known: bool,
    /// The series the file may run: `version` alone when it is known; from 19.0 on when
    /// every service running the file pulls the official image at a moving tag
    /// ([`MOVING_TAG_FLOOR`]); else every series 16–19.
    pub candidates: &'static [OdooVersion],
    /// The repo runs a series ipai has no tables for (`FROM odoo:15.0`): no claim that
    /// depends on the series is made.
    pub series_unsupported: bool,
    /// The stack environment that runs this file: the one whose compose service mounts it
    /// where Odoo reads its configuration, else the one whose `config` names it.
    pub stack_env: Option<&'a OdooEnvironment>,
    /// The environment the file's place in the repo gives it (`ipai-lint scope`).
    pub scope_env: crate::workspace::scope::FileEnvironment,
}

/// Every odoo.conf of the workspace.
pub(crate) fn confs<'a, 'w>(cx: &'a Context<'w>) -> impl Iterator<Item = Conf<'a>> + use<'a, 'w> {
    let known = cx.stack.known_odoo_version();
    cx.workspace.odoo_confs.iter().map(move |parsed| {
        let source = &cx.workspace.file(parsed.file).source;
        // The facts' series, else the one every service running the file runs (its image
        // tag or its Dockerfile's base), else the one the repo's deployed services run.
        let series: Option<String> = match known {
            Some(version) => Some(version.to_string()),
            None => reader_series(cx, &source.name)
                .or_else(|| Some(cx.stack.odoo.version.clone()).filter(|v| !v.is_empty())),
        };
        let parsed_series = series
            .as_deref()
            .and_then(|s| s.parse::<OdooVersion>().ok());
        let candidates: &'static [OdooVersion] = match parsed_series {
            Some(v) => std::slice::from_ref(&OdooVersion::ALL[v as usize]),
            None if series.is_none() && readers_pull_moving_tag(cx, &source.name) => {
                &OdooVersion::ALL[MOVING_TAG_FLOOR as usize..]
            }
            None => &OdooVersion::ALL,
        };
        Conf {
            source,
            conf: &parsed.conf,
            version: parsed_series.unwrap_or(if candidates.len() < OdooVersion::ALL.len() {
                candidates[0]
            } else {
                cx.stack.odoo_version()
            }),
            version_known: parsed_series.is_some(),
            candidates,
            series_unsupported: series.is_some() && parsed_series.is_none(),
            stack_env: deployment::environment_of_conf(cx, &source.name),
            scope_env: cx.environment_of(&source.name),
        }
    })
}

/// The oldest series Docker Hub's `odoo:latest` can pull today: 19.0 since its release in
/// September 2025.
pub(crate) const MOVING_TAG_FLOOR: OdooVersion = OdooVersion::V19;

/// Whether every service that runs this file pulls the official image at a moving tag
/// (`odoo:latest`, or `odoo` with no tag).
fn readers_pull_moving_tag(cx: &Context<'_>, conf: &str) -> bool {
    let readers = deployment::conf_use(cx).readers(conf);
    !readers.is_empty()
        && readers
            .iter()
            .all(|d| crate::stack::infer::runs_moving_odoo_tag(d.service))
}

/// The one Odoo series the services that run this file run, if they agree.
fn reader_series(cx: &Context<'_>, conf: &str) -> Option<String> {
    let mut series = deployment::conf_use(cx)
        .readers(conf)
        .iter()
        .map(|d| d.series(cx));
    let first = series.next()??;
    series.all(|s| s.as_ref() == Some(&first)).then_some(first)
}

/// The odoo.conf an environment runs, if the repo has it (see
/// [`deployment::environment_conf`]).
pub(crate) fn conf_of<'a>(cx: &'a Context<'_>, env: &OdooEnvironment) -> Option<Conf<'a>> {
    let name = deployment::environment_conf(cx, env)?;
    confs(cx).find(|c| c.source.name == name)
}

impl<'a> Conf<'a> {
    /// Whether a claim about an entry, already true in `version`, is the file's: the series
    /// is known, or the claim holds in every candidate series and no series' `odoo --save`
    /// writes the line itself. Never for a series ipai has no tables for
    /// (15.0).
    pub fn holds_in_its_series(
        &self,
        entry: &Entry,
        claim: impl Fn(&odoo_conf::Lookup) -> bool,
    ) -> bool {
        if self.series_unsupported {
            return false;
        }
        // A file an older series' `odoo --save` wrote is still run as the image moves on:
        // its default lines are no one's doing.
        self.version_known
            || (self
                .candidates
                .iter()
                .all(|&v| claim(&odoo_conf::lookup(&entry.key, v)))
                && !OdooVersion::ALL
                    .iter()
                    .any(|v| v.table().saved_by_default(&entry.key, &entry.value)))
    }

    /// What a message adds when the series is not known: the series the claim holds in.
    pub fn series_note(&self) -> String {
        let (first, last) = (
            self.candidates[0],
            self.candidates[self.candidates.len() - 1],
        );
        let span = if first == last {
            format!("{first}")
        } else {
            format!("{first}–{last}")
        };
        if self.version_known {
            String::new()
        } else if self.candidates.len() < OdooVersion::ALL.len() {
            format!(" (`odoo:latest` pulls the newest Odoo series, {MOVING_TAG_FLOOR} or later; this holds in {span})")
        } else {
            format!(" (the repo does not name its Odoo series; this holds in {span})")
        }
    }

    /// Whether the file may run more than one series, so a claim must hold in each.
    pub fn series_open(&self) -> bool {
        self.candidates.len() > 1
    }

    /// The environment this file configures: the facts', else staging where its place in
    /// the repo says so, else production (a linter assumes the internet-facing case).
    pub fn environment(&self) -> Environment {
        match self.stack_env {
            Some(env) => env.name,
            None if self.scope_env == crate::workspace::scope::FileEnvironment::Staging => {
                Environment::Staging
            }
            None => Environment::Production,
        }
    }

    /// Whether every compose service that runs this file passes one of `flags` on Odoo's
    /// command line (`--without-demo=all`), which overrides the file.
    pub fn set_on_command_line(&self, cx: &Context<'_>, flags: &[&str]) -> bool {
        let readers = deployment::conf_use(cx).readers(&self.source.name);
        !readers.is_empty()
            && readers.iter().all(|reader| {
                reader.command_words().iter().any(|word| {
                    flags.iter().any(|flag| {
                        word.strip_prefix(flag)
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
                    })
                })
            })
    }

    /// Whether a script or playbook of the repo holds the entry's whole line as written
    /// (`admin_passwd = admin`): it replaces the line before deployment, so the file is a
    /// template for it.
    pub fn rewritten_by_script(&self, cx: &Context<'_>, key: &str) -> bool {
        let Some(entry) = self.entry(key) else {
            return false;
        };
        let text = &self.source.text;
        let start = text[..entry.key_span.start()]
            .rfind('\n')
            .map_or(0, |n| n + 1);
        let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let line = text[start..end].trim();
        line.len() > key.len() + 2 && cx.workspace.script_holds(line)
    }

    pub fn is_production(&self) -> bool {
        self.environment() == Environment::Production
    }

    /// The `[options]` entry Odoo reads for `key`.
    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.conf.options()?;
        self.conf.get(odoo_conf::OPTIONS_SECTION, key)
    }

    /// Entries of `[options]` (defaults included), as Odoo loads them.
    pub fn entries(&self) -> Vec<&'a Entry> {
        self.conf.options_items().unwrap_or_default()
    }

    pub fn spec(&self, key: &str) -> Option<&'static OptionSpec> {
        odoo_conf::options::spec(key, self.version)
    }

    pub fn at(&self, span: Span) -> Location {
        Location::new(&self.source.name, span)
    }

    /// Where to report something missing from `[options]`: its header, or the file start.
    pub fn header(&self) -> Location {
        let span = self.conf.options().map_or(Span::at(0), |s| s.header_span);
        self.at(span)
    }

    /// Where a key is set, or the header when it is not.
    pub fn key_or_header(&self, key: &str) -> Location {
        self.entry(key)
            .map_or_else(|| self.header(), |e| self.at(e.span))
    }

    /// The integer Odoo uses for an int option: the file's value, or the default. `None`
    /// when the value does not cast (other rules report that) or the option has no
    /// integer default.
    pub fn int(&self, key: &str) -> Option<i128> {
        let spec = self.spec(key)?;
        match self.entry(key) {
            Some(entry) => match odoo_conf::interpret(spec, &entry.value) {
                Interpreted::Int(n) => Some(n),
                _ => None,
            },
            None => spec.default.parse().ok(),
        }
    }

    /// Whether Odoo treats a flag as on: exactly `True`/`true` and `False`/`false` are
    /// booleans, any other non-empty text is a truthy string; a missing key takes the
    /// default.
    pub fn flag(&self, key: &str) -> bool {
        if let (Some(entry), Some(spec)) = (self.entry(key), self.spec(key)) {
            if spec.typed_loader {
                return odoo_conf::interpret(spec, &entry.value)
                    .truthy()
                    .unwrap_or(false);
            }
        }
        match self.entry(key) {
            Some(entry) => match odoo_conf::value::load(&entry.value) {
                odoo_conf::value::Loaded::Bool(b) => b,
                odoo_conf::value::Loaded::Str(s) => !s.is_empty(),
            },
            None => self.spec(key).is_some_and(|s| s.default == "True"),
        }
    }

    /// A value as Odoo reads it from the file (a missing key is `None`; `False` counts as
    /// unset, the way Odoo's defaults use it).
    pub fn text(&self, key: &str) -> Option<&'a str> {
        self.entry(key)
            .map(|e| e.value.as_str())
            .filter(|v| !v.is_empty() && *v != "False" && *v != "false")
    }
}

/// The `${NAME}` and `$NAME` references in a value that are meant as environment variables:
/// every braced one, and unbraced ones whose name is an upper-case variable name. This keeps
/// `$pbkdf2-sha512$600000$…` hashes and `^%d$` filters out.
pub(crate) fn placeholders(value: &str) -> Vec<EnvReference<'_>> {
    // A modular-crypt hash (`$pbkdf2-sha512$600000$<salt>$<checksum>`): its `$`-separated
    // salt and checksum may read like `$NAME`, and are none.
    if value.trim_start().starts_with("$pbkdf2-") {
        return Vec::new();
    }
    env_references(value)
        .into_iter()
        .filter(|r| {
            r.braced
                || (r.name.starts_with(|c: char| c.is_ascii_uppercase())
                    && r.name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        })
        .collect()
}

/// The processes of a prefork Odoo that each take a per-process amount (memory, database
/// connections): the HTTP workers and cron workers each `each`, the gevent process its own
/// setting where it has one, else `each` (`odoo/service/server.py`, `odoo/sql_db.py`).
pub(crate) struct Processes {
    pub workers: i128,
    pub cron: i128,
}

impl Processes {
    /// The processes a file runs in prefork mode; none for the threaded server.
    pub fn prefork(conf: &Conf<'_>) -> Option<Processes> {
        let workers = conf.int("workers").filter(|&w| w > 0)?;
        let cron = conf.int("max_cron_threads").unwrap_or(0).max(0);
        Some(Processes { workers, cron })
    }

    /// What they take together; `gevent` is the gevent process's own amount, if set.
    pub fn total(&self, each: i128, gevent: Option<i128>) -> i128 {
        (self.workers + self.cron)
            .saturating_mul(each)
            .saturating_add(gevent.unwrap_or(each))
    }

    /// The sum in words: `12 HTTP workers + 2 cron workers + the gevent process × KEY EACH`,
    /// or with the gevent process's own setting `… × KEY EACH + the gevent process's GKEY G`.
    pub fn describe(&self, key: &str, each: &str, gevent: Option<(&str, String)>) -> String {
        let (w, c) = (self.workers, self.cron);
        match gevent {
            None => format!("{w} HTTP workers + {c} cron workers + the gevent process × {key} {each}"),
            Some((gkey, g)) => format!(
                "{w} HTTP workers + {c} cron workers × {key} {each} + the gevent process's {gkey} {g}"
            ),
        }
    }

    /// The largest per-process amount that keeps the total within `budget`.
    pub fn at_most(&self, budget: i128, gevent: Option<i128>) -> i128 {
        match gevent {
            None => budget / (self.workers + self.cron + 1),
            Some(g) => (budget - g).max(0) / (self.workers + self.cron).max(1),
        }
    }
}
