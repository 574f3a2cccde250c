//! The compose rules in the situations their fixtures cannot hold: secrets that must never
//! reach any output, env files git tracks or ignores, the stack's own list of compose files,
//! and values merged in from anchors.

mod common;

use common::TempDir;
use ipai::engine::Report;
use ipai::finding::Finding;
use ipai::report::{self, Format};

fn findings<'a>(report: &'a Report, code: &str) -> Vec<&'a Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .collect()
}

#[test]
fn secret_values_never_reach_any_output() {
    for (fixture, code, secrets) in [
        (
            "fixtures/rules/DCK010/fires",
            "DCK010",
            &[
                "Sgp1-odoo-2026!",
                "hunter2-local-only",
                "9f3c1d0b7e2a4c6f8e1d3b5a7c9e0f2d",
            ][..],
        ),
        (
            "fixtures/rules/DCK014/fires",
            "DCK014",
            &[
                "Zq8v-sgp1-odoo-2026",
                "Tm4!erp-master-pass",
                "sb-srv-6c1f0e9a2b7d4c3e8f5a1b0d9e7c6a5f",
            ][..],
        ),
    ] {
        let outcome = common::lint_root(&common::repo_path(fixture));
        assert!(
            !findings(&outcome.report, code).is_empty(),
            "{code} fires on {fixture}"
        );
        for format in [Format::Human, Format::Json] {
            let text = report::render(
                format,
                &outcome.report,
                &outcome.workspace,
                &report::RenderOptions::default(),
            );
            for secret in secrets {
                assert!(
                    !text.contains(secret),
                    "{fixture}: {format:?} output shows a secret:\n{text}"
                );
            }
        }
    }
}

/// Runs git in `dir`; `false` when git is not installed (fatal under CI, which installs it).
fn git(dir: &std::path::Path, args: &[&str]) -> bool {
    match std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            true
        }
        Err(err) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "git is required under CI: {err}"
            );
            eprintln!("notice: git not found ({err}); skipping the git cases");
            false
        }
    }
}

const LEAKED_ENV: &str =
    "POSTGRES_PASSWORD=Zq8v-sgp1-odoo-2026\nADMIN_PASSWORD=<odoo_admin_password>\n";

#[test]
fn an_env_file_outside_git_counts_as_exposed_unless_gitignore_ignores_it() {
    let repo = TempDir::new("dck014-plain");
    repo.write("ipai.toml", "");
    repo.write(".env", LEAKED_ENV);
    let outcome = common::lint_root(&repo.0);
    let found = findings(&outcome.report, "DCK014");
    assert_eq!(found.len(), 1, "{}", common::concise(&outcome.report));
    assert!(found[0].message.contains("not ignored by .gitignore"));
    assert!(
        found[0].message.contains("POSTGRES_PASSWORD") && !found[0].message.contains("ADMIN"),
        "the placeholder is not a secret: {}",
        found[0].message
    );

    repo.write(".gitignore", ".env\n");
    let outcome = common::lint_root(&repo.0);
    assert!(findings(&outcome.report, "DCK014").is_empty());
}

#[test]
fn git_decides_what_is_exposed_and_a_tracked_file_stays_exposed_once_ignored() {
    let repo = TempDir::new("dck014-git");
    if !git(&repo.0, &["init", "-q"]) {
        return;
    }
    repo.write(".gitignore", ".env\n");
    repo.write(".env", LEAKED_ENV);
    repo.write(
        "deploy/prod.env",
        "MAILGUN_SIGNING_KEY=key-3f9a0c1e7b5d2a4f\n",
    );
    repo.write(".env.example", "POSTGRES_PASSWORD=<database_password>\n");

    let outcome = common::lint_root(&repo.0);
    let found = findings(&outcome.report, "DCK014");
    assert_eq!(found.len(), 1, "{}", common::concise(&outcome.report));
    assert_eq!(found[0].location.file, "deploy/prod.env");
    assert!(found[0].message.contains("is not ignored by git"));

    // Committed before the .gitignore entry existed: ignored now, but still in the history.
    assert!(git(&repo.0, &["add", "-f", ".env"]));
    let outcome = common::lint_root(&repo.0);
    let tracked: Vec<&Finding> = findings(&outcome.report, "DCK014")
        .into_iter()
        .filter(|f| f.location.file == ".env")
        .collect();
    assert_eq!(tracked.len(), 1, "{}", common::concise(&outcome.report));
    assert!(tracked[0].message.contains("is tracked by git"));
    assert_eq!((tracked[0].start.line, tracked[0].start.column), (1, 1));
}

const STACK_WITH_COMPOSE_FILES: &str = r#"version: 1
domain: insightpulseai.net
odoo:
  version: "18.0"
nginx:
  version: "1.27"
  service: nginx-prod-v2
firewall:
  allow: [22/tcp, 80/tcp, 443/tcp]
compose:
  files: [deploy/docker-compose.yml, deploy/docker-compose.prod.yml]
  services: [odoo-prod, nginx-prod-v2]
  dev_only: [postgres]
"#;

const BASE: &str = r#"services:
  odoo-prod:
    image: odoo:18.0
    restart: unless-stopped
    expose: ["8069"]
  nginx-prod-v2:
    image: nginx:1.27.3-alpine
    restart: unless-stopped
    ports: ["80:80", "443:443"]
    volumes: ["/etc/letsencrypt:/etc/letsencrypt:ro"]
"#;

const PROD: &str = r#"services:
  odoo-prod:
    ports:
      - "8069:8069"
"#;

const DEV_OVERRIDE: &str = r#"services:
  postgres:
    image: postgres:16.4-alpine
    ports:
      - "5432:5432"
"#;

#[test]
fn the_stacks_compose_files_replace_the_default_project_of_their_directory() {
    let repo = TempDir::new("compose-files");
    repo.write("deploy/docker-compose.yml", BASE);
    repo.write("deploy/docker-compose.prod.yml", PROD);
    repo.write("deploy/docker-compose.override.yml", DEV_OVERRIDE);

    // Without the list, `docker compose` in deploy/ merges the override; the prod file,
    // which only adjusts the base's services, is its own project on top of the base, run
    // with `-f`. Beside it, the override is the developers': its port is not judged.
    repo.write("ipai.toml", "");
    let outcome = common::lint_root(&repo.0);
    let projects: Vec<Vec<String>> = outcome
        .workspace
        .compose
        .iter()
        .map(|p| {
            p.compose_files()
                .map(|(_, f)| f.source.name.clone())
                .collect()
        })
        .collect();
    assert_eq!(
        projects,
        [
            [
                "deploy/docker-compose.yml",
                "deploy/docker-compose.override.yml"
            ],
            [
                "deploy/docker-compose.yml",
                "deploy/docker-compose.prod.yml"
            ]
        ]
    );
    let ports = findings(&outcome.report, "DCK008");
    assert_eq!(ports.len(), 1, "{}", common::concise(&outcome.report));
    assert_eq!(ports[0].location.file, "deploy/docker-compose.prod.yml");

    repo.write("stack.yaml", STACK_WITH_COMPOSE_FILES);
    let outcome = common::lint_root(&repo.0);
    assert_eq!(outcome.workspace.compose.len(), 1);
    let files: Vec<&str> = outcome.workspace.compose[0]
        .compose_files()
        .map(|(_, f)| f.source.name.as_str())
        .collect();
    assert_eq!(
        files,
        [
            "deploy/docker-compose.yml",
            "deploy/docker-compose.prod.yml"
        ]
    );
    let ports = findings(&outcome.report, "DCK008");
    assert_eq!(ports.len(), 1, "{}", common::concise(&outcome.report));
    assert_eq!(ports[0].location.file, "deploy/docker-compose.prod.yml");
    assert_eq!(ports[0].start.line, 4);
    assert!(findings(&outcome.report, "DCK001").is_empty());

    // A file the facts name but the repo lacks is reported, not silently skipped.
    repo.write(
        "stack.yaml",
        STACK_WITH_COMPOSE_FILES
            .replace("docker-compose.prod.yml", "docker-compose.production.yml"),
    );
    let outcome = common::lint_root(&repo.0);
    let missing = findings(&outcome.report, "SYN006");
    assert_eq!(missing.len(), 1, "{}", common::concise(&outcome.report));
    assert_eq!(
        missing[0].location.file,
        "deploy/docker-compose.production.yml"
    );
    assert!(
        missing[0].message.contains("compose.files"),
        "{}",
        missing[0].message
    );
}

#[test]
fn a_value_merged_from_an_anchor_is_reported_where_it_is_used() {
    let repo = TempDir::new("anchor");
    repo.write("ipai.toml", "");
    repo.write(
        "docker-compose.yml",
        "x-cache: &cache\n  image: redis:alpine\n  restart: unless-stopped\n\nservices:\n  redis:\n    <<: *cache\n  odoo:\n    image: odoo:18.0\n",
    );
    let outcome = common::lint_root(&repo.0);
    let found = findings(&outcome.report, "DCK005");
    assert_eq!(found.len(), 1, "{}", common::concise(&outcome.report));
    assert_eq!(found[0].start.line, 7, "the use site, `<<: *cache`");
    assert_eq!(found[0].related.len(), 1);
    assert_eq!(
        (
            found[0].related[0].start.line,
            found[0].related[0].start.column
        ),
        (2, 16),
        "the tag as written in the anchor"
    );
}
