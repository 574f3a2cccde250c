//! How the files connect when no stack.yaml says so, as on the public repos of the
//! precision corpus (`corpus/`): a vhost is in front of Odoo when its `proxy_pass` reaches
//! Odoo's port or an Odoo compose service, an `include` by container path is followed
//! through the proxy service's bind mount, and what rests on the Odoo series waits for the
//! series to be known.

mod common;

use common::TempDir;

/// A host nginx vhost in front of an Odoo container published on 127.0.0.1:8069.
const HOST_VHOST: &str = "server {
    listen 443 ssl;
    server_name erp.example.org;
    ssl_certificate /etc/letsencrypt/live/erp.example.org/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/erp.example.org/privkey.pem;
    location /longpolling { proxy_pass http://127.0.0.1:8072; }
    location / { proxy_pass http://127.0.0.1:8069; }
}
";

fn odoo_compose(image: &str) -> String {
    format!(
        "services:\n  odoo:\n    image: {image}\n    restart: unless-stopped\n    ports:\n      - \"127.0.0.1:8069:8069\"\n      - \"127.0.0.1:8072:8072\"\n"
    )
}

#[test]
fn a_vhost_reaching_odoo_s_port_is_in_front_of_odoo() {
    let repo = TempDir::new("topology-port");
    repo.write("docker-compose.yml", odoo_compose("odoo:17.0"));
    repo.write("nginx/erp.conf", HOST_VHOST);
    let outcome = common::lint_root_as_found(&repo.0);
    let vhost = common::codes(&outcome, "nginx/erp.conf");
    // Odoo 17 (from the image tag) serves /websocket, not /longpolling.
    assert!(
        vhost.contains(&"NGX007"),
        "{}",
        common::concise(&outcome.report)
    );
    // The Odoo-only checks run on it: no X-Forwarded-* headers are sent.
    assert!(vhost.contains(&"NGX008"), "{vhost:?}");
}

#[test]
fn with_the_odoo_series_unknown_nothing_rests_on_it() {
    let repo = TempDir::new("topology-latest");
    repo.write("docker-compose.yml", odoo_compose("odoo:latest"));
    repo.write("nginx/erp.conf", HOST_VHOST);
    let outcome = common::lint_root_as_found(&repo.0);
    let vhost = common::codes(&outcome, "nginx/erp.conf");
    assert!(!vhost.contains(&"NGX007"), "{vhost:?}");
}

/// An odoo.conf mounted where the official image reads it.
fn odoo_with_conf(image: &str) -> String {
    format!(
        "services:\n  odoo:\n    image: {image}\n    restart: unless-stopped\n    volumes:\n      - ./config:/etc/odoo:ro\n"
    )
}

#[test]
fn odoo_latest_is_judged_as_the_series_it_pulls_today() {
    let repo = TempDir::new("topology-latest-conf");
    // `geoip_database` is an option in 16.0, an alias of geoip_city_db in 18.0 and no option
    // in 17.0 or 19.0;
    // `logrotate` is no option in any of them; the geoip line at 16.0's saved default is a
    // leftover of an older `odoo --save` that changes nothing.
    repo.write(
        "config/odoo.conf",
        "[options]\nlogrotate = True\ngeoip_database = /srv/geo/City.mmdb\ndemo = {}\n",
    );
    for image in ["odoo:latest", "odoo"] {
        repo.write("docker-compose.yml", odoo_with_conf(image));
        let outcome = common::lint_root_as_found(&repo.0);
        let text = common::concise(&outcome.report);
        let conf: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("config/odoo.conf"))
            .collect();
        // Docker Hub's moving tag has pulled 19.0 or later since September 2025.
        assert!(
            conf.iter()
                .any(|l| l.contains(":2:1 ODOO006") && l.contains("19.0 or later")),
            "{image}: {text}"
        );
        assert!(
            conf.iter()
                .any(|l| l.contains(":3:1 ODOO007") && l.contains("does nothing in Odoo 19.0")),
            "{image}: {text}"
        );
        assert!(!conf.iter().any(|l| l.contains(":4:1 ")), "{image}: {text}");
    }

    // A pinned series is judged as itself: 18.0 still reads the alias.
    repo.write("docker-compose.yml", odoo_with_conf("odoo:18.0"));
    let outcome = common::lint_root_as_found(&repo.0);
    let text = common::concise(&outcome.report);
    assert!(
        text.lines()
            .any(|l| l.contains("odoo.conf:3:1 ODOO007") && l.contains("deprecated alias")),
        "{text}"
    );

    // A built image whose base ipai cannot read: only what holds in every series is said
    // (16.0 reads `geoip_database`).
    repo.write("docker-compose.yml", BUILT_ODOO_WITH_CONF);
    repo.write("image/Dockerfile", "FROM registry.example.org/erp/base:2\n");
    let outcome = common::lint_root_as_found(&repo.0);
    let text = common::concise(&outcome.report);
    assert!(
        !text
            .lines()
            .any(|l| l.contains("odoo.conf:3:1 ODOO007") && l.contains("does nothing")),
        "{text}"
    );
}

#[test]
fn an_odoo_conf_the_image_copies_in_is_run_by_that_service() {
    let repo = TempDir::new("topology-baked-conf");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    build: ./odoo\n    restart: unless-stopped\n",
    );
    // The last stage is the image; `longpolling_port` is gone from 18.0.
    repo.write(
        "odoo/Dockerfile",
        "FROM python:3.12 AS tools\nCOPY old.conf /etc/odoo/odoo.conf\n\nFROM odoo:18.0\nCOPY --chown=odoo:odoo \\\n    config/odoo.conf /etc/odoo/odoo.conf\n",
    );
    repo.write(
        "odoo/config/odoo.conf",
        "[options]\nlongpolling_port = 8072\n",
    );
    repo.write("odoo/old.conf", "[options]\nlongpolling_port = 8072\n");
    let outcome = common::lint_root_as_found(&repo.0);
    let text = common::concise(&outcome.report);
    assert!(
        text.lines()
            .any(|l| l.starts_with("odoo/config/odoo.conf:2:1 ODOO007")
                && l.contains("does nothing in Odoo 18.0")),
        "{text}"
    );

    // A mount over the path hides what the image holds there: the copy runs nowhere, and
    // with the series unknown only the retirement is said.
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    build: ./odoo\n    restart: unless-stopped\n    volumes:\n      - odoo-etc:/etc/odoo\nvolumes:\n  odoo-etc:\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let text = common::concise(&outcome.report);
    assert!(
        !text
            .lines()
            .any(|l| l.contains("does nothing in Odoo 17.0")),
        "{text}"
    );
}

#[test]
fn a_vhost_proxying_elsewhere_is_not_judged_as_odoo_s() {
    let repo = TempDir::new("topology-other");
    repo.write("docker-compose.yml", odoo_compose("odoo:17.0"));
    repo.write(
        "nginx/grafana.conf",
        "server {\n    listen 80;\n    server_name _;\n    location / { proxy_pass http://127.0.0.1:3000; }\n}\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let vhost = common::codes(&outcome, "nginx/grafana.conf");
    assert!(!vhost.contains(&"NGX008"), "{vhost:?}");
}

#[test]
fn an_include_by_container_path_is_read_through_the_proxy_s_mount() {
    let repo = TempDir::new("topology-include");
    let compose = "services:
  odoo:
    image: odoo:17.0
    restart: unless-stopped
  nginx:
    image: nginx:1.27
    restart: unless-stopped
    ports:
      - \"80:80\"
    volumes:
      - ./nginx/conf.d:/etc/nginx/conf.d:ro
      - ./nginx/snippets:/etc/nginx/snippets:ro
";
    repo.write("docker-compose.yml", compose);
    repo.write(
        "nginx/conf.d/odoo.conf",
        "server {\n    listen 80;\n    server_name _;\n    location / {\n        include /etc/nginx/snippets/proxy.conf;\n        proxy_pass http://odoo:8069;\n    }\n}\n",
    );
    repo.write(
        "nginx/snippets/proxy.conf",
        "proxy_set_header X-Forwarded-Host $host;\nproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\nproxy_set_header X-Forwarded-Proto $scheme;\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let vhost = common::codes(&outcome, "nginx/conf.d/odoo.conf");
    // The headers come from the mounted snippet.
    assert!(
        !vhost.contains(&"NGX008"),
        "{}",
        common::concise(&outcome.report)
    );

    // Without the mount, the snippet is a file on the server that ipai cannot see: it may
    // set the headers, so nothing is said about them.
    let unmounted = compose.replace("      - ./nginx/snippets:/etc/nginx/snippets:ro\n", "");
    repo.write("docker-compose.yml", &unmounted);
    let outcome = common::lint_root_as_found(&repo.0);
    let vhost = common::codes(&outcome, "nginx/conf.d/odoo.conf");
    assert!(
        !vhost.contains(&"NGX008") && !vhost.contains(&"NGX005"),
        "{}",
        common::concise(&outcome.report)
    );

    // A stock file (mime.types) sets no header: the location is judged as written.
    repo.write(
        "nginx/conf.d/odoo.conf",
        "server {\n    listen 80;\n    server_name _;\n    include /etc/nginx/mime.types;\n    location / {\n        proxy_pass http://odoo:8069;\n    }\n}\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let vhost = common::codes(&outcome, "nginx/conf.d/odoo.conf");
    assert!(
        vhost.contains(&"NGX008"),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn an_nginx_image_s_version_judges_only_the_configs_its_container_mounts() {
    let repo = TempDir::new("topology-nginx-version");
    repo.write(
        "docker-compose.yml",
        "services:\n  nginx:\n    image: nginx:1.27-alpine\n    restart: unless-stopped\n    volumes:\n      - ./nginx/conf.d:/etc/nginx/conf.d:ro\n",
    );
    let vhost = "server {\n    listen 443 ssl http2;\n    server_name www.example.org;\n    ssl_certificate /etc/nginx/certs/www.pem;\n    ssl_certificate_key /etc/nginx/certs/www.key;\n    location / { return 204; }\n}\n";
    repo.write("nginx/conf.d/www.conf", vhost);
    // A vhost for the host's nginx (installed from the distribution, version unknown).
    repo.write("host/sites-available/www.conf", vhost);
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        common::codes(&outcome, "nginx/conf.d/www.conf").contains(&"NGX009"),
        "{}",
        common::concise(&outcome.report)
    );
    assert!(
        !common::codes(&outcome, "host/sites-available/www.conf").contains(&"NGX009"),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn the_odoo_series_of_a_conf_is_its_readers_image_s_and_unknown_claims_hold_in_every_series() {
    let repo = TempDir::new("topology-series");
    let compose = |image: &str| {
        format!(
            "services:\n  odoo:\n    image: {image}\n    restart: unless-stopped\n    volumes:\n      - ./config:/etc/odoo\n"
        )
    };
    // `xmlrpc_port` is retired in every series; `longpolling_port` is a deprecated alias in
    // 16.0 and gone from 17.0.
    repo.write(
        "config/odoo.conf",
        "[options]\nxmlrpc_port = 8069\nlongpolling_port = 8072\n",
    );
    repo.write("docker-compose.yml", compose("odoo:16.0"));
    let outcome = common::lint_root_as_found(&repo.0);
    let alias = outcome
        .report
        .findings
        .iter()
        .find(|f| f.rule.code == "ODOO007" && f.message.contains("longpolling_port"))
        .unwrap_or_else(|| panic!("{}", common::concise(&outcome.report)));
    assert!(
        alias.message.contains("deprecated alias") && alias.message.contains("16.0"),
        "{}",
        alias.message
    );

    // A built image whose base ipai cannot read names no series: what holds in all of
    // 16.0–19.0 is still said, and says so.
    repo.write("docker-compose.yml", BUILT_ODOO_WITH_CONF);
    repo.write("image/Dockerfile", "FROM registry.example.org/erp/base:2\n");
    let outcome = common::lint_root_as_found(&repo.0);
    let retired: Vec<_> = outcome
        .report
        .findings
        .iter()
        .filter(|f| f.rule.code == "ODOO007")
        .collect();
    // Both still work in some series (`xmlrpc_port` up to 18.0, `longpolling_port` in
    // 16.0–17.0): only that they are retired holds in all, and it is a warning, not the
    // error of an option that does nothing.
    for (key, to) in [
        ("xmlrpc_port", "http_port"),
        ("longpolling_port", "gevent_port"),
    ] {
        let alias = retired
            .iter()
            .find(|f| f.message.contains(key))
            .unwrap_or_else(|| panic!("{}", common::concise(&outcome.report)));
        assert!(
            alias.message.contains("is retired")
                && alias
                    .message
                    .contains(&format!("deprecated alias of `{to}`"))
                && !alias.message.contains("does nothing"),
            "{}",
            alias.message
        );
        assert_eq!(alias.severity, ipai::severity::Severity::Warning);
    }
    // An option no series reads is said to hold in all of them.
    repo.write(
        "config/odoo.conf",
        "[options]\nweb.base.url = https://erp.example.org\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let messages = messages(&outcome, "ODOO006");
    assert!(
        messages.iter().any(|m| m.contains("holds in 16.0–19.0")),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn an_unset_without_demo_is_judged_only_where_the_series_is_known() {
    let repo = TempDir::new("topology-demo");
    let compose = |image: &str| {
        format!(
            "services:\n  odoo:\n    image: {image}\n    restart: unless-stopped\n    volumes:\n      - ./config:/etc/odoo\n"
        )
    };
    repo.write("config/odoo.conf", "[options]\nworkers = 2\n");
    // 18.0 loads demo data unless told not to.
    repo.write("docker-compose.yml", compose("odoo:18.0"));
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "config/odoo.conf").contains(&"ODOO020"));
    // 19.0's with_demo defaults to none, so with the series unknown nothing is said, nor
    // under `odoo:latest` (19.0 or later)...
    for image in ["latest", "built"] {
        if image == "latest" {
            repo.write("docker-compose.yml", compose("odoo:latest"));
        } else {
            repo.write("docker-compose.yml", BUILT_ODOO_WITH_CONF);
            repo.write("image/Dockerfile", "FROM registry.example.org/erp/base:2\n");
        }
        repo.write("config/odoo.conf", "[options]\nworkers = 2\n");
        let outcome = common::lint_root_as_found(&repo.0);
        assert!(!common::codes(&outcome, "config/odoo.conf").contains(&"ODOO020"));
        // ...unless the file asks for demo data, which every series then loads (19.0
        // renames `without_demo = False` to `with_demo = True`).
        repo.write("config/odoo.conf", "[options]\nwithout_demo = False\n");
        let outcome = common::lint_root_as_found(&repo.0);
        assert!(
            common::codes(&outcome, "config/odoo.conf").contains(&"ODOO020"),
            "{image}: {}",
            common::concise(&outcome.report)
        );
    }
    // 19.0 itself: `with_demo = True` asks for demo data; an unset one does not.
    repo.write("docker-compose.yml", compose("odoo:19.0"));
    repo.write("config/odoo.conf", "[options]\nwith_demo = True\n");
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "config/odoo.conf").contains(&"ODOO020"));
    repo.write("config/odoo.conf", "[options]\nwith_demo = False\n");
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(!common::codes(&outcome, "config/odoo.conf").contains(&"ODOO020"));
}

/// An Odoo service built from `image/Dockerfile`, running `config/odoo.conf`.
const BUILT_ODOO_WITH_CONF: &str = "services:
  odoo:
    build: ./image
    restart: unless-stopped
    ports:
      - \"127.0.0.1:8069:8069\"
    volumes:
      - ./config:/etc/odoo
";

/// An Odoo 17 service publishing 8069 on the loopback, running `config/odoo.conf`.
const ODOO_WITH_CONF: &str = "services:
  odoo:
    image: odoo:17.0
    restart: unless-stopped
    ports:
      - \"127.0.0.1:8069:8069\"
    volumes:
      - ./config:/etc/odoo
";

fn messages(outcome: &ipai::lint::Outcome, code: &str) -> Vec<String> {
    outcome
        .report
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn a_dead_longpolling_location_is_left_to_ngx007() {
    let repo = TempDir::new("topology-dead-longpolling");
    repo.write("docker-compose.yml", odoo_compose("odoo:17.0"));
    repo.write("nginx/erp.conf", HOST_VHOST);
    let outcome = common::lint_root_as_found(&repo.0);
    let headers = messages(&outcome, "NGX008");
    assert!(
        headers.iter().any(|m| m.contains("location /`")),
        "{headers:?}"
    );
    assert!(
        !headers.iter().any(|m| m.contains("/longpolling")),
        "{headers:?}"
    );
    assert!(
        !messages(&outcome, "NGX005")
            .iter()
            .any(|m| m.contains("/longpolling")),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn a_timeout_covering_odoo_s_own_limit_is_enough() {
    let repo = TempDir::new("topology-timeout");
    repo.write("docker-compose.yml", ODOO_WITH_CONF);
    repo.write(
        "config/odoo.conf",
        "[options]\nproxy_mode = True\nworkers = 2\nlimit_time_real = 120\n",
    );
    let vhost = |timeout: &str| {
        format!(
            "server {{\n    listen 80;\n    server_name erp.example.org;\n    location / {{\n        proxy_pass http://127.0.0.1:8069;\n        {timeout}\n    }}\n}}\n"
        )
    };
    repo.write("nginx/erp.conf", vhost("proxy_read_timeout 300s;"));
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        !common::codes(&outcome, "nginx/erp.conf").contains(&"NGX005"),
        "{}",
        common::concise(&outcome.report)
    );
    // nginx's default 60 s cuts requests Odoo still lets run.
    repo.write("nginx/erp.conf", vhost(""));
    let outcome = common::lint_root_as_found(&repo.0);
    let codes = common::codes(&outcome, "nginx/erp.conf");
    assert!(
        codes.contains(&"NGX005") && codes.contains(&"STK003"),
        "{codes:?}"
    );
}

#[test]
fn a_landing_page_passing_a_few_paths_to_odoo_is_not_judged_as_the_web_client() {
    let repo = TempDir::new("topology-landing");
    repo.write("docker-compose.yml", ODOO_WITH_CONF);
    repo.write(
        "config/odoo.conf",
        "[options]\nproxy_mode = True\nworkers = 2\nlist_db = False\n",
    );
    let tls = "    listen 443 ssl;\n    ssl_certificate /etc/nginx/certs/x.pem;\n    ssl_certificate_key /etc/nginx/certs/x.key;\n";
    repo.write(
        "nginx/www.conf",
        format!(
            "server {{\n{tls}    server_name www.example.org;\n    location / {{ root /srv/www; }}\n    location /web/signup {{ proxy_pass http://127.0.0.1:8069; }}\n}}\n"
        ),
    );
    repo.write(
        "nginx/erp.conf",
        format!(
            "server {{\n{tls}    server_name erp.example.org;\n    location / {{ proxy_pass http://127.0.0.1:8069; }}\n}}\n"
        ),
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let landing = common::codes(&outcome, "nginx/www.conf");
    for code in ["NGX004", "NGX006", "NGX013"] {
        assert!(!landing.contains(&code), "{code}: {landing:?}");
    }
    let erp = common::codes(&outcome, "nginx/erp.conf");
    for code in ["NGX004", "NGX006", "NGX013"] {
        assert!(erp.contains(&code), "{code}: {erp:?}");
    }
}

#[test]
fn the_database_manager_is_judged_on_the_configuration_odoo_really_runs() {
    let repo = TempDir::new("topology-list-db");
    let vhost = "server {\n    listen 443 ssl;\n    server_name erp.example.org;\n    ssl_certificate /etc/nginx/certs/x.pem;\n    ssl_certificate_key /etc/nginx/certs/x.key;\n    location / { proxy_pass http://127.0.0.1:8069; }\n}\n";
    repo.write("nginx/erp.conf", vhost);
    // The official image with no odoo.conf of the repo: its default list_db is on.
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:17.0\n    restart: unless-stopped\n    ports:\n      - \"127.0.0.1:8069:8069\"\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "nginx/erp.conf").contains(&"NGX010"));
    // A built image may bake its own configuration: ipai cannot tell.
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    build: ./odoo\n    restart: unless-stopped\n    ports:\n      - \"127.0.0.1:8069:8069\"\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        !common::codes(&outcome, "nginx/erp.conf").contains(&"NGX010"),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn an_option_given_on_odoo_s_command_line_overrides_the_file() {
    let repo = TempDir::new("topology-command-line");
    repo.write("config/odoo.conf", "[options]\nproxy_mode = True\n");
    repo.write("docker-compose.yml", ODOO_WITH_CONF);
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "config/odoo.conf").contains(&"ODOO020"));
    repo.write(
        "docker-compose.yml",
        format!("{ODOO_WITH_CONF}    command: [\"odoo\", \"--without-demo=all\"]\n"),
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        !common::codes(&outcome, "config/odoo.conf").contains(&"ODOO020"),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn a_built_image_s_series_comes_from_its_dockerfile_inside_the_repo() {
    let repo = TempDir::new("topology-dockerfile");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    build: .\n    restart: unless-stopped\n    volumes:\n      - ./config:/etc/odoo\n",
    );
    // Keys an Odoo 15 `odoo --save` writes; no series ipai judges has them.
    repo.write(
        "config/odoo.conf",
        "[options]\ntest_commit = False\nlongpolling_port = 8072\n",
    );
    repo.write("Dockerfile", "FROM odoo:15.0\nUSER root\n");
    let outcome = common::lint_root_as_found(&repo.0);
    let codes = common::codes(&outcome, "config/odoo.conf");
    for code in ["ODOO006", "ODOO007", "ODOO018"] {
        assert!(!codes.contains(&code), "{code}: {codes:?}");
    }

    repo.write(
        "Dockerfile",
        "# syntax=docker/dockerfile:1\nFROM --platform=linux/amd64 odoo:17.0@sha256:0123 AS base\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let retired = messages(&outcome, "ODOO007");
    assert!(
        retired
            .iter()
            .any(|m| m.contains("longpolling_port") && m.contains("17.0")),
        "{}",
        common::concise(&outcome.report)
    );
}

#[cfg(unix)]
#[test]
fn a_dockerfile_outside_the_repo_is_never_read() {
    let outside = TempDir::new("topology-outside");
    outside.write("Dockerfile", "FROM odoo:15.0\n");
    let repo = TempDir::new("topology-escape");
    repo.write("config/odoo.conf", "[options]\ntest_commit = False\n");
    // Through `..` and through a symlink: neither is followed out of the repo, so the
    // series stays unknown and what holds in every series is still said.
    let escape = format!(
        "services:\n  odoo:\n    build: {}\n    volumes:\n      - ./config:/etc/odoo\n  web:\n    build: ./link\n    volumes:\n      - ./config:/etc/odoo\n",
        outside.0.display()
    );
    repo.write("docker-compose.yml", &escape);
    std::os::unix::fs::symlink(&outside.0, repo.0.join("link")).expect("symlink");
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        common::codes(&outcome, "config/odoo.conf").contains(&"ODOO006"),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn a_port_the_host_s_nginx_proxies_to_is_not_to_be_published_on_every_interface() {
    let repo = TempDir::new("topology-host-nginx-port");
    repo.write(
        "nginx/erp.conf",
        "server {\n    listen 80;\n    server_name erp.example.org;\n    location / { proxy_pass http://127.0.0.1:8069; }\n}\n",
    );
    let compose = |ports: &str| {
        format!("services:\n  odoo:\n    image: odoo:17.0\n    restart: unless-stopped\n    ports:\n      - \"{ports}\"\n")
    };
    repo.write("docker-compose.yml", compose("8069:8069"));
    let outcome = common::lint_root_as_found(&repo.0);
    let published = messages(&outcome, "DCK008");
    assert!(
        published.iter().any(|m| m.contains("nginx/erp.conf")),
        "{}",
        common::concise(&outcome.report)
    );
    repo.write("docker-compose.yml", compose("127.0.0.1:8069:8069"));
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(messages(&outcome, "DCK008").is_empty());
}

#[test]
fn the_series_behind_a_vhost_is_the_one_its_odoo_runs() {
    let repo = TempDir::new("topology-series-per-vhost");
    repo.write("docker-compose.yml", odoo_compose("odoo:17.0"));
    // A second, older Odoo elsewhere: the repo as a whole names no one series.
    repo.write(
        "legacy-erp/docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:15.0\n    restart: unless-stopped\n    ports:\n      - \"127.0.0.1:9069:8069\"\n",
    );
    repo.write("nginx/erp.conf", HOST_VHOST);
    let outcome = common::lint_root_as_found(&repo.0);
    let obsolete = messages(&outcome, "NGX007");
    assert!(
        obsolete.iter().any(|m| m.contains("Odoo 17.0")),
        "{}",
        common::concise(&outcome.report)
    );
    assert!(!messages(&outcome, "NGX008")
        .iter()
        .any(|m| m.contains("/longpolling")));

    // Behind the Odoo 15 service, `/longpolling` is alive: nothing is said about it.
    repo.write(
        "nginx/erp.conf",
        HOST_VHOST
            .replace("127.0.0.1:8072", "127.0.0.1:9072")
            .replace("127.0.0.1:8069", "127.0.0.1:9069"),
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(messages(&outcome, "NGX007").is_empty());
}

#[test]
fn a_service_name_resolves_within_the_proxy_s_own_project() {
    let repo = TempDir::new("topology-name-per-project");
    let project = |image: &str| {
        format!(
            "services:\n  odoo:\n    image: {image}\n    restart: unless-stopped\n    volumes:\n      - ./odoo.conf:/etc/odoo/odoo.conf:ro\n  nginx:\n    image: nginx:1.27.3\n    restart: unless-stopped\n    volumes:\n      - ./conf.d:/etc/nginx/conf.d:ro\n"
        )
    };
    repo.write("erp/docker-compose.yml", project("odoo:17.0"));
    repo.write(
        "erp/odoo.conf",
        "[options]\nproxy_mode = True\nworkers = 2\nlimit_time_real = 1200\n",
    );
    repo.write(
        "erp/conf.d/erp.conf",
        "server {\n    listen 80;\n    server_name erp.example.org;\n    location / {\n        proxy_pass http://odoo:8069;\n        proxy_read_timeout 600s;\n    }\n}\n",
    );
    // Another project's `odoo`, with a shorter limit, is on another network.
    repo.write("shop/docker-compose.yml", project("odoo:18.0"));
    repo.write(
        "shop/odoo.conf",
        "[options]\nproxy_mode = True\nworkers = 2\nlimit_time_real = 300\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let timeouts = messages(&outcome, "STK003");
    assert!(
        timeouts.iter().any(|m| m.contains("1200")),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn a_compose_nginx_needs_letsencrypt_only_for_the_vhosts_it_mounts() {
    let repo = TempDir::new("topology-letsencrypt");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    restart: unless-stopped\n  nginx:\n    image: nginx:1.27.3\n    restart: unless-stopped\n    volumes:\n      - ./nginx/conf.d:/etc/nginx/conf.d:ro\n      - ./nginx/ssl:/etc/nginx/ssl:ro\n",
    );
    let vhost = |cert: &str| {
        format!(
            "server {{\n    listen 443 ssl;\n    server_name erp.example.org;\n    ssl_certificate {cert}/fullchain.pem;\n    ssl_certificate_key {cert}/privkey.pem;\n    location / {{ proxy_pass http://odoo:8069; }}\n}}\n"
        )
    };
    repo.write("nginx/conf.d/erp.conf", vhost("/etc/nginx/ssl"));
    // The host's own nginx reads Let's Encrypt: not the container's business.
    repo.write(
        "host/erp.example.org.conf",
        vhost("/etc/letsencrypt/live/erp.example.org"),
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        !common::codes(&outcome, "docker-compose.yml").contains(&"DCK007"),
        "{}",
        common::concise(&outcome.report)
    );
    // Its own vhost reading Let's Encrypt needs the mount.
    repo.write(
        "nginx/conf.d/erp.conf",
        vhost("/etc/letsencrypt/live/erp.example.org"),
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "docker-compose.yml").contains(&"DCK007"));
}

#[test]
fn the_staging_header_convention_is_not_asked_of_a_repo_without_facts() {
    let repo = TempDir::new("topology-staging-header");
    repo.write("docker-compose.yml", odoo_compose("odoo:17.0"));
    repo.write(
        "nginx/staging.example.org.conf",
        HOST_VHOST.replace("erp.example.org", "staging.example.org"),
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        messages(&outcome, "NGX011").is_empty(),
        "{}",
        common::concise(&outcome.report)
    );
}
