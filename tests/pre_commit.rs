//! The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit (from PyPI, see
//! tests/python-tools.sh) with `pre-commit try-repo` against this repository, in fixture git
//! repos: `fixtures/pre-commit/clean` must pass and `fixtures/pre-commit/faulty` (a
//! duplicated `workers` silenced without a reason) must fail.
//!
//! The hooks use `language: rust`, so every `try-repo` has pre-commit `cargo install` ipai
//! from a clone of this repository (in release mode, reaching crates.io). The builds share
//! `<target>/pre-commit-build`, so only the first compiles the dependencies. `try-repo`
//! clones committed files plus uncommitted changes to tracked files: a new, untracked file
//! of ipai is not in the hook it builds.
//!
//! `ipai-gen-check` runs in a repo where this build's `ipai-gen --write` wrote the stack's
//! files: it passes there, and fails once a generated file is edited by hand.

mod common;

use common::{copy_tree, missing_tool, repo_path, TempDir};
use std::path::{Path, PathBuf};
use std::process::Command;

struct PreCommit {
    executable: PathBuf,
    hook_repo: PathBuf,
    home: TempDir,
}

/// pre-commit, and this repository as a git work tree, or `None` (outside CI) when either
/// is missing.
fn pre_commit() -> Option<PreCommit> {
    let venv = common::python_tools()?;
    let hook_repo = repo_path("");
    let toplevel = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(&hook_repo)
        .output();
    let toplevel = match toplevel {
        Ok(out) if out.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim().to_string())
        }
        _ => return missing_tool("git, and a git checkout of ipai for `pre-commit try-repo`"),
    };
    let same = |a: &Path, b: &Path| std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok();
    if !same(&toplevel, &hook_repo) {
        return missing_tool("ipai's own git checkout (this crate is not at the top of one)");
    }
    Some(PreCommit {
        executable: venv.join("bin/pre-commit"),
        hook_repo,
        home: TempDir::new("pre-commit-home"),
    })
}

/// A fresh git repo holding a fixture, its files staged (pre-commit reads git's index).
fn fixture_repo(fixture: &str) -> TempDir {
    let repo = TempDir::new(&format!("pre-commit-{fixture}"));
    copy_tree(
        &repo_path(&format!("fixtures/pre-commit/{fixture}")),
        &repo.0,
    );
    for args in [&["init", "-q"][..], &["add", "-A"][..]] {
        let status = Command::new("git")
            .args(args)
            .current_dir(&repo.0)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }
    repo
}

impl PreCommit {
    /// `pre-commit try-repo <ipai> [HOOK] ARGS…` in `repo`: exit code and output. With no
    /// hook named, every hook runs but `ipai-gen-check` (the lint fixtures hold no
    /// generated files).
    fn try_repo(&self, repo: &Path, hook: Option<&str>, args: &[&str]) -> (i32, String) {
        let mut command = Command::new(&self.executable);
        command.arg("try-repo").arg(&self.hook_repo);
        command.args(hook);
        command.args(["--verbose", "--color", "never"]).args(args);
        let output = command
            .current_dir(repo)
            .env("PRE_COMMIT_HOME", &self.home.0)
            .env(
                "CARGO_TARGET_DIR",
                common::target_dir().join("pre-commit-build"),
            )
            .env("SKIP", if hook.is_none() { "ipai-gen-check" } else { "" })
            .env("IPAI_TODAY", common::TODAY)
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .expect("run pre-commit");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code().unwrap_or(-1), text)
    }
}

/// The status pre-commit printed for a hook, e.g. `Passed` or `Failed`.
fn hook_status<'a>(output: &'a str, name: &str) -> &'a str {
    output
        .lines()
        .find(|line| line.starts_with(name) && line[name.len()..].starts_with('.'))
        .and_then(|line| line.rsplit('.').next())
        .unwrap_or("not run")
}

#[test]
fn the_hooks_pass_a_clean_stack_and_fail_a_faulty_one() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };

    let clean = fixture_repo("clean");
    let (code, output) = pre_commit.try_repo(&clean.0, Some("ipai-lint-all"), &["--all-files"]);
    assert_eq!(code, 0, "the clean stack passes:\n{output}");
    assert_eq!(
        hook_status(&output, "ipai-lint (whole stack)"),
        "Passed",
        "{output}"
    );

    let faulty = fixture_repo("faulty");
    let (code, output) = pre_commit.try_repo(&faulty.0, Some("ipai-lint-all"), &["--all-files"]);
    assert_eq!(code, 1, "the faulty stack fails:\n{output}");
    assert_eq!(
        hook_status(&output, "ipai-lint (whole stack)"),
        "Failed",
        "{output}"
    );
    assert!(output.contains("╭─[config/odoo.conf:5:3]"), "{output}");
    assert!(output.contains("suppression without a reason"), "{output}");

    // Both lint hooks, with only the vhost changed: `ipai-lint` reports the changed file
    // (clean) while `ipai-lint-all` still checks the whole stack (faulty).
    let (code, output) = pre_commit.try_repo(
        &faulty.0,
        None,
        &["--files", "deploy/nginx/erp.example.net.conf"],
    );
    assert_eq!(code, 1, "{output}");
    assert_eq!(hook_status(&output, "ipai-lint"), "Passed", "{output}");
    assert_eq!(
        hook_status(&output, "ipai-lint (whole stack)"),
        "Failed",
        "{output}"
    );
    assert_eq!(
        hook_status(&output, "ipai-gen --check"),
        "Skipped",
        "{output}"
    );
}

/// Runs a command in `dir` and asserts that it succeeds.
fn run(dir: &Path, program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("IPAI_TODAY", common::TODAY)
        .status()
        .unwrap_or_else(|err| panic!("{program} runs: {err}"));
    assert!(status.success(), "{program} {args:?}");
}

#[test]
fn the_generator_hook_passes_written_files_and_fails_a_hand_edit() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let repo = TempDir::new("pre-commit-generated");
    run(&repo.0, "git", &["init", "-q"]);
    run(&repo.0, env!("CARGO_BIN_EXE_ipai-gen"), &["--write"]);
    run(&repo.0, "git", &["add", "-A"]);
    let (code, output) = pre_commit.try_repo(&repo.0, Some("ipai-gen-check"), &["--all-files"]);
    assert_eq!(code, 0, "the files ipai-gen wrote pass:\n{output}");
    assert_eq!(
        hook_status(&output, "ipai-gen --check"),
        "Passed",
        "{output}"
    );

    let conf = repo.0.join("config/odoo.conf");
    let mut text = std::fs::read_to_string(&conf).expect("ipai-gen wrote config/odoo.conf");
    text = text.replacen("proxy_mode = True", "proxy_mode = False", 1);
    std::fs::write(&conf, text).expect("edit odoo.conf");
    run(&repo.0, "git", &["add", "-A"]);
    let (code, output) = pre_commit.try_repo(&repo.0, Some("ipai-gen-check"), &["--all-files"]);
    assert_eq!(code, 1, "a hand edit fails:\n{output}");
    assert_eq!(
        hook_status(&output, "ipai-gen --check"),
        "Failed",
        "{output}"
    );
    assert!(output.contains("config/odoo.conf"), "{output}");
    // The diff runs from the committed file to what the facts render.
    assert!(output.contains("-proxy_mode = False"), "{output}");
    assert!(output.contains("+proxy_mode = True"), "{output}");
}
