//! nginx parser throughput on an Odoo-shaped configuration.
//!
//! `big_odoo_vhosts` parses 10,000 `server` blocks of the shape measured in
//! research/nginx.md §3.5 (about 11 MB); crossplane 0.5.8 parses that in about 4 s.
//! With `IPAI_NGINX_BIG_OUT=FILE` set, the binary writes that file and exits instead
//! (benches/peers/nginx.sh runs crossplane on the very same bytes).

use divan::counter::BytesCount;
use divan::Bencher;
use ipai::formats::nginx;
use ipai::source::SourceFile;

const SERVERS: usize = 10_000;

/// A full nginx.conf: upstreams, the websocket map, and `servers` Odoo virtual hosts.
fn odoo_vhosts(servers: usize) -> String {
    let mut text = String::with_capacity(servers * 1200 + 512);
    text.push_str(
        "events {\n    worker_connections 1024;\n}\n\nhttp {\n    upstream odoo {\n        server 127.0.0.1:8069;\n    }\n    upstream odoochat {\n        server 127.0.0.1:8072;\n    }\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n",
    );
    for i in 0..servers {
        text.push_str(&format!(
            "
    server {{
        listen 80;
        server_name tenant{i}.erp.example.com;
        proxy_read_timeout 720s;
        proxy_connect_timeout 720s;
        proxy_send_timeout 720s;
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Real-IP $remote_addr;
        add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;
        location /websocket {{
            proxy_pass http://odoochat;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
        location /web/database {{
            deny all;
        }}
        location ~* /web/static/ {{
            expires 864000;
            proxy_pass http://odoo;
        }}
        location / {{
            proxy_redirect off;
            proxy_pass http://odoo;
        }}
        gzip on;
        gzip_types text/css text/plain application/json application/javascript;
    }}
"
        ));
    }
    text.push_str("}\n");
    text
}

const SMALL_VHOST: &str = include_str!("../fixtures/parsers/nginx/valid/odoo-doc-site.conf");

fn main() {
    if let Some(out) = std::env::var_os("IPAI_NGINX_BIG_OUT") {
        let text = odoo_vhosts(SERVERS);
        if let Err(err) = std::fs::write(&out, &text) {
            eprintln!(
                "cannot write {}: {err}",
                std::path::Path::new(&out).display()
            );
            std::process::exit(1);
        }
        println!("{} bytes, {} servers", text.len(), SERVERS);
        return;
    }
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn big_odoo_vhosts(bencher: Bencher) {
    let text = odoo_vhosts(SERVERS);
    bencher
        .counter(BytesCount::of_str(&text))
        .with_inputs(|| SourceFile::from_text("big.conf", text.clone()))
        .bench_values(|source| {
            let file = nginx::parse(source);
            assert!(file.errors.is_empty());
            file
        });
}

#[divan::bench]
fn small_odoo_vhost(bencher: Bencher) {
    bencher
        .counter(BytesCount::of_str(SMALL_VHOST))
        .with_inputs(|| SourceFile::from_text("odoo.conf", SMALL_VHOST))
        .bench_values(nginx::parse);
}
