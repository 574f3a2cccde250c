//! Shared helpers for the integration tests.
#![allow(dead_code)]

use ipai::engine::Report;
use ipai::lint::{self, LintRequest, Outcome};
use ipai::stack::Date;
use std::path::{Path, PathBuf};

/// The date every test lints on, so expiry findings are reproducible.
pub const TODAY: &str = "2026-11-25";

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Lints a directory as its own repo root. Without a stack.yaml the embedded InsightPulse
/// facts apply, as `--embedded-facts` asks: the fixtures are repos of that stack's shape.
pub fn lint_root(root: &Path) -> Outcome {
    lint_root_with(root, true)
}

/// Lints a directory as its own repo root; without a stack.yaml, its own files' facts apply
/// unless they name the InsightPulse domain, as for a user.
pub fn lint_root_as_found(root: &Path) -> Outcome {
    lint_root_with(root, false)
}

fn lint_root_with(root: &Path, embedded_facts: bool) -> Outcome {
    let mut request = LintRequest::new(Vec::new());
    request.embedded_facts = embedded_facts;
    request.root = Some(root.to_path_buf());
    request.today = TODAY.parse::<Date>().expect("TODAY is a date");
    lint::run(&request).unwrap_or_else(|err| panic!("lint of {} failed: {err}", root.display()))
}

/// `file:line:col CODE message` lines, one a finding.
pub fn concise(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} {}\n",
                f.location.file, f.start.line, f.start.column, f.rule.code, f.message
            )
        })
        .collect()
}

/// A fresh directory under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("ipai-test-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the `ipai-lint` binary; returns (exit code, stdout, stderr).
pub fn ipai_lint(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipai-lint"))
        .args(args)
        .current_dir(cwd)
        .env("IPAI_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ipai-lint");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs the `ipai-lint` binary with extra environment variables.
pub fn ipai_lint_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipai-lint"))
        .args(args)
        .current_dir(cwd)
        .env("IPAI_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run ipai-lint");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Copies a directory tree (a fixture) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy target");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Cargo's target directory for this build (the binaries live in `<target>/debug`).
pub fn target_dir() -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_ipai-lint"));
    binary
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .expect("the binary sits in <target>/<profile>/")
}

/// A tool the test needs is missing: under `CI` that fails the test; elsewhere the test is
/// skipped with a notice. Returns `None` so callers can `return`.
pub fn missing_tool<T>(what: &str) -> Option<T> {
    if std::env::var_os("CI").is_some() {
        panic!("{what} (CI is set: tests/install-deps.sh must provide it)");
    }
    eprintln!("SKIPPED: {what}; run tests/install-deps.sh to run this test");
    None
}

/// The Python virtual environment with pre-commit and jsonschema, created on first use by
/// tests/python-tools.sh (which tests/install-deps.sh also runs).
pub fn python_tools() -> Option<PathBuf> {
    static CREATE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = CREATE.lock().unwrap_or_else(|e| e.into_inner());
    let venv = target_dir().join("test-venv");
    let status = std::process::Command::new("bash")
        .arg(repo_path("tests/python-tools.sh"))
        .arg(&venv)
        .status();
    match status {
        Ok(status) if status.success() => Some(venv),
        Ok(status) => missing_tool(&format!(
            "tests/python-tools.sh could not create {} ({status})",
            venv.display()
        )),
        Err(err) => missing_tool(&format!(
            "bash is needed to run tests/python-tools.sh: {err}"
        )),
    }
}

/// The rule codes of the findings in one file.
pub fn codes(outcome: &Outcome, file: &str) -> Vec<&'static str> {
    outcome
        .report
        .findings
        .iter()
        .filter(|f| f.location.file == file)
        .map(|f| f.rule.code)
        .collect()
}
