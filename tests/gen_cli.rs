//! `ipai-gen` as a user meets it: rendering the embedded snapshot, the warnings that close
//! its gaps, byte-identical output, `--check`, `--diff`, `--write`, hand edits, `--only`,
//! `--templates`, `--nginx-version`, and values that cannot be written.

mod common;

use common::{TempDir, TODAY};
use std::collections::BTreeMap;
use std::path::Path;

/// Runs the `ipai-gen` binary in `cwd`; returns (exit code, stdout, stderr).
fn ipai_gen(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipai-gen"))
        .args(args)
        .current_dir(cwd)
        .env("IPAI_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ipai-gen");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A repo with no stack.yaml: the embedded InsightPulse facts apply.
fn embedded_repo(label: &str) -> TempDir {
    let repo = TempDir::new(label);
    repo.write("ipai.toml", "");
    repo
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let name = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(name, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn the_embedded_snapshot_renders_and_its_gaps_are_warned_about() {
    let repo = embedded_repo("embedded");
    let (code, _, stderr) = ipai_gen(&["--out", "build"], &repo.0);
    assert_eq!(code, 0, "{stderr}");
    for expected in [
        "warning: certificate erp.insightpulseai.net expired on 2026-04-08: the certbot plan renews it",
        "warning: site mcp.insightpulseai.net is covered by no certificate: the certbot plan requests a new certificate mcp.insightpulseai.net",
        "warning: site auth.insightpulseai.net is covered by no certificate",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in\n{stderr}");
    }
    let files = tree(&repo.0.join("build"));
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for expected in [
        "config/odoo.conf",
        "config/odoo.staging.conf",
        "deploy/.env.example",
        "deploy/dns/insightpulseai.net.zone",
        "deploy/docker-compose.dev.yml",
        "deploy/docker-compose.yml",
        "deploy/nginx/00-common.conf",
        "deploy/nginx/auth.insightpulseai.net.conf",
        "deploy/nginx/erp.insightpulseai.net.conf",
        "deploy/nginx/erp.staging.insightpulseai.net.conf",
        "deploy/nginx/insightpulseai.net.conf",
        "deploy/nginx/mcp.insightpulseai.net.conf",
        "deploy/nginx/n8n.insightpulseai.net.conf",
        "deploy/nginx/superset.insightpulseai.net.conf",
        "deploy/nginx/www.insightpulseai.net.conf",
        "docs/CANONICAL_ODOO_STACK_SNAPSHOT.md",
        "scripts/certbot.sh",
        "scripts/verify-stack.sh",
        "stack.yaml",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }

    // The certbot plan closes the gaps: one command a certificate, with its SANs.
    let certbot = read(repo.0.join("build/scripts/certbot.sh"));
    assert!(certbot
        .contains("# erp.insightpulseai.net (letsencrypt.org): renew now: expired on 2026-04-08."));
    for (name, sans) in [
        ("mcp.insightpulseai.net", vec!["mcp.insightpulseai.net"]),
        ("auth.insightpulseai.net", vec!["auth.insightpulseai.net"]),
        (
            "insightpulseai.net",
            vec!["insightpulseai.net", "www.insightpulseai.net"],
        ),
        (
            "erp.insightpulseai.net",
            vec![
                "erp.insightpulseai.net",
                "n8n.insightpulseai.net",
                "superset.insightpulseai.net",
            ],
        ),
    ] {
        let start = certbot
            .find(&format!("--cert-name {name} \\\n"))
            .unwrap_or_else(|| panic!("no command for {name}:\n{certbot}"));
        let command = &certbot[start..certbot[start..].find("--email").unwrap() + start];
        let ds: Vec<&str> = command
            .lines()
            .filter_map(|l| l.trim().strip_prefix("-d "))
            .map(|l| l.trim_end_matches(" \\"))
            .collect();
        assert_eq!(ds, sans, "{name}");
    }
    // Every vhost names a certificate of the plan, and the resolved facts record it.
    let mcp = read(
        repo.0
            .join("build/deploy/nginx/mcp.insightpulseai.net.conf"),
    );
    assert!(mcp.contains("/etc/letsencrypt/live/mcp.insightpulseai.net/fullchain.pem"));
    let stack = ipai::stack::Stack::from_yaml("stack.yaml", &read(repo.0.join("build/stack.yaml")))
        .expect("the resolved facts read back");
    for site in &stack.sites {
        assert!(
            stack.certificates.iter().any(|c| c.covers(&site.fqdn)),
            "{} is covered in the resolved facts",
            site.fqdn
        );
    }
    assert_eq!(
        stack
            .certificate("erp.insightpulseai.net")
            .unwrap()
            .not_after,
        None,
        "the renewed certificate's stale expiry is not carried over"
    );
}

#[test]
fn two_runs_give_identical_bytes_and_a_rerun_writes_nothing() {
    let repo = embedded_repo("identical");
    assert_eq!(ipai_gen(&["--out", "a"], &repo.0).0, 0);
    assert_eq!(ipai_gen(&["--out", "b"], &repo.0).0, 0);
    let a = tree(&repo.0.join("a"));
    let b = tree(&repo.0.join("b"));
    assert_eq!(a.len(), 19);
    assert_eq!(a, b);
    let (code, _, stderr) = ipai_gen(&["--out", "a"], &repo.0);
    assert_eq!(code, 0);
    assert!(stderr.contains("(0 written, 19 unchanged)"), "{stderr}");
}

#[test]
fn check_passes_after_write_and_fails_with_a_diff_when_the_facts_move() {
    let repo = TempDir::new("check");
    repo.write("stack.yaml", ipai::stack::INSIGHTPULSE_YAML);
    let (code, _, stderr) = ipai_gen(&["--write"], &repo.0);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote deploy/nginx/erp.insightpulseai.net.conf"));
    assert!(
        !repo.0.join("stack.yaml.tmp").exists()
            && read(repo.0.join("stack.yaml")) == ipai::stack::INSIGHTPULSE_YAML,
        "--write never rewrites the repo's own stack.yaml"
    );
    let (code, stdout, stderr) = ipai_gen(&["--check"], &repo.0);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");

    // The facts move: the target nginx is now Debian's 1.22.
    repo.write(
        "stack.yaml",
        ipai::stack::INSIGHTPULSE_YAML.replace("version: \"1.27\"", "version: \"1.22\""),
    );
    let (code, stdout, stderr) = ipai_gen(&["--check"], &repo.0);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("--- a/deploy/nginx/erp.insightpulseai.net.conf")
            && stdout.contains("+++ b/deploy/nginx/erp.insightpulseai.net.conf"),
        "{stdout}"
    );
    assert!(stdout.contains("-    http2 on;"), "{stdout}");
    assert!(stdout.contains("+    listen 443 ssl http2;"), "{stdout}");
    assert!(
        stderr.contains("deploy/nginx/erp.insightpulseai.net.conf: out of date"),
        "{stderr}"
    );
    assert!(stderr.contains("run `ipai-gen --write`"), "{stderr}");
}

#[test]
fn a_hand_edited_file_is_named_and_kept_until_forced() {
    let repo = embedded_repo("handedit");
    assert_eq!(ipai_gen(&["--write"], &repo.0).0, 0);
    let conf = repo.0.join("config/odoo.conf");
    let edited = read(&conf).replace("workers = 12", "workers = 4");
    std::fs::write(&conf, &edited).unwrap();

    let (code, stdout, stderr) = ipai_gen(&["--check"], &repo.0);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("config/odoo.conf: edited by hand (its checksum no longer matches)"),
        "{stderr}"
    );
    assert!(stdout.contains("-workers = 4\n+workers = 12"), "{stdout}");

    let (code, _, stderr) = ipai_gen(&["--write"], &repo.0);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("config/odoo.conf: edited by hand"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(read(&conf), edited, "the edit survives");

    let (code, _, stderr) = ipai_gen(&["--write", "--force"], &repo.0);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(&conf).contains("workers = 12"));
    assert_eq!(ipai_gen(&["--check"], &repo.0).0, 0);

    // A file ipai-gen never wrote is not replaced either.
    repo.write("deploy/nginx/n8n.insightpulseai.net.conf", "server {}\n");
    let (code, _, stderr) = ipai_gen(&["--write"], &repo.0);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("n8n.insightpulseai.net.conf: not managed by ipai-gen (no header)"),
        "{stderr}"
    );
}

#[test]
fn diff_shows_what_would_change_and_writes_nothing() {
    let repo = embedded_repo("diff");
    let (code, stdout, _) = ipai_gen(&["--diff"], &repo.0);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("--- /dev/null\n+++ b/config/odoo.conf"),
        "{stdout}"
    );
    assert!(stdout.contains("+proxy_mode = True"), "{stdout}");
    assert!(
        !stdout.contains("b/stack.yaml"),
        "the repo's facts are never rewritten"
    );
    let files = tree(&repo.0);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["ipai.toml"]);
}

#[test]
fn only_and_templates_select_and_override_file_by_file() {
    let repo = embedded_repo("only");
    let (code, _, stderr) = ipai_gen(&["--out", "o", "--only", "odoo,zone"], &repo.0);
    assert_eq!(code, 0, "{stderr}");
    let names: Vec<String> = tree(&repo.0.join("o")).into_keys().collect();
    assert_eq!(
        names,
        [
            "config/odoo.conf",
            "config/odoo.staging.conf",
            "deploy/dns/insightpulseai.net.zone"
        ]
    );

    repo.write(
        "my-templates/odoo.conf.j2",
        "[options]\n; ours\nproxy_mode = True\nworkers = {{ env.workers }}\ndb_host = {{ env.db_host|ini_value }}\ndb_sslmode = require\nlist_db = False\ndb_name = {{ env.db_name|ini_value }}\ndbfilter = {{ env.dbfilter|ini_value }}\nwithout_demo = all\nadmin_passwd =\n",
    );
    let (code, _, stderr) = ipai_gen(
        &[
            "--out",
            "t",
            "--only",
            "odoo",
            "--only",
            "nginx",
            "--templates",
            "my-templates",
        ],
        &repo.0,
    );
    assert_eq!(code, 0, "{stderr}");
    let conf = read(repo.0.join("t/config/odoo.conf"));
    assert!(
        conf.contains("; ours\nproxy_mode = True\nworkers = 12\n"),
        "{conf}"
    );
    assert!(conf.starts_with("; Managed by ipai-gen"), "{conf}");
    let vhost = read(repo.0.join("t/deploy/nginx/erp.insightpulseai.net.conf"));
    assert!(
        vhost.contains("location /websocket"),
        "the embedded vhost still applies"
    );

    // An override that prints a value without a typed filter is refused, with the fix.
    repo.write(
        "bad-templates/odoo.conf.j2",
        "[options]\ndb_host = {{ env.db_host }}\n",
    );
    let (code, _, stderr) = ipai_gen(&["--out", "u", "--templates", "bad-templates"], &repo.0);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("without an escaping filter in a ini template; pipe it through ini_value"),
        "{stderr}"
    );

    let (code, _, stderr) = ipai_gen(&["--write", "--only", "stack"], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("--only stack needs --out"), "{stderr}");
}

#[test]
fn nginx_version_decides_the_http2_syntax() {
    let repo = embedded_repo("version");
    assert_eq!(ipai_gen(&["--out", "new"], &repo.0).0, 0);
    assert_eq!(
        ipai_gen(&["--out", "old", "--nginx-version", "1.22"], &repo.0).0,
        0
    );
    let new = read(repo.0.join("new/deploy/nginx/erp.insightpulseai.net.conf"));
    let old = read(repo.0.join("old/deploy/nginx/erp.insightpulseai.net.conf"));
    assert!(
        new.contains("    listen 443 ssl;\n    http2 on;\n"),
        "{new}"
    );
    assert!(!new.contains("ssl_session_tickets"), "{new}");
    assert!(old.contains("    listen 443 ssl http2;\n"), "{old}");
    assert!(!old.contains("http2 on;"), "{old}");
    assert!(old.contains("ssl_session_tickets off;"), "{old}");
    assert!(
        read(repo.0.join("old/stack.yaml")).contains("\nnginx:\n  version: \"1.22.0\"\n"),
        "the resolved facts record the target"
    );

    let (code, _, stderr) = ipai_gen(&["--out", "x", "--nginx-version", "one"], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("--nginx-version"), "{stderr}");
}

/// Writes `yaml` as the repo's stack.yaml and expects ipai-gen to refuse it at the line
/// holding `marker`, with `message`, writing nothing.
fn refused_at_line(repo: &TempDir, yaml: &str, marker: &str, message: &str) {
    repo.write("stack.yaml", yaml);
    let line = yaml.lines().position(|l| l.contains(marker)).unwrap() + 1;
    let (code, _, stderr) = ipai_gen(&["--out", "build"], &repo.0);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&format!("stack.yaml:{line}:")), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
    assert!(!repo.0.join("build").exists(), "nothing is written");
}

#[test]
fn values_no_format_can_hold_are_refused_at_their_stack_yaml_line() {
    let repo = TempDir::new("unrepresentable");
    refused_at_line(
        &repo,
        &ipai::stack::INSIGHTPULSE_YAML.replacen(
            "host: odoo-db-sgp1-do-user-27714628-0.g.db.ondigitalocean.com",
            "host: \"db.example.net\\n[evil]\"",
            1,
        ),
        "[evil]",
        "cannot go into odoo.conf.j2: an odoo.conf value cannot contain a newline",
    );
    refused_at_line(
        &repo,
        &ipai::stack::INSIGHTPULSE_YAML.replacen(
            "redirect_to: insightpulseai.net",
            "redirect_to: \"x.net; return 200 pwned\"",
            1,
        ),
        "pwned",
        "`x.net; return 200 pwned` cannot go into nginx-redirect-site.conf.j2: a server name cannot contain `;`",
    );
    refused_at_line(
        &repo,
        &ipai::stack::INSIGHTPULSE_YAML.replacen("upstream: n8n", "upstream: \"n8n{\"", 1),
        "n8n{",
        "a server name cannot contain `{`",
    );
    refused_at_line(
        &repo,
        &ipai::stack::INSIGHTPULSE_YAML.replacen("upstream: mcp", "upstream: \"mcp hub\"", 1),
        "mcp hub",
        "a server name cannot contain a space",
    );

    let escaping_layout = format!(
        "{}layout:\n  certbot: ../outside.sh\n",
        ipai::stack::INSIGHTPULSE_YAML
    );
    repo.write("stack.yaml", &escaping_layout);
    let (code, _, stderr) = ipai_gen(&["--out", "build"], &repo.0);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("layout.certbot `../outside.sh`"),
        "{stderr}"
    );
}

#[test]
fn output_that_fails_ipai_lint_is_never_written() {
    let repo = embedded_repo("selflint");
    // A suppression naming no rule is a SYN finding ipai-lint reports today.
    repo.write(
        "t/nginx-common.conf.j2",
        "# ipai-lint: ignore[NGX999] -- a code that does not exist\nserver_tokens off;\n",
    );
    let (code, _, stderr) = ipai_gen(&["--out", "build", "--templates", "t"], &repo.0);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("SYN"), "the findings are shown: {stderr}");
    assert!(stderr.contains("deploy/nginx/00-common.conf"), "{stderr}");
    assert!(
        stderr.contains("fail ipai-lint; nothing was written"),
        "{stderr}"
    );
    assert!(!repo.0.join("build").exists());
}

#[test]
fn write_follows_symlinks_such_as_sites_enabled() {
    let repo = TempDir::new("symlinks");
    repo.write("stack.yaml", ipai::stack::INSIGHTPULSE_YAML);
    assert_eq!(ipai_gen(&["--write"], &repo.0).0, 0);
    let link = repo.0.join("deploy/nginx/erp.insightpulseai.net.conf");
    let real = repo.0.join("sites-available/erp.conf");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::rename(&link, &real).unwrap();
    std::os::unix::fs::symlink("../../sites-available/erp.conf", &link).unwrap();
    assert_eq!(
        ipai_gen(&["--check"], &repo.0).0,
        0,
        "the link is read through"
    );

    repo.write(
        "stack.yaml",
        ipai::stack::INSIGHTPULSE_YAML.replace("version: \"1.27\"", "version: \"1.22\""),
    );
    let (code, _, stderr) = ipai_gen(&["--write"], &repo.0);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&real).contains("listen 443 ssl http2;"));
}

#[test]
fn secrets_are_never_rendered() {
    let repo = embedded_repo("secrets");
    repo.write(
        "deploy/.env",
        "POSTGRES_PASSWORD=hunter2-db\nADMIN_PASSWORD=hunter2-admin\n",
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipai-gen"))
        .args(["--out", "build"])
        .current_dir(&repo.0)
        .env("IPAI_TODAY", TODAY)
        .env("POSTGRES_PASSWORD", "hunter2-env")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    for (name, bytes) in tree(&repo.0.join("build")) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains("hunter2"), "{name} holds a secret");
        assert!(
            !text
                .lines()
                .any(|l| l.trim_start().starts_with("db_password")),
            "{name} sets db_password"
        );
    }
    let conf = read(repo.0.join("build/config/odoo.conf"));
    assert!(conf.contains("\nadmin_passwd =\n"), "{conf}");
    let compose = read(repo.0.join("build/deploy/docker-compose.yml"));
    assert!(compose.contains(
        "POSTGRES_PASSWORD: \"${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in the .env file next to this compose file}\""
    ));
}

#[test]
fn a_mode_is_required() {
    let repo = embedded_repo("usage");
    let (code, _, stderr) = ipai_gen(&[], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("--out"), "{stderr}");
}

#[test]
fn the_layout_in_stack_yaml_moves_the_files_and_the_paths_between_them() {
    let repo = TempDir::new("layout");
    repo.write(
        "stack.yaml",
        format!(
            "{}layout:\n  nginx_dir: nginx/conf.d\n  compose: ops/compose.yaml\n  compose_dev: ops/compose.dev.yaml\n  env_example: ops/.env.example\n  addons: [modules]\n",
            ipai::stack::INSIGHTPULSE_YAML
        ),
    );
    let (code, _, stderr) = ipai_gen(&["--out", "o"], &repo.0);
    assert_eq!(code, 0, "{stderr}");
    let files = tree(&repo.0.join("o"));
    assert!(files.contains_key("nginx/conf.d/erp.insightpulseai.net.conf"));
    assert!(files.contains_key("ops/.env.example"));
    let compose = read(repo.0.join("o/ops/compose.yaml"));
    assert!(
        compose.contains("source: \"../nginx/conf.d\"\n        target: /etc/nginx/conf.d"),
        "{compose}"
    );
    assert!(
        compose.contains("source: \"../config/odoo.conf\""),
        "{compose}"
    );
    assert!(
        compose.contains("source: \"../modules\"\n        target: \"/mnt/extra-addons/modules\""),
        "{compose}"
    );
    let conf = read(repo.0.join("o/config/odoo.conf"));
    assert!(
        conf.contains(
            "addons_path = /mnt/extra-addons/modules,/usr/lib/python3/dist-packages/odoo/addons\n"
        ),
        "{conf}"
    );
    let certbot = read(repo.0.join("o/scripts/certbot.sh"));
    assert!(certbot.contains("compose=ops/compose.yaml\n"), "{certbot}");
    // The output lints clean under its own layout too.
    let outcome = common::lint_root(&repo.0.join("o"));
    assert!(
        outcome.report.findings.is_empty(),
        "{}",
        common::concise(&outcome.report)
    );
}

#[test]
fn out_into_the_repo_itself_never_replaces_its_stack_yaml() {
    let repo = TempDir::new("outself");
    repo.write("stack.yaml", ipai::stack::INSIGHTPULSE_YAML);
    let (code, _, stderr) = ipai_gen(&["--out", ".", "--force"], &repo.0);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        read(repo.0.join("stack.yaml")),
        ipai::stack::INSIGHTPULSE_YAML
    );
    assert!(repo.0.join("config/odoo.conf").exists());
}
