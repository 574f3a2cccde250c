//! `ipai-gen` as a library call: facts in, files out, proven by ipai's own linter first.
//!
//! The pipeline: load the facts (`stack.yaml`, or the embedded InsightPulse snapshot) →
//! [`resolve`] closes their gaps, with warnings → [`render`] fills the templates through
//! typed escaping filters → every file is linted by [`crate::engine::run`] on a
//! [`Workspace::from_memory`] of the output, together with the resolved facts read back from
//! the rendered `stack.yaml` → the files are compared with the disk, shown as a diff, or
//! written atomically. Output that fails its own linter never reaches the disk.

pub mod context;
pub mod escape;
pub mod header;
pub mod located;
pub mod render;
pub mod resolve;
pub mod sync;
pub mod templates;

pub use render::{Part, RenderedFile};
pub use sync::{FileState, Planned};

use crate::engine::{self, LintOptions, Report};
use crate::lint::Setup;
use crate::policy::Policy;
use crate::severity::Severity;
use crate::stack::{Date, NginxVersion, Stack, StackError, StackOrigin, INSIGHTPULSE_YAML};
use crate::workspace::Workspace;
use std::fmt;
use std::path::{Path, PathBuf};

/// What to do with the rendered files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write every file under this directory, with the resolved `stack.yaml`.
    Out(PathBuf),
    /// Compare with the repo; drift is a failure.
    Check,
    /// Show what would change in the repo; write nothing.
    Diff,
    /// Update the repo's managed files.
    Write,
}

/// One `ipai-gen` run.
#[derive(Clone, Debug)]
pub struct GenRequest {
    /// The repo whose facts are used and whose files `--check`, `--diff` and `--write` see.
    pub root: PathBuf,
    pub mode: Mode,
    /// Only these parts; empty means all.
    pub only: Vec<Part>,
    /// A directory whose templates override the embedded ones, file by file.
    pub templates: Option<PathBuf>,
    /// Overrides the stack's target nginx version.
    pub nginx_version: Option<String>,
    /// Overwrite files edited by hand or not written by ipai-gen.
    pub force: bool,
    /// "Now" for certificate expiry.
    pub today: Date,
}

impl GenRequest {
    pub fn new(root: impl Into<PathBuf>, mode: Mode) -> Self {
        GenRequest {
            root: root.into(),
            mode,
            only: Vec::new(),
            templates: None,
            nginx_version: None,
            force: false,
            today: Date::today(),
        }
    }
}

/// Why nothing could be generated (exit code 2).
#[derive(Debug)]
pub enum GenError {
    /// Invalid facts, or a fact no output format can hold; with its `stack.yaml` location.
    Facts(StackError),
    Policy(String),
    Template(String),
    Usage(String),
    Io(String),
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::Facts(err) => write!(f, "{err}"),
            GenError::Policy(message) => write!(f, "invalid policy: {message}"),
            GenError::Template(message) => f.write_str(message),
            GenError::Usage(message) => f.write_str(message),
            GenError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GenError {}

/// How the run ended, in the order of precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything written, up to date or shown.
    Ok,
    /// The output failed ipai-lint; nothing was written.
    LintFailed,
    /// Files edited by hand (or not ipai-gen's) would be overwritten; nothing was written.
    Refused,
    /// `--check`: committed files differ from what the facts give.
    Drift,
}

/// What a run did, for the binary to show.
pub struct GenOutcome {
    pub status: Status,
    /// Gaps closed in the facts, and other things a person should know.
    pub warnings: Vec<String>,
    /// Every selected file and its state before the run.
    pub files: Vec<Planned>,
    /// The unified diff, for `--check` and `--diff`.
    pub diff: String,
    /// Files written.
    pub written: Vec<String>,
    /// The self-lint: the output as a workspace, and what the linter found in it.
    pub workspace: Workspace,
    pub report: Report,
}

impl GenOutcome {
    /// Files that `--write` refuses without `--force`.
    pub fn refused(&self) -> impl Iterator<Item = &Planned> {
        self.files.iter().filter(|p| p.state.needs_force())
    }
}

/// The rendered output before any comparison: for tests and benchmarks.
pub struct Generated {
    pub files: Vec<RenderedFile>,
    pub warnings: Vec<String>,
    /// The resolved facts, as read back from the rendered `stack.yaml`.
    pub stack: Stack,
    pub policy: Policy,
}

/// Renders every file of `stack` (whose `stack.yaml` text is `yaml`, for locating errors).
pub fn generate(
    stack: &Stack,
    yaml: Option<(&str, &str)>,
    today: Date,
    nginx_version: Option<&str>,
    templates_dir: Option<&Path>,
) -> Result<Generated, GenError> {
    let policy = Policy::with_overrides(stack.policy.as_ref()).map_err(GenError::Policy)?;
    let nginx_version = nginx_version
        .map(|v| {
            v.parse::<NginxVersion>()
                .map_err(|message| GenError::Usage(format!("--nginx-version: {message}")))
        })
        .transpose()?;
    check_layout(stack, yaml)?;
    // A version 2 file may leave the versions to the repo, which a render cannot read.
    if stack.known_odoo_version().is_none() {
        return Err(GenError::Facts(located_error(
            yaml,
            "version",
            "ipai-gen renders from stated facts: set `odoo.version` (16.0 to 19.0)".to_string(),
        )));
    }
    if nginx_version.is_none() && stack.nginx_version().is_none() {
        return Err(GenError::Facts(located_error(
            yaml,
            "version",
            "ipai-gen renders from stated facts: set `nginx.version` (or pass --nginx-version)"
                .to_string(),
        )));
    }
    let resolved = resolve::resolve(stack, &policy, today, nginx_version);
    if resolved.stack.hosts.is_empty() {
        return Err(GenError::Facts(located_error(
            yaml,
            "hosts",
            "the facts name no host: the zone and the scripts need the droplet's address (hosts[].ipv4)"
                .to_string(),
        )));
    }
    let templates = templates::Templates::new(templates_dir);
    let files = render::render_all(&resolved, &policy, &templates).map_err(|err| match err {
        render::RenderError::Unrepresentable { ref value, .. } => {
            GenError::Facts(located_error(yaml, value, err.to_string()))
        }
        other => GenError::Template(other.to_string()),
    })?;
    let stack_yaml = files
        .iter()
        .find(|f| f.part == Part::Stack)
        .map(|f| f.contents.clone())
        .unwrap_or_default();
    // The written facts must be facts ipai accepts: read them back and lint against them.
    let resolved_stack = Stack::from_yaml("stack.yaml", &stack_yaml).map_err(|err| {
        GenError::Template(format!(
            "the resolved facts do not read back (a bug in ipai-gen): {err}"
        ))
    })?;
    Ok(Generated {
        files,
        warnings: resolved.warnings,
        stack: resolved_stack,
        policy,
    })
}

/// Lints generated files as ipai-lint would lint them on disk under `root`.
pub fn self_lint(generated: &Generated, root: &Path, today: Date) -> (Workspace, Report) {
    let inputs = generated
        .files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
        .collect();
    let workspace = Workspace::from_memory(root, inputs);
    let report = engine::run(
        &workspace,
        &generated.stack,
        &generated.policy,
        today,
        &LintOptions::default(),
    );
    (workspace, report)
}

/// Runs `ipai-gen`.
pub fn run(request: &GenRequest) -> Result<GenOutcome, GenError> {
    let setup = Setup::for_root(&request.root).map_err(|err| match err {
        crate::lint::LintError::Stack(err) => GenError::Facts(err),
        other => GenError::Usage(other.to_string()),
    })?;
    let text = match &setup.origin {
        StackOrigin::File(name) => {
            std::fs::read_to_string(setup.root.join(name)).unwrap_or_default()
        }
        StackOrigin::Embedded | StackOrigin::Inferred => INSIGHTPULSE_YAML.to_string(),
    };
    let file_name = match &setup.origin {
        StackOrigin::File(name) => name.clone(),
        StackOrigin::Embedded | StackOrigin::Inferred => {
            "<embedded insightpulse stack>".to_string()
        }
    };
    let repo_mode = !matches!(request.mode, Mode::Out(_));
    if repo_mode && request.only.contains(&Part::Stack) {
        return Err(GenError::Usage(
            "--only stack needs --out: the repo's stack.yaml is the source of the facts, and ipai-gen never rewrites it"
                .into(),
        ));
    }
    let generated = generate(
        &setup.stack,
        Some((&file_name, &text)),
        request.today,
        request.nginx_version.as_deref(),
        request.templates.as_deref(),
    )?;

    let target_dir = match &request.mode {
        Mode::Out(dir) => dir.clone(),
        _ => setup.root.clone(),
    };
    let (workspace, report) = self_lint(&generated, &target_dir, request.today);
    // The repo's own stack.yaml is the source of the facts: never replaced, not even by
    // `--out` pointed at the repo itself.
    let own_facts = matches!(setup.origin, StackOrigin::File(_))
        && std::fs::canonicalize(&target_dir).ok().as_deref() == Some(setup.root.as_path());
    let keep_stack = !(repo_mode || own_facts);
    let selected: Vec<RenderedFile> = generated
        .files
        .iter()
        .filter(|f| {
            let wanted = request.only.is_empty() || request.only.contains(&f.part);
            wanted && (keep_stack || f.part != Part::Stack)
        })
        .cloned()
        .collect();
    let files = sync::survey(selected, &target_dir);
    let mut outcome = GenOutcome {
        status: Status::Ok,
        warnings: generated.warnings,
        diff: String::new(),
        written: Vec::new(),
        files,
        workspace,
        report,
    };
    if outcome.report.fails(Severity::Warning) {
        outcome.status = Status::LintFailed;
        return Ok(outcome);
    }

    match &request.mode {
        Mode::Check | Mode::Diff => {
            outcome.diff = sync::unified_diff(&outcome.files);
            if request.mode == Mode::Check
                && outcome.files.iter().any(|p| p.state != FileState::UpToDate)
            {
                outcome.status = Status::Drift;
            }
        }
        Mode::Out(_) | Mode::Write => {
            if !request.force && outcome.refused().next().is_some() {
                outcome.status = Status::Refused;
                return Ok(outcome);
            }
            for planned in &outcome.files {
                if planned.state == FileState::UpToDate {
                    continue;
                }
                sync::write_atomic(
                    &planned.target,
                    planned.file.contents.as_bytes(),
                    planned.file.executable,
                )
                .map_err(|err| {
                    GenError::Io(format!("cannot write {}: {err}", planned.target.display()))
                })?;
                outcome.written.push(planned.file.path.clone());
            }
        }
    }
    Ok(outcome)
}

/// Layout paths are written to: each must stay inside the output directory.
fn check_layout(stack: &Stack, yaml: Option<(&str, &str)>) -> Result<(), GenError> {
    let layout = &stack.layout;
    let mut paths: Vec<(&str, &str)> = vec![
        ("layout.nginx_dir", &layout.nginx_dir),
        ("layout.compose", &layout.compose),
        ("layout.compose_dev", &layout.compose_dev),
        ("layout.dns_dir", &layout.dns_dir),
        ("layout.env_example", &layout.env_example),
        ("layout.certbot", &layout.certbot),
        ("layout.verify", &layout.verify),
        ("layout.snapshot", &layout.snapshot),
    ];
    for dir in &layout.addons {
        paths.push(("layout.addons", dir));
    }
    for env in &stack.odoo.environments {
        if let Some(config) = &env.config {
            paths.push(("odoo.environments[].config", config));
        }
    }
    for (what, path) in paths {
        if let Some(problem) = path_problem(path) {
            return Err(GenError::Facts(located_error(
                yaml,
                path,
                format!("{what} `{}`: {problem}", path.escape_debug()),
            )));
        }
    }
    Ok(())
}

fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("a path cannot be empty");
    }
    if path.starts_with('/') || path.contains('\\') {
        return Some("use a path relative to the repo root, with `/`");
    }
    if path.chars().any(char::is_control) {
        return Some("a path cannot contain control characters");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Some("a path cannot have empty, `.` or `..` parts");
    }
    None
}

/// An error at the line of `stack.yaml` holding `value`, or at 1:1.
fn located_error(yaml: Option<(&str, &str)>, value: &str, message: String) -> StackError {
    let (file, position) = match yaml {
        Some((file, text)) => (file.to_string(), located::locate(text, value)),
        None => ("stack.yaml".to_string(), None),
    };
    let (line, column) = position.map_or((1, 1), |p| (p.line, p.column));
    StackError {
        file,
        line,
        column,
        message,
    }
}
