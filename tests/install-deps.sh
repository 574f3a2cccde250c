#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the real validators
# (nginx, BIND's named-checkzone, Knot's kzonecheck), Python 3 for configparser (and pip,
# for gixy-next's test configurations), git, a
# Python virtual environment with pre-commit and jsonschema (from PyPI, see
# tests/python-tools.sh), and cargo-fuzz. Safe to run again: it installs only what is missing.
set -euo pipefail

need_apt=()
command -v nginx >/dev/null 2>&1 || need_apt+=(nginx-light)
# The Lua fixture of the nginx differential test loads lua-nginx-module.
dpkg -s libnginx-mod-http-lua >/dev/null 2>&1 || need_apt+=(libnginx-mod-http-lua)
command -v named-checkzone >/dev/null 2>&1 || need_apt+=(bind9-utils)
command -v kzonecheck >/dev/null 2>&1 || need_apt+=(knot-dnssecutils)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt+=(python3-venv)
# scripts/gixy_corpus.py downloads gixy-next's test configurations with `python3 -m pip`.
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v unshare >/dev/null 2>&1 || need_apt+=(util-linux)
[ -x /usr/bin/time ] || need_apt+=(time)
# The scaling test counts instructions under valgrind (tests/scaling.rs).
command -v valgrind >/dev/null 2>&1 || need_apt+=(valgrind)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing: ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The tests find this virtual environment beside the build output: <target dir>/test-venv.
bash "$(dirname "$0")/python-tools.sh" "${CARGO_TARGET_DIR:-target}/test-venv"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install --quiet --locked cargo-fuzz
fi
