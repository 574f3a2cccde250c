//! Zone parser throughput (divan, bytes per second).
//!
//! `parse_million_records` and `lint_million_records` are the project's acceptance
//! benchmarks: the generated 1,000,000-record zone of `benches/peers/zone_gen.rs`, the same
//! file `benches/peers/zone.sh` hands to kzonecheck and named-checkzone. The first times the
//! parser; the second parse and check, the whole engine with every rule, as `ipai-lint` runs
//! it without process start and output (the script times those too, as a process).
//!
//! ```text
//! cargo bench --bench zone
//! ```

use divan::counter::BytesCount;
use divan::Bencher;
use ipai::engine::{self, LintOptions};
use ipai::formats::zone::{self, ParseOptions};
use ipai::policy::Policy;
use ipai::source::SourceFile;
use ipai::stack::{Date, Stack};
use ipai::workspace::Workspace;
use std::path::Path;

#[path = "peers/zone_gen.rs"]
mod zone_gen;

const ORIGIN: &str = "bench.example";

fn main() {
    divan::main();
}

fn generated(records: usize) -> SourceFile {
    SourceFile::from_text("bench.zone", zone_gen::zone_text(records, ORIGIN))
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn parse_million_records(bencher: Bencher) {
    let source = generated(1_000_000);
    bencher
        .counter(BytesCount::new(source.text.len()))
        .bench(|| zone::parse(&source, ORIGIN, &ParseOptions::default()));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn lint_million_records(bencher: Bencher) {
    let text = zone_gen::zone_text(1_000_000, ORIGIN);
    let (stack, policy) = (Stack::insightpulse(), Policy::default_pack());
    let today = Date::today();
    bencher
        .counter(BytesCount::new(text.len()))
        .with_inputs(|| vec![(format!("dns/{ORIGIN}.zone"), text.clone().into_bytes())])
        .bench_values(|files| {
            let workspace = Workspace::from_memory(Path::new("/bench"), files);
            let report = engine::run(&workspace, &stack, &policy, today, &LintOptions::default());
            assert!(report.findings.is_empty(), "the generated zone is healthy");
            (workspace, report)
        });
}

#[divan::bench(sample_count = 30)]
fn parse_ten_thousand_records(bencher: Bencher) {
    let source = generated(10_000);
    bencher
        .counter(BytesCount::new(source.text.len()))
        .bench(|| zone::parse(&source, ORIGIN, &ParseOptions::default()));
}

#[divan::bench]
fn parse_stack_zone(bencher: Bencher) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/parsers/zone/valid/insightpulseai.net.zone"
    );
    let source =
        SourceFile::read("insightpulseai.net.zone", std::path::Path::new(path)).expect("fixture");
    bencher
        .counter(BytesCount::new(source.text.len()))
        .bench(|| zone::parse(&source, "insightpulseai.net", &ParseOptions::default()));
}
