//! `ipai-lint`: arguments in, library call, exit code out.

use clap::{Parser, Subcommand, ValueEnum};
use ipai::report::{self, Format};
use ipai::severity::Severity;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Lints an Odoo stack's nginx, odoo.conf, compose, zone and .env files against its facts.
#[derive(Parser)]
#[command(name = "ipai-lint", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files or directories to lint; context always comes from the whole repo.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Ignore `ipai-lint: ignore[…]` comments.
    #[arg(long)]
    disable_inline_ignores: bool,
    /// Treat this directory as the repo root instead of searching upward for
    /// stack.yaml, ipai.toml or .git.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Print the effective stack facts (stack.yaml or the embedded snapshot) and exit.
    #[arg(long)]
    print_stack: bool,
}

#[derive(Subcommand)]
enum Command {
    /// List every rule: code, severity, name and summary.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// A rule code such as ODOO001.
        code: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Rules) => print(&ipai::cli::rules_table()),
        Some(Command::Explain { code }) => match ipai::cli::explain(&code) {
            Ok(text) => print(&text),
            Err(message) => fail(&message),
        },
        None => lint(cli),
    }
}

fn lint(cli: Cli) -> ExitCode {
    if cli.print_stack {
        let path = cli
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        return match ipai::lint::Setup::for_path(&path) {
            Ok(setup) => print(&ipai::cli::print_stack(&setup)),
            Err(err) => fail(&err.to_string()),
        };
    }
    let mut request = ipai::lint::LintRequest::new(cli.paths.clone());
    request.root = cli.root.clone();
    request.disable_inline_ignores = cli.disable_inline_ignores;
    let outcome = match ipai::lint::run(&request) {
        Ok(outcome) => outcome,
        Err(err) => return fail(&err.to_string()),
    };
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = report::render(cli.format, &outcome.report, &outcome.workspace, color);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    let threshold = match cli.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if outcome.report.fails(threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print(text: &str) -> ExitCode {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("ipai-lint: {message}");
    ExitCode::from(2)
}
