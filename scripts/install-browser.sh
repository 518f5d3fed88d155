#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/test_browser.py), if it is missing.
#
# The tests drive it through Playwright's Python package; Playwright's own
# browser downloads are never used. Needs root (as in CI) or sudo without a
# password; re-running is a no-op once /usr/bin/chromium exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "The browser tests need Debian's chromium at $CHROMIUM, and installing it needs root." >&2
  echo "Install it once with: sudo apt-get install -y chromium" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "The browser tests need chromium at $CHROMIUM; this system has no apt-get to install it." >&2
  exit 1
fi

echo "Installing chromium for the browser tests ..."
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
if ! "${as_root[@]}" apt-get install -y -qq chromium >/dev/null; then
  echo "Could not install chromium with apt-get; the browser tests cannot run." >&2
  exit 1
fi
