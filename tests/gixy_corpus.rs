//! gixy-next's plugin tests, linted by this build: scripts/gixy_corpus.py downloads the
//! `gixy-next==0.9.0` sdist with pip (into `${XDG_CACHE_HOME:-~/.cache}/ipai`, never into
//! the repo) and fails when a rule that names a gixy-next plugin among its `peers` misses
//! one of that plugin's positive configurations or fires on one of its `_fp` ones.
//!
//! Needs python3 with pip and PyPI the first time: without them the test is skipped, and
//! under `CI` it fails.

mod common;

use common::{missing_tool, repo_path};
use std::process::Command;

#[test]
fn every_claimed_gixy_next_plugin_is_covered() {
    let run = Command::new("python3")
        .arg(repo_path("scripts/gixy_corpus.py"))
        .arg(env!("CARGO_BIN_EXE_ipai-lint"))
        .output();
    let out = match run {
        Ok(out) => out,
        Err(err) => {
            return missing_tool(&format!("python3 runs scripts/gixy_corpus.py: {err}"))
                .unwrap_or(())
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => println!("{stdout}"),
        Some(2) => missing_tool::<()>(&format!(
            "the gixy-next sdist (python3 with pip, and PyPI): {stderr}"
        ))
        .unwrap_or(()),
        _ => panic!("scripts/gixy_corpus.py failed:\n{stdout}\n{stderr}"),
    }
}
