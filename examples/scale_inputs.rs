//! Writes one generated input repo of `tests/common/inputs.rs`:
//! `scale_inputs SHAPE N DIR`, or `scale_inputs --list` for the shapes.
//! The whole-process benchmark (`benches/whole_process.sh`) runs `ipai-lint` and the peers on
//! what this writes.

#[path = "../tests/common/inputs.rs"]
mod inputs;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--list" => {
            for (shape, what) in inputs::SHAPES {
                println!("{shape}\t{what}");
            }
            ExitCode::SUCCESS
        }
        [shape, n, dir] => {
            let Ok(n) = n.parse::<usize>() else {
                eprintln!("N must be a whole number, not `{n}`");
                return ExitCode::from(2);
            };
            let Some(files) = inputs::generate(shape, n) else {
                eprintln!("unknown shape `{shape}`; see --list");
                return ExitCode::from(2);
            };
            match inputs::write(Path::new(dir), &files) {
                Ok(bytes) => {
                    println!("{bytes}");
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("cannot write {dir}: {err}");
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            eprintln!("usage: scale_inputs SHAPE N DIR | scale_inputs --list");
            ExitCode::from(2)
        }
    }
}
