//! Every option Odoo 16.0, 17.0 and 18.0 know, as static data, and what each version does
//! with a key it does not know.
//!
//! Sources: `odoo/tools/config.py` of a 16.0 build (Feb 2023), a 17.0 build and the 18.0 GA
//! build (Oct 2024): the `optparse` options, the file-only `self.options` defaults,
//! `outdated_options_map` in `load()`, `_warn_deprecated_options()`, the two `keys` lists of
//! `_parse_config()` that cast file values, and the path options `_normalize()` expands.
//! Collected in the project's `research/odoo.md` §2.

use std::fmt;
use std::str::FromStr;

/// An Odoo series whose odoo.conf semantics ipai models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OdooVersion {
    V16,
    V17,
    V18,
}

impl OdooVersion {
    pub const ALL: [OdooVersion; 3] = [OdooVersion::V16, OdooVersion::V17, OdooVersion::V18];

    /// The series as Odoo writes it: `"18.0"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OdooVersion::V16 => "16.0",
            OdooVersion::V17 => "17.0",
            OdooVersion::V18 => "18.0",
        }
    }

    pub fn major(self) -> u8 {
        match self {
            OdooVersion::V16 => 16,
            OdooVersion::V17 => 17,
            OdooVersion::V18 => 18,
        }
    }

    const fn bit(self) -> u8 {
        match self {
            OdooVersion::V16 => 1,
            OdooVersion::V17 => 2,
            OdooVersion::V18 => 4,
        }
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
            "unsupported Odoo version `{}`: expected 16.0, 17.0 or 18.0",
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
            _ => Err(UnsupportedVersion(s.to_owned())),
        }
    }
}

/// A set of [`OdooVersion`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Versions(u8);

impl Versions {
    pub const ALL: Versions = Versions(7);
    pub const V16: Versions = Versions(1);
    pub const V17: Versions = Versions(2);
    pub const V18: Versions = Versions(4);
    pub const V16_17: Versions = Versions(3);
    pub const FROM_17: Versions = Versions(6);

    pub const fn contains(self, version: OdooVersion) -> bool {
        self.0 & version.bit() != 0
    }

    /// The versions in the set, oldest first.
    pub fn iter(self) -> impl Iterator<Item = OdooVersion> {
        OdooVersion::ALL
            .into_iter()
            .filter(move |v| self.contains(*v))
    }
}

/// How Odoo treats an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// optparse `int`: a string from the file is cast with `int(x, radix)` (see
    /// [`super::value::optparse_int`]); a failure stops Odoo at start-up.
    Int,
    /// optparse `float`: a string from the file is cast with `float()`.
    Float,
    /// optparse `choice`: a string from the file must be one of these, exactly.
    Choice(&'static [&'static str]),
    /// `store_true`/`store_false`. A bool, **uncast from the file**: only `True`, `true`,
    /// `False` and `false` become booleans; anything else stays a string, truthy unless empty.
    Flag,
    /// Any text, kept as it is (after the `True`/`False` conversion every value gets).
    String,
    /// A file path: `_normalize()` applies `os.path.expandvars`, `expanduser`, `abspath` and
    /// `realpath`, so `$VAR`, `${VAR}` and `~` are expanded.
    Path,
    /// A comma-separated list, split by the code that uses it. No expansion.
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
    /// A command-line-only option: the file value is stored and never read.
    CliOnly,
    /// Overwritten from the command line whether or not the flag is given (`{}`, `[]` or
    /// `['all']` without it).
    OverwrittenByCli,
    /// Computed by Odoo; the file value is replaced.
    Computed,
}

/// One option of one or more Odoo versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionSpec {
    /// The key in `[options]` (optparse `dest`).
    pub name: &'static str,
    pub kind: OptionKind,
    /// The default, as Python would print it (`8069`, `False`, `None`, `'admin'`), or a
    /// description when Odoo computes it.
    pub default: &'static str,
    /// The command-line flags; empty for file-only options.
    pub cli: &'static [&'static str],
    pub versions: Versions,
    pub effect: FileEffect,
    /// Defined only when `os.name == 'posix'` (the multiprocessing options).
    pub posix_only: bool,
    pub summary: &'static str,
    /// What is surprising about it, when something is.
    pub note: Option<&'static str>,
}

impl OptionSpec {
    /// Not on the command line: settable only in the file.
    pub fn file_only(&self) -> bool {
        self.cli.is_empty()
    }

    /// Whether Odoo casts a string from the file with optparse's type checker. True for the
    /// `int`, `float` and `choice` options that have a command-line flag; file-only options
    /// (`websocket_*`) keep the string.
    pub fn casts_file_value(&self) -> bool {
        !self.file_only()
            && matches!(
                self.kind,
                OptionKind::Int | OptionKind::Float | OptionKind::Choice(_)
            )
    }
}

/// A deprecated key that a version still honours under another name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alias {
    pub from: &'static str,
    pub to: &'static str,
    pub versions: Versions,
    pub note: &'static str,
}

/// A key a version no longer honours, though an option of that name existed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retired {
    pub name: &'static str,
    pub versions: Versions,
    pub replacement: Option<&'static str>,
    pub note: &'static str,
}

/// Keys people write that Odoo 16–18 never read.
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

/// What a version makes of a key in `[options]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// An option this version reads from the file.
    Known(&'static OptionSpec),
    /// A deprecated alias this version still honours: the value goes to `to`.
    Renamed {
        to: &'static str,
        note: &'static str,
    },
    /// Once an option; this version stores the key and never reads it.
    Removed {
        replacement: Option<&'static str>,
        note: &'static str,
    },
    /// An option of a later version; this one stores the key and never reads it.
    AddedLater {
        since: OdooVersion,
        spec: &'static OptionSpec,
    },
    /// Odoo never uses the file value: a command-line-only or computed option (`spec`), or a
    /// key no Odoo 16–18 option has (`spec` is `None`).
    Ignored {
        why: &'static str,
        spec: Option<&'static OptionSpec>,
    },
    /// Not an Odoo key. Odoo 16–18 store it silently; modules may read it.
    Unknown { did_you_mean: Option<&'static str> },
}

const LOG_LEVELS: &[&str] = &[
    "info",
    "debug_rpc",
    "warn",
    "test",
    "critical",
    "runbot",
    "debug_sql",
    "error",
    "debug",
    "debug_rpc_answer",
    "notset",
];

const SSL_MODES: &[&str] = &[
    "disable",
    "allow",
    "prefer",
    "require",
    "verify-ca",
    "verify-full",
];

const fn opt(
    name: &'static str,
    kind: OptionKind,
    default: &'static str,
    cli: &'static [&'static str],
    summary: &'static str,
) -> OptionSpec {
    OptionSpec {
        name,
        kind,
        default,
        cli,
        versions: Versions::ALL,
        effect: FileEffect::Read,
        posix_only: false,
        summary,
        note: None,
    }
}

impl OptionSpec {
    const fn only(mut self, versions: Versions) -> Self {
        self.versions = versions;
        self
    }

    const fn effect(mut self, effect: FileEffect) -> Self {
        self.effect = effect;
        self
    }

    const fn posix(mut self) -> Self {
        self.posix_only = true;
        self
    }

    const fn note(mut self, note: &'static str) -> Self {
        self.note = Some(note);
        self
    }
}

use OptionKind::{Choice, CommaList, Flag, Float, Int, Path, PathList, String as Text};

/// Every option of Odoo 16.0, 17.0 and 18.0. A name appears twice when its definition
/// changed between versions.
pub static OPTIONS: &[OptionSpec] = &[
    // File-only options: `self.options` in `configmanager.__init__`; never cast.
    opt("admin_passwd", Text, "'admin'", &[], "master password of the database manager")
        .note("plain text or a passlib hash (`$pbkdf2-sha512$...`); an empty value disables the database manager"),
    opt("csv_internal_sep", Text, "','", &[], "separator of CSV exports"),
    opt(
        "publisher_warranty_url",
        Text,
        "'http://services.openerp.com/publisher-warranty/'",
        &[],
        "URL of Odoo's publisher warranty service",
    )
    .only(Versions::V16_17),
    opt(
        "publisher_warranty_url",
        Text,
        "'http://services.odoo.com/publisher-warranty/'",
        &[],
        "URL of Odoo's publisher warranty service",
    )
    .only(Versions::V18),
    opt("reportgz", Flag, "False", &[], "compress reports"),
    opt("root_path", Path, "None (the odoo package directory)", &[], "directory of the odoo package")
        .effect(FileEffect::Computed)
        .note("computed at start-up from the odoo package; a file value is replaced"),
    opt("websocket_keep_alive_timeout", Int, "3600", &[], "seconds a websocket stays open without traffic")
        .note("file-only, so the value stays a string: it is not cast"),
    opt("websocket_rate_limit_burst", Int, "10", &[], "websocket messages allowed in a burst")
        .note("file-only, so the value stays a string: it is not cast"),
    opt("websocket_rate_limit_delay", Float, "0.2", &[], "seconds between websocket messages after a burst")
        .note("file-only, so the value stays a string: it is not cast"),
    // Common options.
    opt("config", Text, "None", &["-c", "--config"], "alternate config file")
        .effect(FileEffect::CliOnly)
        .note("the file is chosen by -c, $ODOO_RC, $OPENERP_SERVER or ~/.odoorc; a `config` key inside it is never read"),
    opt("save", Flag, "False", &["-s", "--save"], "save the configuration to the config file")
        .effect(FileEffect::CliOnly)
        .note("only the command-line flag saves; a `save` key in the file is never read"),
    opt("init", CommaList, "{}", &["-i", "--init"], "modules to install")
        .effect(FileEffect::OverwrittenByCli)
        .note("replaced by the -i value, or {} without it; a file value does nothing"),
    opt("update", CommaList, "{}", &["-u", "--update"], "modules to update")
        .effect(FileEffect::OverwrittenByCli)
        .note("replaced by the -u value, or {} without it; a file value does nothing"),
    opt("without_demo", CommaList, "False", &["--without-demo"], "do not load demo data")
        .note("a comma list of modules, `all`, or True/False; any other non-empty string is truthy"),
    opt("import_partial", Text, "''", &["-P", "--import-partial"], "file storing the state of a big import"),
    opt("pidfile", Path, "None", &["--pidfile"], "file where the server pid is written")
        .note("the strings `None` and `False` mean no pid file"),
    opt("addons_path", PathList, "the addons directories of the Odoo installation", &["--addons-path"], "directories holding addons")
        .note("from the file it is not checked at start-up; a missing directory shows up later as \"addons path does not exist\""),
    opt("upgrade_path", PathList, "''", &["--upgrade-path"], "directories holding upgrade scripts"),
    opt("server_wide_modules", CommaList, "'base,web'", &["--load"], "modules loaded for every database")
        .note("'', 'None' and the string 'False' fall back to 'base,web'"),
    opt("data_dir", Path, "~/.local/share/Odoo (/var/lib/odoo without a home directory)", &["-D", "--data-dir"], "filestore, sessions and addons data"),
    // HTTP.
    opt("http_interface", Text, "''", &["--http-interface"], "interface the HTTP server listens on")
        .note("empty means all interfaces; `xmlrpc_interface` is a deprecated alias"),
    opt("http_port", Int, "8069", &["-p", "--http-port"], "port of the HTTP server")
        .note("`xmlrpc_port` is a deprecated alias"),
    opt("gevent_port", Int, "8072", &["--gevent-port"], "port of the gevent (websocket) worker")
        .note("used in multiprocessing (workers > 0) and gevent mode; not used in threaded mode"),
    opt("http_enable", Flag, "True", &["--no-http"], "run the HTTP and websocket services")
        .note("`xmlrpc` is a deprecated alias"),
    opt("proxy_mode", Flag, "False", &["--proxy-mode"], "trust X-Forwarded-* headers from a reverse proxy")
        .note("applied only when the request has X-Forwarded-Host"),
    opt("x_sendfile", Flag, "False", &["--x-sendfile"], "delegate file delivery to the web server (X-Accel-Redirect)"),
    // Web.
    opt("dbfilter", Text, "''", &["--db-filter"], "regular expression selecting the databases shown")
        .note("matched with re.match (anchored at the start only); %d and %h are replaced"),
    // Testing.
    opt("test_file", Path, "False", &["--test-file"], "Python test file to run"),
    opt("test_enable", Flag, "False", &["--test-enable"], "run the unit tests")
        .effect(FileEffect::Computed)
        .note("computed as bool(test_tags); a file value is replaced"),
    opt("test_tags", CommaList, "None", &["--test-tags"], "specs of the tests to run")
        .note("a non-empty value in the file enables the tests"),
    opt("screencasts", Path, "None", &["--screencasts"], "directory for test screencasts"),
    opt("screenshots", Path, "'/tmp/odoo_tests'", &["--screenshots"], "directory for test screenshots"),
    // Logging.
    opt("logfile", Path, "None", &["--logfile"], "file the server log goes to")
        .note("the strings `None` and `False` mean standard output; cannot be combined with syslog"),
    opt("syslog", Flag, "False", &["--syslog"], "send the log to syslog"),
    opt("log_handler", CommaList, "':INFO'", &["--log-handler"], "PREFIX:LEVEL logging handlers")
        .note("split on commas; --log-web and --log-sql append to it"),
    opt("log_db", Text, "False", &["--log-db"], "database the log is also written to"),
    opt("log_db_level", Text, "'warning'", &["--log-db-level"], "level of the database log"),
    opt("log_level", Choice(LOG_LEVELS), "'info'", &["--log-level"], "log level"),
    // SMTP.
    opt("email_from", Text, "False", &["--email-from"], "default From address"),
    opt("from_filter", Text, "False", &["--from-filter"], "addresses or domains this SMTP server may send for"),
    opt("smtp_server", Text, "'localhost'", &["--smtp"], "SMTP server"),
    opt("smtp_port", Int, "25", &["--smtp-port"], "SMTP port"),
    opt("smtp_ssl", Flag, "False", &["--smtp-ssl"], "use SSL/STARTTLS for SMTP"),
    opt("smtp_user", Text, "False", &["--smtp-user"], "SMTP user"),
    opt("smtp_password", Text, "False", &["--smtp-password"], "SMTP password"),
    opt("smtp_ssl_certificate_filename", Text, "False", &["--smtp-ssl-certificate-filename"], "SSL certificate for SMTP authentication"),
    opt("smtp_ssl_private_key_filename", Text, "False", &["--smtp-ssl-private-key-filename"], "SSL private key for SMTP authentication"),
    // Database.
    opt("db_name", CommaList, "False", &["-d", "--database"], "database(s) to use")
        .note("a comma list restricts the server to those databases"),
    opt("db_user", Text, "False", &["-r", "--db_user"], "PostgreSQL user"),
    opt("db_password", Text, "False", &["-w", "--db_password"], "PostgreSQL password")
        .note("taken literally: `${VAR}` is not expanded"),
    opt("pg_path", Path, "None", &["--pg_path"], "directory of the PostgreSQL client programs"),
    opt("db_host", Text, "False", &["--db_host"], "PostgreSQL host")
        .note("False (the default) lets libpq choose: its PGHOST, else the Unix socket"),
    opt("db_replica_host", Text, "False", &["--db_replica_host"], "PostgreSQL read-only replica host")
        .only(Versions::V18),
    opt("db_port", Int, "False", &["--db_port"], "PostgreSQL port"),
    opt("db_replica_port", Int, "False", &["--db_replica_port"], "PostgreSQL read-only replica port")
        .only(Versions::V18),
    opt("db_sslmode", Choice(SSL_MODES), "'prefer'", &["--db_sslmode"], "libpq sslmode"),
    opt("db_maxconn", Int, "64", &["--db_maxconn"], "connections in each process's pool"),
    opt("db_maxconn_gevent", Int, "False", &["--db_maxconn_gevent"], "connections in the gevent worker's pool")
        .only(Versions::FROM_17)
        .note("False falls back to db_maxconn"),
    opt("db_template", Text, "'template0'", &["--db-template"], "template of new databases"),
    // Internationalisation.
    opt("load_language", CommaList, "None", &["--load-language"], "languages to load")
        .note("a value in the file takes effect at every start"),
    opt("language", Text, "None", &["-l", "--language"], "language of a translation file")
        .note("a value in the file takes effect"),
    opt("translate_out", Path, "None", &["--i18n-export"], "export translations to this file and exit")
        .note("a value in the file takes effect: the server exports and exits"),
    opt("translate_in", Path, "None", &["--i18n-import"], "import translations from this file and exit")
        .note("a value in the file takes effect: the server imports and exits"),
    opt("overwrite_existing_translations", Flag, "False", &["--i18n-overwrite"], "overwrite existing translations"),
    opt("translate_modules", CommaList, "['all']", &["--modules"], "modules to export translations of")
        .effect(FileEffect::OverwrittenByCli)
        .note("replaced by the --modules value, or ['all'] without it; a file value does nothing"),
    // Security.
    opt("list_db", Flag, "True", &["--no-database-list"], "allow listing databases and the database manager"),
    // Advanced.
    opt("dev_mode", CommaList, "[]", &["--dev"], "developer mode features")
        .effect(FileEffect::OverwrittenByCli)
        .note("replaced by the --dev value, or [] without it: `dev_mode` in the file does nothing"),
    opt("shell_interface", Text, "None", &["--shell-interface"], "REPL of `odoo shell`"),
    opt("stop_after_init", Flag, "False", &["--stop-after-init"], "stop the server after initialisation")
        .note("a true value in the file takes effect: the server stops after init"),
    opt("osv_memory_count_limit", Int, "0", &["--osv-memory-count-limit"], "maximum records kept in transient models"),
    opt("transient_age_limit", Float, "1.0", &["--transient-age-limit"], "hours transient records are kept"),
    opt("max_cron_threads", Int, "2", &["--max-cron-threads"], "cron workers (threads in threaded mode)"),
    opt("limit_time_worker_cron", Int, "0", &["--limit-time-worker-cron"], "seconds a cron worker lives before it is restarted")
        .note("in the 17.0 stable branch; missing from the 16.0 Feb-2023 and 18.0 GA builds and added to the stable branches later"),
    opt("unaccent", Flag, "False", &["--unaccent"], "use the unaccent extension for new databases"),
    opt("geoip_database", Path, "'/usr/share/GeoIP/GeoLite2-City.mmdb'", &["--geoip-db"], "GeoIP database file")
        .only(Versions::V16),
    opt("geoip_city_db", Path, "'/usr/share/GeoIP/GeoLite2-City.mmdb'", &["--geoip-city-db", "--geoip-db"], "GeoIP City database file")
        .only(Versions::FROM_17),
    opt("geoip_country_db", Path, "'/usr/share/GeoIP/GeoLite2-Country.mmdb'", &["--geoip-country-db"], "GeoIP Country database file")
        .only(Versions::FROM_17),
    // Multiprocessing (POSIX only).
    opt("workers", Int, "0", &["--workers"], "HTTP worker processes; 0 runs the threaded server").posix(),
    opt("limit_memory_soft", Int, "2147483648", &["--limit-memory-soft"], "virtual memory (bytes) after which a worker is recycled").posix(),
    opt("limit_memory_soft_gevent", Int, "False", &["--limit-memory-soft-gevent"], "soft memory limit of the gevent worker")
        .posix()
        .only(Versions::V18)
        .note("False falls back to limit_memory_soft"),
    opt("limit_memory_hard", Int, "2684354560", &["--limit-memory-hard"], "virtual memory (bytes) at which allocations fail").posix(),
    opt("limit_memory_hard_gevent", Int, "False", &["--limit-memory-hard-gevent"], "hard memory limit of the gevent worker")
        .posix()
        .only(Versions::V18)
        .note("False falls back to limit_memory_hard"),
    opt("limit_time_cpu", Int, "60", &["--limit-time-cpu"], "CPU seconds per request").posix(),
    opt("limit_time_real", Int, "120", &["--limit-time-real"], "wall-clock seconds per request").posix(),
    opt("limit_time_real_cron", Int, "-1", &["--limit-time-real-cron"], "wall-clock seconds per cron job")
        .posix()
        .note("-1 uses limit_time_real; 0 means no limit"),
    opt("limit_request", Int, "65536", &["--limit-request"], "requests a worker serves before it is recycled").posix(),
];

/// Deprecated keys still honoured.
pub static ALIASES: &[Alias] = &[
    Alias {
        from: "xmlrpc_port",
        to: "http_port",
        versions: Versions::ALL,
        note: "renamed to http_port when the file is read (outdated_options_map)",
    },
    Alias {
        from: "xmlrpc_interface",
        to: "http_interface",
        versions: Versions::ALL,
        note: "renamed to http_interface when the file is read (outdated_options_map)",
    },
    Alias {
        from: "xmlrpc",
        to: "http_enable",
        versions: Versions::ALL,
        note: "renamed to http_enable when the file is read (outdated_options_map)",
    },
    Alias {
        from: "gevent-port",
        to: "gevent_port",
        versions: Versions::V16,
        note: "16.0's --longpolling-port stores into the key `gevent-port`; a non-zero value \
               replaces gevent_port, with a DeprecationWarning",
    },
    Alias {
        from: "longpolling_port",
        to: "gevent_port",
        versions: Versions::V17,
        note: "deprecated alias: a non-zero value replaces gevent_port, with a DeprecationWarning",
    },
    Alias {
        from: "osv_memory_age_limit",
        to: "transient_age_limit",
        versions: Versions::V16,
        note: "deprecated alias (a float option): a non-zero value replaces transient_age_limit, \
               with a DeprecationWarning",
    },
    Alias {
        from: "osv_memory_age_limit",
        to: "transient_age_limit",
        versions: Versions::FROM_17,
        note: "deprecated alias, not cast: copied into transient_age_limit if that is at its \
               default; Odoo refuses to start if both are set to different values",
    },
    Alias {
        from: "geoip_database",
        to: "geoip_city_db",
        versions: Versions::FROM_17,
        note: "deprecated alias: copied into geoip_city_db if that is at its default; Odoo \
               refuses to start if both are set to different values",
    },
];

/// Keys that were options and that a version ignores.
pub static RETIRED: &[Retired] = &[
    Retired {
        name: "longpolling_port",
        versions: Versions::V16,
        replacement: Some("gevent_port"),
        note: "16.0 reads the longpolling alias only under the key `gevent-port`: \
               `longpolling_port` is stored and never read, so gevent_port stays 8072",
    },
    Retired {
        name: "longpolling_port",
        versions: Versions::V18,
        replacement: Some("gevent_port"),
        note: "removed in 18.0: the key is stored and never read, so gevent_port stays 8072",
    },
];

/// Keys seen in real odoo.conf files that Odoo 16–18 never read.
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
        why: "an option of old Odoo releases; 16–18 store it and never read it (developer \
              mode is --dev)",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("auto_reload"),
        why: "an option of old Odoo releases; 16–18 store it and never read it (reloading is \
              --dev=reload, on the command line)",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("logrotate"),
        why: "an option of old Odoo releases; 16–18 store it and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Prefix("xmlrpcs"),
        why: "the XML-RPC over SSL server is gone: 16–18 have no xmlrpcs option, and no \
              option uses port 8071",
    },
    IgnoredKey {
        pattern: KeyPattern::Prefix("netrpc"),
        why: "the NET-RPC server is gone; 16–18 store the key and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("demo"),
        why: "computed from -i and without_demo; a file value is replaced",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("with_demo"),
        why: "new in Odoo 19; 16–18 use without_demo",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("db_app_name"),
        why: "new in Odoo 19; 16–18 store it and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("proxy_access_token"),
        why: "new in Odoo 19; 16–18 store it and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("bin_path"),
        why: "new in Odoo 19; 16–18 store it and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("default_productivity_apps"),
        why: "new in Odoo 19; 16–18 store it and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Prefix("import_file_"),
        why: "new in Odoo 19; 16–18 store it and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("import_url_regex"),
        why: "new in Odoo 19; 16–18 store it and never read it",
    },
    IgnoredKey {
        pattern: KeyPattern::Exact("pre_upgrade_scripts"),
        why: "new in Odoo 19; 16–18 store it and never read it",
    },
];

/// The option `name` as `version` defines it.
pub fn spec(name: &str, version: OdooVersion) -> Option<&'static OptionSpec> {
    OPTIONS
        .iter()
        .find(|s| s.name == name && s.versions.contains(version))
}

/// Every option of `version`, in the table's order.
pub fn options(version: OdooVersion) -> impl Iterator<Item = &'static OptionSpec> {
    OPTIONS.iter().filter(move |s| s.versions.contains(version))
}

/// What `version` makes of `key` in `[options]`. `key` is compared as `configparser` stores
/// it: lower-case.
pub fn lookup(key: &str, version: OdooVersion) -> Lookup {
    if let Some(alias) = ALIASES
        .iter()
        .find(|a| a.from == key && a.versions.contains(version))
    {
        return Lookup::Renamed {
            to: alias.to,
            note: alias.note,
        };
    }
    if let Some(spec) = spec(key, version) {
        return match spec.effect {
            FileEffect::Read => Lookup::Known(spec),
            _ => Lookup::Ignored {
                why: spec.note.unwrap_or("Odoo replaces the file value"),
                spec: Some(spec),
            },
        };
    }
    if let Some(retired) = RETIRED
        .iter()
        .find(|r| r.name == key && r.versions.contains(version))
    {
        return Lookup::Removed {
            replacement: retired.replacement,
            note: retired.note,
        };
    }
    if let Some(later) = OPTIONS.iter().filter(|s| s.name == key).find_map(|s| {
        s.versions
            .iter()
            .find(|v| *v > version)
            .map(|since| (since, s))
    }) {
        return Lookup::AddedLater {
            since: later.0,
            spec: later.1,
        };
    }
    if OPTIONS.iter().any(|s| s.name == key) {
        return Lookup::Removed {
            replacement: None,
            note:
                "an option of an earlier Odoo version; this one stores the key and never reads it",
        };
    }
    if let Some(ignored) = IGNORED.iter().find(|i| i.pattern.matches(key)) {
        return Lookup::Ignored {
            why: ignored.why,
            spec: None,
        };
    }
    Lookup::Unknown {
        did_you_mean: did_you_mean(key, version),
    }
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
            let distance = strsim::osa_distance(&normalized, s.name);
            let close = distance <= bound || strsim::jaro_winkler(&normalized, s.name) >= 0.93;
            close.then_some((distance, s.name))
        })
        .min()
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_from_series_or_major() {
        assert_eq!("18.0".parse::<OdooVersion>(), Ok(OdooVersion::V18));
        assert_eq!(" 17 ".parse::<OdooVersion>(), Ok(OdooVersion::V17));
        assert_eq!("16.0".parse::<OdooVersion>(), Ok(OdooVersion::V16));
        assert!("19.0".parse::<OdooVersion>().is_err());
        assert!("18.1".parse::<OdooVersion>().is_err());
        assert_eq!(OdooVersion::V18.to_string(), "18.0");
    }

    #[test]
    fn each_name_has_at_most_one_definition_per_version() {
        for version in OdooVersion::ALL {
            let mut names: Vec<_> = options(version).map(|s| s.name).collect();
            let total = names.len();
            names.sort_unstable();
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
        assert!(
            has("geoip_database", OdooVersion::V16) && !has("geoip_database", OdooVersion::V17)
        );
        assert!(has("limit_memory_hard_gevent", OdooVersion::V18));
        assert_eq!(
            options(OdooVersion::V18).count(),
            options(OdooVersion::V17).count() + 4
        );
    }
}
