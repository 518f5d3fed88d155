#!/usr/bin/env bash
# Run the whole test suite (installing first if needed, Chromium included): lint, then pytest.
# Extra arguments go to pytest, e.g. scripts/test.sh -k render, or the quick loop, which leaves
# out the tests that start processes, servers or browsers: scripts/test.sh -m "not acceptance"
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --install-only
scripts/install-browser.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
