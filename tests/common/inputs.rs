//! Generated repos of a given size, one shape each, for the scaling test
//! (`tests/scaling.rs`) and the whole-process benchmark (`benches/whole_process.sh`, through
//! `examples/scale_inputs.rs`). Each shape grows one thing users have many of: vhosts,
//! vhost files, locations in one server, vhosts in one `http` block, compose services, zone records, records at one
//! name, odoo.conf keys, a chain of `.env` interpolations, or files of every kind.

use std::fmt::Write as _;
use std::path::Path;

/// One generated repo: `(repo-relative path, contents)`.
pub type Files = Vec<(String, String)>;

/// The shapes, by name, with what their size counts.
pub const SHAPES: &[(&str, &str)] = &[
    (
        "nginx-vhosts",
        "Odoo vhosts (an 80→443 server and a TLS server each) in one conf.d file",
    ),
    (
        "nginx-files",
        "one-vhost files in conf.d, each with an http-level directive",
    ),
    ("nginx-locations", "locations in one server"),
    (
        "nginx-http",
        "Odoo vhosts in the one `http` block of an nginx.conf, inheriting from it",
    ),
    ("compose-services", "services in one compose file"),
    (
        "zone-records",
        "names with an A and a TXT record in one zone",
    ),
    ("zone-one-name", "A records at one name"),
    ("odoo-keys", "unknown keys in one odoo.conf"),
    (
        "env-chain",
        "variables in a .env, each interpolating the one before",
    ),
    (
        "repo-files",
        "files of every kind (vhost, compose, odoo.conf, zone, .env)",
    ),
    (
        "addons-modules",
        "Odoo modules on a deployed addons_path, each depending on the one before and listed in .env",
    ),
];

/// The repo of shape `shape` at size `n`, or `None` for an unknown shape.
pub fn generate(shape: &str, n: usize) -> Option<Files> {
    Some(match shape {
        "nginx-vhosts" => vec![("conf.d/odoo.conf".into(), nginx_vhosts(n))],
        "nginx-files" => (0..n)
            .map(|i| {
                (
                    format!("conf.d/site{i:05}.conf"),
                    format!(
                        "client_max_body_size 64m;\nserver {{ listen 80; server_name s{i}.example.org; return 301 https://$host$request_uri; }}\n"
                    ),
                )
            })
            .collect(),
        "nginx-locations" => vec![("conf.d/odoo.conf".into(), nginx_locations(n))],
        "nginx-http" => vec![(
            "nginx/nginx.conf".into(),
            format!(
                "events {{}}\nhttp {{\n    server_tokens off;\n    proxy_set_header X-Forwarded-Host $host;\n{}}}\n",
                nginx_vhosts(n)
            ),
        )],
        "compose-services" => vec![("docker-compose.yml".into(), compose_services(n))],
        "zone-records" => vec![("dns/example.org.zone".into(), zone_records(n))],
        "zone-one-name" => vec![("dns/example.org.zone".into(), zone_one_name(n))],
        "odoo-keys" => vec![("config/odoo.conf".into(), odoo_keys(n))],
        "env-chain" => env_chain(n),
        "repo-files" => repo_files(n),
        "addons-modules" => addons_modules(n),
        _ => return None,
    })
}

/// Writes `files` under `root`.
pub fn write(root: &Path, files: &Files) -> std::io::Result<u64> {
    let mut bytes = 0;
    for (name, text) in files {
        let path = root.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
        bytes += text.len() as u64;
    }
    Ok(bytes)
}

const ZONE_HEAD: &str = "$ORIGIN example.org.\n$TTL 3600\n@ IN SOA ns1.example.org. hostmaster.example.org. 2026010101 7200 3600 1209600 3600\n@ IN NS ns1.example.org.\nns1 IN A 192.0.2.1\n";

fn nginx_vhosts(n: usize) -> String {
    let mut text = String::from(
        "upstream odoo {\n    server 127.0.0.1:8069;\n}\nupstream odoochat {\n    server 127.0.0.1:8072;\n}\n",
    );
    for i in 0..n {
        let name = format!("t{i}.erp.example.org");
        let _ = write!(
            text,
            r#"
server {{
    listen 80;
    server_name {name};
    return 301 https://$host$request_uri;
}}
server {{
    listen 443 ssl;
    server_name {name};
    ssl_certificate /etc/letsencrypt/live/{name}/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/{name}/privkey.pem;
    proxy_read_timeout 720s;
    proxy_connect_timeout 720s;
    proxy_send_timeout 720s;
    client_max_body_size 100m;
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    location /websocket {{
        proxy_pass http://odoochat;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }}
    location /web/static/ {{
        proxy_pass http://odoo;
        expires 864000;
    }}
    location / {{
        proxy_pass http://odoo;
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_redirect off;
    }}
}}
"#
        );
    }
    text
}

fn nginx_locations(n: usize) -> String {
    let mut text = String::from(
        "upstream odoo {\n    server 127.0.0.1:8069;\n}\nserver {\n    listen 443 ssl;\n    server_name erp.example.org;\n    proxy_set_header X-Forwarded-Host $host;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    proxy_set_header X-Forwarded-Proto $scheme;\n",
    );
    for i in 0..n {
        let _ = writeln!(
            text,
            "    location /app{i}/ {{\n        proxy_pass http://odoo;\n        proxy_read_timeout 720s;\n    }}"
        );
    }
    text.push_str("}\n");
    text
}

fn compose_services(n: usize) -> String {
    let mut text = String::from("services:\n");
    for i in 0..n {
        let _ = write!(
            text,
            "  svc{i}:\n    image: example/app:1.{i}\n    container_name: app{i}\n    restart: unless-stopped\n    ports:\n      - \"127.0.0.1:{port}:8080\"\n    environment:\n      APP_NAME: svc{i}\n",
            port = 10_000 + i
        );
        if i > 0 {
            let _ = write!(text, "    depends_on:\n      - svc{}\n", i - 1);
        }
    }
    text
}

fn zone_records(n: usize) -> String {
    let mut text = String::from(ZONE_HEAD);
    for i in 0..n {
        let _ = writeln!(
            text,
            "host{i} IN A 192.0.{}.{}\nhost{i} IN TXT \"site {i}\"",
            (i / 250) % 250,
            i % 250 + 1
        );
    }
    text
}

fn zone_one_name(n: usize) -> String {
    let mut text = String::from(ZONE_HEAD);
    for i in 0..n {
        let _ = writeln!(
            text,
            "pool IN A 10.{}.{}.{}",
            i >> 16 & 255,
            i >> 8 & 255,
            i & 255
        );
    }
    text
}

fn odoo_keys(n: usize) -> String {
    let mut text = String::from("[options]\nproxy_mode = True\nlist_db = False\n");
    for i in 0..n {
        let _ = writeln!(text, "custom_setting_{i} = {i}");
    }
    text
}

fn env_chain(n: usize) -> Files {
    let mut env = String::from("V0=x\n");
    for i in 1..n {
        let _ = writeln!(env, "V{i}=${{V{}}}", i - 1);
    }
    let compose = format!(
        "services:\n  app:\n    image: example/app:1.0\n    environment:\n      LAST: ${{V{}}}\n",
        n.saturating_sub(1)
    );
    vec![(".env".into(), env), ("docker-compose.yml".into(), compose)]
}

/// `n` files, a fifth of each kind, in a tree of directories of 50 files.
fn repo_files(n: usize) -> Files {
    (0..n)
        .map(|i| {
            let dir = format!("part{:03}", i / 50);
            match i % 5 {
                0 => (
                    format!("{dir}/nginx/site{i}.conf"),
                    format!("server {{\n    listen 80;\n    server_name s{i}.example.org;\n    return 301 https://$host$request_uri;\n}}\n"),
                ),
                1 => (
                    format!("{dir}/c{i}/docker-compose.yml"),
                    format!("services:\n  web{i}:\n    image: example/web:1.{i}\n    restart: always\n"),
                ),
                2 => (
                    format!("{dir}/odoo{i}.conf"),
                    "[options]\nproxy_mode = True\nlist_db = False\nworkers = 4\n".to_string(),
                ),
                3 => (
                    format!("{dir}/db.zone{i}"),
                    format!("{ZONE_HEAD}www{i} IN A 192.0.2.{}\n", i % 250 + 1),
                ),
                _ => (format!("{dir}/app{i}.env"), format!("APP_{i}=value\n")),
            }
        })
        .collect()
}

/// `n` modules in one addons folder that a production Odoo service mounts, each depending on
/// the one before (a chain as deep as the repo is wide), all listed in `.env.example`.
fn addons_modules(n: usize) -> Files {
    let mut files: Files = vec![
        (
            "deploy/docker-compose.yml".into(),
            "services:\n  odoo-prod:\n    image: odoo:18.0\n    volumes:\n      - ../config/odoo.conf:/etc/odoo/odoo.conf:ro\n      - ../addons/own:/mnt/extra-addons/own:ro\n".into(),
        ),
        (
            "config/odoo.conf".into(),
            "[options]\nproxy_mode = True\nworkers = 4\naddons_path = /mnt/extra-addons/own,/usr/lib/python3/dist-packages/odoo/addons\n".into(),
        ),
    ];
    let names: Vec<String> = (0..n).map(|i| format!("own_module_{i:05}")).collect();
    files.push((
        ".env.example".into(),
        format!("ODOO_EE_PARITY_IPAI_MODULES={}\n", names.join(",")),
    ));
    for (i, name) in names.iter().enumerate() {
        let depends = if i == 0 {
            "\"mail\"".to_string()
        } else {
            format!("\"{}\"", names[i - 1])
        };
        files.push((
            format!("addons/own/{name}/__manifest__.py"),
            format!("# -*- coding: utf-8 -*-\n{{\n    \"name\": \"Module {i}\",\n    \"version\": \"18.0.1.0.{i}\",\n    \"license\": \"LGPL-3\",\n    \"depends\": [{depends}],\n    \"data\": [\"views/view_{i}.xml\", \"security/ir.model.access.csv\"],\n    \"installable\": True,\n}}\n"),
        ));
    }
    files
}
