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

    // Without the mount, the snippet is not where nginx looks: the headers are not known
    // to be sent, and the location is judged without them.
    repo.write(
        "docker-compose.yml",
        compose.replace("      - ./nginx/snippets:/etc/nginx/snippets:ro\n", ""),
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

    // `odoo:latest` names no series: what holds in all of 16.0–19.0 is still said, and
    // says so.
    repo.write("docker-compose.yml", compose("odoo:latest"));
    let outcome = common::lint_root_as_found(&repo.0);
    let retired: Vec<_> = outcome
        .report
        .findings
        .iter()
        .filter(|f| f.rule.code == "ODOO007")
        .collect();
    assert!(
        retired
            .iter()
            .all(|f| f.message.contains("holds in 16.0–19.0")),
        "{}",
        common::concise(&outcome.report)
    );
    assert!(
        retired.iter().any(|f| f.message.contains("xmlrpc_port")),
        "{}",
        common::concise(&outcome.report)
    );
}
