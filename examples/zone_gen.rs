//! Writes the synthetic benchmark zone (see `benches/peers/zone_gen.rs`) to a file.
//!
//! ```text
//! cargo run --release --example zone_gen -- RECORDS ORIGIN OUT
//! ```

#[path = "../benches/peers/zone_gen.rs"]
mod zone_gen;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(records), Some(origin), Some(out)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: zone_gen RECORDS ORIGIN OUT");
        return std::process::ExitCode::from(2);
    };
    let Ok(records) = records.parse::<usize>() else {
        eprintln!("RECORDS must be a number");
        return std::process::ExitCode::from(2);
    };
    if let Err(e) = std::fs::write(out, zone_gen::zone_text(records, origin)) {
        eprintln!("{out}: {e}");
        return std::process::ExitCode::from(2);
    }
    std::process::ExitCode::SUCCESS
}
