//! `ipai-lint init --stack`: the facts and file environments ipai reads from a repo,
//! written as a version 2 stack.yaml that, once used, judges the repo as before.

mod common;

use common::TempDir;

fn corpus_shaped_repo(label: &str) -> TempDir {
    let repo = TempDir::new(label);
    repo.write(
        "docker-compose.prod.yml",
        "services:\n  odoo:\n    image: odoo:17.0\n    ports:\n      - \"8069:8069\"\n    volumes:\n      - ./config/odoo.conf:/etc/odoo/odoo.conf:ro\n",
    );
    repo.write(
        "docker-compose.simple.yml",
        "services:\n  odoo:\n    image: odoo:17.0\n    ports:\n      - \"8070:8069\"\n",
    );
    repo.write(
        "config/odoo.conf",
        "[options]\nproxy_mode = True\nlongpolling_port = 8072\nlist_db = True\n",
    );
    repo.write(
        "nginx/erp.example.org.conf",
        "server {\n    listen 443 ssl http2;\n    server_name erp.example.org;\n    ssl_certificate /etc/letsencrypt/live/erp.example.org/fullchain.pem;\n    ssl_certificate_key /etc/letsencrypt/live/erp.example.org/privkey.pem;\n    location / { proxy_pass http://127.0.0.1:8069; }\n}\n",
    );
    repo
}

fn findings(outcome: &ipai::lint::Outcome) -> Vec<String> {
    let mut all: Vec<String> = outcome
        .report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f.rule.code,
                f.location.file,
                f.location.span.start(),
                f.message
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn the_written_stack_yaml_judges_the_repo_as_before() {
    let repo = corpus_shaped_repo("init-stack");
    let before = findings(&common::lint_root_as_found(&repo.0));
    assert!(!before.is_empty());
    let (code, out, err) = common::ipai_lint(&["init", "--stack", "."], &repo.0);
    assert_eq!(code, 0, "{out}{err}");
    let written = std::fs::read_to_string(repo.0.join("stack.yaml")).expect("stack.yaml");
    assert!(written.contains("version: 2"), "{written}");
    assert!(written.contains("version: '17.0'"), "{written}");
    assert!(written.contains("fqdn: 'erp.example.org'"), "{written}");
    // The alternative stack is mapped, with its evidence as a comment.
    assert!(
        written.contains("paths: ['docker-compose.simple.yml']\n    environment: development  # an alternative Odoo stack"),
        "{written}"
    );
    let after = findings(&common::lint_root_as_found(&repo.0));
    assert_eq!(before, after);

    // Never over an existing file.
    let (code, _, err) = common::ipai_lint(&["init", "--stack", "."], &repo.0);
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(repo.0.join("stack.yaml")).unwrap(),
        written
    );
}

#[test]
fn version_2_leaves_unstated_versions_to_the_repo_and_version_1_does_not() {
    let repo = TempDir::new("stack-v2");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:17.0\n  nginx:\n    image: nginx:1.22.1\n    volumes:\n      - ./nginx:/etc/nginx/conf.d:ro\n",
    );
    repo.write(
        "nginx/erp.conf",
        "server {\n    listen 443 ssl;\n    http2 on;\n    server_name erp.example.org;\n    location / { proxy_pass http://odoo:8069; }\n}\n",
    );
    repo.write("stack.yaml", "version: 2\n");
    let outcome = common::lint_root_as_found(&repo.0);
    // The nginx version comes from the image (1.22.1, before `http2 on;` existed).
    let ngx009: Vec<_> = outcome
        .report
        .findings
        .iter()
        .filter(|f| f.rule.code == "NGX009")
        .collect();
    assert!(
        ngx009.iter().any(|f| f.message.contains("1.22.1")),
        "{}",
        common::concise(&outcome.report)
    );
    // Version 1 states every fact: an unstated Odoo version is an error (exit 2).
    repo.write("stack.yaml", "version: 1\ndomain: example.org\n");
    let (code, _, err) = common::ipai_lint(&["."], &repo.0);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unsupported Odoo version"), "{err}");
}

#[test]
fn the_generator_asks_for_the_versions_a_version_2_file_leaves_out() {
    let repo = TempDir::new("stack-v2-gen");
    repo.write("stack.yaml", "version: 2\ndomain: example.org\n");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipai-gen"))
        .args(["--out", "out"])
        .current_dir(&repo.0)
        .output()
        .expect("run ipai-gen");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("set `odoo.version`"), "{err}");
    assert!(!repo.0.join("out").exists());
}
