//! Zone parser throughput (divan, bytes per second).
//!
//! `parse_million_records` is the project's acceptance benchmark: the generated
//! 1,000,000-record zone of `benches/peers/zone_gen.rs`, the same file
//! `benches/peers/zone.sh` hands to kzonecheck and named-checkzone.
//!
//! ```text
//! cargo bench --bench zone
//! ```

use divan::counter::BytesCount;
use divan::Bencher;
use ipai::formats::zone::{self, ParseOptions};
use ipai::source::SourceFile;

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
