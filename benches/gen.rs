//! `ipai-gen` on the whole InsightPulse stack: render every file, lint the output with
//! ipai-lint's engine, and compare it with a checked-out copy (what `ipai-gen --check`
//! does), together and step by step. Run: `cargo bench --bench gen`.

use ipai::gen::{self, sync};
use ipai::stack::{Date, Stack};
use std::path::PathBuf;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn today() -> Date {
    "2026-11-25".parse().unwrap()
}

/// A directory holding the stack as `--write` leaves it, made once.
fn checkout() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ipai-bench-gen-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let generated = gen::generate(&Stack::insightpulse(), None, today(), None, None)
            .expect("the embedded stack renders");
        for file in &generated.files {
            sync::write_atomic(&dir.join(&file.path), file.contents.as_bytes(), false)
                .expect("write");
        }
        dir
    })
}

#[divan::bench]
fn render_lint_compare() -> usize {
    let stack = Stack::insightpulse();
    let generated = gen::generate(&stack, None, today(), None, None).unwrap();
    let (_, report) = gen::self_lint(&generated, checkout(), today());
    let planned = sync::survey(generated.files, checkout());
    assert!(planned.iter().all(|p| p.state == gen::FileState::UpToDate));
    report.findings.len() + planned.len()
}

#[divan::bench]
fn render_only() -> usize {
    let generated = gen::generate(&Stack::insightpulse(), None, today(), None, None).unwrap();
    generated.files.len()
}

#[divan::bench]
fn self_lint_only(bencher: divan::Bencher) {
    let generated = gen::generate(&Stack::insightpulse(), None, today(), None, None).unwrap();
    bencher.bench(|| {
        gen::self_lint(&generated, checkout(), today())
            .1
            .findings
            .len()
    });
}

#[divan::bench]
fn compare_only(bencher: divan::Bencher) {
    let generated = gen::generate(&Stack::insightpulse(), None, today(), None, None).unwrap();
    bencher.bench(|| sync::survey(generated.files.clone(), checkout()).len());
}
