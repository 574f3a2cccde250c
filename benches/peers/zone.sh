#!/bin/sh
# Wall time and peak memory of ipai's zone parser against kzonecheck (Knot DNS) and
# named-checkzone (BIND 9.18) on the generated 1,000,000-record zone
# (benches/peers/zone_gen.rs, the same generator as benches/zone.rs).
#
# Needs: named-checkzone (apt bind9-utils), kzonecheck (apt knot-dnssecutils),
# /usr/bin/time (apt time). Each tool runs RUNS times (default 3); the best wall time and
# the largest peak RSS are reported. ipai runs as a release-built process that reads the
# file, parses it completely and reports errors (examples/zone_parse.rs); ipai-lint runs
# every rule on a repo holding the zone (parse and check), the figure the targets apply to.
#
# Project targets: ipai >= 1.5x faster than kzonecheck, >= 4x faster than named-checkzone,
# peak memory not above named-checkzone's.
#
#   benches/peers/zone.sh            # 1,000,000 records
#   RECORDS=100000 RUNS=1 benches/peers/zone.sh
set -eu

RECORDS=${RECORDS:-1000000}
RUNS=${RUNS:-3}
ORIGIN=bench.example
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/examples

for tool in named-checkzone kzonecheck /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (apt-get install -y bind9-utils knot-dnssecutils time)" >&2; exit 2; }
done

(cd "$ROOT" && cargo build --quiet --release --example zone_gen --example zone_parse --bin ipai-lint)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
ZONE=$TMP/bench.zone
"$BIN/zone_gen" "$RECORDS" "$ORIGIN" "$ZONE"
BYTES=$(wc -c < "$ZONE")
echo "zone: $RECORDS records + SOA + 2 NS, $BYTES bytes; best wall of $RUNS runs"

# measure NAME COMMAND...: prints "NAME WALL RSS_KB" and records them in $TMP/results
measure() {
    name=$1
    shift
    best=""
    peak=0
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        if ! /usr/bin/time -f "%e %M" -o "$TMP/time" "$@" >"$TMP/out" 2>&1; then
            echo "$name failed:" >&2
            tail -5 "$TMP/out" >&2
            exit 1
        fi
        read -r wall rss < "$TMP/time"
        if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
        if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
        i=$((i + 1))
    done
    echo "$name $best $peak" >> "$TMP/results"
}

# ipai-lint: parse and check, every rule, as a whole process on a repo holding the zone.
mkdir -p "$TMP/repo/dns"
touch "$TMP/repo/ipai.toml"
ln "$ZONE" "$TMP/repo/dns/$ORIGIN.zone"
measure ipai-lint sh -c "'$TARGET/release/ipai-lint' --root '$TMP/repo' --format json > '$TMP/lint.json'; [ \$? -le 1 ]"
measure ipai-parse "$BIN/zone_parse" "$ORIGIN" "$ZONE"
measure kzonecheck kzonecheck -o "$ORIGIN" "$ZONE"
measure named-checkzone named-checkzone -i local "$ORIGIN" "$ZONE"

awk -v records="$RECORDS" '
    { name[NR] = $1; wall[NR] = $2; rss[NR] = $3 }
    END {
        printf "%-16s %9s %12s %10s %14s\n", "tool", "wall (s)", "records/s", "peak RSS", "ipai speedup"
        for (i = 1; i <= NR; i++) {
            rate = wall[i] > 0 ? records / wall[i] : 0
            speed = wall[1] > 0 ? wall[i] / wall[1] : 0
            printf "%-16s %9.2f %12.0f %7.0f MB %13.2fx\n", name[i], wall[i], rate, rss[i] / 1024, speed
        }
        missed = 0
        missed += target(wall[3] / wall[1] >= 1.5, sprintf("ipai-lint %.2fx faster than kzonecheck (target >= 1.5x)", wall[3] / wall[1]))
        missed += target(wall[4] / wall[1] >= 4, sprintf("ipai-lint %.2fx faster than named-checkzone (target >= 4x)", wall[4] / wall[1]))
        missed += target(rss[1] <= rss[4], sprintf("ipai-lint peak RSS %.0f MB, named-checkzone %.0f MB (target: not above)", rss[1] / 1024, rss[4] / 1024))
        exit missed > 0
    }
    function target(ok, what) {
        print (ok ? "met:    " : "MISSED: ") what
        return ok ? 0 : 1
    }' "$TMP/results"
