//! No rule, loader or renderer is quadratic: `ipai-lint` is run as a process on each input
//! shape of `tests/common/inputs.rs` at sizes n, 2n and 4n, and the work it does is counted
//! as the instructions it executes, under valgrind's cachegrind (`--cache-sim=no`). Counting
//! instructions is deterministic, unlike time, and counts everything the process does:
//! discovery, parsing, every rule, suppressions and the output.
//!
//! The fixed cost of a run (start-up, the embedded facts) cancels out in differences: the
//! growth ratio is `(W(4n) − W(2n)) / (W(2n) − W(n))`, which is 2 for linear work and 4 for
//! quadratic work. A ratio above 2.5 fails the test with the shape and the figures.
//!
//! valgrind comes from Debian's packages (tests/install-deps.sh). Without it the test prints
//! a notice and passes, except under CI (`CI` set), where it fails.

mod common;

#[path = "common/inputs.rs"]
mod inputs;

use std::process::Command;

/// The largest growth ratio accepted when the input doubles.
const MAX_RATIO: f64 = 2.5;

/// The base size n of each shape: large enough that the growing work dwarfs noise in the
/// fixed cost, small enough that the three runs under valgrind take seconds.
const SIZES: &[(&str, usize)] = &[
    ("nginx-vhosts", 150),
    ("nginx-files", 150),
    ("nginx-locations", 250),
    ("nginx-http", 150),
    ("compose-services", 40),
    ("zone-records", 500),
    ("zone-one-name", 500),
    ("odoo-keys", 400),
    ("env-chain", 200),
    ("repo-files", 150),
    ("addons-modules", 150),
];

fn have_valgrind() -> bool {
    let found = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "valgrind is not installed; tests/install-deps.sh installs it"
        );
        eprintln!(
            "notice: valgrind is not installed; skipping the scaling test (CI fails instead)"
        );
    }
    found
}

/// The instructions `ipai-lint --format json` executes on the repo of `shape` at size `n`.
fn instructions(shape: &str, n: usize) -> u64 {
    let files = inputs::generate(shape, n).expect("a known shape");
    let repo = tempfile::tempdir().expect("a temporary directory");
    inputs::write(repo.path(), &files).expect("write the input");
    let output = Command::new("valgrind")
        .args([
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
        ])
        .arg(env!("CARGO_BIN_EXE_ipai-lint"))
        .args(["--format", "json", "--root"])
        .arg(repo.path())
        .arg(repo.path())
        .env("IPAI_TODAY", common::TODAY)
        .env("IPAI_THREADS", "1")
        .output()
        .expect("run valgrind");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{shape} at {n}: ipai-lint failed under valgrind:\n{stderr}"
    );
    stderr
        .lines()
        .find_map(|line| {
            let (_, count) = line.split_once("I   refs:")?;
            count.trim().replace(',', "").parse().ok()
        })
        .unwrap_or_else(|| panic!("{shape} at {n}: no instruction count in:\n{stderr}"))
}

/// `(W(4n) − W(2n)) / (W(2n) − W(n))` and the three counts.
fn growth(shape: &str, n: usize) -> (f64, [u64; 3]) {
    let counts = [
        instructions(shape, n),
        instructions(shape, 2 * n),
        instructions(shape, 4 * n),
    ];
    let first = counts[1].saturating_sub(counts[0]).max(1) as f64;
    let second = counts[2].saturating_sub(counts[1]) as f64;
    (second / first, counts)
}

#[test]
fn work_grows_linearly_with_every_input_shape() {
    if !have_valgrind() {
        return;
    }
    let mut table = String::new();
    let mut failures = Vec::new();
    // `IPAI_SCALING_SHAPES=nginx-vhosts,zone-records` measures only those.
    let only = std::env::var("IPAI_SCALING_SHAPES").unwrap_or_default();
    let wanted = |shape: &str| only.is_empty() || only.split(',').any(|s| s == shape);
    for &(shape, n) in SIZES.iter().filter(|(shape, _)| wanted(shape)) {
        let (ratio, [a, b, c]) = growth(shape, n);
        let line =
            format!("{shape:<18} n={n:<5} {a:>14} {b:>14} {c:>14}  growth ratio {ratio:.2}\n");
        eprint!("{line}");
        table.push_str(&line);
        if ratio > MAX_RATIO {
            failures.push(shape);
        }
    }
    assert!(
        failures.is_empty(),
        "work grew faster than linearly (ratio above {MAX_RATIO}) for {failures:?}:\n{table}"
    );
}

#[test]
fn every_shape_has_a_size() {
    for (shape, _) in inputs::SHAPES {
        assert!(
            SIZES.iter().any(|(s, _)| s == shape),
            "{shape} has no size in the scaling test"
        );
        assert!(inputs::generate(shape, 3).is_some_and(|files| !files.is_empty()));
    }
}
