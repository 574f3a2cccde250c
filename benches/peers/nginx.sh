#!/bin/sh
# Parse throughput of ipai's nginx parser next to crossplane 0.5.8 (research/nginx.md §3.5),
# on the same machine, in the same run, on the same bytes: the 10,000-server Odoo file that
# benches/nginx.rs generates (it writes it when IPAI_NGINX_BIG_OUT is set).
#
# Usage: benches/peers/nginx.sh
# Needs python3 with venv; crossplane is installed from PyPI into a cached venv
# (CROSSPLANE_VENV, default ~/.cache/ipai-peers/crossplane-0.5.8) on first use.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
venv=${CROSSPLANE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/ipai-peers/crossplane-0.5.8}
work=$(mktemp -d "${TMPDIR:-/tmp}/ipai-nginx-peers.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
big="$work/big.conf"
cd "$repo"

echo "== generating the file (benches/nginx.rs)"
IPAI_NGINX_BIG_OUT="$big" cargo bench --quiet --bench nginx

if ! "$venv/bin/python" -c 'import crossplane' 2>/dev/null; then
    echo "== installing crossplane 0.5.8 into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet crossplane==0.5.8
fi

echo "== crossplane.parse(), 3 runs"
"$venv/bin/python" - "$big" > "$work/crossplane.txt" <<'PY'
import os, statistics, sys, time
import crossplane
path = sys.argv[1]
size = os.path.getsize(path)
times = []
for _ in range(3):
    start = time.perf_counter()
    payload = crossplane.parse(path)
    times.append(time.perf_counter() - start)
    assert payload["status"] == "ok", payload["errors"][:3]
median = statistics.median(times)
print(f"{size / median / 1e6:.2f} MB/s (median of {', '.join(f'{t:.2f} s' for t in times)})")
PY
cat "$work/crossplane.txt"

echo "== ipai (cargo bench --bench nginx)"
cargo bench --quiet --bench nginx -- big_odoo_vhosts | tee "$work/ipai.txt"
# The throughput row under the benchmark's name: fastest | slowest | median | mean.
ipai=$(grep -A1 'big_odoo_vhosts' "$work/ipai.txt" | tail -1 | awk -F'│' '{ gsub(/^ +| +$/, "", $3); print $3 }')

echo
echo "file: $(wc -c < "$big") bytes, $(wc -l < "$big") lines, 10000 server blocks"
printf '%-34s %s\n' "ipai nginx::parse (median of 10)" "$ipai"
printf '%-34s %s\n' "crossplane 0.5.8 crossplane.parse" "$(cat "$work/crossplane.txt")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
