#!/usr/bin/env bash
# Regenerate requirements.lock: the exact version of every package eventline and all its
# extras need, resolved today in a throwaway virtualenv. Every machine then installs the same
# versions (scripts/setup.sh passes the lock to pip as constraints), so the gate's figures are
# the same everywhere. Run it after changing a dependency in pyproject.toml, then run
# scripts/test and commit both files together.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$PYTHON" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet --upgrade pip 2> >(grep -v "^WARNING: Location '" >&2)
"$scratch/venv/bin/python" -m pip install --quiet ".[test,postgres,spark,build]" 2> >(grep -v "^WARNING: Location '" >&2)
{
  echo "# Exact versions for every machine: written by scripts/lock.sh, read by scripts/setup.sh."
  echo "# Python $("$scratch/venv/bin/python" -c 'import platform; print(platform.python_version())'); do not edit by hand."
  "$scratch/venv/bin/python" -m pip freeze --all | grep -v -i "^eventline[= @]" | LC_ALL=C sort -f
} > requirements.lock
echo "requirements.lock: $(grep -vc '^#' requirements.lock) packages"
