#!/usr/bin/env bash
# A versioned release of the catalogue, to cite and to use offline:
#
#   scripts/release.sh VERSION [DATE]      e.g. scripts/release.sh v2026.12.0
#
# builds the site with VERSION and DATE in every page's footer and in release.json
# (beside models.json and models.csv), without SITE_URL so that every link is relative,
# and writes to dist/ (or $DIST):
#   open-health-models-VERSION.tar.gz   the built site with the data and every download; it works
#                                       from any web server on an internal network
#   open-health-models-VERSION-models.json, -models.csv   the data alone
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:?usage: scripts/release.sh VERSION [DATE]}"
date="${2:-$(date -u +%F)}"
python="${PYTHON:-.venv/bin/python}"
dist="${DIST:-dist}"
name="open-health-models-$version"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

env -u SITE_URL OHM_RELEASE="$version" OHM_RELEASE_DATE="$date" \
  "$python" -m ohm build --quiet --site-dir "$work/$name"

commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
"$python" - "$work/$name/release.json" "$version" "$date" "$commit" <<'PY'
import json, sys
path, version, date, commit = sys.argv[1:]
record = {"name": "Open Health Models", "version": version, "date": date, "commit": commit}
with open(path, "w", encoding="utf-8") as file:
    file.write(json.dumps(record, indent=2) + "\n")
PY
cat > "$work/$name/README.txt" <<TEXT
Open Health Models $version ($date)

The catalogue's site with its data, for use without the internet. Serve this folder with
any web server, for example:

    python3 -m http.server --bind 127.0.0.1 8000 --directory .

and open http://127.0.0.1:8000/. The data: models.json, models.csv, release.json.
TEXT
rm -f "$work/$name/.ohm-output" "$work/$name/.ohm-site"

mkdir -p "$dist"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$date 00:00:00Z" \
  -czf "$dist/$name.tar.gz" -C "$work" "$name"
cp "$work/$name/models.json" "$dist/$name-models.json"
cp "$work/$name/models.csv" "$dist/$name-models.csv"
echo "$dist/$name.tar.gz"
