"""The built site in a real browser: Debian's headless Chromium, driven by Playwright.

The real catalogue is built once, with REPO_URL pointing at a fake repository
on 127.0.0.1, and served from 127.0.0.1 as well. Every request the browser
makes to any other host is blocked and fails the test, and so does any error
in the console. Screenshots of the home page and a model page are saved in
test-artifacts/ for people to look at.

Chromium is installed by scripts/install-browser.sh (scripts/test.sh runs it).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect, sync_playwright

from ohm.catalog import DEFAULT_CATALOGUE, read_catalogue
from ohm.catalog.catalogue import Catalogue, Model

from .conftest import ROOT, run_mkdocs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
LOOPBACK = "127.0.0.1"


@contextlib.contextmanager
def serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 on a free port; yields its base URL."""
    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class FakeRepository(http.server.BaseHTTPRequestHandler):
    """Stands in for the project's repository: any page, saying which path was asked for."""

    opened: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.opened.append(self.path)
        body = f"<!doctype html><title>Fake repository</title><h1>Fake repository</h1><p>{self.path}</p>"
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    catalogue, problems = read_catalogue(DEFAULT_CATALOGUE)
    assert problems == []
    return catalogue


def model(catalogue: Catalogue, model_id: str) -> Model:
    return next(m for m in catalogue.models if m.id == model_id)


@pytest.fixture(scope="module")
def repository_url() -> Iterator[str]:
    with serve(FakeRepository) as url:
        yield f"{url}/example/open-health-models"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, repository_url) -> Iterator[str]:
    site_dir = tmp_path_factory.mktemp("browser") / "site"
    result = run_mkdocs(ROOT, site_dir=site_dir, env={"REPO_URL": repository_url})
    assert result.returncode == 0, result.stderr
    with serve(functools.partial(QuietFiles, directory=str(site_dir))) as url:
        yield url


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory) -> Iterator[BrowserContext]:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    """A fresh tab that may talk only to 127.0.0.1 and must log no error."""
    left_loopback: list[str] = []
    errors: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            left_loopback.append(route.request.url)
            route.abort()

    tab = browser_context.new_page()
    tab.route("**/*", only_loopback)
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    tab.close()
    assert left_loopback == [], f"requests to other hosts: {left_loopback}"
    assert errors == [], f"console errors: {errors}"


def title(name: str) -> re.Pattern[str]:
    """A page heading: the name, then the permalink sign Material adds."""
    return re.compile(rf"^{re.escape(name)}¶?$")


def rows_shown(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".ohm-compare tbody tr", "rows => rows.filter(row => !row.hidden).map(row => row.id.slice(4))"
    )


def test_searching_whisper_lands_on_its_page(page: Page, site_url, catalogue):
    whisper = model(catalogue, "whisper")
    page.goto(site_url + "/")
    page.get_by_role("textbox", name="Search").first.click()
    page.keyboard.type("openai whisper")
    # The model's own page is the first result; Material adds ?h=... to highlight the words.
    first = page.locator("a.md-search-result__link").first
    expect(first).to_have_attribute("href", re.compile(r"/models/whisper/(\?h=[a-z+]*)?$"))
    first.click()
    expect(page).to_have_url(re.compile(re.escape(f"{site_url}/models/whisper/")))
    expect(page.locator("article h1")).to_have_text(title(whisper.name))


def test_two_clicks_narrow_the_table_to_commercial_use(page: Page, site_url, catalogue):
    allowed = sorted(m.id for m in catalogue.models if m.commercial_use == "allowed")
    page.goto(site_url + "/")
    expect(page.locator(".ohm-count")).to_have_text(
        f"{len(catalogue.models)} of {len(catalogue.models)} models shown"
    )
    yolo = page.locator("#row-ultralytics-yolo")
    expect(yolo).to_be_visible()

    use = page.get_by_label("Commercial use")
    use.click()  # one click opens the list ...
    use.select_option(label="Yes")  # ... the second picks "Yes"
    expect(yolo).to_be_hidden()
    assert sorted(rows_shown(page)) == allowed
    expect(page.locator(".ohm-count")).to_have_text(f"{len(allowed)} of {len(catalogue.models)} models shown")
    assert "use=allowed" in page.url

    page.reload()  # the filter is in the address, so it survives a reload or a shared link
    expect(page.get_by_label("Commercial use")).to_have_value("allowed")
    expect(yolo).to_be_hidden()
    page.get_by_role("button", name="Clear filters").click()
    expect(yolo).to_be_visible()
    assert len(rows_shown(page)) == len(catalogue.models)
    assert "use=" not in page.url


def test_free_text_and_filters_combine_and_empty_results_say_so(page: Page, site_url, catalogue):
    page.goto(site_url + "/")
    page.get_by_label("Search the table").fill("segmentation")
    shown = rows_shown(page)
    assert "nnu-net" in shown and "whisper" not in shown
    page.get_by_label("Kind").select_option(label="Framework")
    frameworks = [m.id for m in catalogue.models if m.kind == "framework"]
    assert set(rows_shown(page)) <= set(frameworks) and "nnu-net" in rows_shown(page)
    expect(page.locator(".ohm-empty")).to_be_hidden()
    page.get_by_label("Search the table").fill("no such model anywhere")
    assert rows_shown(page) == []
    expect(page.locator(".ohm-empty")).to_be_visible()


def test_a_task_in_the_address_shows_only_its_models(page: Page, site_url, catalogue):
    task = next(t for t in catalogue.tasks if t.id == "segmentation")
    page.goto(site_url + "/?task=segmentation")
    assert sorted(rows_shown(page)) == sorted(m.id for m in catalogue.models_for_task(task))
    page.goto(site_url + "/tasks/segmentation/")
    assert sorted(rows_shown(page)) == sorted(m.id for m in catalogue.models_for_task(task))


def test_columns_sort_from_the_keyboard(page: Page, site_url, catalogue):
    page.goto(site_url + "/")
    heading = page.locator(".ohm-compare thead th", has_text="Commercial use")
    button = heading.get_by_role("button", name="Commercial use")
    button.focus()
    page.keyboard.press("Enter")
    expect(heading).to_have_attribute("aria-sort", "ascending")
    uses = page.eval_on_selector_all(".ohm-compare tbody tr", "rows => rows.map(row => row.dataset.use)")
    order = ["allowed", "restricted", "unclear", "not-allowed"]
    assert uses == sorted(uses, key=order.index)
    page.keyboard.press("Enter")
    expect(heading).to_have_attribute("aria-sort", "descending")
    uses = page.eval_on_selector_all(".ohm-compare tbody tr", "rows => rows.map(row => row.dataset.use)")
    assert uses == sorted(uses, key=order.index, reverse=True)

    page.get_by_role("button", name="Model", exact=True).click()
    expect(page.locator(".ohm-compare thead th").first).to_have_attribute("aria-sort", "ascending")
    expect(heading).to_have_attribute("aria-sort", "none")
    names = page.eval_on_selector_all(
        ".ohm-compare tbody th", "cells => cells.map(c => c.textContent.trim())"
    )
    assert names == sorted(names, key=str.casefold)


def test_home_page_screenshot(page: Page, site_url):
    page.goto(site_url + "/")
    expect(page.locator(".ohm-filters")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    assert (ARTIFACTS / "home.png").stat().st_size > 10_000


def test_model_page_shows_licence_and_opens_its_edit_link(page: Page, site_url, repository_url, catalogue):
    whisper = model(catalogue, "whisper")
    page.goto(site_url + "/models/whisper/")
    expect(page.locator("article h1")).to_have_text(title(whisper.name))
    titles = page.locator(".admonition-title")
    expect(titles.nth(0)).to_have_text("Not an endorsement, not a medical device")
    expect(titles.nth(1)).to_have_text(re.compile("^Commercial use: "))
    expect(page.locator("article")).to_contain_text(f"Last verified: {whisper.verified}")
    expect(page.locator("article a.md-button").first).to_have_attribute("href", whisper.links[0].url)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "model-page.png"), full_page=True)

    line_link = page.get_by_role("link", name=f"line {whisper.line}")
    expect(line_link).to_have_attribute(
        "href", f"{repository_url}/blob/main/data/models.yaml#L{whisper.line}"
    )
    page.get_by_role("link", name="Edit this entry").click()
    expect(page).to_have_url(f"{repository_url}/edit/main/data/models.yaml")
    expect(page.locator("h1")).to_have_text("Fake repository")
    assert FakeRepository.opened[-1] == "/example/open-health-models/edit/main/data/models.yaml"
