//! `ipai-lint` as a library call: paths in, a report out. The binary only maps the result
//! to output and an exit code.

use crate::discover;
use crate::engine::baseline::Baseline;
use crate::engine::config::{self, ConfigError, LintSettings};
use crate::engine::{self, LintOptions, Report};
use crate::policy::Policy;
use crate::severity::Severity;
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
    Config(ConfigError),
    Baseline { file: PathBuf, message: String },
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LintError::MissingPath(path) => {
                write!(f, "{}: no such file or directory", path.display())
            }
            LintError::Stack(err) => write!(f, "invalid stack facts: {err}"),
            LintError::Policy { file, message } => write!(f, "invalid policy in {file}: {message}"),
            LintError::Config(err) => write!(f, "invalid lint config: {err}"),
            LintError::Baseline { file, message } => {
                write!(f, "baseline {}: {message}", file.display())
            }
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
    /// The lint config: discovered, or the one `--config` names.
    pub settings: LintSettings,
    /// Where the root sits in its git work tree, e.g. `infra/` (empty at the top): SARIF,
    /// GitHub and JUnit output name files relative to the repository, as those tools expect.
    pub repo_prefix: String,
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
                    StackOrigin::Embedded | StackOrigin::Inferred => {
                        "the embedded policy pack".into()
                    }
                },
                message,
            })?;
        let settings = config::discover(&root, stack.lint.as_ref()).map_err(LintError::Config)?;
        let repo_prefix = repo_prefix(&root);
        Ok(Setup {
            root,
            stack,
            origin,
            policy,
            settings,
            repo_prefix,
        })
    }

    /// Settles which facts apply to a repo without a `stack.yaml`: the embedded InsightPulse
    /// facts when its files name the InsightPulse domain (or `embedded` asks for them),
    /// otherwise the facts its own files state ([`Stack::infer`]).
    pub fn settle_facts(&mut self, workspace: &Workspace, embedded: bool) {
        if self.origin == StackOrigin::Embedded
            && !embedded
            && !crate::stack::is_insightpulse(workspace)
        {
            self.stack = Stack::infer(workspace);
            self.origin = StackOrigin::Inferred;
        } else if matches!(self.origin, StackOrigin::File(_)) && self.stack.version == 2 {
            self.stack.fill_from_repo(workspace);
        }
    }

    /// Replaces the discovered lint config with the file `--config` names.
    pub fn use_config(&mut self, path: &Path) -> Result<(), LintError> {
        self.settings = config::load(path).map_err(LintError::Config)?;
        Ok(())
    }
}

/// The root's path inside its git work tree, with a trailing `/`; empty at the top or
/// outside git.
fn repo_prefix(root: &Path) -> String {
    match discover::git_root(root) {
        Some(top) if top != root => {
            let name = discover::relative_name(&top, root);
            if name.is_empty() || Path::new(&name).is_absolute() {
                String::new()
            } else {
                name + "/"
            }
        }
        _ => String::new(),
    }
}

/// The outcome of a lint run: the workspace (renderers show its snippets) and the report.
pub struct Outcome {
    pub setup: Setup,
    pub workspace: Workspace,
    pub report: Report,
    /// The failure threshold: `--fail-on`, else the config's `fail-on`, else error.
    pub fail_on: Severity,
    /// With `--prune-baseline`: how many accepted findings the baseline file lost.
    pub pruned: Option<usize>,
}

impl Outcome {
    /// Whether the run fails (exit 1): a reported finding at or above the threshold.
    /// Suppressed and baselined findings never fail it.
    pub fn failed(&self) -> bool {
        self.report.fails(self.fail_on)
    }
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
    /// A config file to use instead of the discovered one.
    pub config: Option<PathBuf>,
    /// The failure threshold; wins over the config's `fail-on`.
    pub fail_on: Option<Severity>,
    /// Accept the findings this baseline file counts.
    pub baseline: Option<PathBuf>,
    /// Write this run's findings to this file as the new baseline, then accept them.
    pub write_baseline: Option<PathBuf>,
    /// Lower the counts of the `baseline` file to what this run still finds.
    pub prune_baseline: bool,
    /// Judge a repo without a `stack.yaml` against the embedded InsightPulse facts even when
    /// its files do not name that stack.
    pub embedded_facts: bool,
}

impl LintRequest {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        LintRequest {
            paths,
            root: None,
            disable_inline_ignores: false,
            today: Date::today(),
            config: None,
            fail_on: None,
            baseline: None,
            write_baseline: None,
            prune_baseline: false,
            embedded_facts: false,
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
    let mut setup = match &request.root {
        Some(root) => Setup::for_root(root)?,
        None => Setup::for_path(&paths[0])?,
    };
    if let Some(path) = &request.config {
        setup.use_config(path)?;
    }
    let baseline = match &request.baseline {
        Some(file) => Some(Baseline::load(file).map_err(|message| LintError::Baseline {
            file: file.clone(),
            message,
        })?),
        None => None,
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
    setup.settle_facts(&workspace, request.embedded_facts);
    let to_prune = baseline.clone().filter(|_| request.prune_baseline);
    let scope = only.clone();
    let options = LintOptions {
        only,
        disable_inline_ignores: request.disable_inline_ignores,
        settings: setup.settings.clone(),
        baseline,
    };
    let mut report = engine::run(
        &workspace,
        &setup.stack,
        &setup.policy,
        request.today,
        &options,
    );
    if let Some(file) = &request.write_baseline {
        let baseline = Baseline::from_findings(&report.findings);
        baseline.write(file).map_err(|err| LintError::Baseline {
            file: file.clone(),
            message: format!("cannot write: {err}"),
        })?;
        engine::apply_baseline(&mut report, &baseline);
    }
    let pruned = match (&request.baseline, to_prune) {
        (Some(file), Some(old)) => Some(prune(file, &old, &report, scope.as_deref())?),
        _ => None,
    };
    let fail_on = request
        .fail_on
        .or(setup.settings.config.fail_on)
        .unwrap_or(Severity::Error);
    Ok(Outcome {
        setup,
        workspace,
        report,
        fail_on,
        pruned,
    })
}

/// Rewrites the baseline `file` without the findings this run no longer has, judging only
/// the linted paths; returns how many it dropped (the file is left alone at zero).
fn prune(
    file: &Path,
    old: &Baseline,
    report: &Report,
    scope: Option<&[String]>,
) -> Result<usize, LintError> {
    let current: Vec<_> = report.findings.iter().chain(&report.baselined).collect();
    let in_scope =
        |name: &str| scope.is_none_or(|paths| paths.iter().any(|p| engine::is_within(name, p)));
    let new = old.pruned(&current, in_scope);
    let dropped = old.total() - new.total();
    if dropped > 0 {
        new.write(file).map_err(|err| LintError::Baseline {
            file: file.to_path_buf(),
            message: format!("cannot write: {err}"),
        })?;
    }
    Ok(dropped)
}
