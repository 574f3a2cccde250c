//! `ipai-lint` as a library call: paths in, a report out. The binary only maps the result
//! to output and an exit code.

use crate::discover;
use crate::engine::{self, LintOptions, Report};
use crate::policy::Policy;
use crate::stack::{Date, Stack, StackError, StackOrigin};
use crate::workspace::Workspace;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a lint run could not happen at all (exit code 2).
#[derive(Debug)]
pub enum LintError {
    MissingPath(PathBuf),
    Stack(StackError),
    Policy { file: String, message: String },
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LintError::MissingPath(path) => {
                write!(f, "{}: no such file or directory", path.display())
            }
            LintError::Stack(err) => write!(f, "invalid stack facts: {err}"),
            LintError::Policy { file, message } => write!(f, "invalid policy in {file}: {message}"),
        }
    }
}

impl std::error::Error for LintError {}

/// The effective facts and policy of a repo.
pub struct Setup {
    pub root: PathBuf,
    pub stack: Stack,
    pub origin: StackOrigin,
    pub policy: Policy,
}

impl Setup {
    /// Finds the repo root of `path` and loads its facts and policy.
    pub fn for_path(path: &Path) -> Result<Setup, LintError> {
        if !path.exists() {
            return Err(LintError::MissingPath(path.to_path_buf()));
        }
        Setup::for_root(&discover::repo_root(path))
    }

    /// Loads the facts and policy of the repo at `root`.
    pub fn for_root(root: &Path) -> Result<Setup, LintError> {
        if !root.is_dir() {
            return Err(LintError::MissingPath(root.to_path_buf()));
        }
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let (stack, origin) = Stack::discover(&root).map_err(LintError::Stack)?;
        let policy =
            Policy::with_overrides(stack.policy.as_ref()).map_err(|message| LintError::Policy {
                file: match &origin {
                    StackOrigin::File(name) => name.clone(),
                    StackOrigin::Embedded => "the embedded policy pack".into(),
                },
                message,
            })?;
        Ok(Setup {
            root,
            stack,
            origin,
            policy,
        })
    }
}

/// The outcome of a lint run: the workspace (renderers show its snippets) and the report.
pub struct Outcome {
    pub setup: Setup,
    pub workspace: Workspace,
    pub report: Report,
}

/// What to lint and how.
#[derive(Clone, Debug)]
pub struct LintRequest {
    /// Files or directories; empty means the current directory.
    pub paths: Vec<PathBuf>,
    /// The repo root, when given; otherwise the nearest ancestor with a root marker.
    pub root: Option<PathBuf>,
    pub disable_inline_ignores: bool,
    /// "Now" for expiry checks.
    pub today: Date,
}

impl LintRequest {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        LintRequest {
            paths,
            root: None,
            disable_inline_ignores: false,
            today: Date::today(),
        }
    }
}

/// Lints the requested paths. Context always comes from the whole repo; only findings in
/// the named paths are reported.
pub fn run(request: &LintRequest) -> Result<Outcome, LintError> {
    let mut paths = request.paths.clone();
    if paths.is_empty() {
        paths.push(request.root.clone().unwrap_or_else(|| PathBuf::from(".")));
    }
    for path in &paths {
        if !path.exists() {
            return Err(LintError::MissingPath(path.clone()));
        }
    }
    let setup = match &request.root {
        Some(root) => Setup::for_root(root)?,
        None => Setup::for_path(&paths[0])?,
    };
    let names: Vec<String> = paths
        .iter()
        .map(|p| discover::relative_name(&setup.root, p))
        .collect();
    let only = if names.iter().any(|n| n.is_empty()) {
        None
    } else {
        Some(names)
    };
    let workspace = Workspace::load_with(&setup.root, &setup.stack.compose.files);
    let options = LintOptions {
        only,
        disable_inline_ignores: request.disable_inline_ignores,
    };
    let report = engine::run(
        &workspace,
        &setup.stack,
        &setup.policy,
        request.today,
        &options,
    );
    Ok(Outcome {
        setup,
        workspace,
        report,
    })
}
