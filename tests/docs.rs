//! The rules reference in docs/rules.md stays what `ipai-lint rules --format markdown`
//! prints, and `explain` prints the same text per rule; shell completions and the man page
//! come from the same command-line definition.

mod common;

use common::{ipai_lint, repo_path, TempDir};

#[test]
fn docs_rules_md_is_the_generated_rules_reference() {
    let dir = TempDir::new("docs");
    let (code, generated, stderr) = ipai_lint(&["rules", "--format", "markdown"], &dir.0);
    assert_eq!(code, 0, "{stderr}");
    let committed = std::fs::read_to_string(repo_path("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is out of date with the rules in this build. Regenerate it from the \
         repository root with:\n\n    {}\n",
        ipai::cli::RULES_MARKDOWN_COMMAND
    );
}

#[test]
fn explain_prints_each_rule_s_section_of_the_reference() {
    let dir = TempDir::new("explain");
    let (_, reference, _) = ipai_lint(&["rules", "--format", "markdown"], &dir.0);
    for rule in ipai::engine::all_rules() {
        let code = rule.meta().code;
        let (status, explained, _) = ipai_lint(&["explain", code], &dir.0);
        assert_eq!(status, 0);
        assert!(
            reference.contains(&format!("\n{explained}")),
            "the reference lacks `ipai-lint explain {code}` verbatim"
        );
        let anchor = format!("(#{}-{})", code.to_lowercase(), rule.meta().name);
        assert!(reference.contains(&anchor), "the index links {anchor}");
    }
    let (_, json, _) = ipai_lint(&["rules", "--format", "json"], &dir.0);
    let rules: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        rules.as_array().map(Vec::len),
        Some(ipai::engine::all_rules().len())
    );
}

#[test]
fn completions_are_valid_shell_for_every_subcommand_and_option() {
    let dir = TempDir::new("completions");
    let (code, bash, _) = ipai_lint(&["completions", "bash"], &dir.0);
    assert_eq!(code, 0);
    for word in [
        "--format",
        "sarif",
        "junit",
        "gitlab",
        "--write-baseline",
        "explain",
        "init",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let script = dir.write("ipai-lint.bash", &bash);
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(
        checked.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let (code, script, _) = ipai_lint(&["completions", shell], &dir.0);
        assert_eq!(code, 0, "{shell}");
        assert!(script.contains("ipai-lint"), "{shell}");
    }
}

#[test]
fn the_man_page_documents_every_option() {
    let dir = TempDir::new("man");
    let (code, roff, _) = ipai_lint(&["man"], &dir.0);
    assert_eq!(code, 0);
    assert!(roff.contains(".TH ipai-lint 1"), "{roff}");
    for option in [
        "format",
        "fail\\-on",
        "config",
        "baseline",
        "write\\-baseline",
        "disable\\-inline\\-ignores",
    ] {
        assert!(
            roff.contains(&format!("\\fB\\-\\-{option}\\fR")),
            "man page lacks --{option}"
        );
    }
    for subcommand in ["rules", "explain", "init", "completions", "man"] {
        assert!(roff.contains(subcommand), "man page lacks {subcommand}");
    }
}
