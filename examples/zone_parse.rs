//! Parses a zone file with ipai's zone parser, following `$INCLUDE`s from disk.
//!
//! ```text
//! cargo run --release --example zone_parse -- ORIGIN FILE [--dump]
//! ```
//!
//! Prints each syntax error as `file:line:column: message`, then a summary line; `--dump`
//! also prints every record in presentation form. Exit status 1 when there were errors.
//! (A stand-in for `ipai-lint` in the peer benchmark, `benches/peers/zone.sh`.)

use std::process::ExitCode;

use ipai::formats::zone::{self, FsReader, ParseOptions};
use ipai::source::SourceFile;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(origin), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: zone_parse ORIGIN FILE [--dump]");
        return ExitCode::from(2);
    };
    let dump = args.iter().any(|a| a == "--dump");
    let source = match SourceFile::read(path.clone(), std::path::Path::new(path)) {
        Ok(source) => source,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let zone = zone::load(
        &source,
        origin,
        &ParseOptions::default(),
        &mut FsReader::new(),
    );
    for error in &zone.errors {
        let file = zone.source(&source, error.file);
        let at = file.line_col(error.error.span.start());
        println!(
            "{}:{}:{}: {}",
            file.name, at.line, at.column, error.error.message
        );
    }
    if dump {
        for record in &zone.records {
            println!("{}", zone.record_text(record));
        }
    }
    println!(
        "{} records, {} names, {} comments, {} errors",
        zone.records.len(),
        zone.name_count(),
        zone.comments.len(),
        zone.errors.len()
    );
    let code = if zone.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: skip freeing a million records one by one.
    std::mem::forget(zone);
    std::mem::forget(source);
    code
}
