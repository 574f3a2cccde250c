//! The odoo.conf parser, model, option tables and value interpretation, told through the
//! files people write. `odoo_conf_differential.rs` checks the parser against CPython itself.

use ipai::formats::odoo_conf::options::{did_you_mean, spec, FileEffect};
use ipai::formats::odoo_conf::value::{env_references, interpret, Interpreted};
use ipai::formats::odoo_conf::{
    lookup, parse, parse_str, Entry, Lookup, OdooConf, OdooVersion, OptionKind, PythonErrorKind,
    Separator,
};
use ipai::source::{SourceFile, Span};
use proptest::prelude::*;

fn fixture(name: &str) -> (SourceFile, OdooConf) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/parsers/odoo_conf")
        .join(name);
    let file = SourceFile::read(name, &path).expect("fixture exists");
    let conf = parse(&file);
    (file, conf)
}

fn option<'c>(conf: &'c OdooConf, key: &str) -> &'c Entry {
    conf.options()
        .and_then(|s| s.get(key))
        .unwrap_or_else(|| panic!("[options] has {key}"))
}

fn interpret_in(version: OdooVersion, key: &str, value: &str) -> String {
    let spec = spec(key, version).unwrap_or_else(|| panic!("{key} is an option of {version}"));
    format!("{:?}", interpret(spec, value))
}

#[test]
fn the_stack_snapshot_conf_parses_with_its_inline_comment_inside_the_value() {
    let (file, conf) = fixture("stack_snapshot.conf");
    assert!(conf.python_accepts());
    assert!(conf.errors.is_empty());

    let workers = option(&conf, "workers");
    assert_eq!(workers.value, "12              # 2 × CPU cores");
    assert_eq!(file.slice(workers.value_span), workers.value);
    let lookalike = workers
        .inline_comment_lookalike(&file.text)
        .expect("a `#` after a space");
    assert_eq!(file.slice(lookalike), "# 2 × CPU cores");
    let spec = spec("workers", OdooVersion::V18).expect("workers");
    assert_eq!(
        interpret(spec, &workers.value),
        Interpreted::Invalid {
            message: "option workers: invalid integer value: '12              # 2 × CPU cores'"
                .into()
        }
    );

    let password = option(&conf, "db_password");
    assert_eq!(password.value, "${POSTGRES_PASSWORD}");
    assert_eq!(env_references(&password.value).len(), 1);
    let kind = spec_kind("db_password");
    assert!(!kind.expands_env(), "Odoo takes db_password literally");

    assert_eq!(
        lookup("longpolling_port", OdooVersion::V18),
        Lookup::Removed {
            replacement: Some("gevent_port"),
            since: OdooVersion::V18,
        }
    );
    assert!(matches!(
        lookup("session_store", OdooVersion::V18),
        Lookup::Ignored { spec: None, .. }
    ));
    assert!(matches!(
        lookup("session_redis_host", OdooVersion::V18),
        Lookup::Ignored { .. }
    ));
    assert!(
        matches!(lookup("proxy_mode", OdooVersion::V18), Lookup::Known(s) if s.kind == OptionKind::Flag)
    );
}

fn spec_kind(name: &str) -> OptionKind {
    spec(name, OdooVersion::V18)
        .map(|s| s.kind)
        .expect("an 18.0 option")
}

#[test]
fn every_key_and_value_has_a_span_that_slices_to_it() {
    let (file, conf) = fixture("colon_separator.conf");
    for (_, entry) in conf.entries() {
        assert_eq!(file.slice(entry.key_span), entry.raw_key);
        assert_eq!(file.slice(entry.value_span), entry.value);
        assert_eq!(
            file.slice(entry.separator_span),
            entry.separator.as_char().to_string()
        );
    }
    let host = option(&conf, "db_host");
    assert_eq!(
        (host.separator, host.value.as_str()),
        (Separator::Colon, "db")
    );
    let password = option(&conf, "db_password");
    assert_eq!(
        (password.separator, password.value.as_str()),
        (Separator::Equals, "p=ss:w0rd")
    );
    // The first `=` or `:` separates: a URL key splits at its colon.
    let url = option(&conf, "url");
    assert_eq!(url.value, "http://odoo:8069/web");
    assert_eq!(option(&conf, "log_handler").value, ":INFO,werkzeug:WARNING");
}

#[test]
fn continuation_lines_join_with_newlines_and_skip_comment_lines() {
    let (file, conf) = fixture("continuation_lines.conf");
    let addons = option(&conf, "addons_path");
    assert_eq!(
        addons.value,
        "\n/mnt/extra-addons/ipai,\n/mnt/extra-addons/external/oca,\n\n\
         /usr/lib/python3/dist-packages/odoo/addons\n,/opt/more-addons"
    );
    assert!(addons.is_multiline());
    let joined: Vec<&str> = addons.value_lines.iter().map(|s| file.slice(*s)).collect();
    assert_eq!(joined.join("\n"), addons.value);
    // The value's span runs to its last line; the trailing blank lines are not part of it.
    assert!(file.slice(addons.value_span).ends_with(",/opt/more-addons"));
    assert_eq!(
        option(&conf, "server_wide_modules").value,
        "base,web,\nqueue_job"
    );
    assert_eq!(option(&conf, "workers").value, "2");
    assert_eq!(conf.comments.len(), 1);
}

#[test]
fn an_indented_header_after_a_key_is_part_of_its_value() {
    let (_, conf) = fixture("continuation_indentation.conf");
    assert_eq!(
        option(&conf, "db_host").value,
        "db\ncontinued at a deeper indent"
    );
    assert_eq!(
        option(&conf, "db_user").value,
        "odoo\npart of db_user\nalso db_user: deeper than the key line"
    );
    assert_eq!(option(&conf, "dbfilter").value, "^erp$\n[not_a_section]");
    let names: Vec<&str> = conf.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["options", "queue_job"]);
}

#[test]
fn a_duplicate_key_keeps_both_occurrences_and_names_the_first() {
    let (file, conf) = fixture("duplicate_key_after_lowercasing.conf");
    let error = conf.python_error.as_ref().expect("Python refuses the file");
    assert_eq!(error.kind, PythonErrorKind::DuplicateOption);
    assert_eq!(error.lines, [4]);

    let options = conf.options().expect("[options]");
    let all: Vec<&Entry> = options.get_all("workers").collect();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].duplicate_of, Some((0, 0)));
    assert_eq!(file.slice(all[1].key_span), "WORKERS");
    assert_eq!(options.get("Workers").map(|e| e.value.as_str()), Some("8"));

    assert_eq!(conf.errors.len(), 1);
    assert_eq!(conf.errors[0].span, all[1].key_span);
    assert_eq!(
        conf.errors[0].message,
        "option 'workers' in section 'options' already exists (first set on line 2): Python's \
         configparser refuses the file (DuplicateOptionError)"
    );
}

#[test]
fn a_duplicate_section_is_reported_at_its_second_header() {
    let (file, conf) = fixture("duplicate_section.conf");
    assert_eq!(
        conf.python_error.as_ref().map(|e| e.kind),
        Some(PythonErrorKind::DuplicateSection)
    );
    assert_eq!(conf.sections[2].duplicate_of, Some(0));
    assert_eq!(file.slice(conf.errors[0].span), "options");
    // Both blocks feed the options Odoo would see with a lenient reader.
    let keys: Vec<&str> = conf
        .options_items()
        .expect("options")
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(keys, ["workers", "proxy_mode"]);
}

#[test]
fn a_key_without_separator_is_reported_and_the_rest_is_kept() {
    let (file, conf) = fixture("key_without_separator.conf");
    assert_eq!(
        conf.python_error
            .as_ref()
            .map(|e| (e.kind, e.lines.clone())),
        Some((PythonErrorKind::Parsing, vec![2, 4]))
    );
    let spans: Vec<&str> = conf.errors.iter().map(|e| file.slice(e.span)).collect();
    assert_eq!(spans, ["proxy_mode", "list_db False"]);
    assert_eq!(option(&conf, "workers").value, "4");
    assert_eq!(option(&conf, "db_host").value, "db");
}

#[test]
fn keys_before_any_section_are_orphans_with_one_error() {
    let (file, conf) = fixture("key_before_section.conf");
    assert_eq!(
        conf.python_error
            .as_ref()
            .map(|e| (e.kind, e.lines.clone())),
        Some((PythonErrorKind::MissingSectionHeader, vec![2]))
    );
    assert_eq!(conf.orphans.len(), 1);
    assert_eq!(conf.orphans[0].key, "workers");
    assert_eq!(conf.errors.len(), 1);
    assert_eq!(file.slice(conf.errors[0].span), "workers = 4");
    assert_eq!(option(&conf, "proxy_mode").value, "True");
}

#[test]
fn a_miscased_options_section_is_valid_ini_that_odoo_ignores() {
    let (_, conf) = fixture("miscased_section.conf");
    assert!(conf.python_accepts());
    assert!(conf.options().is_none());
    assert!(conf.options_items().is_none());
    let misnamed: Vec<&str> = conf
        .misnamed_options_sections()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(misnamed, ["Options"]);

    let (file, odd) = fixture("section_header_oddities.conf");
    let misnamed: Vec<&str> = odd
        .misnamed_options_sections()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(misnamed, [" options "]);
    let queue = odd
        .section("queue_job")
        .expect("trailing text after `]` is ignored");
    assert_eq!(
        queue.trailing_span.map(|s| file.slice(s)),
        Some("; job runner")
    );
    assert!(odd.section("a]b").is_some(), "the last `]` closes the name");
    assert!(odd.section("x] trailing [y").is_some());
}

#[test]
fn a_byte_order_mark_breaks_line_one_for_python() {
    let (_, conf) = fixture("byte_order_mark.conf");
    assert_eq!(
        conf.python_error
            .as_ref()
            .map(|e| (e.kind, e.lines.clone())),
        Some((PythonErrorKind::MissingSectionHeader, vec![1]))
    );
    assert_eq!(conf.errors[0].span, Span::at(0));
    assert_eq!(
        option(&conf, "workers").value,
        "4",
        "the model is still built"
    );
}

#[test]
fn invalid_utf8_is_a_decode_error_for_python() {
    let (_, conf) = fixture("invalid_utf8.conf");
    assert_eq!(
        conf.python_error.as_ref().map(|e| e.kind),
        Some(PythonErrorKind::UnicodeDecode)
    );
    assert!(conf.errors.is_empty(), "the workspace reports encodings");
    assert_eq!(option(&conf, "workers").value, "2");
}

#[test]
fn line_ends_are_universal_newlines() {
    let (_, crlf) = fixture("crlf_line_endings.conf");
    assert_eq!(option(&crlf, "addons_path").value, "/mnt/a,\n/mnt/b");
    assert_eq!(option(&crlf, "proxy_mode").line, 6);
    let (_, cr) = fixture("lone_cr_line_endings.conf");
    assert_eq!(option(&cr, "addons_path").value, "/a,\n/b");
    assert_eq!(option(&cr, "db_host").line, 6);
}

#[test]
fn python_white_space_and_unicode_keys() {
    let (_, conf) = fixture("unicode.conf");
    assert_eq!(
        option(&conf, "workers").value,
        "4",
        "NBSP is stripped like a space"
    );
    assert_eq!(option(&conf, "ünïcödé_kéy").raw_key, "Ünïcödé_Kéy");
    assert_eq!(option(&conf, "ünïcödé_kéy").value, "ΣΣ");
    assert_eq!(
        option(&conf, "log_handler").value,
        ":INFO,\nwerkzeug:WARNING"
    );
    // U+FEFF inside the file is not white space: the key keeps it.
    assert_eq!(option(&conf, "\u{feff}zwnbsp").value, "1");

    let (_, odd) = fixture("unusual_whitespace.conf");
    // U+001F is stripped and U+001C kept inside; a vertical tab or U+001C indents, so those
    // "keys" continue foo's value.
    assert_eq!(option(&odd, "foo").value, "a\u{1c}b\nbar = 1\nbaz = 2");
    assert!(odd.options().and_then(|s| s.get("bar")).is_none());
}

#[test]
fn empty_values_have_an_anchor_span() {
    let (file, conf) = fixture("empty_values.conf");
    for key in [
        "db_password",
        "dbfilter",
        "admin_passwd",
        "http_interface",
        "email_from",
    ] {
        let entry = option(&conf, key);
        assert_eq!(entry.value, "", "{key}");
        assert!(entry.value_span.is_empty());
        assert!(entry.value_span.start() >= entry.separator_span.end());
        assert_eq!(
            file.slice(entry.span).trim_end(),
            file.slice(Span::new(
                entry.key_span.start(),
                entry.separator_span.end()
            ))
        );
    }
}

#[test]
fn percent_signs_are_literal() {
    let (_, conf) = fixture("percent_no_interpolation.conf");
    assert_eq!(option(&conf, "dbfilter").value, "^%d$");
    assert_eq!(option(&conf, "db_name").value, "%(here)s/db");
}

#[test]
fn default_keys_show_in_every_section() {
    let (_, conf) = fixture("default_section.conf");
    let items: Vec<(&str, &str)> = conf
        .options_items()
        .expect("[options]")
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            ("db_host", "db"),
            ("db_port", "6432"),
            ("list_db", "False"),
            ("workers", "4")
        ]
    );
    assert_eq!(
        conf.get("queue_job", "LIST_DB").map(|e| e.value.as_str()),
        Some("False")
    );
    assert_eq!(
        conf.get("queue_job", "channels").map(|e| e.value.as_str()),
        Some("root:2")
    );
    assert!(conf.items("missing").is_none());
    assert_eq!(conf.items("DEFAULT").map(|i| i.len()), Some(3));

    let (_, duplicate) = fixture("default_duplicate_key.conf");
    assert_eq!(
        duplicate.python_error.as_ref().map(|e| e.kind),
        Some(PythonErrorKind::DuplicateOption)
    );
}

#[test]
fn comments_are_kept_for_suppressions_on_the_line_above() {
    let conf = parse_str(
        "[options]\n# ipai-lint: ignore[ODOO003] -- staging only\n; second line\nlist_db = 0\n\n# far\n\nworkers = 2\n",
    );
    let list_db = option(&conf, "list_db");
    let above: Vec<usize> = conf
        .comments_above(list_db.line)
        .iter()
        .map(|c| c.line)
        .collect();
    assert_eq!(above, [2, 3]);
    assert_eq!(conf.comments[0].prefix, '#');
    assert!(conf
        .comments_above(option(&conf, "workers").line)
        .is_empty());
}

#[test]
fn the_version_decides_what_a_key_means() {
    use OdooVersion::{V16, V17, V18, V19};
    // 16.0 and 17.0: `_warn_deprecated_options` moves a non-zero longpolling_port to
    // gevent_port; 18.0 dropped the option, 19.0 warns about it as unknown.
    for version in [V16, V17] {
        assert!(matches!(
            lookup("longpolling_port", version),
            Lookup::Renamed {
                to: "gevent_port",
                ..
            }
        ));
    }
    for version in [V18, V19] {
        assert!(matches!(
            lookup("longpolling_port", version),
            Lookup::Removed {
                replacement: Some("gevent_port"),
                since: V18,
            }
        ));
    }
    for version in [V16, V17, V18] {
        for (old, new) in [
            ("xmlrpc_port", "http_port"),
            ("xmlrpc", "http_enable"),
            ("xmlrpc_interface", "http_interface"),
        ] {
            assert!(matches!(lookup(old, version), Lookup::Renamed { to, .. } if to == new));
        }
        for hint in [
            "xmlrpcs_port",
            "debug_mode",
            "auto_reload",
            "logrotate",
            "redis_host",
        ] {
            assert!(matches!(
                lookup(hint, version),
                Lookup::Ignored { spec: None, .. }
            ));
        }
        let dev = lookup("dev_mode", version);
        assert!(
            matches!(dev, Lookup::Ignored { spec: Some(s), .. } if s.effect == FileEffect::OverwrittenByCli),
            "{dev:?}"
        );
        // Read by base_import with config.get(), though config.py does not declare them.
        assert!(matches!(
            lookup("import_image_maxbytes", version),
            Lookup::ReadByModule { .. }
        ));
        assert!(matches!(
            lookup("registry_lru_size", version),
            Lookup::ReadByModule { .. }
        ));
    }
    assert!(matches!(
        lookup("apps_server", V16),
        Lookup::ReadByModule { .. }
    ));
    assert!(matches!(
        lookup("osv_memory_age_limit", V16),
        Lookup::Renamed {
            to: "transient_age_limit",
            ..
        }
    ));
    assert!(matches!(
        lookup("geoip_database", V18),
        Lookup::Renamed {
            to: "geoip_city_db",
            ..
        }
    ));
    assert!(matches!(
        lookup("db_replica_host", V17),
        Lookup::AddedLater { since: V18, .. }
    ));
    assert!(matches!(
        lookup("db_maxconn_gevent", V16),
        Lookup::AddedLater { since: V17, .. }
    ));
    assert!(matches!(
        lookup("limit_memory_soft_gevent", V18),
        Lookup::Known(_)
    ));
    assert!(matches!(lookup("websocket_rate_limit_delay", V18), Lookup::Known(s) if s.file_only()));
    // 19.0: typed options, aliases of the import_image_* keys, file_loadable=False.
    assert!(matches!(
        lookup("import_image_timeout", V19),
        Lookup::Renamed {
            to: "import_file_timeout",
            ..
        }
    ));
    assert!(matches!(
        lookup("init", V19),
        Lookup::Ignored { spec: Some(s), .. } if s.effect == FileEffect::CliOnly
    ));
    assert!(
        matches!(lookup("pre_upgrade_scripts", V19), Lookup::Known(s) if s.kind == OptionKind::PathList)
    );
}

#[test]
fn unknown_keys_get_a_suggestion_when_one_is_close() {
    let v = OdooVersion::V18;
    assert_eq!(did_you_mean("worker", v), Some("workers"));
    assert_eq!(did_you_mean("proxymode", v), Some("proxy_mode"));
    assert_eq!(did_you_mean("admin_password", v), Some("admin_passwd"));
    assert_eq!(did_you_mean("db_passwd", v), Some("db_password"));
    assert_eq!(did_you_mean("http-port", v), Some("http_port"));
    assert_eq!(
        did_you_mean("--limit-time-real", v),
        Some("limit_time_real")
    );
    assert_eq!(did_you_mean("log_lvl", v), Some("log_level"));
    assert_eq!(lookup("running_env", v), Lookup::Unknown);
    assert_eq!(did_you_mean("running_env", v), None);
    assert_eq!(lookup("ipai_custom_flag", v), Lookup::Unknown);
    assert_eq!(did_you_mean("ipai_custom_flag", v), None);
}

#[test]
fn values_are_what_odoo_makes_of_them() {
    let v = OdooVersion::V18;
    // Flags are not cast: only True/true/False/false are booleans.
    for (value, truthy) in [
        ("0", true),
        ("off", true),
        ("no", true),
        ("FALSE", true),
        ("False", false),
        ("false", false),
        ("", false),
    ] {
        let spec = spec("list_db", v).expect("list_db");
        assert_eq!(
            interpret(spec, value).truthy(),
            Some(truthy),
            "list_db = {value:?}"
        );
    }
    assert_eq!(interpret_in(v, "workers", "010"), "Int(8)");
    assert_eq!(interpret_in(v, "db_port", "0x1538"), "Int(5432)");
    assert_eq!(interpret_in(v, "db_port", "False"), "Bool(false)");
    assert_eq!(
        interpret_in(v, "max_cron_threads", "08"),
        "Invalid { message: \"option max_cron_threads: invalid integer value: '08'\" }"
    );
    assert_eq!(interpret_in(v, "transient_age_limit", "0.5"), "Float(0.5)");
    assert_eq!(interpret_in(v, "log_level", "debug"), "Choice(\"debug\")");
    assert!(interpret_in(v, "log_level", "INFO").starts_with(
        "Invalid { message: \"option log_level: invalid choice: 'INFO' (choose from 'info', 'debug_rpc',"
    ));
    assert_eq!(
        interpret_in(v, "db_sslmode", "require"),
        "Choice(\"require\")"
    );
    // File-only options are never cast.
    assert_eq!(
        interpret_in(v, "websocket_rate_limit_delay", "fast"),
        "Str(\"fast\")"
    );
}

#[test]
fn env_placeholders_expand_only_in_path_options() {
    let (_, conf) = fixture("docker_env_placeholders.conf");
    let v = OdooVersion::V18;
    let expands = |key: &str| spec(key, v).map(|s| s.kind.expands_env());
    assert_eq!(expands("addons_path"), Some(true));
    assert_eq!(expands("data_dir"), Some(true));
    assert_eq!(expands("logfile"), Some(true));
    assert_eq!(expands("db_host"), Some(false));
    assert_eq!(expands("db_password"), Some(false));
    let names: Vec<&str> = env_references(&option(&conf, "addons_path").value)
        .iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["ADDONS_PATH", "HOME"]);
}

#[test]
fn the_truthy_strings_fixture_reads_as_odoo_reads_it() {
    let (_, conf) = fixture("truthy_strings.conf");
    let v = OdooVersion::V18;
    let truthy = |key: &str| {
        let entry = option(&conf, key);
        let spec = spec(key, v).expect("an option");
        interpret(spec, &entry.value).truthy()
    };
    for on in [
        "list_db",
        "proxy_mode",
        "http_enable",
        "x_sendfile",
        "unaccent",
        "smtp_ssl",
        "stop_after_init",
    ] {
        assert_eq!(truthy(on), Some(true), "{on}");
    }
    assert_eq!(truthy("syslog"), Some(false));
    assert_eq!(
        truthy("max_cron_threads"),
        None,
        "08 is not octal: Odoo does not start"
    );
}

fn check_invariants(text: &str, conf: &OdooConf) {
    let in_bounds = |span: Span| {
        span.start() <= span.end()
            && span.end() <= text.len()
            && text.is_char_boundary(span.start())
            && text.is_char_boundary(span.end())
    };
    for error in &conf.errors {
        assert!(in_bounds(error.span), "{error:?}");
    }
    for comment in &conf.comments {
        assert!(in_bounds(comment.span));
    }
    for section in &conf.sections {
        for span in [section.name_span, section.header_span, section.span] {
            assert!(in_bounds(span));
        }
        assert_eq!(
            &text[section.name_span.start()..section.name_span.end()],
            section.name
        );
    }
    let entries = conf
        .sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .chain(conf.orphans.iter());
    for entry in entries {
        for span in [
            entry.key_span,
            entry.value_span,
            entry.separator_span,
            entry.span,
        ] {
            assert!(in_bounds(span), "{entry:?}");
        }
        assert_eq!(
            &text[entry.key_span.start()..entry.key_span.end()],
            entry.raw_key
        );
        assert_eq!(entry.key, entry.raw_key.to_lowercase());
        let lines: Vec<&str> = entry
            .value_lines
            .iter()
            .map(|s| &text[s.start()..s.end()])
            .collect();
        assert_eq!(lines.join("\n"), entry.value);
    }
    // Every error Python raises is reported, except invalid UTF-8 (the workspace's job).
    let decode_error = conf
        .python_error
        .as_ref()
        .is_some_and(|e| e.kind == PythonErrorKind::UnicodeDecode);
    if !decode_error {
        assert_eq!(conf.python_accepts(), conf.errors.is_empty());
    }
}

/// A section name a person could write: no brackets, no line ends, not `DEFAULT`.
fn section_name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_.]{0,12}"
}

fn key() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_.-]{0,15}"
}

/// A value line: no leading or trailing white space, no line end.
fn value_text() -> impl Strategy<Value = String> {
    "[!-~]([ -~é€Σ]{0,30}[!-~])?"
}

#[derive(Debug, Clone)]
struct GenEntry {
    key: String,
    value: String,
    continuation: Vec<String>,
    colon: bool,
    spaced: bool,
    comment_before: bool,
}

fn gen_entry() -> impl Strategy<Value = GenEntry> {
    (
        key(),
        prop_oneof![Just(String::new()), value_text()],
        prop::collection::vec(
            value_text().prop_filter("not a comment", |v| !v.starts_with(['#', ';'])),
            0..3,
        ),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(key, value, continuation, colon, spaced, comment_before)| GenEntry {
                key,
                value,
                continuation,
                colon,
                spaced,
                comment_before,
            },
        )
}

fn gen_file() -> impl Strategy<Value = Vec<(String, Vec<GenEntry>)>> {
    prop::collection::vec(
        (section_name(), prop::collection::vec(gen_entry(), 0..6)),
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_and_spans_stay_in_bounds(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let file = SourceFile::from_bytes("fuzz.conf", "fuzz.conf", &bytes);
        let conf = parse(&file);
        check_invariants(&file.text, &conf);
    }

    #[test]
    fn ini_shaped_text_never_panics(lines in prop::collection::vec("[ \t]{0,3}[\\[\\]=:;#a-zA-Z \u{a0}\u{3000}é]{0,12}", 0..30), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let conf = parse_str(&text);
        check_invariants(&text, &conf);
    }

    #[test]
    fn well_formed_files_round_trip(sections in gen_file()) {
        let mut text = String::new();
        let mut expected = Vec::new();
        for (i, (name, entries)) in sections.iter().enumerate() {
            // Distinct names and keys, as Python requires.
            let name = format!("{name}{i}");
            text.push_str(&format!("[{name}]\n"));
            let mut kept = Vec::new();
            for (j, entry) in entries.iter().enumerate() {
                let key = format!("{}{j}", entry.key);
                if entry.comment_before {
                    text.push_str("; about the next key\n");
                }
                let separator = match (entry.colon, entry.spaced) {
                    (true, true) => " : ",
                    (true, false) => ":",
                    (false, true) => " = ",
                    (false, false) => "=",
                };
                text.push_str(&format!("{key}{separator}{}\n", entry.value));
                let mut value = entry.value.clone();
                for line in &entry.continuation {
                    text.push_str(&format!("    {line}\n"));
                    value.push('\n');
                    value.push_str(line);
                }
                text.push('\n');
                kept.push((key.to_lowercase(), value));
            }
            expected.push((name, kept));
        }
        let conf = parse_str(&text);
        prop_assert!(conf.errors.is_empty(), "{:?}\n{text}", conf.errors);
        prop_assert!(conf.python_accepts());
        let got: Vec<(String, Vec<(String, String)>)> = conf
            .sections
            .iter()
            .map(|s| (s.name.clone(), s.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect()))
            .collect();
        prop_assert_eq!(got, expected);
        check_invariants(&text, &conf);
    }
}

#[test]
fn hostile_sizes_stay_linear_in_memory() {
    // A long section name repeated in thousands of duplicate-key messages must not be
    // copied into each of them.
    let name = "n".repeat(200_000);
    let mut text = format!("[{name}]\n");
    for _ in 0..2_000 {
        text.push_str("k = v\n");
    }
    let conf = parse_str(&text);
    assert_eq!(conf.errors.len(), 1_999);
    assert!(conf.errors.iter().all(|e| e.message.len() < 400));
    let one_line = format!("[options]\nk = {}\n", "=:[];#".repeat(100_000));
    assert!(parse_str(&one_line).python_accepts());
}
