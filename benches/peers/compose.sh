#!/usr/bin/env bash
# Compose parsing, whole process, ipai against its closest peer, dclint 3.1.0 (npm), on the
# same files: a generated 150-service file sharing one anchor (dclint's YAML library refuses
# it: more than 100 aliases), the same services written out without anchors, and the stack's
# compose file.
#
#   benches/peers/compose.sh            # SERVICES=150 RUNS=20 by default
#
# dclint is installed into a private prefix ($DCLINT_PREFIX) when missing; hyperfine is used
# when present (apt-get install -y hyperfine), /usr/bin/time otherwise. ipai is measured as a
# release-built process (the `compose_parse` example until the CLI replaces it).
# dclint lints too (15 rules), ipai only parses: the comparison is the floor of the peer's
# cost against the whole of ours.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERVICES=${SERVICES:-150}
RUNS=${RUNS:-20}
PREFIX=${DCLINT_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/ipai-peers/dclint-3.1.0}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

DCLINT="$PREFIX/node_modules/.bin/dclint"
if [ ! -x "$DCLINT" ]; then
    echo "installing dclint@3.1.0 into $PREFIX" >&2
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error dclint@3.1.0 >&2
fi
if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get install -y hyperfine >/dev/null 2>&1 || true
fi

cargo build --release --quiet --example compose_parse --manifest-path "$ROOT/Cargo.toml"
IPAI="$CARGO_TARGET_DIR/release/examples/compose_parse"

"$IPAI" --generate "$SERVICES" > "$WORK/compose.yaml"
"$IPAI" --generate-expanded "$SERVICES" > "$WORK/no-anchors.yaml"
cp "$ROOT/fixtures/parsers/compose/stack/docker-compose.yml" "$WORK/stack.yml"

echo "versions: dclint $("$DCLINT" --version 2>/dev/null | tail -1), node $(node --version), $(hyperfine --version 2>/dev/null || echo 'no hyperfine')"
echo "files: compose.yaml ($SERVICES services, $(wc -l < "$WORK/compose.yaml") lines)," \
    "no-anchors.yaml ($(wc -l < "$WORK/no-anchors.yaml") lines), stack.yml ($(wc -l < "$WORK/stack.yml") lines)"
"$IPAI" "$WORK/compose.yaml" "$WORK/no-anchors.yaml" "$WORK/stack.yml" | grep -v ':[0-9]*:[0-9]*:' || true
for file in compose.yaml no-anchors.yaml stack.yml; do
    # To a file, not a pipe: dclint's output to a pipe is cut at 64 KiB (node exits first).
    "$DCLINT" "$WORK/$file" > "$WORK/dclint.out" 2>&1 || true
    echo "dclint $file: $(grep -E 'problems|unknown-error' "$WORK/dclint.out" | head -2 | tr -s ' \n' ' ')"
done

for file in compose.yaml no-anchors.yaml stack.yml; do
    if command -v hyperfine >/dev/null 2>&1; then
        # dclint exits 1 when it has findings, hence -i.
        hyperfine -N -i --warmup 3 --runs "$RUNS" --style basic \
            -n "dclint $file" "$DCLINT $WORK/$file" \
            -n "ipai $file" "$IPAI $WORK/$file"
    else
        for tool in "$DCLINT" "$IPAI"; do
            echo "$(basename "$tool") $file:"
            /usr/bin/time -f "  %e s wall, %M KB max RSS" "$tool" "$WORK/$file" >/dev/null || true
        done
    fi
done
