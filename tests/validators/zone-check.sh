#!/bin/sh
# Checks zone files with the real validators, the way CI should check what ipai-gen writes:
#
#   tests/validators/zone-check.sh ORIGIN FILE...
#
# - named-checkzone (BIND 9.18, apt bind9-utils) with hermetic integrity checks (-i local,
#   no network lookups) and the strict severities of research/dns.md §1.1: bad host
#   names, MX/NS that are addresses, MX/SRV that are CNAMEs, and RRsets that differ only in
#   DNSSEC-equivalent ways all fail.
# - kzonecheck (Knot DNS, apt knot-dnssecutils) with -v so syntax errors are shown. Knot
#   rejects BIND-only forms ($GENERATE, CRLF, relative $ORIGIN, CLASS1); set SKIP_KNOT=1
#   for such files.
#
# Exit status: 0 when every file passes every tool, 1 otherwise, 2 on usage errors or a
# missing tool.
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 ORIGIN FILE..." >&2
    exit 2
fi
origin=$1
shift

for tool in named-checkzone kzonecheck; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$tool not found: apt-get install -y bind9-utils knot-dnssecutils" >&2
        exit 2
    fi
done

status=0
for file in "$@"; do
    dir=$(dirname "$file")
    base=$(basename "$file")
    # BIND resolves $INCLUDE from its working directory: run it from the zone's directory.
    if out=$(cd "$dir" && named-checkzone -i local -k fail -m fail -M fail -n fail -S fail -r fail \
        "$origin" "$base" 2>&1); then
        echo "ok   named-checkzone $file"
    else
        echo "FAIL named-checkzone $file"
        echo "$out" | sed 's/^/     /'
        status=1
    fi
    if [ "${SKIP_KNOT:-0}" = 1 ]; then
        continue
    fi
    if out=$(cd "$dir" && kzonecheck -v -o "$origin" "$base" 2>&1); then
        echo "ok   kzonecheck      $file"
    else
        echo "FAIL kzonecheck      $file"
        echo "$out" | sed 's/^/     /'
        status=1
    fi
done
exit $status
