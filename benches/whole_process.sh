#!/usr/bin/env bash
# Whole-process benchmark: `ipai-lint --format json` as a user runs it (start-up, discovery,
# parsing, every rule, output), on generated repos at 1×, 10× and 100× input, with time,
# MB/s and peak memory; the peers run on the same files in the same run.
#
#   bash benches/whole_process.sh              # every shape, RUNS=3 (best of)
#   SHAPES="nginx-vhosts zone-records" bash benches/whole_process.sh
#   PEERS=0 bash benches/whole_process.sh      # ipai only
#
# Shapes and base sizes (×1, ×10, ×100):
#   nginx-vhosts 100 (→ 10,000 vhosts), zone-records 10,000 (→ 1,000,000 names, 2 records
#   each), compose-services 15 (→ 1,500), repo-files 50 (→ 5,000 files), nginx-files 50,
#   nginx-locations 140 (→ 14,000 in one server), nginx-http 100 (→ 10,000 vhosts in one
#   `http` block), zone-one-name 400 (→ 40,000), odoo-keys
#   3,000 (→ 300,000), env-chain 100 (→ 10,000), addons-modules 10 (→ 1,000 modules, each
#   depending on the one before, all listed in .env); and `ipai-gen --check` in a repo holding
#   the files it writes.
# Peers (installed on first use into ~/.cache/ipai-peers): crossplane 0.5.8 (parse only) and
# gixy-next 0.9.0 (1,000 vhosts) on nginx-vhosts; named-checkzone and kzonecheck on
# zone-records; dclint 3.1.0 on compose-services.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
PEERS=${PEERS:-1}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ipai-peers
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ipai-whole.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

declare -A BASE=(
    [nginx-vhosts]=100 [nginx-http]=100 [nginx-files]=50 [nginx-locations]=140 [compose-services]=15
    [zone-records]=10000 [zone-one-name]=400 [odoo-keys]=3000 [env-chain]=100 [repo-files]=50
    [addons-modules]=10
)
SHAPES=${SHAPES:-"nginx-vhosts zone-records compose-services repo-files nginx-files nginx-locations zone-one-name odoo-keys env-chain addons-modules"}

cargo build --release --quiet --bins --example scale_inputs --manifest-path "$ROOT/Cargo.toml"
LINT="$CARGO_TARGET_DIR/release/ipai-lint"
GEN="$CARGO_TARGET_DIR/release/ipai-gen"
INPUTS="$CARGO_TARGET_DIR/release/examples/scale_inputs"

# best_of CMD...: the best wall time (s) and the peak RSS (MB) of RUNS runs, as "s MB".
best_of() {
    local best="" peak=0 line secs kb
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -o "$WORK/time" -f '%e %M' "$@" > /dev/null 2>&1 || true
        line=$(tail -n 1 "$WORK/time")
        secs=${line% *}
        kb=${line#* }
        if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$secs; fi
        [ "$kb" -gt "$peak" ] && peak=$kb
    done
    echo "$best $((peak / 1024))"
}

row() { # what size bytes "secs MB"
    local what=$1 size=$2 bytes=$3 secs=${4% *} mb=${4#* }
    local rate
    rate=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { if (s > 0) printf "%.1f", b / s / 1e6; else print "-" }')
    printf '| %s | %s | %.2f MB | %s s | %s MB/s | %s MB |\n' "$what" "$size" \
        "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$secs" "$rate" "$mb"
}

venv_with() { # name package: a cached venv holding package
    local venv="$CACHE/$1"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/pip" show "${2%%==*}" > /dev/null 2>&1; then
        python3 -m venv "$venv" >&2
        "$venv/bin/pip" install --quiet "$2" >&2
    fi
    echo "$venv"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); best of $RUNS runs each"
echo
echo '| what | size | input | wall | throughput | peak memory |'
echo '|---|---|---|---|---|---|'
for shape in $SHAPES; do
    for times in 1 10 100; do
        n=$((BASE[$shape] * times))
        dir="$WORK/$shape-$n"
        mkdir -p "$dir"
        bytes=$("$INPUTS" "$shape" "$n" "$dir")
        row "ipai-lint, $shape" "$n" "$bytes" "$(best_of "$LINT" --format json --root "$dir" "$dir")"
        if [ "$PEERS" = 1 ]; then
            case "$shape" in
            nginx-vhosts)
                cp_venv=$(venv_with crossplane-0.5.8 crossplane==0.5.8)
                # crossplane checks each directive's context: give it the http block the
                # site file is included into, as nginx.conf does.
                printf 'events {}\nhttp {\n    include conf.d/odoo.conf;\n}\n' > "$dir/nginx.conf"
                "$cp_venv/bin/crossplane" parse --out "$WORK/crossplane.json" "$dir/nginx.conf"
                if head -c 20 "$WORK/crossplane.json" | grep -q '"status":"ok"'; then
                    row "crossplane 0.5.8 parse" "$n" "$bytes" \
                        "$(best_of "$cp_venv/bin/crossplane" parse --out /dev/null "$dir/nginx.conf")"
                fi
                rm -f "$dir/nginx.conf"
                if [ "$times" = 10 ]; then
                    gx_venv=$(venv_with gixy-next-0.9.0 gixy-next==0.9.0)
                    gixy=$(ls "$gx_venv"/bin/gixy* 2> /dev/null | head -n 1)
                    [ -n "$gixy" ] && row "gixy-next 0.9.0" "$n" "$bytes" "$(best_of "$gixy" "$dir/conf.d/odoo.conf")"
                fi
                ;;
            zone-records)
                zone="$dir/dns/example.org.zone"
                command -v named-checkzone > /dev/null &&
                    row "named-checkzone -i local" "$n" "$bytes" "$(best_of named-checkzone -i local example.org "$zone")"
                command -v kzonecheck > /dev/null &&
                    row "kzonecheck" "$n" "$bytes" "$(best_of kzonecheck -o example.org "$zone")"
                ;;
            compose-services)
                prefix="$CACHE/dclint-3.1.0"
                if [ ! -x "$prefix/node_modules/.bin/dclint" ] && command -v npm > /dev/null; then
                    mkdir -p "$prefix"
                    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error dclint@3.1.0 >&2
                fi
                [ -x "$prefix/node_modules/.bin/dclint" ] &&
                    row "dclint 3.1.0" "$n" "$bytes" "$(best_of "$prefix/node_modules/.bin/dclint" "$dir/docker-compose.yml")"
                ;;
            esac
        fi
        rm -rf "$dir"
    done
done

# ipai-gen --check in a repo holding the files it writes (the embedded facts).
repo="$WORK/gen"
mkdir -p "$repo"
"$GEN" --out "$repo" > /dev/null 2>&1 || true
rm -f "$repo/stack.yaml"
row "ipai-gen --check (embedded facts)" "1 stack" "$(du -sb "$repo" | cut -f1)" "$(best_of "$GEN" --check --root "$repo")"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
