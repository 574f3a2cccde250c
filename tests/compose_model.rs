//! The compose model on hand-written fixtures: the stack's compose file and override, anchors
//! and merge keys, interpolation, short and long syntaxes, extends, include, and hostile input.

use std::path::{Path, PathBuf};

use ipai::formats::compose::merge::MergeNoteKind;
use ipai::formats::compose::{
    load_project, ComposeFile, Environment, FileId, FileRole, ListForm, LoadOptions, MountKind,
    Operator, PortSyntax, Project, ScalarStyle, Service, Text, VarState,
};
use ipai::source::{SourceFile, Span};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/parsers/compose")
        .join(path)
}

fn read(path: &str) -> SourceFile {
    SourceFile::read(path, &fixture(path)).expect("fixture exists")
}

fn parse(path: &str, env: &Environment) -> (SourceFile, ComposeFile) {
    let source = read(path);
    let file = ComposeFile::parse(&source, FileId(0), env);
    (source, file)
}

fn load_file(path: &str) -> Project {
    let full = fixture(path);
    let options = LoadOptions {
        project_dir: full.parent().expect("has a parent").to_path_buf(),
        files: vec![full.file_name().expect("has a name").into()],
        ..LoadOptions::default()
    };
    load_project(&options)
}

fn service<'a>(services: &'a [Service], name: &str) -> &'a Service {
    services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

/// The text a value covers in its file (inside the anchor for aliased values).
fn written<'a>(source: &'a SourceFile, text: &Text) -> &'a str {
    source.slice(text.loc.written())
}

fn line_of(source: &SourceFile, span: Span) -> usize {
    source.line_col(span.start()).line
}

fn values(texts: &[Text]) -> Vec<&str> {
    texts.iter().map(|t| t.value.as_str()).collect()
}

#[test]
fn the_stack_file_reads_as_the_snapshot_describes_it() {
    let (source, file) = parse("stack/docker-compose.yml", &Environment::new());
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let model = file.model();
    assert!(model.errors.is_empty(), "{:?}", model.errors);
    let names: Vec<_> = model.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "odoo-prod",
            "odoo-staging",
            "postgres",
            "nginx-prod-v2",
            "redis"
        ]
    );
    assert_eq!(model.version.as_ref().map(Text::as_str), Some("3.8"));
    assert!(model.keys.iter().any(|k| k.value == "x-odoo-common"));
    let volumes: Vec<_> = model
        .volumes
        .iter()
        .map(|v| v.name.value.as_str())
        .collect();
    assert_eq!(volumes, ["pgdata", "odoo-prod-data"]);

    let prod = service(&model.services, "odoo-prod");
    let image = prod
        .image
        .as_ref()
        .expect("image merged from x-odoo-common");
    assert_eq!(image.name.value, "odoo");
    assert_eq!(image.tag.as_ref().map(Text::as_str), Some("18.0"));
    // Used at `<<: *odoo-common`, written inside the anchor.
    assert_eq!(source.slice(image.text.loc.span), "*odoo-common");
    assert_eq!(written(&source, &image.text), "odoo:18.0");
    assert_eq!(line_of(&source, image.text.loc.written()), 6);
    assert_eq!(
        prod.restart.as_ref().map(Text::as_str),
        Some("unless-stopped")
    );
    // Its own `volumes` wins over the anchor's.
    assert_eq!(prod.volumes.len(), 4);
    let ports: Vec<_> = prod
        .ports
        .iter()
        .map(|p| p.published.as_ref().map(|t| t.value.clone()))
        .collect();
    assert_eq!(ports, [Some("8069".to_owned()), Some("8072".to_owned())]);
    assert!(prod
        .ports
        .iter()
        .all(|p| p.host_ip.is_none() && p.syntax == PortSyntax::Short));
    let health = prod
        .healthcheck
        .as_ref()
        .expect("healthcheck from the anchor");
    assert_eq!(health.retries.as_ref().map(Text::as_str), Some("3"));
    assert_eq!(prod.depends_on.len(), 1);
    assert_eq!(prod.depends_on[0].service.value, "redis");
    assert_eq!(prod.depends_on[0].condition(), "service_started");

    // The required password: kept as written, reported as a missing `:?` variable.
    let password = prod
        .env("PASSWORD")
        .and_then(|kv| kv.value.as_ref())
        .expect("PASSWORD");
    assert_eq!(
        password.value,
        "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    );
    assert!(password.unresolved);
    let reference = &password.refs[0];
    assert_eq!(reference.name, "POSTGRES_PASSWORD");
    assert_eq!(reference.operator, Operator::RequiredNonEmpty);
    assert!(reference.is_missing_required());
    assert_eq!(
        line_of(
            &source,
            Span::new(reference.range.start, reference.range.end)
        ),
        14
    );
    // Defaults apply when the variable is unset.
    let host = prod
        .env("HOST")
        .and_then(|kv| kv.value.as_ref())
        .expect("HOST");
    assert_eq!(
        host.value,
        "odoo-db-sgp1-do-user-27714628-0.g.db.ondigitalocean.com"
    );
    assert!(host.from_variable && !host.unresolved);

    let staging = service(&model.services, "odoo-staging");
    let hosts: Vec<_> = staging
        .ports
        .iter()
        .map(|p| p.host_ip.as_ref().map(|h| h.value.clone()))
        .collect();
    assert_eq!(
        hosts,
        [Some("127.0.0.1".to_owned()), Some("127.0.0.1".to_owned())]
    );
    // `<<: *odoo-env` inside `environment`, plus its own key.
    let keys: Vec<_> = staging
        .environment
        .iter()
        .map(|kv| kv.key.value.as_str())
        .collect();
    assert_eq!(keys, ["HOST", "PORT", "USER", "PASSWORD", "PGDATABASE"]);

    let postgres = service(&model.services, "postgres");
    assert_eq!(values(&postgres.profiles), ["dev"]);
    assert!(
        !postgres.is_enabled(&[]) && postgres.is_enabled(&["dev"]) && postgres.is_enabled(&["*"])
    );
    let secret = postgres
        .env("POSTGRES_PASSWORD")
        .and_then(|kv| kv.value.as_ref())
        .expect("password");
    assert_eq!(secret.value, "secret");
    assert!(secret.is_literal());
    assert_eq!(source.slice(secret.loc.span), "secret");
    let port = &postgres.ports[0];
    assert_eq!(source.slice(port.loc.span), "\"5432:5432\"");
    assert_eq!(
        port.target.as_ref().map(|t| written(&source, t)),
        Some("5432")
    );
    assert_eq!(port.published_range().map(|r| r.start), Some(5432));

    let nginx = service(&model.services, "nginx-prod-v2");
    let letsencrypt = nginx
        .volumes
        .iter()
        .find(|v| {
            v.source
                .as_ref()
                .is_some_and(|s| s.value == "/etc/letsencrypt")
        })
        .expect("mount");
    assert_eq!(letsencrypt.kind, MountKind::Bind);
    assert!(letsencrypt.read_only);
    assert_eq!(
        letsencrypt.read_only_at.map(|l| source.slice(l.span)),
        Some("ro")
    );
    assert_eq!(nginx.depends_on[0].condition(), "service_healthy");

    let redis = service(&model.services, "redis");
    assert!(redis.ports.is_empty());
    assert_eq!(redis.expose[0].range().map(|r| r.start), Some(6379));

    let comments: Vec<_> = file.comments.iter().map(|c| c.text.trim()).collect();
    assert_eq!(comments.len(), 2);
    assert!(comments[0].starts_with("InsightPulse AI"));
}

#[test]
fn every_variable_reference_is_listed_with_its_span() {
    // What a rule checking `.env.example` needs: each `${VAR}` of the compose file, where it
    // is written, and the keys the example file documents.
    let (source, file) = parse("stack/docker-compose.yml", &Environment::new());
    let root = file.root.as_ref().expect("root");
    let mut names: Vec<(&str, usize)> = root
        .var_refs()
        .into_iter()
        .map(|(_, r)| {
            (
                r.name.as_str(),
                line_of(&source, Span::new(r.range.start, r.range.end)),
            )
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names,
        [
            ("ODOO_DB_HOST", 11),
            ("ODOO_DB_PORT", 12),
            ("POSTGRES_PASSWORD", 14)
        ]
    );
    let example = ipai::formats::dotenv::parse(&read("stack/.env.example"), &Environment::new());
    assert!(names.iter().all(|(name, _)| example.get(name).is_some()));
    assert!(example
        .get("ADMIN_PASSWORD")
        .is_some_and(|e| e.value.as_ref().is_some_and(|v| v.text.is_empty())));
}

#[test]
fn the_project_merges_the_override_and_reads_dot_env() {
    let project = load_project(&LoadOptions {
        project_dir: fixture("stack"),
        ..LoadOptions::default()
    });
    assert!(project.unreadable.is_empty());
    assert!(project.errors.is_empty(), "{:?}", project.errors);
    let roles: Vec<_> = project
        .files
        .iter()
        .map(|f| (f.source.name.as_str(), f.role))
        .collect();
    assert_eq!(
        roles,
        [
            (".env", FileRole::EnvFile),
            ("docker-compose.yml", FileRole::Compose),
            ("docker-compose.override.yml", FileRole::Compose),
        ]
    );
    let (base_id, override_id) = (FileId(1), FileId(2));
    assert_eq!(
        project.env.get("POSTGRES_PASSWORD"),
        Some("local-only-password")
    );
    let model = &project.model;

    let prod = service(&model.services, "odoo-prod");
    // Ports append: the override cannot take the public 8069 away.
    let ports: Vec<_> = prod
        .ports
        .iter()
        .map(|p| (p.loc.file, p.host_ip.as_ref().map(|h| h.value.clone())))
        .collect();
    assert_eq!(
        ports,
        [
            (base_id, None),
            (base_id, None),
            (override_id, Some("127.0.0.1".to_owned()))
        ]
    );
    // Volumes are unique by target: the override's addons replace the base's, in place.
    let ipai = prod
        .volumes
        .iter()
        .find(|v| {
            v.target
                .as_ref()
                .is_some_and(|t| t.value == "/mnt/extra-addons/ipai")
        })
        .expect("addons");
    assert_eq!(ipai.loc.file, override_id);
    assert_eq!(
        ipai.source.as_ref().map(Text::as_str),
        Some("./addons/ipai-dev")
    );
    assert_eq!(prod.volumes.len(), 4);
    assert!(project
        .notes
        .iter()
        .any(|n| n.kind == MergeNoteKind::Superseded
            && n.path == "services.odoo-prod.volumes"
            && n.replaced.is_some_and(|r| r.file == base_id)));
    // Environment merges by key; `.env` fills the variables.
    let env: Vec<_> = prod
        .environment
        .iter()
        .map(|kv| kv.key.value.as_str())
        .collect();
    assert_eq!(env, ["HOST", "PORT", "USER", "PASSWORD", "PGDATABASE"]);
    let host = prod
        .env("HOST")
        .and_then(|kv| kv.value.as_ref())
        .expect("HOST");
    assert_eq!(host.value, "postgres");
    let password = prod
        .env("PASSWORD")
        .and_then(|kv| kv.value.as_ref())
        .expect("PASSWORD");
    assert_eq!(password.value, "local-only-password");
    assert_eq!(password.refs[0].state, VarState::Set);
    assert!(
        matches!(prod.command, Some(ipai::formats::compose::Command::List { ref items, .. }) if items.len() == 2)
    );

    let staging = service(&model.services, "odoo-staging");
    assert!(staging.ports.is_empty(), "ports: !reset []");
    let restart = staging.restart.as_ref().expect("restart");
    assert_eq!(
        (restart.value.as_str(), restart.loc.file),
        ("no", override_id)
    );
    let reset = project
        .notes
        .iter()
        .find(|n| n.kind == MergeNoteKind::Reset)
        .expect("reset note");
    assert_eq!(reset.path, "services.odoo-staging.ports");
    assert_eq!(reset.loc.file, override_id);
    assert_eq!(reset.replaced.map(|r| r.file), Some(base_id));
    assert!(project
        .notes
        .iter()
        .any(|n| n.kind == MergeNoteKind::Override && n.path == "services.odoo-staging.restart"));

    let postgres = service(&model.services, "postgres");
    assert!(postgres.profiles.is_empty(), "profiles: !override []");
    assert!(postgres.is_enabled(&project.active_profiles()));

    // Each file also stands alone for per-file rules.
    let (_, base) = project.compose_files().next().expect("base file");
    let base_model = base.compose.as_ref().expect("parsed").model();
    assert_eq!(service(&base_model.services, "odoo-staging").ports.len(), 2);
}

#[test]
fn explicit_environment_wins_over_dot_env() {
    let mut env = Environment::new();
    env.set("ODOO_DB_HOST", "db.internal");
    let options = LoadOptions {
        project_dir: fixture("stack"),
        env,
        ..LoadOptions::default()
    };
    let project = load_project(&options);
    let prod = service(&project.model.services, "odoo-prod");
    assert_eq!(
        prod.env("HOST")
            .and_then(|kv| kv.value.as_ref())
            .map(Text::as_str),
        Some("db.internal")
    );
}

#[test]
fn a_billion_laughs_document_is_a_syntax_error_at_its_location() {
    let (source, file) = parse("billion-laughs.yml", &Environment::new());
    assert!(file.root.is_none());
    assert_eq!(file.errors.len(), 1);
    let error = &file.errors[0];
    assert!(error.message.contains("budget"), "{}", error.message);
    assert!(error
        .help
        .as_deref()
        .is_some_and(|h| h.contains("billion laughs")));
    let line = line_of(&source, error.span);
    assert!((3..=10).contains(&line), "reported at line {line}");
    assert!(
        source.slice(error.span).starts_with('*'),
        "points at an alias: {:?}",
        source.slice(error.span)
    );
}

fn generated_services(count: usize) -> String {
    let mut text = String::from(
        "x-common: &common\n  image: odoo:18.0\n  restart: unless-stopped\n  environment:\n    LOG_LEVEL: info\n\nservices:\n",
    );
    for i in 0..count {
        text.push_str(&format!(
            "  svc-{i}:\n    <<: *common\n    ports:\n      - \"127.0.0.1:{}:8069\"\n",
            10000 + i
        ));
    }
    text
}

#[test]
fn a_hundred_and_fifty_services_can_share_one_anchor() {
    let source = SourceFile::from_text("compose.yaml", generated_services(150));
    let file = ComposeFile::parse(&source, FileId(0), &Environment::new());
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let model = file.model();
    assert_eq!(model.services.len(), 150);
    assert!(model.services.iter().all(|s| s
        .restart
        .as_ref()
        .is_some_and(|r| r.value == "unless-stopped")));
    let last = &model.services[149];
    assert_eq!(
        last.ports[0].published.as_ref().map(Text::as_str),
        Some("10149")
    );
    assert_eq!(
        source.slice(last.image.as_ref().expect("image").text.loc.span),
        "*common"
    );
}

#[test]
fn two_merge_keys_in_one_mapping_are_rejected_like_compose_does() {
    let (source, file) = parse("two-merge-keys.yml", &Environment::new());
    assert_eq!(file.errors.len(), 1);
    let error = &file.errors[0];
    assert_eq!(line_of(&source, error.span), 11);
    assert_eq!(source.slice(error.span), "<<");
    assert!(error
        .help
        .as_deref()
        .is_some_and(|h| h.contains("[*first, *second]")));
}

#[test]
fn a_list_of_merge_sources_is_shallow_and_the_first_wins() {
    let (source, file) = parse("merge-list.yml", &Environment::new());
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let model = file.model();
    let odoo = service(&model.services, "odoo");
    assert_eq!(odoo.environment.len(), 1);
    assert_eq!(
        odoo.environment[0].value.as_ref().map(Text::as_str),
        Some("restart")
    );
    assert_eq!(
        odoo.restart.as_ref().map(|r| source.slice(r.loc.span)),
        Some("*restart")
    );
    let root = file.root.as_ref().expect("root");
    let entry = root
        .get("services")
        .and_then(|s| s.get("odoo"))
        .and_then(|o| o.entry("logging"))
        .expect("logging merged");
    assert_eq!(entry.merged_by.map(|s| source.slice(s)), Some("<<"));
}

#[test]
fn short_and_long_ports_normalise_to_one_shape() {
    let (source, file) = parse("ports.yml", &Environment::new());
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let model = file.model();
    let web = service(&model.services, "web");
    let show = |t: &Option<Text>| t.as_ref().map(|t| t.value.clone()).unwrap_or_default();
    let ports: Vec<_> = web
        .ports
        .iter()
        .map(|p| {
            format!(
                "{:?} ip={} pub={} target={} proto={}",
                p.syntax,
                show(&p.host_ip),
                show(&p.published),
                show(&p.target),
                p.protocol()
            )
        })
        .collect();
    assert_eq!(
        ports,
        [
            "Number ip= pub= target=8080 proto=tcp",
            "Short ip= pub= target=3000 proto=tcp",
            "Short ip= pub= target=3000-3005 proto=tcp",
            "Short ip= pub=9090-9091 target=8080-8081 proto=tcp",
            "Short ip=127.0.0.1 pub=5000-5010 target=5000-5010 proto=tcp",
            "Short ip= pub=6060 target=6060 proto=udp",
            "Short ip=127.0.0.1 pub= target=80 proto=tcp",
            "Short ip=::1 pub=6001 target=6001 proto=tcp",
            "Short ip=::1 pub=6000 target=6000 proto=tcp",
            "Short ip=127.0.0.1 pub=10018 target=8069 proto=tcp",
            "Short ip= pub=${PUBLIC_PORT} target=443 proto=tcp",
            "Long ip= pub=8069 target=8069 proto=tcp",
            "Long ip=127.0.0.1 pub=8000-8010 target=80 proto=tcp",
            "Short ip= pub= target=not-a-port proto=tcp",
        ]
    );
    // The loopback default of an interpolated host IP: its span is the default's text.
    let interpolated = &web.ports[9];
    let ip = interpolated.host_ip.as_ref().expect("host ip");
    assert!(ip.from_variable && !ip.unresolved);
    assert_eq!(source.slice(ip.loc.span), "${ODOO_HTTP_HOST:-127.0.0.1}");
    let target = interpolated.target.as_ref().expect("target");
    assert_eq!(source.slice(target.loc.span), "8069");
    assert!(!target.from_variable);
    // An unresolved published port is kept, not an error.
    let unresolved = web.ports[10].published.as_ref().expect("published");
    assert!(unresolved.unresolved);
    assert_eq!(web.ports[12].published_range().map(|r| r.len()), Some(11));
    assert_eq!(web.ports[12].name.as_ref().map(Text::as_str), Some("web"));
    // The IPv6 address without its brackets.
    assert_eq!(
        source.slice(web.ports[7].host_ip.as_ref().expect("ip").loc.span),
        "::1"
    );
    // The one bad port is a type error with its span.
    assert_eq!(model.errors.len(), 1);
    assert_eq!(source.slice(model.errors[0].error.span), "\"not-a-port\"");
    let exposed: Vec<_> = web
        .expose
        .iter()
        .map(|e| {
            (
                e.port.value.clone(),
                e.protocol.as_ref().map(|p| p.value.clone()),
            )
        })
        .collect();
    assert_eq!(
        exposed,
        [
            ("6379".into(), None),
            ("8072".into(), None),
            ("9000-9010".into(), Some("udp".into()))
        ]
    );
}

#[test]
fn short_and_long_volumes_normalise_to_one_shape() {
    let (source, file) = parse("volumes.yml", &Environment::new());
    let model = file.model();
    assert!(model.errors.is_empty(), "{:?}", model.errors);
    let nginx = service(&model.services, "nginx");
    let show = |t: &Option<Text>| t.as_ref().map(|t| t.value.clone()).unwrap_or_default();
    let mounts: Vec<_> = nginx
        .volumes
        .iter()
        .map(|v| {
            format!(
                "{:?} {:?} {} -> {} ro={}",
                v.syntax,
                v.kind,
                show(&v.source),
                show(&v.target),
                v.read_only
            )
        })
        .collect();
    assert_eq!(
        mounts,
        [
            "Short Bind /etc/letsencrypt -> /etc/letsencrypt ro=true",
            "Short Bind ./nginx/conf.d -> /etc/nginx/conf.d ro=true",
            "Short Volume certs -> /certs ro=false",
            "Short Volume  -> /var/cache/nginx ro=false",
            "Short Unknown ${DATA_DIR} -> /data ro=false",
            "Long Bind /etc/letsencrypt/live -> /live ro=true",
            "Long Volume certs -> /certs-too ro=false",
            "Long Tmpfs  -> /tmp ro=false",
        ]
    );
    assert_eq!(values(&nginx.volumes[1].options), ["ro", "z"]);
    assert_eq!(
        nginx.volumes[5].read_only_at.map(|l| source.slice(l.span)),
        Some("true")
    );
}

#[test]
fn environment_labels_and_env_files_in_both_forms() {
    let (source, file) = parse("environment.yml", &Environment::new());
    let model = file.model();
    assert!(model.errors.is_empty(), "{:?}", model.errors);
    let odoo = service(&model.services, "odoo");
    let env: Vec<_> = odoo
        .environment
        .iter()
        .map(|kv| {
            (
                kv.key.value.as_str(),
                kv.value.as_ref().map(|v| v.value.as_str()),
                kv.form,
            )
        })
        .collect();
    assert_eq!(
        env,
        [
            ("HOST", Some("db"), ListForm::Short),
            (
                "PASSWORD",
                Some("${ODOO_DB_PASSWORD:?the database password is required}"),
                ListForm::Short
            ),
            ("DEBUG", None, ListForm::Short),
            ("EMPTY", Some(""), ListForm::Short),
        ]
    );
    let host = &odoo.environment[0];
    assert_eq!(source.slice(host.key.loc.span), "HOST");
    assert_eq!(
        source.slice(host.value.as_ref().expect("value").loc.span),
        "db"
    );
    let password = odoo.environment[1].value.as_ref().expect("password");
    assert!(password.refs[0].is_missing_required());
    assert_eq!(
        password.refs[0].argument.as_deref(),
        Some("the database password is required")
    );
    let files: Vec<_> = odoo
        .env_file
        .iter()
        .map(|f| (f.path.value.as_str(), f.required, f.form))
        .collect();
    assert_eq!(
        files,
        [
            (".env.odoo", true, ListForm::Short),
            ("./override.env", false, ListForm::Long)
        ]
    );
    let labels: Vec<_> = odoo
        .labels
        .iter()
        .map(|kv| {
            (
                kv.key.value.as_str(),
                kv.value.as_ref().map(|v| v.value.as_str()),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("com.example.role", Some("erp")),
            ("traefik.enable", Some("false"))
        ]
    );

    let worker = service(&model.services, "worker");
    assert_eq!(worker.env_file.len(), 1);
    let unset = worker.env("UNSET").expect("UNSET");
    assert!(unset.value.is_none());
    let flag = worker
        .env("FLAG")
        .and_then(|kv| kv.value.as_ref())
        .expect("FLAG");
    assert_eq!(
        (flag.value.as_str(), flag.kind, flag.style),
        (
            "true",
            ipai::formats::compose::ScalarKind::Bool,
            ScalarStyle::Plain
        )
    );
    let quoted = worker
        .env("QUOTED")
        .and_then(|kv| kv.value.as_ref())
        .expect("QUOTED");
    assert_eq!(quoted.style, ScalarStyle::DoubleQuoted);
}

#[test]
fn yaml_errors_and_duplicate_keys_are_syntax_errors_with_spans() {
    let (source, file) = parse("syntax-error.yml", &Environment::new());
    assert!(file.root.is_none());
    assert_eq!(file.errors.len(), 1);
    assert!(file.errors[0].message.starts_with("invalid YAML"));
    assert_eq!(line_of(&source, file.errors[0].span), 5);

    let (source, file) = parse("duplicate-key.yml", &Environment::new());
    assert_eq!(file.errors.len(), 1);
    assert_eq!(line_of(&source, file.errors[0].span), 5);
    assert!(file.errors[0]
        .message
        .contains("\"image\" already defined at line 3"));
    // The first value stays, so the rest of the file is still linted.
    let model = file.model();
    assert_eq!(
        service(&model.services, "odoo")
            .image
            .as_ref()
            .map(|i| i.text.value.as_str()),
        Some("odoo:17.0")
    );
}

#[test]
fn extends_in_the_same_file_and_another_file() {
    let project = load_file("extends/compose.yaml");
    let model = &project.model;
    let prod = service(&model.services, "odoo-prod");
    assert_eq!(
        prod.image.as_ref().map(|i| i.text.value.as_str()),
        Some("odoo:18.0")
    );
    let env: Vec<_> = prod
        .environment
        .iter()
        .map(|kv| {
            (
                kv.key.value.as_str(),
                kv.value.as_ref().map(|v| v.value.as_str()),
            )
        })
        .collect();
    assert_eq!(
        env,
        [("LOG_LEVEL", Some("warn")), ("PROXY_MODE", Some("True"))]
    );
    assert_eq!(prod.ports.len(), 1);
    assert!(prod.extends.is_none(), "resolved in the project");

    let worker = service(&model.services, "odoo-worker");
    let common = project
        .files
        .iter()
        .position(|f| f.role == FileRole::Extended)
        .expect("common.yaml read");
    assert_eq!(project.files[common].source.name, "common.yaml");
    assert_eq!(worker.volumes[0].loc.file, FileId(common as u32));
    match &worker.command {
        Some(ipai::formats::compose::Command::List { items, .. }) => {
            assert_eq!(values(items), ["odoo", "--workers=2"])
        }
        other => panic!("command {other:?}"),
    }

    let messages: Vec<_> = project
        .errors
        .iter()
        .map(|e| e.error.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("circular"));
    assert!(messages[1].contains("\"nothing-here\", which is not defined"));

    // The file on its own still shows `extends` as written.
    let own = project.files[0].compose.as_ref().expect("parsed").model();
    assert_eq!(
        service(&own.services, "odoo-prod")
            .extends
            .as_ref()
            .map(|e| e.service.value.as_str()),
        Some("odoo-base")
    );
}

#[test]
fn include_imports_projects_with_their_own_dot_env() {
    let project = load_file("include/compose.yaml");
    assert!(project.errors.is_empty(), "{:?}", project.errors);
    let names: Vec<_> = project
        .model
        .services
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["odoo", "db", "cache"]);
    let db = service(&project.model.services, "db");
    let image = &db.image.as_ref().expect("image").text;
    assert_eq!(image.value, "postgres:16-alpine");
    assert_eq!(
        project.source(image.loc.file).map(|s| s.name.as_str()),
        Some("db/compose.yaml")
    );
    assert_eq!(project.model.volumes[0].name.value, "dbdata");
    assert!(project.model.include.is_empty());

    let cycle = load_file("include-cycle/compose.yaml");
    assert_eq!(cycle.errors.len(), 1);
    assert!(cycle.errors[0].error.message.contains("cycle"));

    let conflict = load_file("include-conflict/compose.yaml");
    assert_eq!(conflict.errors.len(), 1);
    assert!(conflict.errors[0]
        .error
        .message
        .contains("services.odoo conflicts"));
}

#[test]
fn spans_are_bytes_after_the_bom_with_crlf_and_multibyte_text() {
    let bytes = "\u{feff}# café\r\nservices:\r\n  wéb:\r\n    image: \"nginx:1.27\" # é\r\n    ports: [\"8080:80\"]\r\n".as_bytes();
    let source = SourceFile::from_bytes("compose.yaml", "compose.yaml", bytes);
    let file = ComposeFile::parse(&source, FileId(0), &Environment::new());
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let model = file.model();
    let web = &model.services[0];
    assert_eq!(web.name, "wéb");
    assert_eq!(source.slice(web.key.span), "wéb");
    let image = &web.image.as_ref().expect("image").text;
    assert_eq!(source.slice(image.loc.span), "\"nginx:1.27\"");
    let tag = web
        .image
        .as_ref()
        .and_then(|i| i.tag.as_ref())
        .expect("tag");
    assert_eq!(source.slice(tag.loc.span), "1.27");
    let at = source.line_col(tag.loc.span.start());
    assert_eq!((at.line, at.column), (4, 19));
    let published = web.ports[0].published.as_ref().expect("published");
    assert_eq!(source.slice(published.loc.span), "8080");
    let comments: Vec<_> = file.comments.iter().map(|c| source.slice(c.span)).collect();
    assert_eq!(comments, ["# café", "# é"]);
}

#[test]
fn several_documents_in_one_file_merge_in_order() {
    let text =
        "services:\n  web:\n    image: nginx:1.25\n---\nservices:\n  web:\n    image: nginx:1.27\n";
    let source = SourceFile::from_text("compose.yaml", text);
    let file = ComposeFile::parse(&source, FileId(0), &Environment::new());
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let model = file.model();
    assert_eq!(
        model.services[0]
            .image
            .as_ref()
            .map(|i| i.text.value.as_str()),
        Some("nginx:1.27")
    );
}

#[test]
fn invalid_interpolation_is_a_syntax_error_and_keeps_the_text() {
    let text = "services:\n  web:\n    image: \"nginx:${TAG\"\n    environment:\n      A: ${ B}\n";
    let source = SourceFile::from_text("compose.yaml", text);
    let file = ComposeFile::parse(&source, FileId(0), &Environment::new());
    assert_eq!(file.errors.len(), 2, "{:?}", file.errors);
    assert!(file
        .errors
        .iter()
        .all(|e| e.message.starts_with("invalid interpolation format")));
    assert_eq!(source.slice(file.errors[0].span), "${TAG");
    let model = file.model();
    assert_eq!(
        model.services[0]
            .image
            .as_ref()
            .map(|i| i.text.value.as_str()),
        Some("nginx:${TAG")
    );
}

#[test]
fn values_and_keys_of_odd_types_do_not_break_the_model() {
    let text = "services:\n  web:\n    image: [nginx]\n    ports: \"80:80\"\n    environment: 5\n    depends_on: db\n  db: 7\n  ? [a]\n  : x\nvolumes: []\n";
    let source = SourceFile::from_text("compose.yaml", text);
    let file = ComposeFile::parse(&source, FileId(0), &Environment::new());
    assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
    assert!(file.errors[0]
        .message
        .contains("mapping key must be a string"));
    let model = file.model();
    let lines: Vec<_> = model
        .errors
        .iter()
        .map(|e| line_of(&source, e.error.span))
        .collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 10]);
    assert_eq!(model.services.len(), 2);
}

#[test]
fn compose_file_and_profiles_come_from_dot_env() {
    let project = load_project(&LoadOptions {
        project_dir: fixture("compose-file-env"),
        ..LoadOptions::default()
    });
    assert!(project.errors.is_empty(), "{:?}", project.errors);
    let names: Vec<_> = project
        .compose_files()
        .map(|(_, f)| f.source.name.as_str())
        .collect();
    assert_eq!(names, ["base.yaml", "prod.yaml"]);
    assert_eq!(project.active_profiles(), ["dev", "debug"]);
    let enabled: Vec<_> = project
        .model
        .enabled_services(&project.active_profiles())
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(enabled, ["odoo", "mailpit"]);
    let odoo = service(&project.model.services, "odoo");
    // `!override` replaces the list instead of appending to it.
    let hosts: Vec<_> = odoo
        .ports
        .iter()
        .map(|p| p.host_ip.as_ref().map(|h| h.value.clone()))
        .collect();
    assert_eq!(hosts, [Some("127.0.0.1".to_owned())]);
    // A list and a mapping of labels merge by key; the later value wins.
    let labels: Vec<_> = odoo
        .labels
        .iter()
        .map(|kv| {
            (
                kv.key.value.as_str(),
                kv.value.as_ref().map(|v| v.value.as_str()),
                kv.form,
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("tier", Some("erp"), ListForm::Long),
            ("owner", Some("ops"), ListForm::Long)
        ]
    );
    let tier = &odoo.labels[0];
    assert_eq!(
        project.source(tier.loc.file).map(|s| s.name.as_str()),
        Some("prod.yaml")
    );
}

#[test]
fn reset_and_override_tags_stay_on_the_nodes_of_each_file() {
    let text = "services:\n  a:\n    image: x\n    ports: !reset\n    environment: !reset null\n    labels: !override {a: b}\n";
    let source = SourceFile::from_text("compose.yaml", text);
    let file = ComposeFile::parse(&source, FileId(0), &Environment::new());
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let a = file
        .root
        .as_ref()
        .and_then(|r| r.get("services"))
        .and_then(|s| s.get("a"))
        .expect("service a");
    assert!(a
        .get("ports")
        .is_some_and(|p| p.has_tag("!reset") && p.is_null()));
    assert!(a.get("labels").is_some_and(|p| p.has_tag("!override")));
    let project = Project::from_sources(vec![source], None, &LoadOptions::default());
    let a = service(&project.model.services, "a");
    assert!(a.ports.is_empty() && a.environment.is_empty());
    assert_eq!(a.labels.len(), 1);
}
