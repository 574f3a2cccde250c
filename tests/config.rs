//! Tuning ipai-lint in one file, and adopting it on an old repo: `ipai.toml` (or `lint:` in
//! stack.yaml) found by walking up, `--config`, select/ignore/severity, per-path ignores
//! with a reason, `fail-on`, `ipai-lint init`, and baselines.

mod common;

use common::{ipai_lint, TempDir};

/// A vhost saved in Latin-1 (SYN007, a warning) and an odoo.conf whose suppression has no
/// reason (SYN010, an error).
fn repo_with_a_warning_and_an_error(label: &str) -> TempDir {
    let repo = TempDir::new(label);
    repo.write(
        "deploy/nginx/erp.conf",
        b"server {\n    server_tokens off;\n    listen 80;\n    add_header X-Owner \"Caf\xe9 team\";\n}\n",
    );
    repo.write(
        "config/odoo.conf",
        "[options]\n; ipai-lint: ignore[SYN002]\nworkers = 12\nproxy_mode = True\nlist_db = False\ndbfilter = ^erp$\nwithout_demo = all\nadmin_passwd =\n",
    );
    repo
}

fn codes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.split(": ").nth(1))
        .map(|rest| rest.split(' ').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn ipai_toml_selects_ignores_and_sets_severities() {
    let repo = repo_with_a_warning_and_an_error("select");
    repo.write("ipai.toml", "select = [\"SYN\"]\n");
    let (code, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!(
        (code, codes(&stdout)),
        (1, vec!["SYN010".into(), "SYN007".into()])
    );

    repo.write("ipai.toml", "select = [\"SYN\"]\nignore = [\"SYN01\"]\n");
    let (code, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!(
        (code, codes(&stdout)),
        (0, vec!["SYN007".into()]),
        "a prefix ignores SYN010"
    );

    repo.write(
        "ipai.toml",
        "ignore = [\"SYN010\"]\n\n[severity]\nSYN007 = \"error\"\n",
    );
    let (code, stdout, _) = ipai_lint(&["--format", "json"], &repo.0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["findings"][0]["rule"], "SYN007");
    assert_eq!(doc["findings"][0]["severity"], "error");
    assert_eq!(code, 1, "the raised severity fails the run");
}

#[test]
fn fail_on_comes_from_the_config_and_the_command_line_wins() {
    let repo = TempDir::new("failon");
    repo.write(
        "deploy/site.conf",
        b"server {\n    server_tokens off;\n    add_header X-Owner \"Caf\xe9\";\n}\n",
    );
    repo.write("ipai.toml", "fail-on = \"warning\"\n");
    let (code, _, _) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 1, "fail-on = warning in ipai.toml");
    let (code, _, _) = ipai_lint(&["--fail-on", "error"], &repo.0);
    assert_eq!(code, 0, "--fail-on error wins over the config");
    repo.write("ipai.toml", "");
    let (code, _, _) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 0, "the default threshold is error");
}

#[test]
fn per_path_ignores_need_a_reason_and_keep_it() {
    let repo = repo_with_a_warning_and_an_error("perpath");
    repo.write(
        "ipai.toml",
        "[[per-path-ignores]]\npaths = [\"deploy/nginx\"]\nrules = [\"SYN007\"]\n",
    );
    let (code, _, stderr) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 2, "a per-path ignore without a reason is refused");
    assert!(stderr.contains("ipai.toml:1:1:"), "{stderr}");
    assert!(stderr.contains("reason"), "{stderr}");

    repo.write(
        "ipai.toml",
        "[[per-path-ignores]]\npaths = [\"deploy/nginx\"]\nrules = [\"SYN007\"]\nreason = \"vendor vhosts, converted in Q3\"\n",
    );
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!(codes(&stdout), ["SYN010"]);
    let (_, stdout, _) = ipai_lint(&[], &repo.0);
    assert!(
        stdout.contains("1 error, 0 warnings, 0 infos in 2 files (1 ignored by per-path config)"),
        "{stdout}"
    );
    let (_, sarif, _) = ipai_lint(&["--format", "sarif"], &repo.0);
    assert!(sarif.contains("\"justification\": \"vendor vhosts, converted in Q3\""));
}

#[test]
fn mistakes_in_the_config_are_usage_errors_with_a_location() {
    let repo = repo_with_a_warning_and_an_error("badconfig");
    repo.write("ipai.toml", "fail-on = \"error\"\nignroe = [\"SYN007\"]\n");
    let (code, stdout, stderr) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("ipai.toml:2:1:"), "{stderr}");
    assert!(stderr.contains("ignroe"), "{stderr}");

    repo.write("ipai.toml", "ignore = [\"SYN07\", \"SNY007\"]\n");
    let (code, _, stderr) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("ipai.toml:1:20:"), "{stderr}");
    assert!(stderr.contains("did you mean `SYN007`?"), "{stderr}");
}

#[test]
fn the_config_is_found_up_to_the_git_work_tree_and_no_further() {
    // <tmp>/.git, <tmp>/ipai.toml, and the stack in <tmp>/infra (its stack.yaml makes it the
    // lint root): the work tree's ipai.toml applies.
    let top = TempDir::new("walkup");
    std::fs::create_dir_all(top.0.join(".git")).unwrap();
    top.write("ipai.toml", "ignore = [\"SYN007\"]\n");
    top.write(
        "infra/stack.yaml",
        "version: 1\ndomain: example.net\nodoo:\n  version: \"18.0\"\n",
    );
    top.write(
        "infra/deploy/site.conf",
        b"server {\n    server_tokens off;\n    add_header X-Owner \"Caf\xe9\";\n}\n",
    );
    let infra = top.0.join("infra");
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &infra);
    assert_eq!(stdout, "", "the work tree's ipai.toml ignores SYN007");
    let (_, stdout, _) = ipai_lint(&["--print-stack"], &infra);
    assert!(
        stdout.contains("# lint settings from ../ipai.toml\n"),
        "{stdout}"
    );

    // Without .git, discovery stops at the lint root.
    std::fs::remove_dir_all(top.0.join(".git")).unwrap();
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &infra);
    assert_eq!(codes(&stdout), ["SYN007"]);

    // --config names the file outright.
    let elsewhere = TempDir::new("elsewhere");
    let config = elsewhere.write("central.toml", "ignore = [\"SYN\"]\n");
    let (_, stdout, _) = ipai_lint(
        &["--format", "concise", "--config", config.to_str().unwrap()],
        &infra,
    );
    assert_eq!(stdout, "");
}

#[test]
fn stack_yaml_can_hold_the_lint_settings_but_not_beside_an_ipai_toml() {
    let repo = repo_with_a_warning_and_an_error("stacklint");
    repo.write(
        "stack.yaml",
        "version: 1\ndomain: example.net\nodoo:\n  version: \"18.0\"\nlint:\n  ignore: [SYN010]\n  fail-on: warning\n",
    );
    let (code, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!((code, codes(&stdout)), (1, vec!["SYN007".to_string()]));
    let (_, stdout, _) = ipai_lint(&["--print-stack"], &repo.0);
    assert!(
        stdout.contains("# lint settings from stack.yaml\n"),
        "{stdout}"
    );
    assert!(stdout.contains("lint:\n  ignore:\n"), "{stdout}");

    repo.write("ipai.toml", "select = [\"SYN\"]\n");
    let (code, _, stderr) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("keep the lint settings in one place"),
        "{stderr}"
    );

    repo.write(
        "stack.yaml",
        "version: 1\ndomain: example.net\nodoo:\n  version: \"18.0\"\nlint:\n  selcet: [SYN]\n",
    );
    let (code, _, stderr) = ipai_lint(&[], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("stack.yaml:6:3:"), "{stderr}");
}

#[test]
fn central_policy_can_turn_inline_suppressions_off() {
    let repo = TempDir::new("noinline");
    repo.write(
        "deploy/site.conf",
        b"server {\n    server_tokens off;\n    # ipai-lint: ignore[SYN007] -- vendor header\n    add_header X-Owner \"Caf\xe9\";\n}\n",
    );
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!(stdout, "");
    repo.write("ipai.toml", "disable-inline-ignores = true\n");
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!(codes(&stdout), ["SYN007"]);
}

#[test]
fn a_suppression_for_a_rule_the_config_turns_off_is_not_unused() {
    let repo = TempDir::new("offrule");
    repo.write(
        "deploy/site.conf",
        "server {\n    server_tokens off;\n    # ipai-lint: ignore[SYN007] -- vendor header\n    listen 80;\n}\n",
    );
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!(codes(&stdout), ["SYN011"], "nothing to suppress: unused");
    repo.write("ipai.toml", "ignore = [\"SYN007\"]\n");
    let (_, stdout, _) = ipai_lint(&["--format", "concise"], &repo.0);
    assert_eq!(
        stdout, "",
        "SYN007 does not run, so its suppression is not judged"
    );
}

#[test]
fn init_writes_a_commented_starter_once() {
    let repo = repo_with_a_warning_and_an_error("init");
    let (code, stdout, _) = ipai_lint(&["init"], &repo.0);
    assert_eq!(code, 0, "{stdout}");
    let written = std::fs::read_to_string(repo.0.join("ipai.toml")).unwrap();
    assert_eq!(written, ipai::engine::config::STARTER);
    assert!(written.lines().filter(|l| l.starts_with('#')).count() > 20);
    let (code, _, _) = ipai_lint(&[], &repo.0);
    assert_eq!(
        code, 1,
        "the starter keeps the defaults: the error fails the run"
    );

    repo.write("ipai.toml", "# mine\n");
    let (code, _, stderr) = ipai_lint(&["init"], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(repo.0.join("ipai.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn pruning_a_baseline_drops_fixed_findings_so_they_cannot_return() {
    let repo = TempDir::new("baseline-prune");
    repo.write("ipai.toml", "select = [\"SYN010\"]\n");
    let two = "[options]\n; ipai-lint: ignore[SYN002]\nworkers = 2\n; ipai-lint: ignore[SYN002]\n";
    repo.write("config/odoo.conf", two);
    repo.write("other/odoo.conf", two);
    let (code, _, _) = ipai_lint(&["--write-baseline", "b.json"], &repo.0);
    assert_eq!(code, 0);
    let counts = |repo: &TempDir| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(repo.0.join("b.json")).unwrap()).unwrap()
    };
    assert_eq!(counts(&repo)["files"]["config/odoo.conf"]["SYN010"], 2);

    // One fixed in each file; only config/ is linted, so other/ keeps its count.
    let one = "[options]\n; ipai-lint: ignore[SYN002]\nworkers = 2\n";
    repo.write("config/odoo.conf", one);
    repo.write("other/odoo.conf", one);
    let (code, _, stderr) = ipai_lint(
        &["--baseline", "b.json", "--prune-baseline", "config"],
        &repo.0,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("pruned 1 fixed finding from b.json"),
        "{stderr}"
    );
    assert_eq!(counts(&repo)["files"]["config/odoo.conf"]["SYN010"], 1);
    assert_eq!(counts(&repo)["files"]["other/odoo.conf"]["SYN010"], 2);

    // The fixed finding comes back: the pruned baseline no longer accepts it.
    repo.write("config/odoo.conf", two);
    let (code, _, _) = ipai_lint(&["--baseline", "b.json"], &repo.0);
    assert_eq!(code, 1);

    // Nothing to prune, a file left as it was; and --prune-baseline needs --baseline.
    repo.write("config/odoo.conf", one);
    let before = std::fs::read_to_string(repo.0.join("b.json")).unwrap();
    let (_, _, stderr) = ipai_lint(
        &["--baseline", "b.json", "--prune-baseline", "config"],
        &repo.0,
    );
    assert!(stderr.contains("nothing to prune from b.json"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(repo.0.join("b.json")).unwrap(),
        before
    );
    let (code, _, _) = ipai_lint(&["--prune-baseline"], &repo.0);
    assert_eq!(code, 2);
}

#[test]
fn a_baseline_accepts_known_findings_and_fails_when_a_count_grows() {
    let repo = TempDir::new("baseline");
    repo.write("ipai.toml", "");
    let conf = "[options]\n; ipai-lint: ignore[SYN002]\nworkers = 12\nproxy_mode = True\nlist_db = False\ndbfilter = ^erp$\nwithout_demo = all\nadmin_passwd =\n";
    repo.write("config/odoo.conf", conf);
    let baseline = repo.0.join("ipai-baseline.json");
    let (code, _, stderr) = ipai_lint(&["--write-baseline", "ipai-baseline.json"], &repo.0);
    assert_eq!(code, 0, "everything is baselined: {stderr}");
    assert!(
        stderr.contains("wrote 1 finding to ipai-baseline.json"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&baseline).unwrap(),
        "{\n  \"version\": 1,\n  \"files\": {\n    \"config/odoo.conf\": {\n      \"SYN010\": 1\n    }\n  }\n}\n"
    );

    let (code, stdout, _) = ipai_lint(&["--baseline", "ipai-baseline.json"], &repo.0);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("0 errors, 0 warnings, 0 infos in 1 file (1 baselined)"),
        "{stdout}"
    );

    // Lines move: the baseline holds, because it counts per file and rule.
    repo.write("config/odoo.conf", format!("; production\n\n{conf}"));
    let (code, _, _) = ipai_lint(&["--baseline", "ipai-baseline.json"], &repo.0);
    assert_eq!(code, 0);

    // A second finding of the same rule in the same file: both are reported.
    repo.write(
        "config/odoo.conf",
        format!("{conf}; ipai-lint: ignore[SYN002]\nmax_cron_threads = 1\n"),
    );
    let (code, stdout, _) = ipai_lint(
        &["--baseline", "ipai-baseline.json", "--format", "concise"],
        &repo.0,
    );
    assert_eq!(code, 1);
    assert_eq!(codes(&stdout), ["SYN010", "SYN010"]);

    let (_, sarif, _) = ipai_lint(
        &["--baseline", "ipai-baseline.json", "--format", "sarif"],
        &repo.0,
    );
    let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let states: Vec<&str> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap_or("missing"))
        .collect();
    assert_eq!(states, ["new", "new"]);

    let (code, _, stderr) = ipai_lint(&["--baseline", "no-such.json"], &repo.0);
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such.json"), "{stderr}");
}
