//! How the files of a repo stand beside each other, in the shapes of the precision corpus:
//! an alternative Odoo stack beside the one named production, a vhost copy kept away from
//! the site files, a proxy of another application, a folder its README calls local
//! development, overlays one folder below their base, and a compose file under a name
//! Compose does not pick by default. Each case has its twin where the evidence is absent.

mod common;

use common::TempDir;

const ODOO_SERVICE: &str =
    "services:\n  odoo:\n    image: odoo:18.0\n    ports:\n      - \"8069:8069\"\n";

fn scope_line<'s>(scope: &'s str, file: &str) -> &'s str {
    scope
        .lines()
        .find(|l| l.starts_with(file))
        .unwrap_or_else(|| panic!("{file} not in scope:\n{scope}"))
}

#[test]
fn an_odoo_stack_beside_the_production_file_is_an_alternative() {
    let repo = TempDir::new("alternative-stack");
    repo.write("docker-compose.production.yml", ODOO_SERVICE);
    repo.write("docker-compose.simple.yml", ODOO_SERVICE);
    // Another application's file beside it is not an Odoo stack: left to the content rules.
    repo.write(
        "docker-compose.metrics.yml",
        "services:\n  grafana:\n    image: grafana/grafana:11.0.0\n",
    );
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    let simple = scope_line(&scope, "docker-compose.simple.yml");
    assert!(simple.contains("development"), "{simple}");
    assert!(simple.contains("docker-compose.production.yml"), "{simple}");
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        !common::codes(&outcome, "docker-compose.simple.yml").contains(&"DCK015"),
        "{}",
        common::concise(&outcome.report)
    );
    assert!(common::codes(&outcome, "docker-compose.production.yml").contains(&"DCK015"));

    // Without a file named production, the variant is judged as what may be deployed.
    let repo = TempDir::new("no-production-name");
    repo.write("docker-compose.yml", ODOO_SERVICE);
    repo.write("docker-compose.simple.yml", ODOO_SERVICE);
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    assert!(scope_line(&scope, "docker-compose.simple.yml").contains("production"));
}

#[test]
fn a_proxy_that_waits_only_on_its_own_app_fronts_another_application() {
    let repo = TempDir::new("other-app-proxy");
    repo.write(
        "services/ai/docker-compose.yml",
        "services:\n  ai-hub:\n    image: example/ai-hub:1.2\n  nginx:\n    image: nginx:alpine\n    ports:\n      - \"80:80\"\n    depends_on:\n      - ai-hub\n",
    );
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    let line = scope_line(&scope, "services/ai/docker-compose.yml");
    assert!(
        line.contains("not-stack") && line.contains("`ai-hub`"),
        "{line}"
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "services/ai/docker-compose.yml").is_empty());

    // A proxy waiting on a service its project lacks (an overlay's `depends_on: [odoo]`),
    // or one mounting a config that proxies to Odoo, may front Odoo: still the stack.
    let repo = TempDir::new("proxy-of-odoo");
    repo.write(
        "proxy/docker-compose.yml",
        "services:\n  nginx:\n    image: nginx:alpine\n    depends_on:\n      - certbot\n    volumes:\n      - ./conf.d:/etc/nginx/conf.d:ro\n  certbot:\n    image: certbot/certbot:v2.11.0\n",
    );
    repo.write(
        "proxy/conf.d/erp.conf",
        "server {\n    listen 80;\n    server_name erp.example.org;\n    location / { proxy_pass http://127.0.0.1:8069; }\n}\n",
    );
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    assert!(scope_line(&scope, "proxy/docker-compose.yml").contains("production"));
}

const ERP_VHOST: &str = "server {\n    listen 443 ssl;\n    server_name erp.example.org;\n    ssl_certificate /etc/letsencrypt/live/erp.example.org/fullchain.pem;\n    ssl_certificate_key /etc/letsencrypt/live/erp.example.org/privkey.pem;\n    location / { proxy_pass http://127.0.0.1:8069; }\n}\n";

#[test]
fn a_copy_of_a_site_kept_in_another_folder_is_an_alternative() {
    let repo = TempDir::new("alternative-vhost");
    repo.write("infra/nginx/erp.example.org.conf", ERP_VHOST);
    repo.write("infra/oauth/nginx_oauth.conf", ERP_VHOST);
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    let copy = scope_line(&scope, "infra/oauth/nginx_oauth.conf");
    assert!(copy.contains("not-stack"), "{copy}");
    assert!(copy.contains("infra/nginx/erp.example.org.conf"), "{copy}");
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "infra/oauth/nginx_oauth.conf").is_empty());
    assert!(!common::codes(&outcome, "infra/nginx/erp.example.org.conf").is_empty());

    // Two files of one folder may both be enabled: both are judged.
    let repo = TempDir::new("same-folder-vhosts");
    repo.write("infra/nginx/erp.example.org.conf", ERP_VHOST);
    repo.write("infra/nginx/erp.conf", ERP_VHOST);
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    assert!(scope_line(&scope, "infra/nginx/erp.conf").contains("production"));
}

#[test]
fn a_folder_its_readme_calls_local_development_is_development() {
    let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${PW:-odoo}\n  odoo:\n    image: odoo:19.0\n    ports:\n      - \"8069:8069\"\n";
    let repo = TempDir::new("readme-dev");
    repo.write(
        "runtime/README.md",
        "# Runtime\n\nThe deploy surface is elsewhere. This `runtime/` directory is purely for local development.\n",
    );
    repo.write("runtime/odoo/docker-compose.yml", compose);
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    let line = scope_line(&scope, "runtime/odoo/docker-compose.yml");
    assert!(
        line.contains("development") && line.contains("runtime/README.md"),
        "{line}"
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(!common::codes(&outcome, "runtime/odoo/docker-compose.yml").contains(&"DCK010"));

    // A README that only mentions development in passing says nothing about the folder.
    let repo = TempDir::new("readme-mention");
    repo.write(
        "stack/README.md",
        "# Stack\n\nFor local development, run `make dev`. Production runs this compose file.\n",
    );
    repo.write("stack/docker-compose.yml", compose);
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    assert!(scope_line(&scope, "stack/docker-compose.yml").contains("production"));
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "stack/docker-compose.yml").contains(&"DCK010"));
}

#[test]
fn overlays_one_folder_below_their_base_are_merged_on_it() {
    let repo = TempDir::new("overlay-folder");
    repo.write(
        "env/compose.yaml",
        "services:\n  db:\n    image: postgres:16\n    restart: unless-stopped\n  odoo:\n    image: odoo:19.0\n    restart: unless-stopped\n",
    );
    repo.write(
        "env/compose/prod.yaml",
        "# production overlay\nservices:\n  odoo:\n    environment:\n      PROXY_MODE: \"1\"\n",
    );
    repo.write(
        "env/compose/proxy.yaml",
        "services:\n  proxy:\n    image: nginx:alpine\n    depends_on:\n      - odoo\n",
    );
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    assert!(
        scope.contains("env/compose.yaml + env/compose/prod.yaml"),
        "{scope}"
    );
    assert!(
        scope.contains("env/compose.yaml + env/compose/proxy.yaml"),
        "{scope}"
    );
    let outcome = common::lint_root_as_found(&repo.0);
    // The overlay inherits the base's restart policy: only the proxy lacks one.
    assert!(!common::codes(&outcome, "env/compose/prod.yaml").contains(&"DCK015"));
    assert!(common::codes(&outcome, "env/compose/proxy.yaml").contains(&"DCK005"));

    // A standalone file one folder below a base is its own project.
    let repo = TempDir::new("standalone-below");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:19.0\n",
    );
    repo.write(
        "deploy/odoo.bundle.yml",
        "services:\n  db:\n    image: postgres:16\n  odoo:\n    image: odoo:19.0\n",
    );
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    assert!(scope.contains("\n  deploy/odoo.bundle.yml\n"), "{scope}");
}

#[test]
fn a_compose_file_under_another_name_is_linted() {
    let repo = TempDir::new("bundle-name");
    repo.write(
        "deploy/odoo.bundle.yml",
        "version: \"3.9\"\nservices:\n  odoo:\n    image: odoo:latest\n",
    );
    // A GitLab CI file's `services:` is a list of images, not a compose file.
    repo.write(
        "ci/pipeline.yml",
        "services:\n  - postgres:16\ntest:\n  image: python:3.12\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(
        common::codes(&outcome, "deploy/odoo.bundle.yml").contains(&"DCK005"),
        "{}",
        common::concise(&outcome.report)
    );
    assert!(common::codes(&outcome, "ci/pipeline.yml").is_empty());
}

#[test]
fn a_proxy_behind_a_profile_does_not_put_odoo_behind_a_proxy() {
    let repo = TempDir::new("profile-proxy");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    volumes:\n      - ./odoo.conf:/etc/odoo/odoo.conf:ro\n  proxy:\n    image: nginx:1.27\n    profiles: [proxy]\n",
    );
    repo.write("odoo.conf", "[options]\nproxy_mode = False\n");
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(!common::codes(&outcome, "odoo.conf").contains(&"ODOO001"));
    // Without the profile, the proxy always runs in front of Odoo.
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    volumes:\n      - ./odoo.conf:/etc/odoo/odoo.conf:ro\n  proxy:\n    image: nginx:1.27\n",
    );
    let outcome = common::lint_root_as_found(&repo.0);
    assert!(common::codes(&outcome, "odoo.conf").contains(&"ODOO001"));
}

#[test]
fn a_stack_whose_proxy_serves_only_localhost_is_a_developer_s() {
    let repo = TempDir::new("localhost-stack");
    let compose = "services:\n  odoo:\n    image: odoo:18.0\n    volumes:\n      - ./config:/etc/odoo\n  nginx:\n    image: nginx:1.27\n    ports:\n      - \"80:80\"\n    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n";
    repo.write("docker-compose.yml", compose);
    repo.write("config/odoo.conf", "[options]\nworkers = 2\n");
    let vhost = |name: &str| {
        format!("server {{\n    listen 80;\n    server_name {name};\n    location / {{ proxy_pass http://odoo:8069; }}\n}}\n")
    };
    repo.write("nginx.conf", vhost("localhost"));
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    for file in ["docker-compose.yml", "nginx.conf", "config/odoo.conf"] {
        let line = scope_line(&scope, file);
        assert!(line.contains("development"), "{line}");
    }
    // A real name beside it: the internet reaches it, so it is judged as production.
    repo.write("nginx.conf", vhost("localhost erp.example.org"));
    let scope = ipai::cli::scope(&repo.0, ipai::cli::ScopeOutput::Text).expect("scope");
    let line = scope_line(&scope, "docker-compose.yml");
    assert!(line.contains("production"), "{line}");
}
