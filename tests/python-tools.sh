#!/usr/bin/env bash
# Creates, once, the Python virtual environment holding the real tools some tests drive:
# pre-commit (tests/pre_commit.rs runs `pre-commit try-repo` on this repository) and
# jsonschema (tests/formats.rs validates SARIF output against the OASIS schema).
# Usage: bash tests/python-tools.sh VENV_DIR. Safe to run again.
set -euo pipefail
venv="${1:?usage: python-tools.sh VENV_DIR}"
if "$venv/bin/python" -c 'import jsonschema, pre_commit' >/dev/null 2>&1; then
    exit 0
fi
echo "creating $venv with pre-commit and jsonschema" >&2
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    'pre-commit==4.7.0' 'jsonschema==4.26.0'
