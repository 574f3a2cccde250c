//! The command line as a user meets it: exit codes, the JSON contract, `rules`,
//! `explain`, `--print-stack`, and clear errors for unusable input.

mod common;

use common::{ipai_lint, TempDir};

#[test]
fn a_clean_repo_exits_zero_and_says_so() {
    let repo = TempDir::new("clean");
    repo.write("ipai.toml", "");
    repo.write("README.md", "nothing to lint\n");
    let (code, stdout, _) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("0 errors, 0 warnings, 0 infos"), "{stdout}");
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let repo = TempDir::new("missing");
    let (code, _, stderr) = ipai_lint(&["no/such/file.conf"], &repo.0);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no/such/file.conf: no such file or directory"),
        "{stderr}"
    );
}

#[test]
fn an_invalid_stack_yaml_is_a_clear_error_with_its_location() {
    let repo = TempDir::new("badstack");
    repo.write(
        "stack.yaml",
        "version: 1\ndomain: example.net\nodoo:\n  version: \"18.0\"\n  wokers: 4\n",
    );
    let (code, stdout, stderr) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("stack.yaml:5:3:"), "{stderr}");
    assert!(stderr.contains("wokers"), "{stderr}");
    assert!(
        stdout.is_empty(),
        "nothing is linted against invalid facts: {stdout}"
    );

    repo.write(
        "stack.yaml",
        "version: 1\ndomain: example.net\nodoo:\n  version: \"15.0\"\n",
    );
    let (code, _, stderr) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("stack.yaml:4:") && stderr.contains("unsupported Odoo version"),
        "{stderr}"
    );
}

#[test]
fn print_stack_shows_which_facts_apply_without_a_stack_yaml() {
    let repo = TempDir::new("printstack");
    repo.write("ipai.toml", "");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:17.0\n  web:\n    image: nginx:1.22-alpine\n",
    );
    repo.write(
        "nginx/erp.conf",
        "server {\n    listen 80;\n    server_name erp.example.org staging.example.org _;\n}\n",
    );
    // Another stack's repo: its own files state the facts, and nothing else is assumed.
    let (code, stdout, _) = ipai_lint(&["--print-stack"], &repo.0);
    assert_eq!(code, 0);
    assert!(stdout.contains("read from its own files"), "{stdout}");
    assert!(stdout.contains("fqdn: erp.example.org"), "{stdout}");
    assert!(stdout.contains("environment: staging"), "{stdout}");
    assert!(
        stdout.contains("version: '17.0'") || stdout.contains("version: \"17.0\""),
        "{stdout}"
    );
    assert!(stdout.contains("1.22"), "{stdout}");
    assert!(!stdout.contains("178.128.112.214"), "{stdout}");
    assert!(!stdout.contains("cpu_cores"), "{stdout}");

    // Asked for, or named by the repo, the embedded snapshot applies.
    let (_, stdout, _) = ipai_lint(&["--print-stack", "--embedded-facts"], &repo.0);
    assert!(
        stdout.contains("embedded InsightPulse snapshot"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cpu_cores: 6") && stdout.contains("178.128.112.214"),
        "{stdout}"
    );
    repo.write(
        "nginx/erp.conf",
        "server { server_name erp.insightpulseai.net; }\n",
    );
    // The domain alone is not enough: another team may proxy to it, or copy its files.
    let (_, stdout, _) = ipai_lint(&["--print-stack"], &repo.0);
    assert!(
        !stdout.contains("embedded InsightPulse snapshot"),
        "{stdout}"
    );
    // The domain and one of the snapshot's own compose services name the stack.
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo-prod:\n    image: odoo:18.0\n",
    );
    let (_, stdout, _) = ipai_lint(&["--print-stack"], &repo.0);
    assert!(
        stdout.contains("embedded InsightPulse snapshot"),
        "{stdout}"
    );

    repo.write(
        "stack.yaml",
        "version: 1\ndomain: example.net\nodoo:\n  version: \"17.0\"\n",
    );
    let (_, stdout, _) = ipai_lint(&["--print-stack"], &repo.0);
    assert!(
        stdout.contains("domain: example.net") && stdout.contains("17.0"),
        "{stdout}"
    );
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_doc() {
    let repo = TempDir::new("rules");
    let (code, stdout, _) = ipai_lint(&["rules"], &repo.0);
    assert_eq!(code, 0);
    for rule in ipai::engine::all_rules() {
        assert!(
            stdout.contains(rule.meta().code),
            "{} missing from `rules`",
            rule.meta().code
        );
    }
    let (code, stdout, _) = ipai_lint(&["explain", "syn011"], &repo.0);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("# SYN011 unused-suppression"),
        "{stdout}"
    );
    for section in ipai::rule::DOC_SECTIONS {
        assert!(stdout.contains(section), "{section} missing");
    }
    let (code, _, stderr) = ipai_lint(&["explain", "SYN01"], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean"), "{stderr}");
}

#[test]
fn json_output_follows_the_contract() {
    let repo = TempDir::new("json");
    repo.write("ipai.toml", "");
    repo.write(
        "deploy/site.conf",
        b"server {\n    listen 80;\n    add_header X-Owner \"Caf\xe9\";\n}\n",
    );
    let (code, stdout, _) = ipai_lint(&["--format", "json"], &repo.0);
    assert_eq!(
        code, 0,
        "a warning does not fail the default threshold: {stdout}"
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let finding = doc["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "SYN007"))
        .unwrap_or_else(|| panic!("SYN007 expected in {stdout}"));
    assert_eq!(finding["name"], "file-not-utf8");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["file"], "deploy/site.conf");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(3), Some(28))
    );
    let keys: Vec<&str> = finding
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "column",
        "end_column",
        "end_line",
        "file",
        "line",
        "message",
        "name",
        "related",
        "rule",
        "severity",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(
        doc["summary"]["warnings"].as_u64(),
        Some(
            doc["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["severity"] == "warning")
                .count() as u64
        )
    );

    let (code, _, _) = ipai_lint(&["--format", "json", "--fail-on", "warning"], &repo.0);
    assert_eq!(code, 1, "--fail-on warning fails on a warning");
}

#[test]
fn secrets_never_reach_any_output() {
    let fixture = common::repo_path("fixtures/rules/ODOO015/fires");
    let secret = "Tr0ub4dor&3-prod";
    let text = std::fs::read_to_string(fixture.join("config/odoo.conf")).unwrap();
    assert!(
        text.contains(secret),
        "the fixture holds the secret the test looks for"
    );
    for format in ["human", "json"] {
        let (code, stdout, stderr) = ipai_lint(
            &["--root", fixture.to_str().unwrap(), "--format", format],
            &fixture,
        );
        assert_eq!(code, 1, "{stdout}");
        assert!(stdout.contains("ODOO015"), "{format}: {stdout}");
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{format} output leaks the secret:\n{stdout}"
        );
        assert!(
            !stdout.contains("W8n1sN0Y3h1"),
            "{format} output shows the admin_passwd hash:\n{stdout}"
        );
    }
}

#[test]
fn escape_sequences_and_bidi_overrides_from_a_repo_never_reach_the_output() {
    let repo = TempDir::new("escapes");
    // A location path that would erase the previous line of a terminal or CI log and move
    // the cursor up, and a right-to-left override that would reorder what a reader sees.
    repo.write(
        "nginx/site.conf",
        "server {\n    listen 80;\n    server_name erp.example.org;\n    location /\u{1b}[2K\u{1b}[1Afake\u{202e} { proxy_pass http://127.0.0.1:8069; }\n}\n",
    );
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    ports:\n      - \"127.0.0.1:8069:8069\"\n",
    );
    for format in [
        "human", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        let (code, stdout, stderr) = ipai_lint(&["--format", format, "--color", "never"], &repo.0);
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(
            stdout.contains("location /"),
            "{format}: the finding is there\n{stdout}"
        );
        for (what, c) in [("ESC", '\u{1b}'), ("RLO", '\u{202e}')] {
            assert!(
                !stdout.contains(c) && !stderr.contains(c),
                "{format}: a raw {what} reached the output\n{stdout}"
            );
        }
    }
}

#[test]
fn nginx_templates_are_judged_as_what_they_render_and_shown_as_written() {
    let repo = TempDir::new("templates");
    repo.write("ipai.toml", "");
    // Ansible's Jinja: values are opaque, statements blank; the vhost is judged.
    repo.write(
        "ansible/odoo_nginx.conf.j2",
        "server {\n    listen 443 ssl;\n    server_name {{ domain }};\n    server_tokens off;\n{% if hsts %}\n    add_header X-Frame-Options SAMEORIGIN;\n{% endif %}\n    location / {\n        proxy_pass http://127.0.0.1:8069;\n    }\n}\n",
    );
    // A template whose tags render braces does not read as nginx: nothing is said of it.
    repo.write(
        "ansible/sites.conf.j2",
        "{% for site in sites %}\nserver {{ '{' }}\n    listen 80;\n    server_name {{ site }};\n}\n{% endfor %}\n",
    );
    // Not nginx: other templates are not read.
    repo.write("agents/model.py.j2", "class {{ name }}:\n    pass\n");
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert!(
        stdout.contains("ansible/odoo_nginx.conf.j2:3:5: NGX003"),
        "{stdout}"
    );
    assert!(!stdout.contains("sites.conf.j2"), "{stdout}");
    assert!(!stdout.contains("model.py.j2"), "{stdout}");
    let (_, human, _) = ipai_lint(&["--format", "human"], &repo.0);
    assert!(human.contains("server_name {{ domain }};"), "{human}");
    assert!(!human.contains("$_____"), "{human}");
}

#[test]
fn a_committed_compose_secret_file_is_reported_and_its_value_never_printed() {
    let repo = TempDir::new("secretfile");
    repo.write("ipai.toml", "");
    repo.write(
        "docker-compose.yml",
        "services:\n  odoo:\n    image: odoo:18.0\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./db_password.txt\n",
    );
    repo.write("db_password.txt", "Tr0ub4dor-odoo-7731\n");
    for format in [
        "human", "concise", "json", "sarif", "github", "junit", "gitlab",
    ] {
        let (_, stdout, stderr) = ipai_lint(&["--format", format], &repo.0);
        assert!(stdout.contains("DCK014"), "{format}: {stdout}");
        assert!(
            !stdout.contains("Tr0ub4dor") && !stderr.contains("Tr0ub4dor"),
            "{format} printed the secret: {stdout}"
        );
    }
}
