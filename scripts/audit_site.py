"""Accessibility audit of a built site: axe-core's WCAG 2.2 AA rules in headless Chromium.

    .venv/bin/python scripts/audit_site.py [--site site] [--details]

Serves the built site from 127.0.0.1 and runs axe-core (the copy that ships in
the axe-playwright-python package, so nothing is fetched) on the pages a
visitor meets (ohm.accessibility.VISITOR_PAGES), in light and dark mode, at
1280 and 390 px wide, each with the search closed and then open with results;
prints the violations per page, as rules and as elements. Pages the site does not have
are listed as missing. Not a test: tests/test_browser.py asserts zero
violations; this prints figures to compare two builds.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import sync_playwright

from ohm.accessibility import VISITOR_PAGES, describe, open_search, wcag_violations

CHROMIUM = "/usr/bin/chromium"
SCHEMES = ("light", "dark")
WIDTHS = (1280, 390)


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(QuietFiles, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--details", action="store_true", help="name each violated rule and its elements")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here (run: .venv/bin/ohm build)", file=sys.stderr)
        return 2

    totals = {"rules": 0, "elements": 0}
    with serve(args.site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        print(f"{'page':<24} {'scheme':<6} {'width':>5} {'search':<6}  {'rules':>5} {'elements':>8}")
        for name, path in VISITOR_PAGES.items():
            for scheme in SCHEMES:
                for width in WIDTHS:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900}, color_scheme=scheme
                    )
                    page = context.new_page()
                    response = page.goto(base + path)
                    if response is None or response.status != 200:
                        print(f"{name:<24} {scheme:<6} {width:>5} {'':<6}  missing")
                        context.close()
                        continue
                    page.wait_for_load_state("networkidle")
                    for search in ("closed", "open"):
                        if search == "open":
                            open_search(page)
                        violations = wcag_violations(page)
                        elements = sum(len(rule["nodes"]) for rule in violations)
                        totals["rules"] += len(violations)
                        totals["elements"] += elements
                        where = f"{name:<24} {scheme:<6} {width:>5} {search:<6}"
                        print(f"{where}  {len(violations):>5} {elements:>8}")
                        if args.details:
                            for line in describe(violations):
                                print(f"    {line}")
                    context.close()
        browser.close()
    print(f"{'total':<24} {'':<6} {'':>5} {'':<6}  {totals['rules']:>5} {totals['elements']:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
