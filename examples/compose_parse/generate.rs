//! A large, realistic compose file for benchmarks: `services` Odoo services sharing one
//! `x-odoo-common` anchor (merged with `<<`), each with interpolated values, its own port,
//! volume and database, plus a database service.

use std::fmt::Write;

/// The common part of every Odoo service, for the file without anchors (the anchor's
/// `volumes` is left out: each service's own `volumes` wins over it).
const ODOO_COMMON: &str = r#"    image: odoo:${ODOO_TAG:-18.0}
    restart: unless-stopped
    healthcheck:
      test: ["CMD-SHELL", "curl -fsS http://localhost:8069/web/health || exit 1"]
      interval: 30s
      timeout: 10s
      retries: 3
"#;

const ODOO_ENV: &str = r#"      HOST: ${DB_HOST:-db}
      USER: odoo
      PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}
"#;

/// The same services with the common parts written out in each, no anchors: some tools
/// refuse files with many aliases.
pub fn compose_without_anchors(services: usize) -> String {
    let with = compose_with_services(services);
    let mut out = String::new();
    let mut skipping = false;
    for line in with.lines() {
        if line.starts_with("x-odoo-common") {
            skipping = true;
            continue;
        }
        if skipping {
            if line.starts_with("services:") {
                skipping = false;
            } else {
                continue;
            }
        }
        match line.trim() {
            "<<: *odoo-common" => out.push_str(ODOO_COMMON),
            "<<: *odoo-env" => out.push_str(ODOO_ENV),
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

pub fn compose_with_services(services: usize) -> String {
    let mut out = String::from(
        r#"name: odoo-fleet

x-odoo-common: &odoo-common
  image: odoo:${ODOO_TAG:-18.0}
  restart: unless-stopped
  environment: &odoo-env
    HOST: ${DB_HOST:-db}
    USER: odoo
    PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}
  volumes:
    - ./config/odoo.conf:/etc/odoo/odoo.conf:ro
    - ./addons:/mnt/extra-addons:ro
  healthcheck:
    test: ["CMD-SHELL", "curl -fsS http://localhost:8069/web/health || exit 1"]
    interval: 30s
    timeout: 10s
    retries: 3

services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: odoo
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}
    volumes:
      - pgdata:/var/lib/postgresql/data
"#,
    );
    for i in 0..services {
        let _ = write!(
            out,
            r#"
  odoo-{i}:
    <<: *odoo-common
    container_name: odoo-{i}
    environment:
      <<: *odoo-env
      PGDATABASE: odoo_{i}
    ports:
      - "127.0.0.1:{port}:8069"
    volumes:
      - odoo-data-{i}:/var/lib/odoo
    depends_on:
      db:
        condition: service_started
"#,
            port = 10_000 + i
        );
    }
    out.push_str("\nvolumes:\n  pgdata:\n");
    for i in 0..services {
        let _ = writeln!(out, "  odoo-data-{i}:");
    }
    out
}
