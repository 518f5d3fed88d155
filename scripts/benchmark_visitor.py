"""What a visitor downloads: requests, bytes and time per action, at each catalogue size, for both engines.

    .venv/bin/python scripts/benchmark_visitor.py [--sizes 69,1000,10000] [--engines mkdocs,zensical]

For each size it makes a catalogue of that many entries (ohm.catalog.synthetic, as
scripts/benchmark_build.py does), builds it with each engine as `ohm build` does
(MkDocs with the plugin, or Zensical; the search index included), serves the site from
127.0.0.1 and opens it in
headless Chromium, each action in a fresh browser context (nothing cached):

- open a page: a model page, until the page has loaded and the network is idle;
- search: then type a model's name in the search box, until its page is the first result;
- compare two models: open compare/?models=A,B, until the comparison table is shown;
- filter the table: on the home page, choose a commercial-use filter, until the table is drawn;
- sort it: on the home page, sort by the first column, until the table is drawn;
- show all: on the home page, ask for every row, until they are drawn;
- search the table: on the home page, type a model's name in the table's search box, until its
  row is shown.

For each it prints the requests and the bytes transferred (as stored, before
compression: the server compresses nothing), those of opening the page first
apart, and the time from the action to its result. Not a test: it prints
figures for a person to compare, nothing asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue
from ohm.catalog.synthetic import make_project, synthetic_catalogue
from ohm.engines import build_site

CHROMIUM = "/usr/bin/chromium"
QUIET = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TIMEOUT_MS = 600_000  # a 10,000-entry table loaded whole can take minutes on a slow machine


@dataclass
class Traffic:
    requests: int = 0
    bytes: int = 0


@dataclass
class Result:
    page: Traffic  # opening the page the action starts on
    action: Traffic  # the action itself
    seconds: float  # from the action to its result


def make_sized_project(destination: Path, size: int) -> Path:
    return make_project(destination, synthetic_catalogue(DEFAULT_CATALOGUE.read_text(encoding="utf-8"), size))


def build(project: Path, engine: str, site: Path) -> float:
    """Build as `ohm build` does, with the project's plugin or pre-rendered for Zensical; the seconds."""
    start = time.perf_counter()
    config = project / "mkdocs.yml"
    if engine == "mkdocs":
        command = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "--strict",
            "--config-file",
            str(config),
        ]
        subprocess.run([*command, "--site-dir", str(site)], cwd=project, check=True, env=QUIET)
    elif build_site(engine, config, site, quiet=True) != 0:
        raise SystemExit(f"{engine} could not build {project}")
    return time.perf_counter() - start


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietFiles, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def counted(page: Page) -> Traffic:
    """Traffic that grows with every response the page receives (Content-Length: files as stored)."""
    traffic = Traffic()

    def received(response) -> None:
        traffic.requests += 1
        traffic.bytes += int(response.headers.get("content-length", "0") or 0)

    page.on("response", received)
    return traffic


def table_drawn(page: Page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ohm-count')].every(c => !c.textContent.startsWith('Loading'))",
        timeout=TIMEOUT_MS,
    )


def measure(
    context: BrowserContext, url: str, act: Callable[[Page], None] | None, done: Callable[[Page], None]
) -> Result:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    traffic = counted(page)
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    if act is None:
        done(page)
        page.wait_for_load_state("networkidle")
        result = Result(Traffic(), Traffic(traffic.requests, traffic.bytes), time.perf_counter() - start)
    else:
        page.wait_for_load_state("networkidle")
        before = Traffic(traffic.requests, traffic.bytes)
        start = time.perf_counter()
        act(page)
        done(page)
        seconds = time.perf_counter() - start
        page.wait_for_load_state("networkidle")
        after = Traffic(traffic.requests - before.requests, traffic.bytes - before.bytes)
        result = Result(before, after, seconds)
    page.close()
    return result


def actions(project: Path) -> dict[str, tuple[str, Callable[[Page], None] | None, Callable[[Page], None]]]:
    """Each action: the page it starts on, what the visitor does there (None: only open it), its result."""
    catalogue = open_catalogue(project / "data" / "models.yaml").catalogue
    models = sorted(catalogue.models, key=lambda model: model.id)
    named = models[len(models) // 2]
    first, second = models[0], models[-1]

    def search(page: Page) -> None:
        box = page.get_by_role("textbox", name="Search").first
        box.click()
        box.fill(named.name)

    def first_result(page: Page) -> None:
        page.wait_for_function(
            "(path) => { const a = document.querySelector('a.md-search-result__link');"
            " return a && new URL(a.href).pathname.endsWith(path); }",
            arg=f"/models/{named.id}/",
            timeout=TIMEOUT_MS,
        )

    def filter_table(page: Page) -> None:
        page.locator("select#ohm-use").select_option("allowed")

    def sort_table(page: Page) -> None:
        page.locator(".ohm-compare thead button.ohm-sort").first.click()

    def show_all(page: Page) -> None:
        page.locator(".ohm-compare .ohm-more").first.click()

    def search_table(page: Page) -> None:
        page.locator("#ohm-search").fill(named.name)

    def named_row(page: Page) -> None:
        # Drawn from the search, not the first rows the page carries: the count no longer says so.
        page.wait_for_function(
            "(id) => { const c = document.querySelector('.ohm-count').textContent;"
            " return !c.startsWith('Loading') && !c.includes('the others load')"
            " && document.getElementById(id); }",
            arg=f"row-{named.id}",
            timeout=TIMEOUT_MS,
        )

    def all_rows(page: Page) -> None:
        table_drawn(page)
        page.wait_for_function(
            "(n) => document.querySelectorAll('.ohm-compare tbody tr').length >= n",
            arg=len(models),
            timeout=TIMEOUT_MS,
        )

    return {
        "open a page": (f"/models/{named.id}/", None, lambda page: page.locator("article h1").wait_for()),
        "search for a model's name": (f"/models/{first.id}/", search, first_result),
        "compare two models": (
            f"/compare/?models={first.id},{second.id}",
            None,
            lambda page: page.locator(".ohm-side table").wait_for(),
        ),
        "filter the table": ("/", filter_table, table_drawn),
        "search the table for a name": ("/", search_table, named_row),
        "sort the table": ("/", sort_table, table_drawn),
        "show all": ("/", show_all, all_rows),
    }


def kilobytes(count: int) -> str:
    return f"{count / 1000:,.0f} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="69,1000", help="catalogue sizes, comma-separated")
    parser.add_argument("--engines", default="mkdocs,zensical", help="engines, comma-separated")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    engines = args.engines.split(",")

    print("| engine | entries | action | requests | bytes | of which the page | time to the result |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="ohm-visitor-") as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        for size in sizes:
            work = Path(scratch) / str(size)
            project = make_sized_project(work / "project", size)
            for engine in engines:
                site = work / f"site-{engine}"
                seconds = build(project, engine, site)
                print(f"<!-- {engine}, {size} entries: built in {seconds:.0f} s -->", file=sys.stderr)
                parts = [*sorted(site.glob("models/_all-*/index.html")), site / "models" / "index.html"]
                print(
                    f"<!-- {engine}, {size} entries: the complete list without JavaScript in {len(parts)} "
                    f"page(s), the largest {kilobytes(max(p.stat().st_size for p in parts))} -->",
                    flush=True,
                )
                steps = actions(project)
                with serve(site) as base:
                    for name, (path, act, done) in steps.items():
                        context = browser.new_context(viewport={"width": 1280, "height": 900})
                        result = measure(context, base + path, act, done)
                        context.close()
                        total = Traffic(
                            result.page.requests + result.action.requests,
                            result.page.bytes + result.action.bytes,
                        )
                        page_part = kilobytes(result.page.bytes) if act else "(all)"
                        print(
                            f"| {engine} | {size:,} | {name} | {total.requests:,} | {kilobytes(total.bytes)} "
                            f"| {page_part} | {result.seconds:.2f} s |",
                            flush=True,
                        )
                shutil.rmtree(site)
            shutil.rmtree(work)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
