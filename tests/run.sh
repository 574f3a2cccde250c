#!/usr/bin/env bash
# The whole test suite, exactly what CI runs: installs the validators, then format and
# lint checks, every test (unit, integration, real-validator, snapshot), and a short run
# of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install-deps.sh
export CI="${CI:-true}"          # validator tests fail, rather than skip, when a tool is missing
export IPAI_TODAY=2026-11-25      # expiry findings are reproducible

cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets

# Fuzz: build every target and run each briefly (libFuzzer needs nightly features).
fuzz_seconds="${IPAI_FUZZ_SECONDS:-20}"
(
    cd fuzz
    export RUSTC_BOOTSTRAP=1
    cargo fuzz build --dev
    for target in $(cargo fuzz list); do
        echo "fuzzing $target for ${fuzz_seconds}s"
        cargo fuzz run --dev "$target" -- -max_total_time="$fuzz_seconds" -rss_limit_mb=4096 2>&1 | tail -n 2
    done
)
echo "all tests passed"
