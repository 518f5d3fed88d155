#!/usr/bin/env bash
# Set up everything on a fresh machine, then build the site into site/.
#
#   scripts/setup.sh                 install (if needed) and build the site
#   scripts/setup.sh --install-only  install (if needed), build nothing
#
# Installs the pinned dependencies of requirements.txt into .venv/ (created on
# first use) and the project itself in editable mode. Re-running is cheap:
# nothing is reinstalled unless requirements.txt or pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=.venv

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

stamp="$VENV/.installed-$(cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing pinned dependencies into $VENV/ ..."
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements.txt
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-virtualenv --no-deps --no-build-isolation -e .
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

if [ "${1:-}" = "--install-only" ]; then
  exit 0
fi

"$VENV/bin/ohm" validate
"$VENV/bin/ohm" build --quiet
echo "Site built into site/. Browse it with: .venv/bin/ohm serve"
