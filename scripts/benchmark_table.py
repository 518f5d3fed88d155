"""Benchmark of the comparison table: how long a filter, a search or a sort takes to show.

    .venv/bin/python scripts/benchmark_table.py [--sizes 1000 10000] [--repeat 5]

For each size, makes a synthetic catalogue by copying the real entries under new
ids and names, renders the home page and the complete list (models/) with the
project's templates and Markdown extensions, and opens the home page in headless
Chromium with the real compare.js and compare.css, served from 127.0.0.1. It
prints the weight of both pages, the time the first filter takes (it loads the
rows the home page does not carry) and then, for filter changes, searches and
sorts, the time from the change to the next painted frame (median and worst).

Not a test: it prints figures for a person to compare, nothing asserts a time.
Only the two pages are built (not the site), so it runs in seconds.
"""

from __future__ import annotations

import argparse
import copy
import functools
import http.server
import re
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

import markdown
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data
from playwright.sync_api import sync_playwright

from ohm.catalog import DEFAULT_CATALOGUE
from ohm.catalog.catalogue import build_catalogue
from ohm.catalog.load import load_catalogue
from ohm.site.render import INDEX_PAGE, render_pages
from ohm.site.table import ALL_MODELS_PAGE

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "docs" / "assets"
CHROMIUM = "/usr/bin/chromium"

# Time from a change to the next painted frame, measured in the page.
MEASURE = """async ([selector, action, value]) => {
  const control = document.querySelector(selector);
  const start = performance.now();
  if (action === "click") control.click();
  else { control.value = value; control.dispatchEvent(new Event("input", { bubbles: true })); }
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""


# The first filter on a partial table: until the other rows are loaded and shown.
FIRST = """async () => {
  const control = document.querySelector("#ohm-use");
  const count = document.querySelector(".ohm-count");
  const start = performance.now();
  control.value = "allowed";
  control.dispatchEvent(new Event("input", { bubbles: true }));
  while (count.textContent.startsWith("Loading")) {
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  }
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""


def synthetic_data(count: int) -> dict:
    data = load_catalogue(DEFAULT_CATALOGUE).data
    entries = data["models"]
    data["models"] = [
        {**copy.deepcopy(entries[n % len(entries)]), "id": f"model-{n:05d}", "name": f"Model {n:05d}"}
        for n in range(count)
    ]
    return data


def html_page(markdown_page: str, depth: int) -> str:
    """A page as the site would have it, reduced to the table's own script and stylesheet."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    body = markdown.markdown(
        get_data(markdown_page)[0],
        extensions=config.markdown_extensions,
        extension_configs=config.mdx_configs,
    )
    body = re.sub(r'href="([^"]*?)(?:index)?\.md"', lambda m: f'href="{m.group(1) or "./"}"', body)
    up = "../" * depth
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{up}assets/stylesheets/compare.css"></head>'
        f'<body><article class="md-typeset">{body}</article>'
        f'<script src="{up}assets/javascripts/compare.js"></script></body></html>'
    )


def write_site(folder: Path, count: int) -> dict[str, int]:
    pages = render_pages(build_catalogue(synthetic_data(count)))
    sizes = {}
    for path, depth in ((INDEX_PAGE, 0), (ALL_MODELS_PAGE, 1)):
        target = folder / path.replace(".md", ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html_page(pages[path], depth), encoding="utf-8")
        sizes[path] = target.stat().st_size
    shutil.copytree(ASSETS, folder / "assets")
    return sizes


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure(base: str, repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/")
        page.wait_for_selector(".ohm-filters:not([hidden])")
        times["first filter (loads the other rows)"] = [page.evaluate(FIRST)]
        page.evaluate(MEASURE, ["#ohm-use", "input", ""])
        steps = [
            ("filter: commercial use", "#ohm-use", "input", ["allowed", "restricted", ""]),
            ("filter: task", "#ohm-task", "input", ["segmentation", "transcription", ""]),
            ("search: one word", "#ohm-search", "input", ["clinical", "segmentation", ""]),
            ("search: a rare name", "#ohm-search", "input", ["model 00042", ""]),
            ("sort: model name", ".ohm-col-1 .ohm-sort", "click", [None, None]),
            ("sort: licence", ".ohm-col-3 .ohm-sort", "click", [None, None]),
        ]
        for _ in range(repeat):
            for label, selector, action, values in steps:
                for value in values:
                    times.setdefault(label, []).append(page.evaluate(MEASURE, [selector, action, value]))
        browser.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix="ohm-table-") as folder:
            sizes = write_site(Path(folder), count)
            handler = functools.partial(QuietFiles, directory=folder)
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                times = measure(f"http://127.0.0.1:{server.server_address[1]}", args.repeat)
            finally:
                server.shutdown()
                server.server_close()
        print(f"\n{count} models: home page {sizes[INDEX_PAGE] / 1024:.0f} KB, ", end="")
        print(f"complete list {sizes[ALL_MODELS_PAGE] / 1024:.0f} KB")
        print(f"  {'change':<40} {'median ms':>10} {'worst ms':>10}")
        for label, values in times.items():
            print(f"  {label:<40} {statistics.median(values):>10.1f} {max(values):>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
