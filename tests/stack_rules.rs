//! The whole-stack rules (STK004–STK010) on small repos written for each case: where nginx
//! runs, which odoo.conf an environment runs, what a container path is in the repo.

mod common;

use common::TempDir;

/// Facts for a two-environment stack; `nginx_service` says whether nginx runs in compose.
fn stack_yaml(nginx_service: Option<&str>, staging_config: Option<&str>) -> String {
    let nginx = match nginx_service {
        Some(service) => format!("nginx:\n  version: \"1.27\"\n  service: {service}\n"),
        None => "nginx:\n  version: \"1.27\"\n".to_string(),
    };
    let staging_config =
        staging_config.map_or_else(String::new, |c| format!("      config: {c}\n"));
    format!(
        r#"version: 1
domain: example.com
sites:
  - fqdn: erp.example.com
    environment: production
    upstream: odoo-prod
  - fqdn: erp-staging.example.com
    environment: staging
    upstream: odoo-staging
odoo:
  version: "18.0"
  environments:
    - name: production
      config: config/odoo.conf
      service: odoo-prod
      database: {{host: db.example.com, port: 5432, sslmode: require}}
    - name: staging
{staging_config}      service: odoo-staging
      database: {{host: db.example.com, port: 5432, sslmode: require}}
{nginx}"#
    )
}

const PROD_CONF: &str = "[options]\ndb_host = db.example.com\ndb_name = erp\ndbfilter = ^erp$\nlist_db = False\nworkers = 4\n";
const STAGING_CONF: &str =
    "[options]\ndb_host = db.example.com\ndb_name = erp_test\ndbfilter = ^erp_test$\nworkers = 2\n";

fn vhost(fqdn: &str, http: &str, chat: &str) -> String {
    format!(
        "upstream app_{n} {{ server {http}; }}\nupstream chat_{n} {{ server {chat}; }}\n\
         server {{\n    listen 443 ssl;\n    server_name {fqdn};\n\
         \x20   location /websocket {{ proxy_pass http://chat_{n}; }}\n\
         \x20   location / {{ proxy_pass http://app_{n}; }}\n}}\n",
        n = fqdn.split('.').next().unwrap_or("x").replace('-', "_"),
    )
}

/// `file:line:col CODE message` of one rule's findings.
fn findings_of(repo: &TempDir, code: &str) -> Vec<String> {
    let outcome = common::lint_root(&repo.0);
    common::concise(&outcome.report)
        .lines()
        .filter(|l| l.split(' ').nth(1) == Some(code))
        .map(str::to_string)
        .collect()
}

fn two_odoos(repo: &TempDir, prod_extra: &str, staging_extra: &str) {
    repo.write("config/odoo.conf", PROD_CONF);
    repo.write("config/odoo.staging.conf", STAGING_CONF);
    repo.write(
        "deploy/docker-compose.yml",
        format!(
            "services:\n  odoo-prod:\n    image: odoo:18.0\n    volumes:\n      - ../config/odoo.conf:/etc/odoo/odoo.conf:ro\n{prod_extra}\n\
             \x20 odoo-staging:\n    image: odoo:18.0\n    volumes:\n      - ../config/odoo.staging.conf:/etc/odoo/odoo.conf:ro\n{staging_extra}\n"
        ),
    );
}

#[test]
fn nginx_in_compose_cannot_proxy_to_loopback() {
    let repo = TempDir::new("stk-loopback-in-compose");
    repo.write("stack.yaml", stack_yaml(Some("web"), None));
    two_odoos(&repo, "", "");
    let compose = std::fs::read_to_string(repo.0.join("deploy/docker-compose.yml")).unwrap();
    repo.write(
        "deploy/docker-compose.yml",
        compose + "  web:\n    image: nginx:1.27\n    ports: [\"443:443\"]\n",
    );
    repo.write(
        "deploy/nginx/erp.conf",
        vhost("erp.example.com", "127.0.0.1:8069", "odoo-prod:8072"),
    );
    let found = findings_of(&repo, "STK008");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("deploy/nginx/erp.conf:1:27 STK008 nginx runs in the container `web`, where `127.0.0.1` is nginx itself"),
        "{found:?}"
    );
}

#[test]
fn nginx_on_the_host_does_not_resolve_service_names_and_needs_published_ports() {
    let repo = TempDir::new("stk-host-nginx");
    repo.write("stack.yaml", stack_yaml(None, None));
    two_odoos(
        &repo,
        "    ports:\n      - \"127.0.0.1:8069:8069\"\n      - \"10.0.0.5:8072:8072\"\n",
        "",
    );
    repo.write(
        "nginx/erp.conf",
        vhost("erp.example.com", "127.0.0.1:8069", "127.0.0.1:8072"),
    );
    repo.write(
        "nginx/erp-staging.conf",
        vhost(
            "erp-staging.example.com",
            "odoo-staging:8069",
            "127.0.0.1:9072",
        ),
    );
    let found = findings_of(&repo, "STK008");
    assert_eq!(
        found,
        [
            "nginx/erp-staging.conf:1:35 STK008 nginx runs on the host, where the compose name `odoo-staging` does not resolve: only containers on the project's networks know it",
            "nginx/erp-staging.conf:2:46 STK008 nginx runs on the host, and no running compose service publishes port 9072 there: `location /websocket` reaches nothing",
            "nginx/erp.conf:2:38 STK008 nginx runs on the host, and `odoo-prod` publishes port 8072 on 10.0.0.5 only, not on loopback: `location /websocket` reaches nothing",
        ]
    );
}

#[test]
fn upstream_names_must_run_and_share_a_network_with_nginx() {
    let repo = TempDir::new("stk-names");
    repo.write("stack.yaml", stack_yaml(Some("web"), None));
    two_odoos(
        &repo,
        "    networks:\n      backend:\n        aliases: [erp-app]\n",
        "    profiles: [staging]\n",
    );
    let compose = std::fs::read_to_string(repo.0.join("deploy/docker-compose.yml")).unwrap();
    repo.write(
        "deploy/docker-compose.yml",
        compose
            + "  web:\n    image: nginx:1.27\n    networks: [frontend]\n    extra_hosts:\n      - \"legacy=10.0.0.9\"\n\
               networks:\n  frontend:\n  backend:\n",
    );
    repo.write(
        "deploy/nginx/erp.conf",
        vhost("erp.example.com", "erp-app:8069", "legacy:8072"),
    );
    repo.write(
        "deploy/nginx/erp-staging.conf",
        vhost(
            "erp-staging.example.com",
            "odoo-staging:8069",
            "odoo-stagin:8072",
        ),
    );
    let found = findings_of(&repo, "STK004");
    assert_eq!(
        found,
        [
            "deploy/nginx/erp-staging.conf:1:35 STK004 `odoo-staging` runs only with the profile `staging`, which a plain `docker compose up` does not enable",
            "deploy/nginx/erp-staging.conf:2:36 STK004 `odoo-stagin` is not a service, container name or network alias of the compose project `web` runs in",
            "deploy/nginx/erp.conf:1:27 STK004 `odoo-prod` shares no network with `web` (it joins backend; nginx joins frontend)",
        ]
    );
}

#[test]
fn a_published_port_must_reach_a_port_the_container_listens_on() {
    let repo = TempDir::new("stk-host-port");
    repo.write("stack.yaml", stack_yaml(None, None));
    two_odoos(
        &repo,
        "    ports: [\"127.0.0.1:8069:8069\", \"127.0.0.1:8072:8072\"]\n",
        "",
    );
    let compose = std::fs::read_to_string(repo.0.join("deploy/docker-compose.yml")).unwrap();
    repo.write(
        "deploy/docker-compose.yml",
        compose
            + "  n8n:\n    image: n8nio/n8n:1.64.0\n    expose: [\"5678\"]\n    ports: [\"127.0.0.1:5680:5680\"]\n",
    );
    repo.write(
        "nginx/n8n.conf",
        "server {\n    listen 443 ssl;\n    server_name n8n.example.com;\n    location / { proxy_pass http://127.0.0.1:5680; }\n}\n",
    );
    let found = findings_of(&repo, "STK005");
    assert_eq!(
        found,
        ["nginx/n8n.conf:4:46 STK005 nginx proxies to host port 5680 (published by `n8n`), which forwards to container port 5680, but `n8n` listens on 5678 (from `expose`)"]
    );
}

#[test]
fn the_conf_a_service_mounts_decides_its_environment() {
    let repo = TempDir::new("stk-conf-env");
    // The embedded-style facts name no staging config: the mount says which file it is.
    repo.write("stack.yaml", stack_yaml(Some("web"), None));
    two_odoos(&repo, "", "");
    // Staging has no list_db = False: ODOO016 is a production rule and must not fire on it.
    let found = common::concise(&common::lint_root(&repo.0).report);
    assert!(
        !found.contains("config/odoo.staging.conf:1:1 ODOO016"),
        "{found}"
    );
    // The same file unmounted is assumed to be production.
    repo.write("config/odoo.spare.conf", STAGING_CONF);
    let found = common::concise(&common::lint_root(&repo.0).report);
    assert!(
        found.contains("config/odoo.spare.conf:1:1 ODOO016"),
        "{found}"
    );
}

#[test]
fn a_config_mount_that_disagrees_with_the_facts_is_reported() {
    let repo = TempDir::new("stk-conf-mount");
    repo.write(
        "stack.yaml",
        stack_yaml(Some("web"), Some("config/odoo.staging.conf")),
    );
    repo.write("config/odoo.conf", PROD_CONF);
    repo.write("config/odoo.staging.conf", STAGING_CONF);
    repo.write("config/prod.conf", PROD_CONF);
    repo.write(
        "deploy/docker-compose.yml",
        "services:\n  odoo-prod:\n    image: odoo:18.0\n    command: [\"--\", \"-c\", \"/etc/odoo/prod.conf\"]\n    volumes:\n      - ../config:/etc/odoo:ro\n\
         \x20 odoo-staging:\n    image: odoo:18.0\n    volumes:\n      - odoo-staging-data:/var/lib/odoo\n",
    );
    let found = findings_of(&repo, "STK006");
    assert_eq!(
        found,
        [
            "deploy/docker-compose.yml:6:9 STK006 `odoo-prod` mounts `config/prod.conf` at /etc/odoo/prod.conf, but stack.yaml names `config/odoo.conf` as the production environment's odoo.conf",
            "deploy/docker-compose.yml:9:5 STK006 `odoo-staging` mounts nothing (so the image's built-in file) at /etc/odoo/odoo.conf, but stack.yaml names `config/odoo.staging.conf` as the staging environment's odoo.conf",
        ]
    );
}

#[test]
fn addons_path_entries_must_be_folders_of_modules() {
    let repo = TempDir::new("stk-addons");
    repo.write("stack.yaml", stack_yaml(Some("web"), None));
    repo.write(
        "config/odoo.conf",
        "[options]\naddons_path = /mnt/extra-addons/ipai/ipai_theme,\n    /mnt/extra-addons/docs,\n    /mnt/extra-addons/empty,/mnt/extra-addons/ipai,/opt/odoo/addons,\n    /mnt/extra-addons/custom\n",
    );
    repo.write(
        "addons/ipai/ipai_theme/__manifest__.py",
        "{'name': 'Theme', 'license': 'LGPL-3'}\n",
    );
    repo.write("addons/docs/README.md", "Notes about the addons.\n");
    repo.write("addons/docs/images/layout.svg", "<svg/>\n");
    // A placeholder for modules to come, a README only: nothing hidden, Odoo skips it.
    repo.write("addons/custom/README.md", "Put your own modules here.\n");
    std::fs::create_dir_all(repo.0.join("addons/empty")).unwrap();
    repo.write(
        "deploy/docker-compose.yml",
        "services:\n  odoo-prod:\n    image: odoo:18.0\n    volumes:\n      - ../config/odoo.conf:/etc/odoo/odoo.conf:ro\n      - ../addons:/mnt/extra-addons:ro\n",
    );
    let found = findings_of(&repo, "STK007");
    assert_eq!(
        found,
        [
            "config/odoo.conf:2:15 STK007 `/mnt/extra-addons/ipai/ipai_theme` is the module `addons/ipai/ipai_theme` itself, not a folder of modules: Odoo does not see it",
            "config/odoo.conf:3:5 STK007 `/mnt/extra-addons/docs` shows `addons/docs`, which holds no Odoo module (no sub-folder with a `__manifest__.py`)",
        ]
    );
}

#[test]
fn filestores_are_shared_through_one_volume_or_folder_only() {
    let repo = TempDir::new("stk-filestore");
    repo.write("stack.yaml", stack_yaml(Some("web"), None));
    two_odoos(
        &repo,
        "      - ../data:/var/lib/odoo\n",
        "      - ../data/:/var/lib/odoo\n",
    );
    let found = findings_of(&repo, "STK010");
    assert_eq!(
        found,
        ["deploy/docker-compose.yml:12:9 STK010 staging (`odoo-staging`) keeps its data_dir /var/lib/odoo in the repo's `data`, where production (`odoo-prod`) keeps its /var/lib/odoo: they share the filestore"]
    );
    // One volume, but each environment's data_dir in its own folder of it: not shared.
    repo.write(
        "config/odoo.conf",
        format!("{PROD_CONF}data_dir = /var/lib/odoo/prod\n"),
    );
    repo.write(
        "config/odoo.staging.conf",
        format!("{STAGING_CONF}data_dir = /var/lib/odoo/staging\n"),
    );
    assert_eq!(findings_of(&repo, "STK010"), Vec::<String>::new());
}

#[test]
fn databases_are_compared_by_server_and_selection() {
    let repo = TempDir::new("stk-databases");
    repo.write("stack.yaml", stack_yaml(Some("web"), None));
    two_odoos(&repo, "", "");
    assert_eq!(findings_of(&repo, "STK009"), Vec::<String>::new());
    // Staging with no selection on production's server can open production's database.
    repo.write(
        "config/odoo.staging.conf",
        "[options]\ndb_host = DB.example.com\nworkers = 2\n",
    );
    let found = findings_of(&repo, "STK009");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "deploy/docker-compose.yml:10:9 STK009 staging (`odoo-staging`) selects no database"
        ),
        "{found:?}"
    );
    // The same selection on another server is fine.
    repo.write(
        "config/odoo.staging.conf",
        "[options]\ndb_host = staging-db.example.com\ndb_name = erp\nworkers = 2\n",
    );
    assert_eq!(findings_of(&repo, "STK009"), Vec::<String>::new());
    // `-d` on the command line selects the database too.
    repo.write(
        "config/odoo.staging.conf",
        "[options]\ndb_host = db.example.com\n",
    );
    let compose = std::fs::read_to_string(repo.0.join("deploy/docker-compose.yml")).unwrap();
    repo.write(
        "deploy/docker-compose.yml",
        compose + "    command: [\"--\", \"-d\", \"erp\"]\n",
    );
    let found = findings_of(&repo, "STK009");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("both open the database `erp` on db.example.com:5432"),
        "{found:?}"
    );
}
