//! Which files are the deployed stack, and which facts apply, on repos shaped like the
//! public deployment repos of the precision corpus (`corpus/`): another team's repo is
//! judged on its own facts, archives and other applications get syntax checks only, a
//! `docker-compose.prod.yml` is linted, and its environment's templates document it.

mod common;

use common::TempDir;

#[test]
fn another_teams_repo_is_judged_on_its_own_facts() {
    let repo = TempDir::new("own-facts");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:17.0\n    restart: always\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8069/web/health\"]\n",
    );
    repo.write(
        "nginx/erp.conf",
        "server {\n    listen 443 ssl http2;\n    server_name erp.example.org;\n    server_tokens off;\n    ssl_certificate /etc/nginx/certs/erp.pem;\n    ssl_certificate_key /etc/nginx/certs/erp.key;\n    add_header Strict-Transport-Security \"max-age=31536000\" always;\n    location / { proxy_pass http://odoo:8069; }\n}\nserver {\n    listen 80;\n    server_name erp.example.org;\n    return 301 https://$host$request_uri;\n}\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    let all = common::concise(&outcome.report);
    // The InsightPulse facts (its sites, certificates, required services, nginx 1.27) are
    // not this repo's: no finding rests on them.
    for code in [
        "STK001", "NGX001", "TLS001", "DCK001", "DCK013", "NGX009", "DCK006",
    ] {
        assert!(
            !all.contains(code),
            "{code} rests on another stack's facts:\n{all}"
        );
    }
    // Named by the repo, the InsightPulse facts apply again.
    let outcome = common::lint_root(&repo.0);
    assert!(
        common::codes(&outcome, "nginx/erp.conf").contains(&"STK001"),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn archives_and_other_applications_get_syntax_checks_only() {
    let repo = TempDir::new("not-stack");
    let odoo_conf = "[options]\nproxy_mode = False\nadmin_passwd = admin\n";
    repo.write("config/odoo.conf", odoo_conf);
    repo.write(
        "nginx/erp.conf",
        "server {\n    listen 80;\n    server_name erp.example.org;\n    location / { proxy_pass http://127.0.0.1:8069; }\n}\n",
    );
    repo.write("archive/2023/odoo.conf", odoo_conf);
    repo.write(
        "archive/2023/broken.conf",
        "[options]\nworkers = 2\nworkers = 3\n",
    );
    repo.write(
        "monitoring/docker-compose.yml",
        "services:\n  grafana:\n    image: grafana/grafana:latest\n    ports:\n      - \"3000:3000\"\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "config/odoo.conf").contains(&"ODOO001"));
    assert!(common::codes(&outcome, "archive/2023/odoo.conf").is_empty());
    assert!(common::codes(&outcome, "archive/2023/broken.conf").contains(&"SYN002"));
    assert!(
        common::codes(&outcome, "monitoring/docker-compose.yml").is_empty(),
        "{}",
        common::concise(&outcome.report)
    );
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    assert!(scope.contains("under `archive/`"), "{scope}");
    assert!(scope.contains("another application"), "{scope}");

    // stack.yaml says otherwise: its mapping wins.
    repo.write(
        "stack.yaml",
        "version: 1\ndomain: example.org\nodoo:\n  version: \"18.0\"\nscope:\n  - paths: [archive]\n    environment: production\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "archive/2023/odoo.conf").contains(&"ODOO001"));
}

#[test]
fn a_production_compose_file_is_linted_with_its_base_and_templates() {
    let repo = TempDir::new("prod-compose");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    restart: always\n    environment:\n      HOST: ${DB_HOST}\n      TAG: ${TAG:-latest}\n  nginx:\n    image: nginx:1.27\n    restart: always\n    ports:\n      - \"80:80\"\n      - \"443:443\"\n",
    );
    repo.write(
        "docker-compose.prod.yml",
        "services:\n  odoo:\n    ports:\n      - \"8069:8069\"\n    environment:\n      WORKERS: ${ODOO_WORKERS}\n",
    );
    repo.write(".env.example", "DB_HOST=\n");
    repo.write(".env.prod.example", "ODOO_WORKERS=4\n");
    let outcome = common::lint_root_as_found(&repo.0);
    let prod = common::codes(&outcome, "docker-compose.prod.yml");
    // Odoo published on every interface next to the reverse proxy: reachable past it.
    assert!(
        prod.contains(&"DCK008"),
        "{}",
        common::concise(&outcome.report)
    );
    // Every variable is documented by a template, or has a default.
    let all = common::concise(&outcome.report);
    assert!(!all.contains("DCK011"), "{all}");
}

/// The environment `ipai-lint scope` gives a file, and its evidence.
fn scope_line(root: &std::path::Path, file: &str) -> String {
    let scope = ipai::cli::scope(root, ipai::cli::ScopeOutput::Text).expect("scope");
    scope
        .lines()
        .find(|l| l.split_whitespace().next() == Some(file))
        .unwrap_or_else(|| panic!("{file} not in the scope:\n{scope}"))
        .to_string()
}

#[test]
fn per_version_compose_files_beside_the_main_one_are_development() {
    let repo = TempDir::new("version-variants");
    let compose = "services:\n  odoo:\n    image: odoo:18.0\n    ports:\n      - \"8069:8069\"\n";
    repo.write("docker-compose.yml", compose);
    repo.write("docker-compose_17.0.yml", compose.replace("18.0", "17.0"));
    repo.write("docker-compose.odoo16.yml", compose.replace("18.0", "16.0"));
    for variant in ["docker-compose_17.0.yml", "docker-compose.odoo16.yml"] {
        let line = scope_line(&repo.0, variant);
        assert!(line.contains("development"), "{line}");
    }
    assert!(scope_line(&repo.0, "docker-compose.yml").contains("production"));

    // Alone, a versioned file is the stack.
    let alone = TempDir::new("version-alone");
    alone.write("docker-compose_17.0.yml", compose);
    assert!(scope_line(&alone.0, "docker-compose_17.0.yml").contains("production"));
}

#[test]
fn a_header_comment_marks_the_file_and_a_sentence_about_its_content_does_not() {
    let repo = TempDir::new("header");
    let compose = "services:\n  odoo:\n    image: odoo:18.0\n";
    repo.write(
        "docker-compose.yml",
        format!("# Legacy standalone file, kept for old installs.\n{compose}"),
    );
    repo.write(
        "config/odoo.conf",
        "[options]\n; longpolling_port is a deprecated alias in 16: we set gevent_port.\ngevent_port = 8072\n",
    );
    assert!(scope_line(&repo.0, "docker-compose.yml").contains("not-stack"));
    assert!(scope_line(&repo.0, "config/odoo.conf").contains("production"));
}

#[test]
fn a_base_merged_with_a_development_override_is_development_only_when_production_is_elsewhere() {
    // docker-compose.yml + a dev override for `docker compose up`, and a standalone
    // production file: the base is the development stack.
    let repo = TempDir::new("dev-base");
    let base = "services:\n  odoo:\n    image: odoo:18.0\n    ports:\n      - \"8069:8069\"\n";
    repo.write("docker-compose.yml", base);
    repo.write(
        "docker-compose.override.yml",
        "# Local development overrides\nservices:\n  odoo:\n    command: odoo --dev=all\n",
    );
    repo.write("deploy/docker-compose.prod.yml", base);
    assert!(scope_line(&repo.0, "docker-compose.yml").contains("development"));

    // The production file is an override of the same base: the base is production.
    let layered = TempDir::new("prod-override");
    layered.write("docker-compose.yml", base);
    layered.write(
        "docker-compose.override.yml",
        "# Local development overrides\nservices:\n  odoo:\n    command: odoo --dev=all\n",
    );
    layered.write(
        "docker-compose.prod.yml",
        "services:\n  odoo:\n    restart: always\n",
    );
    let line = scope_line(&layered.0, "docker-compose.yml");
    assert!(line.contains("production"), "{line}");
}

#[test]
fn a_config_only_a_development_stack_mounts_is_development() {
    let repo = TempDir::new("mounted-by-dev");
    repo.write(
        "docker-compose.dev.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    volumes:\n      - ./config/dev:/etc/odoo\n",
    );
    repo.write("config/dev/odoo.conf", "[options]\nproxy_mode = False\n");
    // A tool container mounting the whole repo reads no odoo.conf: it does not count.
    repo.write(
        "tools/docker-compose.yml",
        "services:\n  runner:\n    image: python:3.12\n    volumes:\n      - ..:/app\n",
    );
    repo.write("config/prod/odoo.conf", "[options]\nproxy_mode = False\n");
    let line = scope_line(&repo.0, "config/dev/odoo.conf");
    assert!(line.contains("development"), "{line}");
    let line = scope_line(&repo.0, "config/prod/odoo.conf");
    assert!(line.contains("production"), "{line}");
}

#[test]
fn a_locally_built_tool_named_after_odoo_is_another_application() {
    let repo = TempDir::new("odoo-named-tool");
    repo.write(
        "agents/docker-compose.yml",
        "services:\n  odoo-developer-agent:\n    build: .\n    restart: unless-stopped\n    environment:\n      MCP_PORT: \"3001\"\n",
    );
    // Built locally, but with Odoo's port: Odoo.
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo-custom:\n    build: ./odoo\n    ports:\n      - \"127.0.0.1:8069:8069\"\n",
    );
    let line = scope_line(&repo.0, "agents/docker-compose.yml");
    assert!(line.contains("not-stack"), "{line}");
    let line = scope_line(&repo.0, "docker-compose.yml");
    assert!(line.contains("production"), "{line}");
}

#[test]
fn scope_shows_the_topology_with_the_edges_a_finding_sits_on() {
    let repo = TempDir::new("topology-edges");
    repo.write("ipai.toml", "");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    restart: always\n    volumes:\n      - ./config:/etc/odoo\n  nginx:\n    image: nginx:1.27\n    restart: always\n    ports:\n      - \"443:443\"\n    volumes:\n      - ./nginx:/etc/nginx/conf.d:ro\n",
    );
    repo.write(
        "config/odoo.conf",
        "[options]\ndb_host = db.example.net\nproxy_mode = True\n",
    );
    repo.write(
        "nginx/erp.conf",
        "upstream odoo {\n    server odoo:8069;\n}\nupstream chat {\n    server odoo-chat:8072;\n}\nserver {\n    listen 80;\n    server_name erp.example.org;\n    location / { proxy_pass http://odoo; }\n    location /websocket { proxy_pass http://chat; }\n}\n",
    );
    let root = repo.0.to_str().unwrap();
    let json = ipai::cli::scope(std::path::Path::new(root), ipai::cli::ScopeOutput::Json)
        .expect("scope runs");
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let edges = value["edges"].as_array().expect("edges");
    let edge = |kind: &str, to: &str| {
        edges
            .iter()
            .find(|e| e["kind"] == kind && e["to"].as_str().unwrap_or("").starts_with(to))
            .unwrap_or_else(|| panic!("no `{kind}` edge to {to}: {json}"))
    };
    let proxied = edge("proxies to", "service odoo (docker-compose.yml)");
    assert_eq!(proxied["file"], "nginx/erp.conf");
    assert_eq!(proxied["line"], 2);
    assert_eq!(proxied["broken"], false, "{json}");
    // `odoo-chat` is no service of the project nginx runs in: STK004 sits on that line.
    let dangling = edge("proxies to", "odoo-chat:8072");
    assert_eq!(dangling["line"], 5);
    assert_eq!(dangling["broken"], true, "{json}");
    let reads = edge("reads", "config/odoo.conf");
    assert_eq!(reads["from"], "service odoo (docker-compose.yml)");
    let db = edge("connects to", "database db.example.net");
    assert_eq!(db["file"], "config/odoo.conf");

    let mermaid = ipai::cli::scope(std::path::Path::new(root), ipai::cli::ScopeOutput::Mermaid)
        .expect("scope runs");
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(mermaid.contains("stroke:red"), "{mermaid}");
    let dot = ipai::cli::scope(std::path::Path::new(root), ipai::cli::ScopeOutput::Dot)
        .expect("scope runs");
    assert!(dot.starts_with("digraph topology {"), "{dot}");
    assert_eq!(dot.matches(" -> ").count(), edges.len(), "{dot}");
    assert!(dot.contains("color=red"), "{dot}");
}
