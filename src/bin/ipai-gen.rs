//! `ipai-gen`: arguments in, library call, exit code out.

use clap::{ArgGroup, Parser, ValueEnum};
use ipai::gen::{self, GenRequest, Mode, Part, Status};
use ipai::stack::Date;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Renders every config of the stack from its facts (stack.yaml, or the embedded
/// InsightPulse snapshot), lints the result with ipai-lint's rules, then writes, checks or
/// diffs it.
#[derive(Parser)]
#[command(name = "ipai-gen", version)]
#[command(group(ArgGroup::new("mode").required(true).args(["out", "check", "diff", "write"])))]
struct Cli {
    /// Write every file, and the resolved stack.yaml, under DIR.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Exit 1 with a unified diff when a file in the repo differs from what the facts give.
    #[arg(long)]
    check: bool,
    /// Show what would change in the repo; write nothing.
    #[arg(long)]
    diff: bool,
    /// Update the managed files in the repo, atomically.
    #[arg(long)]
    write: bool,
    /// Only these parts (repeat or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PART")]
    only: Vec<Part>,
    /// A directory whose templates override the embedded ones, file by file.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Target this nginx version instead of the stack's (e.g. 1.22 for Debian 12).
    #[arg(long, value_name = "VERSION")]
    nginx_version: Option<String>,
    /// Overwrite files edited by hand or not written by ipai-gen.
    #[arg(long)]
    force: bool,
    /// The repo root (default: the nearest directory up from here with stack.yaml,
    /// ipai.toml or .git).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// When to colour the findings of a failed self-lint.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mode = if let Some(dir) = cli.out.clone() {
        Mode::Out(dir)
    } else if cli.check {
        Mode::Check
    } else if cli.diff {
        Mode::Diff
    } else {
        Mode::Write
    };
    let root = cli
        .root
        .clone()
        .unwrap_or_else(|| ipai::discover::repo_root(&PathBuf::from(".")));
    let mut request = GenRequest::new(root, mode);
    request.only = cli.only.clone();
    request.templates = cli.templates.clone();
    request.nginx_version = cli.nginx_version.clone();
    request.force = cli.force;
    request.today = Date::today();

    let outcome = match gen::run(&request) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("ipai-gen: {err}");
            return ExitCode::from(2);
        }
    };
    let mut err = std::io::stderr().lock();
    for warning in &outcome.warnings {
        let _ = writeln!(err, "ipai-gen: warning: {warning}");
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(outcome.diff.as_bytes());
    match outcome.status {
        Status::LintFailed => {
            let color = match cli.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let text = ipai::report::human::render(&outcome.report, &outcome.workspace, color);
            let _ = err.write_all(text.as_bytes());
            let _ = writeln!(
                err,
                "ipai-gen: the generated files fail ipai-lint; nothing was written"
            );
            ExitCode::from(1)
        }
        Status::Refused => {
            for planned in outcome.refused() {
                let _ = writeln!(
                    err,
                    "ipai-gen: {}: {}; not overwritten",
                    planned.file.path,
                    planned.state.describe()
                );
            }
            let _ = writeln!(
                err,
                "ipai-gen: nothing was written; keep the edits in stack.yaml or a template (--templates), or pass --force to replace them"
            );
            ExitCode::from(1)
        }
        Status::Drift => {
            for planned in outcome
                .files
                .iter()
                .filter(|p| p.state != gen::FileState::UpToDate)
            {
                let _ = writeln!(
                    err,
                    "ipai-gen: {}: {}",
                    planned.file.path,
                    planned.state.describe()
                );
            }
            let _ = writeln!(
                err,
                "ipai-gen: the committed files drift from the stack facts; run `ipai-gen --write` and commit the result"
            );
            ExitCode::from(1)
        }
        Status::Ok => {
            match &request.mode {
                Mode::Out(dir) => {
                    let _ = writeln!(
                        err,
                        "ipai-gen: {} files in {} ({} written, {} unchanged)",
                        outcome.files.len(),
                        dir.display(),
                        outcome.written.len(),
                        outcome.files.len() - outcome.written.len()
                    );
                }
                Mode::Write => {
                    for path in &outcome.written {
                        let _ = writeln!(err, "ipai-gen: wrote {path}");
                    }
                    let _ = writeln!(
                        err,
                        "ipai-gen: {} of {} files written",
                        outcome.written.len(),
                        outcome.files.len()
                    );
                }
                Mode::Check => {
                    let _ = writeln!(err, "ipai-gen: {} files up to date", outcome.files.len());
                }
                Mode::Diff => {}
            }
            ExitCode::SUCCESS
        }
    }
}
