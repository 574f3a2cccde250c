//! Every option Odoo 16.0, 17.0, 18.0 and 19.0 know, and what each version does with a key
//! it does not know.
//!
//! The tables are not typed by hand: `scripts/odoo_options/extract.py` reads each series'
//! `odoo/tools/config.py` (the `optparse` options, the file-only defaults, the lists of
//! `_parse_config()` that cast file values, the path options `_normalize()` expands, the
//! aliases of `load()` and `_warn_deprecated_options()`) and greps the server and its
//! bundled addons for `config[...]` and `config.get(...)` reads, at one named commit per
//! series. It writes `data/odoo/<series>.json`, embedded here; each file's `source` header
//! names the repository, the commit and the release, so every line number cites that copy.

use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

/// An Odoo series whose odoo.conf semantics ipai models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OdooVersion {
    V16,
    V17,
    V18,
    V19,
}

impl OdooVersion {
    pub const ALL: [OdooVersion; 4] = [
        OdooVersion::V16,
        OdooVersion::V17,
        OdooVersion::V18,
        OdooVersion::V19,
    ];

    /// The series as Odoo writes it: `"18.0"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OdooVersion::V16 => "16.0",
            OdooVersion::V17 => "17.0",
            OdooVersion::V18 => "18.0",
            OdooVersion::V19 => "19.0",
        }
    }

    pub fn major(self) -> u8 {
        match self {
            OdooVersion::V16 => 16,
            OdooVersion::V17 => 17,
            OdooVersion::V18 => 18,
            OdooVersion::V19 => 19,
        }
    }

    /// The generated table of this series.
    pub fn table(self) -> &'static Table {
        &TABLES[self as usize]
    }
}

impl fmt::Display for OdooVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version string ipai does not model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsupportedVersion(pub String);

impl fmt::Display for UnsupportedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unsupported Odoo version `{}`: expected 16.0, 17.0, 18.0 or 19.0",
            self.0
        )
    }
}

impl std::error::Error for UnsupportedVersion {}

impl FromStr for OdooVersion {
    type Err = UnsupportedVersion;

    /// Accepts `"18"` and `"18.0"` (surrounding white space ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let major = trimmed.strip_suffix(".0").unwrap_or(trimmed);
        match major {
            "16" => Ok(OdooVersion::V16),
            "17" => Ok(OdooVersion::V17),
            "18" => Ok(OdooVersion::V18),
            "19" => Ok(OdooVersion::V19),
            _ => Err(UnsupportedVersion(s.to_owned())),
        }
    }
}

/// How Odoo treats an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// optparse `int`: a string from the file is cast (see [`super::value::optparse_int`]);
    /// a failure stops Odoo at start-up.
    Int,
    /// optparse `float`: a string from the file is cast with `float()`.
    Float,
    /// optparse `choice`: a string from the file must be one of these, exactly.
    Choice(&'static [&'static str]),
    /// `store_true`/`store_false` (16.0–18.0: **uncast from the file**, only `True`, `true`,
    /// `False` and `false` become booleans) or 19.0's `bool` (checked by `_check_bool`).
    Flag,
    /// Any text, kept as it is.
    String,
    /// A file path: `_normalize()` applies `os.path.expandvars` and `expanduser`.
    Path,
    /// A comma-separated list, split by the code that uses it.
    CommaList,
    /// A comma-separated list of paths, each normalised (and expanded) like [`OptionKind::Path`].
    PathList,
}

impl OptionKind {
    /// Whether Odoo passes the value through `os.path.expandvars` (and `expanduser`).
    pub fn expands_env(self) -> bool {
        matches!(self, OptionKind::Path | OptionKind::PathList)
    }

    /// A short name for messages: `int`, `float`, `choice`, `bool`, `string`, `path`,
    /// `comma list`, `path list`.
    pub fn describe(self) -> &'static str {
        match self {
            OptionKind::Int => "int",
            OptionKind::Float => "float",
            OptionKind::Choice(_) => "choice",
            OptionKind::Flag => "bool",
            OptionKind::String => "string",
            OptionKind::Path => "path",
            OptionKind::CommaList => "comma list",
            OptionKind::PathList => "path list",
        }
    }
}

/// What a value written in odoo.conf does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileEffect {
    /// Read from the file (a command-line flag, when given, wins).
    Read,
    /// Not loaded from the file (19.0's `file_loadable=False`).
    CliOnly,
    /// Overwritten from the command line whether or not the flag is given.
    OverwrittenByCli,
    /// Computed by Odoo; the file value is replaced.
    Computed,
}

/// A place in Odoo's source: a path in the copy the table's header names, and a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceLine {
    pub file: &'static str,
    pub line: u32,
}

impl fmt::Display for SourceLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Whether Odoo's code reads an option, as far as the table knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reads {
    /// The copy holds only `config.py`: nobody looked.
    Unknown,
    /// The first reads found (empty: none found by name; a dynamic read may still use it).
    At(Vec<SourceLine>),
}

/// One option of one Odoo version.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionSpec {
    /// The key in `[options]` (optparse `dest`).
    pub name: &'static str,
    pub kind: OptionKind,
    /// The default, as Python prints it (`8069`, `False`, `None`, `'admin'`).
    pub default: &'static str,
    /// The command-line flags; empty for file-only options.
    pub cli: &'static [&'static str],
    pub effect: FileEffect,
    /// Where the file value is replaced or skipped, when it is.
    pub effect_at: SourceLine,
    /// Defined only when `os.name == 'posix'` (the multiprocessing options).
    pub posix_only: bool,
    /// Declared without a command-line flag.
    pub file_only: bool,
    /// Whether a string from the file is cast by type (and refused when it does not cast).
    pub cast_from_file: bool,
    /// Whether the version checks the file value with 19.0's typed loader.
    pub typed_loader: bool,
    /// Where the option is declared.
    pub declared_at: SourceLine,
    /// Where `$VAR` and `~` are expanded in the value, when they are.
    pub expanded_at: Option<SourceLine>,
    /// A boolean `False` from the file reaches a `.split()`/`.extend()` there: Odoo does
    /// not start.
    pub false_crashes_at: Option<SourceLine>,
    pub reads: Reads,
}

impl OptionSpec {
    /// Not on the command line: settable only in the file.
    pub fn file_only(&self) -> bool {
        self.file_only
    }

    /// Whether Odoo casts a string from the file (the `int`, `float` and `choice` options
    /// `_parse_config()` lists in 16.0–18.0; every typed option in 19.0).
    pub fn casts_file_value(&self) -> bool {
        self.cast_from_file
    }
}

/// A deprecated key a version still honours under another name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alias {
    pub from: &'static str,
    pub to: &'static str,
    pub at: SourceLine,
    pub note: &'static str,
}

/// A key Odoo's code reads though `config.py` does not declare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModuleRead {
    pub name: &'static str,
    pub at: SourceLine,
}

/// One series' table, as `data/odoo/<series>.json` holds it.
#[derive(Debug)]
pub struct Table {
    pub version: OdooVersion,
    pub repository: &'static str,
    pub commit: &'static str,
    pub release: Option<&'static str>,
    pub options: Vec<OptionSpec>,
    pub aliases: Vec<Alias>,
    pub module_reads: Vec<ModuleRead>,
    /// Keys `_parse_config()` computes (`demo`): a file value is replaced.
    pub computed: Vec<(&'static str, SourceLine)>,
    /// Options the series gained after the pinned build (the copy lacks their code).
    pub later_in_series: Vec<&'static str>,
    /// Prefixes of keys read by a computed name (`config['db_' + p]`).
    pub dynamic_read_prefixes: Vec<&'static str>,
    /// Whether the server and its addons were scanned for reads.
    pub reads_known: bool,
    /// 19.0 logs "unknown option" for an undeclared key; 16.0–18.0 store it silently.
    pub warns_unknown: bool,
    pub unknown_stored_at: SourceLine,
    /// What `odoo --save` writes with default options: key → value.
    pub saved_by_default: HashMap<&'static str, &'static str>,
    /// The lines of that file, in order.
    pub saved_lines: Vec<(&'static str, &'static str)>,
}

impl Table {
    pub fn spec(&self, name: &str) -> Option<&OptionSpec> {
        self.options.iter().find(|s| s.name == name)
    }

    pub fn alias(&self, name: &str) -> Option<&Alias> {
        self.aliases.iter().find(|a| a.from == name)
    }

    pub fn module_read(&self, name: &str) -> Option<&ModuleRead> {
        self.module_reads.iter().find(|m| m.name == name)
    }

    /// `config.py` of this copy, as cited in messages.
    pub fn config_py(&self, line: u32) -> SourceLine {
        SourceLine {
            file: CONFIG_PY,
            line,
        }
    }

    /// Whether `odoo --save` writes `key = value` itself when run with default options.
    pub fn saved_by_default(&self, key: &str, value: &str) -> bool {
        self.saved_by_default.get(key).is_some_and(|v| *v == value)
    }
}

const CONFIG_PY: &str = "odoo/tools/config.py";

static DATA: [&str; 4] = [
    include_str!("../../../data/odoo/16.0.json"),
    include_str!("../../../data/odoo/17.0.json"),
    include_str!("../../../data/odoo/18.0.json"),
    include_str!("../../../data/odoo/19.0.json"),
];

static TABLES: LazyLock<Vec<Table>> = LazyLock::new(|| {
    OdooVersion::ALL
        .iter()
        .zip(DATA)
        .map(|(version, json)| {
            let raw: RawTable = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("data/odoo/{version}.json is not a table: {e}"));
            raw.build(*version)
        })
        .collect()
});

#[derive(Deserialize)]
struct RawTable {
    source: RawSource,
    loader: String,
    unknown_key: RawEffect,
    options: Vec<RawOption>,
    aliases: Vec<RawAlias>,
    computed: Vec<RawNamed>,
    module_reads: Vec<RawModuleRead>,
    #[serde(default)]
    later_in_series: Vec<String>,
    dynamic_read_prefixes: Vec<RawPrefix>,
    saved_by_default: Vec<String>,
}

#[derive(Deserialize)]
struct RawSource {
    repository: String,
    commit: String,
    release: Option<String>,
    reads_scanned: Option<String>,
}

#[derive(Deserialize)]
struct RawEffect {
    effect: String,
    line: Option<u32>,
}

#[derive(Deserialize)]
struct RawOption {
    name: String,
    kind: String,
    default: String,
    line: u32,
    cli: Vec<String>,
    file_only: bool,
    posix_only: bool,
    cast_from_file: bool,
    file_value: RawEffect,
    expanded: Option<RawExpanded>,
    read: serde_json::Value,
    false_crashes: Option<RawCrash>,
    #[serde(default)]
    choices: Vec<String>,
}

#[derive(Deserialize)]
struct RawExpanded {
    line: u32,
}

#[derive(Deserialize)]
struct RawCrash {
    line: u32,
}

#[derive(Deserialize)]
struct RawAlias {
    from: String,
    to: String,
    line: u32,
    how: String,
}

#[derive(Deserialize)]
struct RawNamed {
    name: String,
    line: u32,
}

#[derive(Deserialize, Clone)]
struct RawRead {
    file: String,
    line: u32,
}

#[derive(Deserialize)]
struct RawModuleRead {
    name: String,
    read: Vec<RawRead>,
}

#[derive(Deserialize)]
struct RawPrefix {
    prefix: String,
}

/// The tables live for the whole process: their strings are leaked once, so specs can be
/// handed out as `&'static`.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn read_at(read: &RawRead) -> SourceLine {
    SourceLine {
        file: leak(read.file.clone()),
        line: read.line,
    }
}

impl RawTable {
    fn build(self, version: OdooVersion) -> Table {
        let typed = self.loader == "typed";
        let config_py = |line: u32| SourceLine {
            file: CONFIG_PY,
            line,
        };
        let options = self
            .options
            .into_iter()
            .map(|o| {
                let kind = match o.kind.as_str() {
                    "int" => OptionKind::Int,
                    "float" => OptionKind::Float,
                    "choice" => OptionKind::Choice(Box::leak(
                        o.choices
                            .into_iter()
                            .map(leak)
                            .collect::<Vec<_>>()
                            .into_boxed_slice(),
                    )),
                    "flag" => OptionKind::Flag,
                    "path" => OptionKind::Path,
                    "path_list" => OptionKind::PathList,
                    "comma_list" => OptionKind::CommaList,
                    _ => OptionKind::String,
                };
                let effect = match o.file_value.effect.as_str() {
                    "not_loaded" => FileEffect::CliOnly,
                    "overwritten" if o.cli.is_empty() => FileEffect::Computed,
                    "overwritten" => FileEffect::OverwrittenByCli,
                    _ => FileEffect::Read,
                };
                let reads = match o.read {
                    serde_json::Value::Array(items) => Reads::At(
                        items
                            .iter()
                            .filter_map(|v| serde_json::from_value::<RawRead>(v.clone()).ok())
                            .map(|r| read_at(&r))
                            .collect(),
                    ),
                    _ => Reads::Unknown,
                };
                OptionSpec {
                    name: leak(o.name),
                    kind,
                    default: leak(o.default),
                    cli: Box::leak(
                        o.cli
                            .into_iter()
                            .map(leak)
                            .collect::<Vec<_>>()
                            .into_boxed_slice(),
                    ),
                    effect,
                    effect_at: config_py(o.file_value.line.unwrap_or(o.line)),
                    posix_only: o.posix_only,
                    file_only: o.file_only,
                    cast_from_file: o.cast_from_file,
                    typed_loader: typed,
                    declared_at: config_py(o.line),
                    expanded_at: o.expanded.map(|e| config_py(e.line)),
                    false_crashes_at: o.false_crashes.map(|c| config_py(c.line)),
                    reads,
                }
            })
            .collect();
        let aliases = self
            .aliases
            .into_iter()
            .map(|a| Alias {
                note: match a.how.as_str() {
                    "renamed_on_load" => "renamed when the file is read (outdated_options_map)",
                    "replaces_if_truthy" => {
                        "a non-zero value replaces the new option, with a DeprecationWarning"
                    }
                    _ => {
                        "copied into the new option if that is at its default; Odoo refuses to \
                         start if both are set to different values"
                    }
                },
                from: leak(a.from),
                to: leak(a.to),
                at: config_py(a.line),
            })
            .collect();
        let module_reads = self
            .module_reads
            .into_iter()
            .filter_map(|m| {
                let at = read_at(m.read.first()?);
                Some(ModuleRead {
                    name: leak(m.name),
                    at,
                })
            })
            .collect();
        let saved_lines: Vec<(&'static str, &'static str)> = self
            .saved_by_default
            .into_iter()
            .filter_map(|line| {
                let (key, value) = line.split_once('=')?;
                Some((leak(key.trim().to_owned()), leak(value.trim().to_owned())))
            })
            .collect();
        Table {
            version,
            repository: leak(self.source.repository),
            commit: leak(self.source.commit),
            release: self.source.release.map(leak),
            options,
            aliases,
            module_reads,
            computed: self
                .computed
                .into_iter()
                .map(|c| (leak(c.name), config_py(c.line)))
                .collect(),
            later_in_series: self.later_in_series.into_iter().map(leak).collect(),
            dynamic_read_prefixes: self
                .dynamic_read_prefixes
                .into_iter()
                .map(|p| leak(p.prefix))
                .collect(),
            reads_known: self.source.reads_scanned.is_some(),
            warns_unknown: self.unknown_key.effect == "warned",
            unknown_stored_at: config_py(self.unknown_key.line.unwrap_or(0)),
            saved_by_default: saved_lines.iter().copied().collect(),
            saved_lines,
        }
    }
}

/// Keys people write that no Odoo version declares or reads, with why they write them.
/// A hint applies only where the version's table says the key is unknown and unread (the
/// drift test checks that none names an option of any version).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IgnoredKey {
    pub pattern: KeyPattern,
    pub why: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPattern {
    Exact(&'static str),
    Prefix(&'static str),
}

impl KeyPattern {
    pub fn matches(self, key: &str) -> bool {
        match self {
            KeyPattern::Exact(name) => key == name,
            KeyPattern::Prefix(prefix) => key.starts_with(prefix),
        }
    }
}

pub static IGNORED: &[IgnoredKey] = &[
    IgnoredKey {
        pattern: KeyPattern::Exact("session_store"),
        why: "Odoo has no session-store option: sessions are files under data_dir; Redis \
              sessions need a server-wide module such as camptocamp's session_redis",
    },
    IgnoredKey {
        pattern: KeyPattern::Prefix("session_redis"),
        why: "camptocamp's session_redis is configured by ODOO_SESSION_REDIS* environment \
              variables and --load, not by odoo.conf",
    },
    IgnoredKey {
        pattern: KeyPattern::Prefix("redis"),
        why: "Odoo has no Redis option; Redis sessions need a server-wide module",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("enable_redis"),
        why: "Odoo has no Redis option; this key belongs to a third-party session module",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("debug_mode"),
        why: "an option of old Odoo releases, declared and read by none of 16.0–19.0 \
              (developer mode is --dev)",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("auto_reload"),
        why: "an option of old Odoo releases, declared and read by none of 16.0–19.0 \
              (reloading is --dev=reload, on the command line)",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("logrotate"),
        why: "an option of old Odoo releases, declared and read by none of 16.0–19.0",
    },
    IgnoredKey {
        pattern: KeyPattern::Prefix("xmlrpcs"),
        why: "the XML-RPC over SSL server is gone: no option of 16.0–19.0 uses port 8071",
    },
    IgnoredKey {
        pattern: KeyPattern::Prefix("netrpc"),
        why: "the NET-RPC server is gone; no option of 16.0–19.0 is named so",
    },
];

/// What a version makes of a key in `[options]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lookup {
    /// An option this version reads from the file.
    Known(&'static OptionSpec),
    /// Not declared by `config.py`, but read by Odoo's code (`config.get('x', default)`).
    ReadByModule { at: SourceLine },
    /// An option the series gained after the build the table was made from: nothing is
    /// claimed about it.
    LaterInSeries,
    /// A deprecated alias this version still honours: the value goes to `to`.
    Renamed {
        to: &'static str,
        note: &'static str,
        at: SourceLine,
    },
    /// An option of an earlier version that this one neither declares nor reads.
    Removed {
        replacement: Option<&'static str>,
        since: OdooVersion,
    },
    /// An option of a later version that this one neither declares nor reads.
    AddedLater {
        since: OdooVersion,
        spec: &'static OptionSpec,
    },
    /// Odoo never uses the file value: a command-line-only, overwritten or computed option
    /// (`spec`, or a computed key), or a key people write that no version has (`spec` is
    /// `None`).
    Ignored {
        why: &'static str,
        spec: Option<&'static OptionSpec>,
        at: Option<SourceLine>,
    },
    /// Not an Odoo key, and no code of this version reads it (or, for a version whose
    /// server was not scanned, `config.py` warns about it). [`did_you_mean`] names the
    /// option it most likely meant; it is asked only where a message needs it.
    Unknown,
}

/// The option `name` as `version` defines it.
pub fn spec(name: &str, version: OdooVersion) -> Option<&'static OptionSpec> {
    version.table().spec(name)
}

/// Every option of `version`, in name order.
pub fn options(version: OdooVersion) -> impl Iterator<Item = &'static OptionSpec> {
    version.table().options.iter()
}

fn ignored_why(spec: &OptionSpec) -> &'static str {
    match spec.effect {
        FileEffect::CliOnly => "not loaded from the file (file_loadable=False)",
        FileEffect::OverwrittenByCli => {
            "_parse_config() replaces the file value with the command line's, or its default"
        }
        FileEffect::Computed => "_parse_config() computes it and replaces the file value",
        FileEffect::Read => "",
    }
}

/// What `version` makes of `key` in `[options]`. `key` is compared as `configparser` stores
/// it: lower-case.
pub fn lookup(key: &str, version: OdooVersion) -> Lookup {
    let table = version.table();
    if let Some(alias) = table.alias(key) {
        return Lookup::Renamed {
            to: alias.to,
            note: alias.note,
            at: alias.at,
        };
    }
    if let Some(spec) = table.spec(key) {
        return match spec.effect {
            FileEffect::Read => Lookup::Known(spec),
            _ => Lookup::Ignored {
                why: ignored_why(spec),
                spec: Some(spec),
                at: Some(spec.effect_at),
            },
        };
    }
    if let Some((_, at)) = table.computed.iter().find(|(name, _)| *name == key) {
        return Lookup::Ignored {
            why: "_parse_config() computes it and replaces the file value",
            spec: None,
            at: Some(*at),
        };
    }
    if let Some(read) = table.module_read(key) {
        return Lookup::ReadByModule { at: read.at };
    }
    if table.later_in_series.contains(&key) {
        return Lookup::LaterInSeries;
    }
    let elsewhere =
        |v: &OdooVersion| v.table().spec(key).is_some() || v.table().alias(key).is_some();
    if table.reads_known || table.warns_unknown {
        if let Some(later) = OdooVersion::ALL
            .iter()
            .filter(|v| **v > version)
            .find(|v| v.table().spec(key).is_some())
        {
            let spec = later.table().spec(key).map(|s| {
                // Tables live as long as the process.
                let s: &'static OptionSpec = s;
                s
            });
            if let Some(spec) = spec {
                return Lookup::AddedLater {
                    since: *later,
                    spec,
                };
            }
        }
        if let Some(earlier) = OdooVersion::ALL
            .iter()
            .rev()
            .filter(|v| **v < version)
            .find(|v| elsewhere(v))
        {
            let replacement = OdooVersion::ALL
                .iter()
                .filter_map(|v| v.table().alias(key))
                .map(|a| a.to)
                .find(|to| table.spec(to).is_some());
            let since = OdooVersion::ALL
                .iter()
                .copied()
                .find(|v| *v > *earlier)
                .unwrap_or(version);
            return Lookup::Removed { replacement, since };
        }
    }
    // Options of other versions are judged above: the computed reads (`config['db_' + p]`
    // in sql_db.py) take their suffixes from a fixed tuple of this version's options.
    if table
        .dynamic_read_prefixes
        .iter()
        .any(|prefix| key.starts_with(prefix))
    {
        // Read under a computed name: whether this key is one of them is not known.
        return Lookup::ReadByModule {
            at: table.unknown_stored_at,
        };
    }
    // A loader that warns of unknown keys (19.0) says so of these too: they are unknown
    // there, and ignored only where the file's keys are stored in silence.
    if table.reads_known && !table.warns_unknown {
        if let Some(ignored) = IGNORED.iter().find(|i| i.pattern.matches(key)) {
            return Lookup::Ignored {
                why: ignored.why,
                spec: None,
                at: None,
            };
        }
    }
    Lookup::Unknown
}

/// The option of `version` a mistyped key most likely meant.
pub fn did_you_mean(key: &str, version: OdooVersion) -> Option<&'static str> {
    let normalized = key.trim_start_matches('-').replace('-', "_");
    let candidates = || options(version).filter(|s| s.effect == FileEffect::Read);
    if let Some(spec) = candidates().find(|s| s.name == normalized) {
        return Some(spec.name);
    }
    // Option names are at most 33 characters: a much longer key is within neither bound
    // below, and comparing it would cost time proportional to its length for each option.
    if normalized.len() > 64 {
        return None;
    }
    let length = normalized.chars().count();
    let bound = (length / 4).max(1);
    candidates()
        .filter_map(|s| {
            // Lengths this far apart are beyond the edit bound, and their Jaro similarity
            // is below 0.883, too low for a Jaro-Winkler score of 0.93.
            let (short, long) = (length.min(s.name.len()), length.max(s.name.len()));
            if long - short > bound && short * 100 < long * 65 {
                return None;
            }
            // Bytes the two have in common bound both scores from above, for the cost of
            // one pass: most options are ruled out before the quadratic comparisons.
            let common = common_bytes(&normalized, s.name);
            let jaro_at_most = (common as f64 / length.max(1) as f64
                + common as f64 / s.name.len().max(1) as f64
                + 1.0)
                / 3.0;
            let winkler_at_most = jaro_at_most + 0.4 * (1.0 - jaro_at_most);
            if long - common > bound && winkler_at_most < 0.93 {
                return None;
            }
            let distance = strsim::osa_distance(&normalized, s.name);
            let close = distance <= bound || strsim::jaro_winkler(&normalized, s.name) >= 0.93;
            close.then_some((distance, s.name))
        })
        .min()
        .map(|(_, name)| name)
}

/// How many bytes `a` and `b` share, counted with repetition: an upper bound of the
/// characters a Jaro match can pair, and `max(len) − common` a lower bound of the edit
/// distance.
fn common_bytes(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 256];
    for byte in a.bytes() {
        counts[usize::from(byte)] += 1;
    }
    let mut common = 0;
    for byte in b.bytes() {
        let slot = &mut counts[usize::from(byte)];
        if *slot > 0 {
            *slot -= 1;
            common += 1;
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_from_series_or_major() {
        assert_eq!("18.0".parse::<OdooVersion>(), Ok(OdooVersion::V18));
        assert_eq!(" 17 ".parse::<OdooVersion>(), Ok(OdooVersion::V17));
        assert_eq!("16.0".parse::<OdooVersion>(), Ok(OdooVersion::V16));
        assert_eq!("19.0".parse::<OdooVersion>(), Ok(OdooVersion::V19));
        assert!("20.0".parse::<OdooVersion>().is_err());
        assert!("18.1".parse::<OdooVersion>().is_err());
        assert_eq!(OdooVersion::V18.to_string(), "18.0");
    }

    #[test]
    fn every_table_loads_with_its_own_series() {
        for version in OdooVersion::ALL {
            let table = version.table();
            assert_eq!(table.version, version);
            assert_eq!(table.commit.len(), 40, "{version}");
            let mut names: Vec<_> = table.options.iter().map(|s| s.name).collect();
            let total = names.len();
            names.dedup();
            assert_eq!(names.len(), total, "{version}");
        }
    }

    #[test]
    fn option_sets_differ_as_the_versions_do() {
        let has = |name, version| spec(name, version).is_some();
        assert!(
            has("db_replica_host", OdooVersion::V18) && !has("db_replica_host", OdooVersion::V17)
        );
        assert!(
            has("db_maxconn_gevent", OdooVersion::V17)
                && !has("db_maxconn_gevent", OdooVersion::V16)
        );
        assert!(has("limit_memory_hard_gevent", OdooVersion::V18));
        assert!(has("pre_upgrade_scripts", OdooVersion::V19));
        assert!(has("with_demo", OdooVersion::V19) && !has("without_demo", OdooVersion::V19));
    }
}
