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
    let scope = ipai::cli::scope(&repo.0, false).expect("scope");
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
