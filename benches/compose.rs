//! Compose parsing throughput on a generated file: 150 Odoo services sharing one anchor.
//!
//! `cargo bench --bench compose`

use ipai::formats::compose::{parse_yaml, ComposeFile, Environment, FileId, LoadOptions, Project};
use ipai::source::SourceFile;

#[path = "../examples/compose_parse/generate.rs"]
mod generate;

fn main() {
    divan::main();
}

fn source(services: usize) -> SourceFile {
    SourceFile::from_text("compose.yaml", generate::compose_with_services(services))
}

fn env() -> Environment {
    [("POSTGRES_PASSWORD", "bench")].into_iter().collect()
}

/// YAML only: spans, anchors, merge keys.
#[divan::bench(args = [1, 150])]
fn yaml_tree(bencher: divan::Bencher, services: usize) {
    let file = source(services);
    bencher.bench(|| parse_yaml(divan::black_box(&file), FileId(0)));
}

/// One file: YAML, interpolation and the typed view.
#[divan::bench(args = [1, 150])]
fn file_model(bencher: divan::Bencher, services: usize) {
    let file = source(services);
    let env = env();
    bencher.bench(|| ComposeFile::parse(divan::black_box(&file), FileId(0), &env).model());
}

/// A project of the file and an override: merge, unicity and the typed view.
#[divan::bench(args = [150])]
fn project_with_override(bencher: divan::Bencher, services: usize) {
    let base = source(services);
    let over = SourceFile::from_text(
        "compose.override.yaml",
        "services:\n  odoo-0:\n    ports: !reset []\n    environment:\n      LOG_LEVEL: debug\n",
    );
    let options = LoadOptions {
        env: env(),
        ..LoadOptions::default()
    };
    bencher.bench(|| Project::from_sources(vec![base.clone(), over.clone()], None, &options));
}

/// The same 150 services written out without anchors.
#[divan::bench]
fn file_model_without_anchors(bencher: divan::Bencher) {
    let file = SourceFile::from_text("compose.yaml", generate::compose_without_anchors(150));
    let env = env();
    bencher.bench(|| ComposeFile::parse(divan::black_box(&file), FileId(0), &env).model());
}
