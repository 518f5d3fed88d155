#!/usr/bin/env bash
# Check every link of the catalogue and the built site, as the nightly job does.
# Builds the site first; writes reports/links/report.md and report.json and
# updates reports/links/history.json. Extra arguments go to the checker, e.g.
#   scripts/check-links.sh --threads 8 --per-host-rate 1
# Exit status: 0 no new broken links, 1 new broken links, 2 the checker failed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
exec .venv/bin/ohm links "$@"
