//! `ipai-lint`: arguments in, library call, exit code out.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use ipai::cli::RulesFormat;
use ipai::report::{self, Format, RenderOptions};
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
    /// Exit 1 when a finding is at least this severe [default: the config's `fail-on`, else
    /// error].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Ignore `ipai-lint: ignore[…]` comments.
    #[arg(long)]
    disable_inline_ignores: bool,
    /// Use this ipai.toml instead of the one found by walking up from the repo root.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Accept the findings this baseline file counts; fail only when a count grows.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Write the current findings' counts per file and rule to FILE as a baseline.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// With --baseline: lower the file's counts to what this run still finds, so fixed
    /// findings cannot come back unnoticed. Only the linted paths are judged.
    #[arg(long, requires = "baseline")]
    prune_baseline: bool,
    /// Treat this directory as the repo root instead of searching upward for
    /// stack.yaml, ipai.toml or .git.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Print the effective stack facts (stack.yaml, the embedded snapshot, or what the repo's
    /// own files state) and exit.
    #[arg(long)]
    print_stack: bool,
    /// Without a stack.yaml, judge the repo against the embedded InsightPulse facts even when
    /// its files do not name that stack (by default its own files' facts apply).
    #[arg(long)]
    embedded_facts: bool,
}

#[derive(Subcommand)]
enum Command {
    /// List every rule: code, severity, name and summary.
    Rules {
        /// `markdown` writes the rules reference (docs/rules.md).
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// A rule code such as ODOO001.
        code: String,
    },
    /// Write a commented starter ipai.toml (never over an existing one); with `--stack`, a
    /// stack.yaml of the facts and file environments ipai reads from the repo instead.
    Init {
        /// Where to write it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write a version 2 stack.yaml inferred from the repo, to review and commit.
        #[arg(long)]
        stack: bool,
    },
    /// Show which files ipai judges as what: every config file with its environment
    /// (production, staging, development, test, not-stack) and the evidence, and the
    /// compose projects with their files.
    Scope {
        /// A path inside the repo.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// `json` for tools.
        #[arg(long, value_enum, default_value_t = ScopeFormat::Text)]
        format: ScopeFormat,
        /// Print only the topology, as a Mermaid flowchart (GitHub renders it) or Graphviz
        /// DOT, with the edges a finding sits on in red.
        #[arg(long, value_enum)]
        graph: Option<GraphFormat>,
    },
    /// Print a shell completion script.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff).
    Man,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScopeFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Mermaid,
    Dot,
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
        Some(Command::Rules { format }) => print(&ipai::cli::rules(format)),
        Some(Command::Explain { code }) => match ipai::cli::explain(&code) {
            Ok(text) => print(&text),
            Err(message) => fail(&message),
        },
        Some(Command::Init { dir, stack: true }) => match ipai::cli::init_stack(&dir) {
            Ok(path) => print(&format!(
                "wrote {}; review the facts and the scope, then commit it\n",
                path.display()
            )),
            Err(message) => fail(&message),
        },
        Some(Command::Init { dir, stack: false }) => match ipai::cli::init(&dir) {
            Ok(path) => print(&format!(
                "wrote {}; edit it, then run ipai-lint\n",
                path.display()
            )),
            Err(message) => fail(&message),
        },
        Some(Command::Scope {
            path,
            format,
            graph,
        }) => {
            let format = match (format, graph) {
                (_, Some(GraphFormat::Mermaid)) => ipai::cli::ScopeOutput::Mermaid,
                (_, Some(GraphFormat::Dot)) => ipai::cli::ScopeOutput::Dot,
                (ScopeFormat::Json, None) => ipai::cli::ScopeOutput::Json,
                (ScopeFormat::Text, None) => ipai::cli::ScopeOutput::Text,
            };
            match ipai::cli::scope(&path, format) {
                Ok(text) => print(&text),
                Err(message) => fail(&message),
            }
        }
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "ipai-lint", &mut out);
            print(&String::from_utf8_lossy(&out))
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => print(&String::from_utf8_lossy(&out)),
                Err(err) => fail(&err.to_string()),
            }
        }
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
            Ok(mut setup) => {
                let workspace =
                    ipai::workspace::Workspace::load_with(&setup.root, &setup.stack.compose.files);
                setup.settle_facts(&workspace, cli.embedded_facts);
                print(&ipai::cli::print_stack(&setup))
            }
            Err(err) => fail(&err.to_string()),
        };
    }
    let mut request = ipai::lint::LintRequest::new(cli.paths.clone());
    request.root = cli.root.clone();
    request.disable_inline_ignores = cli.disable_inline_ignores;
    request.embedded_facts = cli.embedded_facts;
    request.config = cli.config.clone();
    request.baseline = cli.baseline.clone();
    request.write_baseline = cli.write_baseline.clone();
    request.prune_baseline = cli.prune_baseline;
    request.fail_on = cli.fail_on.map(|level| match level {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    });
    let outcome = match ipai::lint::run(&request) {
        Ok(outcome) => outcome,
        Err(err) => return fail(&err.to_string()),
    };
    if let Some(file) = &cli.write_baseline {
        eprintln!(
            "ipai-lint: wrote {} to {}",
            report::plural(outcome.report.baselined.len(), "finding"),
            file.display()
        );
    }
    if let (Some(dropped), Some(file)) = (outcome.pruned, &cli.baseline) {
        eprintln!(
            "ipai-lint: {} {}",
            if dropped == 0 {
                "nothing to prune from".to_string()
            } else {
                format!("pruned {} from", report::plural(dropped, "fixed finding"))
            },
            file.display()
        );
    }
    let options = RenderOptions {
        color: match cli.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        },
        repo_prefix: outcome.setup.repo_prefix.clone(),
    };
    let text = report::render(cli.format, &outcome.report, &outcome.workspace, &options);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if cli.format == Format::Github {
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            if let Err(err) =
                report::github::append_step_summary(&path, &outcome.report, &options.repo_prefix)
            {
                eprintln!("ipai-lint: cannot append to {}: {err}", path.display());
            }
        }
    }
    let code = if outcome.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: the operating system reclaims the parsed repo at once, while
    // freeing it piece by piece costs a large zone file tens of milliseconds.
    std::mem::forget(outcome);
    code
}

fn print(text: &str) -> ExitCode {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("ipai-lint: {message}");
    ExitCode::from(2)
}
