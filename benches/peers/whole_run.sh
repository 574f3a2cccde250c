#!/usr/bin/env bash
# Times `ipai-lint` on fixtures/insightpulse as a whole process (start-up included),
# the figure the README reports. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet --bin ipai-lint
hyperfine --warmup 20 --runs 200 -N --ignore-failure \
    'target/release/ipai-lint --format json fixtures/insightpulse' \
    'target/release/ipai-lint fixtures/insightpulse'
