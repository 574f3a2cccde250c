//! Parses compose files the way `ipai-lint` will, and prints what it found: a stand-in for the
//! CLI in benchmarks (`benches/peers/compose.sh`) and a debugging aid.
//!
//! ```text
//! cargo run --release --example compose_parse -- FILE_OR_PROJECT_DIR...
//! cargo run --release --example compose_parse -- --generate 150 > compose.yaml
//! cargo run --release --example compose_parse -- --generate-expanded 150 > no-anchors.yaml
//! ```

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

use ipai::formats::compose::{load_project, LoadOptions};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let generator = match args.first().and_then(|a| a.to_str()) {
        Some("--generate") => Some(generate::compose_with_services as fn(usize) -> String),
        Some("--generate-expanded") => {
            Some(generate::compose_without_anchors as fn(usize) -> String)
        }
        _ => None,
    };
    if let Some(generator) = generator {
        let count = args
            .get(1)
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse().ok())
            .unwrap_or(150);
        print!("{}", generator(count));
        return ExitCode::SUCCESS;
    }
    if args.is_empty() {
        eprintln!("usage: compose_parse FILE_OR_PROJECT_DIR...");
        return ExitCode::from(2);
    }
    let mut failed = false;
    for arg in args {
        let options = if arg.is_dir() {
            LoadOptions {
                project_dir: arg.clone(),
                ..LoadOptions::default()
            }
        } else {
            let dir = arg.parent().map(PathBuf::from).unwrap_or_default();
            let file = arg.file_name().map(PathBuf::from).unwrap_or_default();
            LoadOptions {
                project_dir: dir,
                files: vec![file],
                ..LoadOptions::default()
            }
        };
        let project = load_project(&options);
        for (path, error) in &project.unreadable {
            eprintln!("{}: {error}", path.display());
            failed = true;
        }
        for e in &project.errors {
            let Some(source) = project.source(e.file) else {
                continue;
            };
            let at = source.line_col(e.error.span.start());
            println!(
                "{}:{}:{}: {}",
                source.name, at.line, at.column, e.error.message
            );
        }
        let ports: usize = project.model.services.iter().map(|s| s.ports.len()).sum();
        println!(
            "{}: {} files, {} services, {} ports, {} errors",
            arg.display(),
            project.files.len(),
            project.model.services.len(),
            ports,
            project.errors.len()
        );
        failed |= !project.errors.is_empty();
        // The process ends here: skip freeing the tree, as the CLI will.
        std::mem::forget(project);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
