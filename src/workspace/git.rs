//! What git says about the repo's env files: which are committed, and which git would let
//! someone commit because no ignore rule covers them.
//!
//! Read with `git ls-files` (<https://git-scm.com/docs/git-ls-files>): `--cached` lists the
//! files in the index, `--others --exclude-standard` the untracked files that `.gitignore`,
//! `.git/info/exclude` and the global excludes file do not ignore. A `.gitignore` entry does
//! not untrack a file that is already committed (<https://git-scm.com/docs/gitignore>), which
//! is why both lists are needed.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

/// Pathspecs covering the env file names ipai reads (`.env`, `.env.*`, `*.env`) at any
/// depth: without magic, a pathspec `*` also matches `/`.
const ENV_PATHSPECS: [&str; 2] = ["*.env", "*.env.*"];

/// git's view of the env files under the linted root, names relative to the root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GitEnvFiles {
    /// Committed (in the index), ignored or not.
    pub tracked: BTreeSet<String>,
    /// Not committed, and not ignored: `git add .` would commit them.
    pub untracked_not_ignored: BTreeSet<String>,
}

impl GitEnvFiles {
    pub fn is_tracked(&self, name: &str) -> bool {
        self.tracked.contains(name)
    }

    /// Tracked, or untracked and not ignored: the file is or may end up in the history.
    pub fn is_exposed(&self, name: &str) -> bool {
        self.tracked.contains(name) || self.untracked_not_ignored.contains(name)
    }
}

/// Asks git about the env files under `root`, in one `git ls-files -t --cached --others
/// --exclude-standard` (the `-t` tag is `?` for an untracked file, a letter such as `H` for a
/// tracked one). `None` when `root` is not inside a git work tree (no `.git` in it or above
/// it), or git cannot run or refuses the repository.
pub fn env_files(root: &Path) -> Option<GitEnvFiles> {
    ls_files(root, &ENV_PATHSPECS)
}

/// git's view of the given repo-relative files (each taken literally), as for env files:
/// the files compose reads secrets from.
pub fn literal_files(root: &Path, names: &[String]) -> Option<GitEnvFiles> {
    let specs: Vec<String> = names.iter().map(|n| format!(":(literal){n}")).collect();
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    ls_files(root, &specs)
}

fn ls_files(root: &Path, pathspecs: &[&str]) -> Option<GitEnvFiles> {
    if !root.ancestors().any(|dir| dir.join(".git").exists()) {
        return None;
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "ls-files",
            "-z",
            "-t",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .arg("--")
        .args(pathspecs)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let mut files = GitEnvFiles::default();
    for record in output.stdout.split(|&b| b == 0) {
        let Some((tag, name)) = record.split_first() else {
            continue;
        };
        let name = String::from_utf8_lossy(name.strip_prefix(b" ").unwrap_or(name)).into_owned();
        if name.is_empty() {
            continue;
        }
        if *tag == b'?' {
            files.untracked_not_ignored.insert(name);
        } else {
            files.tracked.insert(name);
        }
    }
    Some(files)
}
