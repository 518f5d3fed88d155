"""The built site in a real browser: Debian's headless Chromium, driven by Playwright.

The real catalogue is built once, with REPO_URL pointing at a fake repository
on 127.0.0.1, and served from 127.0.0.1 as well. Every request the browser
makes to any other host is blocked and fails the test, and so does any error
in the console. Screenshots of the pages a visitor meets, at 390 and 1280 px,
are saved in test-artifacts/ for people to look at.

Accessibility is checked with axe-core (the copy inside axe-playwright-python):
no violation of WCAG 2.2 A or AA on any page a visitor meets, in light and
dark mode, filtered and empty. A second site, built from a catalogue larger
than a table carries, shows the table drawing its other rows from the
complete list.

Chromium is installed by scripts/install-browser.sh (scripts/test.sh runs it).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, expect, sync_playwright

from ohm.accessibility import VISITOR_PAGES, describe, open_search, wcag_violations
from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue
from ohm.catalog.catalogue import Catalogue, Model
from ohm.site import table

from .conftest import ROOT, SMALL_CATALOGUE, catalogue_with_models, make_project, run_mkdocs

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
    opened = open_catalogue(DEFAULT_CATALOGUE)
    catalogue, problems = opened.typed, opened.problems
    assert problems == []
    return catalogue


def model(catalogue: Catalogue, model_id: str) -> Model:
    return next(m for m in catalogue.models if m.id == model_id)


@pytest.fixture(scope="module")
def repository_url() -> Iterator[str]:
    with serve(FakeRepository) as url:
        yield f"{url}/example/open-health-models"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory, repository_url) -> Path:
    site_dir = tmp_path_factory.mktemp("browser") / "site"
    result = run_mkdocs(ROOT, site_dir=site_dir, env={"REPO_URL": repository_url})
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="module")
def site_url(site_dir: Path) -> Iterator[str]:
    with serve(functools.partial(QuietFiles, directory=str(site_dir))) as url:
        yield url


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory, playwright: Playwright) -> Iterator[BrowserContext]:
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


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """For contexts of their own: JavaScript off."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


@contextlib.contextmanager
def guarded(tab: Page, missing: tuple[str, ...] = ()) -> Iterator[Page]:
    """`tab`, allowed to talk only to 127.0.0.1 and to log no error but the failed loads of `missing`
    (paths of the site that the test asks for knowing they are not there)."""
    left_loopback: list[str] = []
    errors: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            left_loopback.append(route.request.url)
            route.abort()

    tab.route("**/*", only_loopback)

    def console(message) -> None:
        expected = message.text.startswith("Failed to load resource") and any(
            urlsplit(message.location["url"]).path == path for path in missing
        )
        if message.type == "error" and not expected:
            errors.append(message.text)

    tab.on("console", console)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    tab.close()
    assert left_loopback == [], f"requests to other hosts: {left_loopback}"
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    """A fresh tab that may talk only to 127.0.0.1 and must log no error."""
    with guarded(browser_context.new_page()) as tab:
        yield tab


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    """A tab with JavaScript off, as some visitors browse."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        with guarded(context.new_page()) as tab:
            yield tab
    finally:
        context.close()


def title(name: str) -> re.Pattern[str]:
    """A page heading: the name, then the permalink sign Material adds."""
    return re.compile(rf"^{re.escape(name)}¶?$")


def table_drawn(page: Page) -> None:
    """Wait until the tables have drawn their rows: the first filter or sort of a table loads the
    complete list (its count says "Loading all ...") and draws the rows again when it arrives."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ohm-count')].every(c => !c.textContent.startsWith('Loading'))"
    )


def rows_shown(page: Page) -> list[str]:
    table_drawn(page)
    return page.eval_on_selector_all(
        ".ohm-compare tbody tr", "rows => rows.filter(row => !row.hidden).map(row => row.id.slice(4))"
    )


def every_search_result(page: Page, query: str) -> list[str]:
    """All the pages the search finds for `query`: the first results, then the others on request."""
    found = search_results(page, query)
    more = page.locator(".ohm-search-more")
    links = page.locator("li.md-search-result__item > a.md-search-result__link")
    while more.is_visible():
        more.click()
        expect(links).not_to_have_count(len(found))
        found = [urlsplit(href).path for href in links.evaluate_all("links => links.map(a => a.href)")]
    return found


def test_searching_whisper_lands_on_its_page(page: Page, site_url, catalogue):
    whisper = model(catalogue, "whisper")
    page.goto(site_url + "/")
    page.get_by_role("textbox", name="Search").first.click()
    page.keyboard.type("openai whisper")
    # The model's own page is the first result (Material added ?h=... to highlight the words).
    first = page.locator("a.md-search-result__link").first
    expect(first).to_have_attribute("href", re.compile(r"/models/whisper/(\?h=[a-z+]*)?$"))
    first.click()
    expect(page).to_have_url(re.compile(re.escape(f"{site_url}/models/whisper/")))
    expect(page.locator("article h1")).to_have_text(title(whisper.name))


def test_two_clicks_narrow_the_table_to_commercial_use(page: Page, site_url, catalogue):
    allowed = sorted(m.id for m in catalogue.models if m.commercial_use == "allowed")
    page.goto(site_url + "/")
    total = len(catalogue.models)
    first = min(total, table.ROWS)
    expect(page.locator(".ohm-count")).to_have_text(
        f"{first} of {total} models shown"
        + ("; the others load when you filter or sort." if first < total else ".")
    )
    # A model among the first rows whose commercial use is not simply allowed.
    restricted = next(m for m in catalogue.models[:first] if m.commercial_use != "allowed")
    yolo = page.locator(f"#row-{restricted.id}")
    expect(yolo).to_be_visible()

    use = page.get_by_label("Commercial use")
    use.click()  # one click opens the list ...
    use.select_option(label="Allowed")  # ... the second picks "Allowed"
    expect(yolo).to_be_hidden()
    assert sorted(rows_shown(page)) == allowed
    expect(page.locator(".ohm-count")).to_have_text(
        f"{len(allowed)} of {len(catalogue.models)} models shown."
    )
    expect(page).to_have_url(re.compile(r"\?use=allowed$"))

    page.reload()  # the filter is in the address, so it survives a reload or a shared link
    expect(page.get_by_label("Commercial use")).to_have_value("allowed")
    expect(yolo).to_be_hidden()
    page.get_by_role("button", name="Clear filters").click()
    expect(yolo).to_be_visible()
    assert len(rows_shown(page)) == first
    expect(page).to_have_url(f"{site_url}/")


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
    table_drawn(page)
    uses = page.eval_on_selector_all(".ohm-compare tbody tr", "rows => rows.map(row => row.dataset.use)")
    order = ["allowed", "restricted", "unclear", "not-allowed"]
    assert uses == sorted(uses, key=order.index)
    page.keyboard.press("Enter")
    expect(heading).to_have_attribute("aria-sort", "descending")
    table_drawn(page)
    uses = page.eval_on_selector_all(".ohm-compare tbody tr", "rows => rows.map(row => row.dataset.use)")
    assert uses == sorted(uses, key=order.index, reverse=True)

    page.get_by_role("button", name="Model", exact=True).click()
    expect(page.locator(".ohm-compare thead th").first).to_have_attribute("aria-sort", "ascending")
    expect(heading).to_have_attribute("aria-sort", "none")
    table_drawn(page)
    names = page.eval_on_selector_all(
        ".ohm-compare tbody th", "cells => cells.map(c => c.textContent.trim())"
    )
    assert names == sorted(names, key=str.casefold)


def test_the_last_verified_column_sorts_by_date(page: Page, site_url, catalogue):
    page.goto(site_url + "/")
    heading = page.locator(".ohm-compare thead th", has_text="Last verified")
    heading.get_by_role("button", name="Last verified").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    table_drawn(page)
    days = page.eval_on_selector_all(
        ".ohm-compare tbody tr:not([hidden]) td[data-label='Last verified']",
        "cells => cells.map(c => c.textContent)",
    )
    assert days and days == sorted(days)
    assert set(days) <= {model.verified for model in catalogue.models}
    heading.get_by_role("button", name="Last verified").click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    table_drawn(page)
    days = page.eval_on_selector_all(
        ".ohm-compare tbody tr:not([hidden]) td[data-label='Last verified']",
        "cells => cells.map(c => c.textContent)",
    )
    assert days == sorted(days, reverse=True)
    assert days[0] == max(model.verified for model in catalogue.models)


def test_model_page_shows_licence_and_opens_its_edit_link(page: Page, site_url, repository_url, catalogue):
    whisper = model(catalogue, "whisper")
    page.goto(site_url + "/models/whisper/")
    expect(page.locator("article h1")).to_have_text(title(whisper.name))
    titles = page.locator(".admonition-title")
    expect(titles.nth(0)).to_have_text(re.compile("^Commercial use: "))
    expect(page.locator(".ohm-notice")).to_contain_text("not a medical device")
    expect(page.locator("article")).to_contain_text(f"Last verified: {whisper.verified}")
    card = next(link for link in whisper.links if link.kind == "model_card")
    expect(page.locator("article a.md-button").first).to_have_attribute("href", card.url)
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


# The fact strip: what a governance review asks first, above the fold on a phone and a laptop.
FOLDS = {390: 844, 1280: 800}
FACTS = ["Commercial use", "Access", "Sizes", "Evidence", "Regulatory", "Hardware", "Last verified"]


@pytest.mark.parametrize("width", list(FOLDS))
def test_every_model_page_shows_its_facts_above_the_fold_and_one_primary_button(
    page: Page, site_url, catalogue, width
):
    height = FOLDS[width]
    page.set_viewport_size({"width": width, "height": height})
    below: list[str] = []
    for entry in catalogue.models:
        page.goto(f"{site_url}/models/{entry.id}/")
        facts = page.locator(".ohm-facts .ohm-fact")
        expect(facts.locator("dt")).to_have_text(FACTS)
        expect(facts.first).to_contain_text(entry.commercial_use_label)
        boxes = facts.evaluate_all("items => items.map(item => item.getBoundingClientRect().bottom)")
        below += [
            f"{entry.id}: {FACTS[i]} ends at {bottom:.0f}"
            for i, bottom in enumerate(boxes)
            if bottom >= height
        ]
        expect(page.locator("article .md-button--primary")).to_have_count(1)
        if entry.id == "whisper":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"model-facts-{width}.png"))
    assert below == []


def test_the_strip_links_to_access_and_evidence_and_the_notice_to_about(page: Page, site_url):
    page.goto(site_url + "/models/whisper/")
    page.locator(".ohm-facts").get_by_role("link", name="how to get it").click()
    expect(page).to_have_url(re.compile("#licence-and-access$"))
    page.locator(".ohm-notice").get_by_role("link").click()
    expect(page.locator("#not-an-endorsement-not-a-medical-device")).to_be_visible()
    expect(page.locator("article")).to_contain_text("Being listed here is not an endorsement.")


BIBTEX_ENTRY = re.compile(r"@misc\{ohm-(?P<id>[\w-]+),\n(?:  \w+ = \{.*\},\n)+\}")


@pytest.mark.parametrize("model_id", ["whisper", "xgboost"])
def test_cite_this_entry_gives_bibtex_and_csl_json_of_the_entry(page: Page, site_url, catalogue, model_id):
    entry = model(catalogue, model_id)
    page.goto(f"{site_url}/models/{model_id}/")
    cite = page.locator(".ohm-cite").first
    cite.locator(".ohm-bibtex summary").click()
    expect(cite.locator(".ohm-bibtex pre")).to_be_visible()
    bibtex = cite.locator(".ohm-bibtex pre").text_content() or ""
    match = BIBTEX_ENTRY.search(bibtex)
    assert match and match.group("id") == model_id, bibtex
    assert f"title = {{{entry.name} --- {catalogue.title} catalogue entry}}" in bibtex
    assert f"date = {{{entry.verified}}}" in bibtex
    cite.locator(".ohm-csl summary").click()
    expect(cite.locator(".ohm-csl pre")).to_be_visible()
    (item,) = json.loads(cite.locator(".ohm-csl pre").text_content() or "")
    assert item["title"] == f"{entry.name} — {catalogue.title} catalogue entry"
    assert item["URL"] == f"models/{model_id}/"
    has_paper = any(link.kind == "paper" for link in entry.links)
    expect(page.get_by_role("heading", name="Cite the model's paper")).to_have_count(1 if has_paper else 0)


class SiteWithNotFound(QuietFiles):
    """Serves the site, and its 404.html for an address it does not have, as GitHub Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        data = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.mark.parametrize("width", list(FOLDS))
def test_a_missing_page_offers_search_all_models_and_tasks(browser_context, site_dir, width):
    with (
        serve(functools.partial(SiteWithNotFound, directory=str(site_dir))) as url,
        guarded(browser_context.new_page(), missing=("/models/no-such-model/",)) as tab,
    ):
        tab.set_viewport_size({"width": width, "height": FOLDS[width]})
        tab.goto(url + "/models/no-such-model/")
        expect(tab.locator("article h1")).to_have_text("Page not found")
        tab.get_by_role("link", name="The complete list of models").click()
        expect(tab).to_have_url(url + "/models/")
        tab.go_back()
        tab.get_by_role("link", name="Models by task").click()
        expect(tab).to_have_url(url + "/tasks/")
        tab.go_back()
        expect(tab.get_by_role("link", name="The home page")).to_have_attribute("href", "/")
        tab.get_by_role("button", name="Search the catalogue").click()
        search = tab.locator(".md-search__input")
        expect(search).to_be_focused()
        search.fill("whisper")
        expect(tab.locator(".md-search-result__item").first).to_be_visible()


# The pages a visitor meets, as the accessibility check and the screenshots open them.
PAGES = {
    "home": "/",
    "home-filtered": "/?use=allowed&task=segmentation",
    "home-empty": "/?search=no-such-model-anywhere",
    "category": "/vision/",
    "task": "/tasks/segmentation/",
    "model": "/models/whisper/",
    "all-models": "/models/",
    "comparison": "/compare/?models=whisper,medsam,xgboost",
    "not-found": "/404.html",
    "how-to-cite": "/cite/",
}


def settle(page: Page) -> None:
    """Wait until the page's scripts have drawn what they draw."""
    page.wait_for_load_state("networkidle")
    if page.locator(".ohm-side").count():
        expect(page.locator(".ohm-side-status")).not_to_have_text(re.compile("^(Loading|$)"))


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(VISITOR_PAGES))
def test_no_page_breaks_a_wcag_2_2_aa_rule_with_search_closed_or_open(
    page: Page, site_url, name, scheme, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + VISITOR_PAGES[name])
    settle(page)
    if name == "home, nothing matches":
        expect(page.locator(".ohm-empty")).to_be_visible()
    assert describe(wcag_violations(page)) == [], "search closed"
    open_search(page)
    assert describe(wcag_violations(page)) == [], "search open"


def test_the_closed_drawer_takes_no_tab_stop_on_a_phone(page: Page, site_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/models/whisper/")
    drawer = page.locator(".md-sidebar--primary")
    assert drawer.locator("a").count() > 10  # the navigation is there, off the screen
    in_drawer = []
    for _ in range(40):
        page.keyboard.press("Tab")
        in_drawer.append(page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"))
    assert not any(in_drawer)
    # Opened, the drawer's links are reached again.
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(drawer.get_by_role("link", name="About")).to_be_visible()
    drawer.get_by_role("link", name="About").focus()
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")


def test_no_wcag_2_2_aa_violation_on_a_phone_with_the_filters_open(page: Page, site_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/?use=allowed")
    page.get_by_role("button", name=re.compile("^Filters")).click()
    expect(page.get_by_label("Task", exact=True)).to_be_visible()
    assert describe(wcag_violations(page)) == []


def search_results(page: Page, query: str) -> list[str]:
    """The pages the site's search lists for `query`, best first, as paths of the site."""
    box = page.get_by_role("textbox", name="Search").first
    results = page.locator("li.md-search-result__item > a.md-search-result__link")
    # Clear, then give the whole query at once.
    box.fill("")
    box.press("End")
    expect(results).to_have_count(0)
    box.fill(query)
    box.press("End")
    expect(results.first).to_be_visible()
    return [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]


def test_search_ranks_model_pages_first_for_names_tasks_modalities_and_keywords(
    page: Page, site_url, catalogue
):
    page.goto(site_url + "/")
    page.get_by_role("textbox", name="Search").first.click()
    expect(page.get_by_role("dialog", name="Search")).to_be_attached()  # the dialog has a name

    def pages_of(models) -> set[str]:
        return {f"/models/{m.id}/" for m in models}

    for model_id in ("whisper", "medsam", "nnu-net", "llama-3-2", "xgboost"):
        named = model(catalogue, model_id)
        assert search_results(page, named.name)[0] == f"/models/{named.id}/", named.name
    for task_id in ("segmentation", "transcription", "risk-prediction"):
        task = next(t for t in catalogue.tasks if t.id == task_id)
        tagged = pages_of(m for m in catalogue.models if task in m.tasks)
        assert set(search_results(page, task.title)[: min(3, len(tagged))]) <= tagged, task.title
    for modality in ("audio", "image", "tabular"):
        having = pages_of(m for m in catalogue.models if modality in m.modalities)
        assert set(search_results(page, modality)[: min(3, len(having))]) <= having, modality
    # Clinical words declared once as keywords reach every model they cover, and those first.
    for keyword in ("radiology", "pathology", "dictation", "EHR"):
        covered = pages_of(m for m in catalogue.models if keyword in catalogue.keywords(m))
        assert covered, f"no model has the keyword {keyword}"
        first = search_results(page, keyword)[: len(covered)]
        assert first and set(first) <= covered, keyword


def test_search_finds_what_visitors_mean(page: Page, site_url, catalogue):
    page.goto(site_url + "/")
    page.get_by_role("textbox", name="Search").first.click()

    def pages_of(models) -> list[str]:
        return [f"/models/{m.id}/" for m in models]

    # "commercial" finds the models whose commercial use is allowed, not those whose notes say
    # "non-commercial": the verdicts are facts of the index, not words of the snippets.
    allowed = set(pages_of(m for m in catalogue.models if m.commercial_use == "allowed"))
    found = search_results(page, "commercial")
    assert found and set(found) <= allowed, found
    # A language by its name finds every model that lists its code.
    german = set(pages_of(m for m in catalogue.models if "de" in (m.languages or ())))
    assert len(german) > 1
    assert set(search_results(page, "German")[: len(german)]) == german
    # A subcategory's keywords give a model no imaging modality it lacks: every MR model before any
    # model that states its imaging modalities without MR.
    mr = pages_of(m for m in catalogue.models if "MR" in m.imaging_modalities)
    without = set(
        pages_of(m for m in catalogue.models if m.imaging_modalities and "MR" not in m.imaging_modalities)
    )
    found = every_search_result(page, "MRI")
    assert set(mr) <= set(found), " ".join(found)
    last_mr = max(found.index(path) for path in mr)
    assert not without & set(found[:last_mr]), found
    # The words of medical-device regulation reach the explanation of regulatory status first.
    for word in ("cleared", "clearance", "FDA", "CE"):
        assert search_results(page, word)[0] == "/about/", word


# What visitors searched for before the catalogue covered it, and the models that answer each.
COVERED_QUERIES: dict[str, Callable[[Model], bool]] = {
    "ECG": lambda m: m.subcategory == "physiological-signals",
    "dermatology": lambda m: m.subcategory == "dermatology",
    "text to speech": lambda m: "speech-synthesis" in {task.id for task in m.tasks},
    "de-identification": lambda m: "de-identification" in {task.id for task in m.tasks},
    "German": lambda m: "de" in (m.languages or ()),
}


@pytest.mark.parametrize("query", list(COVERED_QUERIES))
def test_search_finds_a_model_for_what_visitors_asked_for(page: Page, site_url, catalogue, query):
    answers = {f"/models/{m.id}/" for m in catalogue.models if COVERED_QUERIES[query](m)}
    assert answers, f"no model answers {query!r}"
    page.goto(site_url + "/")
    page.get_by_role("textbox", name="Search").first.click()
    first = search_results(page, query)[0]
    assert first in answers, (query, first)


def test_search_filters_by_commercial_use(page: Page, site_url, catalogue):
    page.goto(site_url + "/")
    page.get_by_role("textbox", name="Search").first.click()
    everything = search_results(page, "segmentation")
    use = page.get_by_label("Results by licence verdict")
    expect(use.locator("option", has_text=re.compile(r"^Allowed \(\d+\)$"))).to_have_count(1)
    use.select_option(
        label=next(o for o in use.locator("option").all_text_contents() if o.startswith("Allowed"))
    )
    results = page.locator("li.md-search-result__item > a.md-search-result__link")
    expect(results.first).to_be_visible()
    page.wait_for_function(
        f"() => document.querySelectorAll('li.md-search-result__item').length < {len(everything)}"
    )
    allowed = {f"/models/{m.id}/" for m in catalogue.models if m.commercial_use == "allowed"}
    shown = [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]
    assert shown and set(shown) <= allowed, shown


def test_a_search_without_results_points_to_every_model_and_to_suggesting_one(
    page: Page, site_url, repository_url
):
    page.goto(site_url + "/models/whisper/")
    box = page.get_by_role("textbox", name="Search").first
    box.click()
    box.fill("qqqqzzzz")
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
    pointer = page.locator(".ohm-search-none")
    expect(pointer).to_be_visible()
    expect(pointer.get_by_role("link", name="the complete list of models")).to_have_attribute(
        "href", f"{site_url}/models/"
    )
    expect(pointer.get_by_role("link", name="suggest a model")).to_have_attribute(
        "href", f"{repository_url}/issues/new?template=add-a-model.yml"
    )


def test_the_table_is_not_in_the_search_index(page: Page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("textbox", name="Search").first.click()
    # Words found only in the tables' controls and empty-state text: no page has them.
    for words in ('"Search the table"', '"No model matches"'):  # quoted: as a phrase
        box = page.get_by_role("textbox", name="Search").first
        box.fill(words)
        expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
        expect(page.locator("li.md-search-result__item")).to_have_count(0)
    box.fill("Whisper")  # while a word of a page finds it
    expect(page.locator("li.md-search-result__item").first).to_be_visible()


def test_closed_search_takes_no_focus(page: Page, site_url):
    page.goto(site_url + "/models/whisper/")
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.className"))
    assert not [name for name in focused if "md-search__scrollwrap" in name]


def test_without_javascript_nothing_inert_is_shown_and_filtered_links_say_so(
    no_js_page: Page, site_url, catalogue
):
    page = no_js_page
    page.goto(site_url + "/?use=allowed&task=segmentation")
    expect(page.locator(".ohm-filters")).to_be_hidden()
    expect(page.locator(".ohm-help")).to_be_hidden()  # the sentence about sorting
    expect(page.locator(".ohm-compare .ohm-sort")).to_have_count(0)
    # The first rows, and a plain link to the complete list, which holds every model.
    expect(page.locator(".ohm-compare tbody tr")).to_have_count(min(len(catalogue.models), table.ROWS))
    if len(catalogue.models) > table.ROWS:
        expect(page.get_by_role("link", name=f"Show all {len(catalogue.models)} models")).to_be_visible()
    note = page.locator(".ohm-compare noscript + .ohm-note, .ohm-compare .ohm-note").first
    expect(note).to_be_visible()
    expect(note).to_contain_text("need JavaScript")
    expect(note).to_contain_text("with or without filters in the address")
    page.goto(site_url + "/compare/?models=whisper,medsam")
    expect(page.locator(".ohm-side-choose")).to_be_hidden()
    expect(page.locator(".ohm-side .ohm-note")).to_contain_text("needs JavaScript")


def test_on_a_phone_each_model_shows_name_commercial_use_and_licence(page: Page, site_url, catalogue):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/")
    width = 390
    for row in page.locator(".ohm-compare tbody tr").all()[:5]:
        for cell in (
            row.locator("th"),
            row.locator('td[data-label="Commercial use"]'),
            row.locator('td[data-label="Licence"]'),
        ):
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    first = page.locator(".ohm-compare tbody tr").first.bounding_box()
    assert first["y"] < 2 * 844, "the first model is not within the first two screens"

    # The filters fold behind a button that counts the ones in use.
    toggle = page.get_by_role("button", name=re.compile("^Filters"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_label("Task", exact=True)).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Commercial use").select_option("allowed")
    page.get_by_label("Kind").select_option("framework")
    expect(toggle).to_have_text("Filters (2)")


@pytest.mark.parametrize(
    "path", ["/", "/vision/", "/models/whisper/", "/compare/?models=whisper,medsam,xgboost,monai"]
)
def test_pages_reflow_at_320_pixels(page: Page, site_url, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + path)
    settle(page)
    if page.locator(".ohm-filters-toggle").count():
        page.locator(".ohm-filters-toggle").click()
    # Nothing but the side-by-side table (a table of data may scroll in its own box) is wider.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_address_keeps_the_view_names_what_it_ignored_and_copies(page: Page, site_url, browser_context):
    page.goto(site_url + "/?use=bogus&kind=framework&search=segmentation")
    count = page.locator(".ohm-count")
    expect(count).to_contain_text("Ignored in the address: use=bogus")
    expect(page.get_by_label("Search the table")).to_have_value("segmentation")  # not q=, Material's
    expect(page.get_by_label("Kind")).to_have_value("framework")
    page.get_by_label("Search the table").fill("nnu")
    expect(page).to_have_url(re.compile(r"\?kind=framework&search=nnu$"))  # use=bogus is gone
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page.get_by_role("button", name="Copy link to this view").click()
    expect(count).to_contain_text("Link to this view copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def test_models_chosen_in_the_table_are_compared_side_by_side(page: Page, site_url, catalogue):
    whisper, medsam, xgboost = (model(catalogue, i) for i in ("whisper", "medsam", "xgboost"))
    page.goto(site_url + "/models/")  # the complete list: every model has its row and its checkbox
    page.get_by_role("checkbox", name=f"Compare {whisper.name}", exact=True).check()
    page.get_by_role("checkbox", name=f"Compare {medsam.name}", exact=True).check()
    page.get_by_role("link", name="Compare 2 models side by side").click()
    expect(page).to_have_url(re.compile(r"/compare/\?models=whisper,medsam$"))
    table = page.locator(".ohm-side table")
    expect(table.locator("thead th")).to_have_text([re.compile(whisper.name), re.compile(medsam.name)])
    weights = table.locator(
        "tbody tr", has=page.locator("th", has_text=re.compile("^Licence of the weights$"))
    )
    for cell, chosen in zip(weights.locator("td").all(), (whisper, medsam), strict=True):
        expect(cell).to_contain_text(chosen.license.name)  # the weights' licence, and its note
    use = table.locator("tbody tr", has=page.locator("th", has_text=re.compile("^Commercial use$")))
    expect(use.locator("td")).to_have_text([whisper.commercial_use_label, medsam.commercial_use_label])
    for fact in ("Kind", "Modalities", "Tasks", "Links"):
        expect(table.locator("tbody th", has_text=re.compile(f"^{fact}$"))).to_have_count(1)

    add = page.get_by_label("Add a model")
    add.focus()  # the list of every model's name loads when the reader turns to the form
    add.select_option(xgboost.id)
    page.get_by_role("button", name="Add to the comparison").click()
    expect(table.locator("thead th")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"\?models=whisper,medsam,xgboost$"))
    page.get_by_role("button", name=f"Remove {medsam.name}").click()
    expect(table.locator("thead th")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"\?models=whisper,xgboost$"))


def test_a_comparison_link_names_what_it_cannot_show(browser_context: BrowserContext, site_url):
    # The page learns that a model is not in the catalogue from its record not being there.
    with guarded(browser_context.new_page(), missing=("/models/no-such-model.json",)) as page:
        show_what_a_comparison_link_cannot_show(page, site_url)


def show_what_a_comparison_link_cannot_show(page: Page, site_url: str) -> None:
    page.goto(site_url + "/compare/?models=whisper,no-such-model,medsam,monai,nnu-net,xgboost")
    status = page.locator(".ohm-side-status")
    expect(status).to_contain_text("Not in the catalogue: no-such-model")
    expect(status).to_contain_text("left out: xgboost")
    expect(page.locator(".ohm-side table thead th")).to_have_count(4)


def test_on_a_phone_the_comparison_fits_and_keeps_the_names_in_view(page: Page, site_url, catalogue):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/compare/?models=whisper,medsam")
    names = page.locator(".ohm-side table thead th")
    expect(names).to_have_count(2)
    # Both models' columns lie inside the screen: the second is not cut off.
    for name in names.all():
        box = name.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Scrolled far down the facts, the names are still on the screen, below the site's header.
    page.locator(".ohm-side tbody tr").last.scroll_into_view_if_needed()
    header = page.locator(".md-header").bounding_box()
    assert header
    for name, chosen in zip(
        names.all(), (model(catalogue, "whisper"), model(catalogue, "medsam")), strict=True
    ):
        box = name.bounding_box()
        assert box and header["y"] + header["height"] - 1 <= box["y"] < 844, box
        expect(name).to_contain_text(chosen.name)


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_the_pages_a_visitor_meets(page: Page, site_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("home", "category", "model", "comparison"):
        page.goto(site_url + PAGES[name])
        settle(page)
        shot = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000


# Models in the catalogue of the second site: enough for a task's table (every third model) to be partial.
LARGE = 3 * table.ROWS + 30


@pytest.fixture(scope="module")
def large_site_url(tmp_path_factory) -> Iterator[str]:
    """A site whose catalogue has more models than a table carries, with deployment facts."""
    project = make_project(tmp_path_factory.mktemp("large"), deployed_catalogue(LARGE))
    site_dir = project / "site"
    result = run_mkdocs(project, site_dir=site_dir)
    assert result.returncode == 0, result.stderr
    with serve(functools.partial(QuietFiles, directory=str(site_dir))) as url:
        yield url


def test_a_large_table_draws_its_other_rows_from_the_complete_list(page: Page, large_site_url):
    page.goto(large_site_url + "/")
    expect(page.locator(".ohm-compare tbody tr")).to_have_count(table.ROWS)
    beyond = f"Model {LARGE - 3:04d}"  # far past the rows the page carries
    page.get_by_label("Search the table").fill(beyond)
    expect(page.locator(".ohm-count")).to_have_text(f"1 of {LARGE} models shown.")
    assert rows_shown(page) == [f"model-{LARGE - 3:04d}"]
    page.locator(".ohm-compare tbody a").first.click()  # its link works from this page too
    expect(page.locator("article h1")).to_have_text(title(beyond))


def test_a_large_table_shows_all_on_request(page: Page, large_site_url):
    page.goto(large_site_url + "/tasks/segmentation/")
    in_task = LARGE // 3  # every third copy is of the segmentation model
    more = page.get_by_role("link", name=f"Show all {in_task} models")
    more.click()
    expect(page.locator(".ohm-compare tbody tr")).to_have_count(in_task)
    assert all(int(row_id[-4:]) % 3 == 2 for row_id in rows_shown(page))
    expect(page.locator(".ohm-compare .ohm-more")).to_be_hidden()


def test_a_large_table_without_javascript_links_the_complete_list(no_js_page: Page, large_site_url):
    page = no_js_page
    page.goto(large_site_url + "/")
    expect(page.locator(".ohm-compare tbody tr")).to_have_count(table.ROWS)
    page.get_by_role("link", name=f"Show all {LARGE} models").click()
    expect(page).to_have_url(f"{large_site_url}/models/")
    expect(page.locator(".ohm-compare tbody tr")).to_have_count(LARGE)


@pytest.fixture(scope="module")
def small_site_url(tmp_path_factory) -> Iterator[str]:
    """The small catalogue's site: Alpha BERT carries evidence for each fact, the others are pending."""
    project = make_project(tmp_path_factory.mktemp("small"), SMALL_CATALOGUE.read_text(encoding="utf-8"))
    site_dir = project / "site"
    result = run_mkdocs(project, site_dir=site_dir)
    assert result.returncode == 0, result.stderr
    with serve(functools.partial(QuietFiles, directory=str(site_dir))) as url:
        yield url


def test_a_fact_opens_on_its_quote_and_pinned_source(page: Page, small_site_url):
    page.goto(small_site_url + "/models/alpha-bert/")
    access = page.locator("li", has_text="Access:").locator("details.ohm-evidence")
    quote = access.locator("blockquote")
    expect(quote).to_be_hidden()
    access.locator("summary").click()
    expect(quote).to_be_visible()
    expect(quote).to_have_text("Download the weights from the releases page; no registration is needed.")
    source = access.locator("a.ohm-evidence-source")
    expect(source).to_be_visible()
    expect(source).to_have_text("github.com/example/alpha-bert/README.md @ 1111111")
    expect(source).to_have_attribute(
        "href", f"https://github.com/example/alpha-bert/blob/{'1' * 40}/README.md"
    )
    assert describe(wcag_violations(page)) == []
    page.screenshot(path=str(ARTIFACTS / "model-page-evidence.png"), full_page=True)


def test_a_silent_fact_lists_what_was_read(page: Page, small_site_url):
    page.goto(small_site_url + "/models/alpha-bert/")
    phi = page.locator("li", has_text="Patient data (PHI) exposure:").locator("details.ohm-evidence")
    expect(phi.locator("summary")).to_have_text("read: silent")
    phi.locator("summary").click()
    expect(phi).to_contain_text("The sources read say nothing on this:")
    read = phi.locator("a.ohm-evidence-source")
    expect(read).to_have_count(1)
    expect(read).to_be_visible()
    expect(read).to_have_attribute("href", f"https://github.com/example/alpha-bert/blob/{'1' * 40}/README.md")


def test_a_pending_entry_says_so_and_has_no_evidence(page: Page, small_site_url):
    page.goto(small_site_url + "/models/zeta-lm/")
    expect(page.locator(".ohm-evidence-pending")).to_have_text(
        "These facts have not yet been re-read with evidence for each claim (catalogue schema 3)."
    )
    expect(page.locator("details.ohm-evidence")).to_have_count(0)


def cells_of_every_row(page: Page) -> list[dict[str, str]]:
    table_drawn(page)
    return page.eval_on_selector_all(
        ".ohm-compare tbody tr",
        """rows => rows.map(row => ({
            id: row.id.slice(4),
            use: row.dataset.use,
            badge: row.querySelector('.ohm-use').textContent.trim(),
            reason: (row.querySelector('.ohm-reason') || {textContent: ''}).textContent.trim(),
            licence: row.querySelector('.ohm-col-licence').textContent.trim(),
            access: row.querySelector('.ohm-col-access').textContent.trim(),
        }))""",
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_every_verdict_says_what_decides_it_and_every_licence_names_its_artefact(
    page: Page, site_url, catalogue, width
):
    """On the complete list as the page carries it, and as the script draws it from the index."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "/models/")
    expect(page.locator(".ohm-legend")).to_be_visible()  # above the table, before its first row
    legend = page.locator(".ohm-legend").bounding_box()
    first_row = page.locator(".ohm-compare tbody tr").first.bounding_box()
    assert legend and first_row and legend["y"] < first_row["y"]
    by_id = {m.id: m for m in catalogue.models}
    drawn = cells_of_every_row(page)
    page.get_by_role("button", name="Model", exact=True).click()  # the rows now come from the index
    redrawn = cells_of_every_row(page)
    assert sorted(redrawn, key=lambda row: row["id"]) == sorted(drawn, key=lambda row: row["id"])
    assert len(redrawn) == len(catalogue.models)
    for row in redrawn:
        model = by_id[row["id"]]
        assert row["badge"] == model.commercial_use_label
        assert row["licence"] == table.licence_cell(model)
        assert row["reason"] == table.verdict_reason(model)
        assert row["access"] == model.access_label
        assert re.match(r"^(weights|code): ", row["licence"]), row
        if row["use"] != "allowed":
            assert row["reason"], f"{row['id']}: a {row['use']} verdict without its reason"
        reason = page.locator(f"#row-{row['id']} .ohm-reason")
        expect(reason).to_be_visible()


def test_the_access_column_sorts_and_filters(page: Page, site_url, catalogue):
    page.goto(site_url + "/")
    page.get_by_label("Access", exact=True).select_option("gated")
    assert sorted(rows_shown(page)) == sorted(m.id for m in catalogue.models if m.access == "gated")
    page.get_by_role("button", name="Clear filters").click()
    heading = page.locator(".ohm-compare thead th", has_text="Access")
    heading.get_by_role("button", name="Access").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    rows = cells_of_every_row(page)
    assert len(rows) == min(len(catalogue.models), table.ROWS)
    labels = [row["access"] for row in rows]
    assert labels == sorted(labels, key=str.casefold) and len(set(labels)) > 1


def test_the_evidence_filter_keeps_every_model_with_at_least_that_level(page: Page, site_url, catalogue):
    order = table.EVIDENCE_ORDER
    page.goto(site_url + "/models/")  # the complete list shows every match
    evidence = page.get_by_label("Evidence at least")
    # Every level, weakest first, as ohm/catalog/evidence.py orders them.
    options = evidence.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert options == ["", *order]
    for level in order:
        evidence.select_option(level)
        expected = sorted(
            m.id for m in catalogue.models if order.index(m.evidence_level) >= order.index(level)
        )
        assert sorted(all_matching(page)) == expected, level
    evidence.select_option("benchmark")
    # Asking for benchmark evidence does not hide the models with stronger evidence.
    assert {m.id for m in catalogue.models if m.evidence_level == "retrospective"} <= set(all_matching(page))


def all_matching(page: Page) -> list[str]:
    """Every matching row: a table shows its first rows until asked for all."""
    table_drawn(page)
    more = page.locator(".ohm-compare .ohm-more")
    if more.is_visible():
        more.click()
    return rows_shown(page)


def empty_filters(catalogue: Catalogue) -> tuple[str, str, str, str]:
    """Two filters whose values no model has together, though each has models: (name, value) twice."""
    rows = [table.row_values(m) for m in catalogue.models]
    for first, second in (("access", "use"), ("access", "category"), ("access", "kind")):
        for a in {row[first] for row in rows}:
            for b in {row[second] for row in rows}:
                if not any(row[first] == a and row[second] == b for row in rows):
                    return first, a, second, b
    raise AssertionError("every pair of values has a model")


@pytest.mark.parametrize("width", [390, 1280])
def test_an_empty_table_names_the_filter_and_what_each_value_would_give(
    page: Page, site_url, catalogue, width
):
    page.set_viewport_size({"width": width, "height": 900})
    first, a, second, b = empty_filters(catalogue)
    page.goto(f"{site_url}/?{first}={a}&{second}={b}")
    assert rows_shown(page) == []
    empty = page.locator(".ohm-empty")
    expect(empty).to_be_visible()
    # The filter whose removal gives the most models is the one named; its values are counted with
    # the other filter kept.
    rows = [table.row_values(m) for m in catalogue.models]
    without_first = sum(row[second] == b for row in rows)
    without_second = sum(row[first] == a for row in rows)
    culprit, kept, kept_value = (first, second, b) if without_first >= without_second else (second, first, a)
    label = page.locator(f"label[for='ohm-{culprit}']").inner_text()
    expect(empty).to_contain_text(f"the filter {label}")
    buttons = empty.locator(".ohm-empty-choice")
    options = page.locator(f"select#ohm-{culprit} option").evaluate_all(
        "options => options.map(o => [o.value, o.textContent])"
    )
    expect(buttons).to_have_count(len(options))
    for button, (value, text) in zip(buttons.all(), options, strict=True):
        found = sum(
            row[kept] == kept_value and (not value or value in row[culprit].split("|")) for row in rows
        )
        expect(button).to_have_text(f"{text}: {found} model{'s' if found != 1 else ''}")
    choice = next(
        button for button in buttons.all() if button.is_enabled() and "Any" not in button.inner_text()
    )
    choice.click()  # a count is also a way out
    assert rows_shown(page)
    expect(empty).to_be_hidden()


def words_starting(catalogue: Catalogue, query: str) -> list[str]:
    from ohm.site.table_index import table_text

    words = table.normalise(query).split()
    return sorted(
        m.id
        for m, text in zip(catalogue.models, table_text(catalogue), strict=True)
        if all(f" {word}" in f" {text}" for word in words)
    )


def test_the_table_search_matches_words_from_their_start(page: Page, site_url, catalogue):
    from ohm.site.table_index import table_text

    texts = dict(zip((m.id for m in catalogue.models), table_text(catalogue), strict=True))
    page.goto(site_url + "/")
    box = page.get_by_label("Search the table")
    box.fill("NER")
    ner = rows_shown(page)
    assert sorted(ner) == words_starting(catalogue, "NER")
    # Not "general", "inner", "partner": fewer rows than a match anywhere in the words would give.
    assert 0 < len(ner) < sum("ner" in text for text in texts.values())
    box.fill("commercial")
    commercial = set(rows_shown(page))
    allowed = {m.id for m in catalogue.models if m.commercial_use == "allowed"}
    assert allowed <= commercial  # what a visitor means: models they may use commercially
    only_negated = {m.id for m in catalogue.models if "noncommercial" in texts[m.id].split()} - allowed
    only_negated = {i for i in only_negated if not re.search(r"(^| )commercial", texts[i])}
    assert only_negated, "the catalogue has models that are only non-commercial"
    assert not commercial & only_negated
    box.fill("non-commercial")
    assert only_negated <= set(rows_shown(page))


def test_comparing_two_models_fetches_their_two_records_and_nothing_of_the_catalogue(page: Page, site_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(site_url + "/compare/?models=whisper,medsam")
    expect(page.locator(".ohm-side table thead th")).to_have_count(2)
    settle(page)
    data = sorted(path for path in requested if path.endswith(".json"))
    records = [path for path in data if re.fullmatch(r"/models/[a-z0-9-]+\.json", path)]
    assert records == ["/models/medsam.json", "/models/whisper.json"]
    whole = {"/models.json", "/models.csv", "/models/", "/models/index.html", "/models/_names.json"}
    assert not whole & set(requested), requested


def deployed_catalogue(count: int) -> str:
    """catalogue_with_models(count) with deployment facts: some run on a CPU, GPU memory in steps."""
    data = yaml.safe_load(catalogue_with_models(count))
    for n, entry in enumerate(data["models"]):
        # Made-up facts have no evidence: the copies are pending entries.
        entry.pop("evidence", None)
        entry.pop("second_reader", None)
        deployment = entry.setdefault("deployment", {})
        deployment["cpu_only"] = n % 4 == 0 if n % 5 else "unknown"
        deployment["min_gpu_memory_gb"] = GPU_NEEDS[n % len(GPU_NEEDS)]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# What the models of the deployed catalogue need, in turn.
GPU_NEEDS: tuple[float | str, ...] = (4, 12, 20, 40, 100, "unknown", 80)


def test_deployment_filters_show_once_entries_record_deployment(
    page: Page, site_url, large_site_url, catalogue
):
    page.goto(site_url + "/")  # a filter is offered once the catalogue holds two known values
    expect(page.locator(".ohm-filters")).to_be_attached()
    for name in ("cpu", "gpu"):
        spec = next(f for f in table.FILTERS if f.name == name)
        offered = len(table.filter_choices(catalogue, spec, catalogue.models)) > 0
        expect(page.locator(f"select#ohm-{name}")).to_have_count(1 if offered else 0)
        known = {v for m in catalogue.models for v in spec.values(m)} - {"", "unknown"}
        assert offered == (
            len(known) >= 1 and len({v for m in catalogue.models for v in spec.values(m)}) >= 2
        )

    page.goto(large_site_url + "/")
    page.get_by_label("Runs on CPU alone").select_option("yes")
    cpu = [n for n in range(LARGE) if n % 5 and n % 4 == 0]
    assert sorted(all_matching(page)) == [f"model-{n:04d}" for n in cpu]
    page.get_by_role("button", name="Clear filters").click()
    gpu = page.get_by_label("Fits in GPU memory")
    options = gpu.locator("option").evaluate_all("options => options.map(o => o.textContent)")
    assert options == ["Any", *(f"{step} GB" for step in table.GPU_MEMORY_STEPS)]
    for step in table.GPU_MEMORY_STEPS:
        gpu.select_option(f"{step} GB")
        fits = [
            n for n in range(LARGE) if isinstance(need := GPU_NEEDS[n % len(GPU_NEEDS)], int) and need <= step
        ]
        assert sorted(all_matching(page)) == [f"model-{n:04d}" for n in fits], step


def test_a_large_table_filters_from_the_index_not_the_complete_list(page: Page, large_site_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(large_site_url + "/")
    settle(page)
    before = len(requested)
    page.get_by_label("Commercial use").select_option("allowed")
    table_drawn(page)
    page.get_by_role("button", name="Model", exact=True).click()
    table_drawn(page)
    page.locator(".ohm-compare .ohm-more").click()
    table_drawn(page)
    assert requested[before:] == ["/models/_table.json"]  # once, for filter, sort and show all
    page.get_by_label("Search the table").fill("Model 0001")
    assert rows_shown(page) == ["model-0001"]
    assert requested[before:] == ["/models/_table.json", "/models/_table-text.json"]
