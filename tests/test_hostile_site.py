"""Payloads through every text field into a real build, then into headless Chromium.

Each payload below is text a stranger could put in a pull request and that
validation accepts (an unclosed tag, entities, quotes, Markdown, an
admonition start, an emoji): every one goes into every text field of a
catalogue, the site is built strictly, and then

- every HTML page is parsed: no element, attribute or admonition came from
  payload text, and each field shows exactly as written in the page body,
  the navigation, the `<title>`, the description meta tag and the search index;
- each page is opened in Chromium, and the site is searched for each payload:
  no dialog opens, no request leaves 127.0.0.1, no element made from payload
  text exists in the live document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect, sync_playwright

from ohm.catalog.catalogue import build_catalogue
from ohm.catalog.load import load_catalogue
from ohm.catalog.validate import validate
from ohm.search import indexed_pages
from ohm.site.export import models_markdown

from .conftest import make_project, run_mkdocs
from .test_browser import CHROMIUM, CHROMIUM_ARGS, LOOPBACK, QuietFiles, serve

# Each payload carries the marker `pwn` wherever it could become an element, an attribute or a
# class, so that anything made from payload text can be found.
PAYLOADS = [
    "Example <img src=x onerror=alert(1) class=pwn",
    "<!-- an unclosed comment",
    "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    "</title <svg onload=alert(1) class=pwn",
    '" onmouseover="alert(1)" data-pwn="',
    "' onfocus='alert(1)' autofocus data-pwn='",
    '!!! danger "pwn admonition"',
    "[pwn link](javascript:alert(1))",
    "![pwn image](https://evil.example/pixel.png)",
    "<https://evil.example/pwn",
    '{: onclick="alert(1)" .pwn }',
    '--8<-- "mkdocs.yml"',
    "Emoji 😀 in text 🩺 then <b class=pwn",
    "`pwn code` **pwn bold** _pwn em_ | pipe | # hash",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "javascript:alert(1)",
    "{{ 7*7 }} {% raw %} ${alert(1)}",
    "= formula: one",
    "<a href=javascript:alert(1) class=pwn",
]
# Links may not carry markup characters at all (see urls.py), but parentheses and brackets pass.
URL_PAYLOADS = ["https://example.org/p)[pwn](javascript:alert(1)", "https://example.org/a]b(c)?q=[x]#f"]
SITE_NAME = "Open Health Models"


def unique(text: str, field: str) -> str:
    """`text` made unique per field (names and titles must be), within the field's length limit."""
    return f"{text} ({field})"[:120]


def payload_catalogue() -> dict:
    licenses, categories, tasks, models = [], [], [], []
    for n, text in enumerate(PAYLOADS):
        licence_id = f"LicenseRef-payload-{n}"
        licenses.append(
            {"id": licence_id, "name": unique(text, f"licence {n}"), "url": "https://example.org/licence",
             "commercial_use": "restricted"}
        )  # fmt: skip
        categories.append(
            {"id": f"category-{n}", "title": unique(text, f"category {n}"), "intro": text,
             "subcategories": [{"id": f"sub-{n}", "title": unique(text, f"subcategory {n}"), "intro": text}]}
        )  # fmt: skip
        tasks.append({"id": f"task-{n}", "title": unique(text, f"task {n}"), "intro": text})
        models.append(
            {"id": f"model-{n}", "name": unique(text, f"model {n}"), "developer": text,
             "category": f"category-{n}", "subcategory": f"sub-{n}", "kind": "pretrained model",
             "modalities": ["text"], "description": text, "use_cases": [text], "tasks": [f"task-{n}"],
             "links": {"repository": URL_PAYLOADS[n % len(URL_PAYLOADS)], "paper": "https://example.org/paper"},
             "licenses": {"weights": {"id": licence_id, "note": text}, "code": {"id": licence_id, "note": text},
                          "training_data": {"id": "mixed", "note": text}},
             "commercial_use_note": text, "access": "gated", "access_note": text,
             "intended_users": [text], "out_of_scope": [text],
             "variants": [{"name": unique(text, f"variant {n}"), "parameters": "1B", "license": licence_id,
                           "note": text}],
             "training_data": [{"name": unique(text, f"data {n}"), "note": text}], "phi_exposure": "unknown",
             "evaluations": [{"benchmark": unique(text, f"benchmark {n}"), "metric": unique(text, "metric"),
                              "value": "0.9", "kind": "benchmark", "note": text,
                              "source": "https://example.org/paper", "self_reported": False,
                              "quote": unique(text, "quote")}],
             "regulatory": [{"jurisdiction": unique(text, "jurisdiction"), "status": unique(text, "status"),
                             "reference": unique(text, "reference")}],
             "deployment": {"min_gpu_memory_gb": "unknown", "cpu_only": "unknown", "runs_offline": True,
                            "formats": [unique(text, "format")]},
             "base_model": "none", "anatomy": [unique(text, "anatomy")],
             "caveats": [text], "verified": "2026-01-01",
             "sources": [URL_PAYLOADS[(n + 1) % len(URL_PAYLOADS)], "https://example.org/paper"]}
        )  # fmt: skip
    return {
        "catalogue": {"title": PAYLOADS[0], "summary": " ".join(PAYLOADS)[:1000]},
        "licenses": licenses,
        "categories": categories,
        "tasks": tasks,
        "models": models,
    }


@pytest.fixture(scope="module")
def data() -> dict:
    return payload_catalogue()


@pytest.fixture(scope="module")
def site(tmp_path_factory, data) -> Path:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    project = make_project(tmp_path_factory.mktemp("payloads") / "project", text)
    problems = validate(load_catalogue(project / "data" / "models.yaml"))
    assert [str(p) for p in problems] == [], "every payload must pass validation to reach the site"
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def made_from_payload(html: BeautifulSoup) -> list[str]:
    """Elements and attributes that only payload text could have made."""
    found = []
    for element in html.find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.startswith("on") or name in {"data-pwn", "autofocus"} or "pwn" in values:
                found.append(f"<{element.name} {name}={value!r}>")
            if name in {"href", "src"} and any(str(v).lower().startswith("javascript:") for v in values):
                found.append(f"<{element.name} {name}={value!r}>")
    found += [f"<{e.name}>" for e in html.find_all(["script"]) if "alert" in e.get_text()]
    found += [
        f"<{e.name}>"
        for e in html.find_all(["strong", "em", "code", "img", "svg", "b"])
        # A code block shows its text as written (the citation of a model): only inline code is made.
        if "pwn" in str(e) and not (e.name == "code" and e.parent.name == "pre")
    ]
    found += [str(e) for e in html.select(".admonition-title") if "pwn" in e.get_text()]
    return found


def test_no_page_has_an_element_or_attribute_made_from_payload_text(site):
    pages = html_pages(site)
    assert len(pages) > 3 * len(PAYLOADS)  # a category, a model and a task page each
    assert {str(p.relative_to(site)): made_from_payload(soup(p)) for p in pages} == {
        str(p.relative_to(site)): [] for p in pages
    }


def test_model_pages_show_every_field_exactly_as_written(site, data):
    for model in data["models"]:
        html = soup(site / "models" / model["id"] / "index.html")
        article = html.select_one("article")
        assert article.h1.get_text().rstrip("¶") == model["name"]
        paragraphs = [p.get_text() for p in article.find_all("p")]
        assert model["description"] in paragraphs
        items = [li.get_text() for li in article.find_all("li")]
        assert model["use_cases"][0] in items and model["caveats"][0] in items
        assert f"Developer: {model['developer']}" in items
        assert html.title.get_text() == f"{model['name']} - {SITE_NAME}"
        assert html.find("meta", attrs={"name": "description"})["content"] == model["description"]


def test_navigation_shows_names_and_titles_exactly_as_written(site, data):
    html = soup(site / "models" / "model-0" / "index.html")
    labels = {" ".join(e.get_text().split()) for e in html.select("nav.md-nav--primary .md-ellipsis")}
    for n in range(len(data["models"])):  # model pages are reached from these, not from the navigation
        assert " ".join(data["categories"][n]["title"].split()) in labels
        assert " ".join(data["tasks"][n]["title"].split()) in labels


def test_category_and_task_pages_have_their_title_in_the_title_element(site, data):
    for category in data["categories"]:
        html = soup(site / category["id"] / "index.html")
        assert html.title.get_text() == f"{category['title']} - {SITE_NAME}"
    for task in data["tasks"]:
        html = soup(site / "tasks" / task["id"] / "index.html")
        assert html.title.get_text() == f"{task['title']} - {SITE_NAME}"


def test_search_index_holds_the_text_not_markup(site, data):
    index = indexed_pages(site)
    # The site's search shows titles and excerpts as text (docs/assets/javascripts/search.js): the
    # index holds each name as written, escaped neither more nor less.
    titles = {page["meta"]["title"] for page in index.values()}
    assert {" ".join(m["name"].split()) for m in data["models"]} <= titles


def test_models_md_shows_payloads_as_text(data):
    """MODELS.md is read on the repository's page: rendered as Markdown, it holds no payload markup."""
    text = models_markdown(build_catalogue(data))
    html = BeautifulSoup(markdown.markdown(text, extensions=["tables"]), "html.parser")
    assert made_from_payload(html) == []
    assert not [a["href"] for a in html.find_all("a") if not a["href"].startswith("https://example.org/")]
    items = [li.get_text() for li in html.find_all("li")]
    for model in data["models"]:
        assert any(item.startswith(model["name"] + " " + model["description"]) for item in items), model[
            "name"
        ]


# --- In the browser -----------------------------------------------------------------------------

LIVE_CHECK = """() => {
    const found = [];
    for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
            const name = attribute.name;
            if (name.startsWith('on') || name === 'data-pwn' || name === 'autofocus'
                || (name === 'class' && element.classList.contains('pwn'))) {
                found.push(element.tagName + ' ' + name);
            }
        }
    }
    for (const title of document.querySelectorAll('.admonition-title')) {
        if (title.textContent.includes('pwn')) found.push('admonition ' + title.textContent);
    }
    return found;
}"""


@pytest.fixture(scope="module")
def site_url(site) -> Iterator[str]:
    with serve(functools.partial(QuietFiles, directory=str(site))) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory) -> Iterator[tuple[Page, list[str], list[str]]]:
    """One tab for the whole module, with what it saw: dialogs and requests to other hosts."""
    dialogs: list[str] = []
    off_host: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
        )
        try:
            tab = context.new_page()

            def only_loopback(route) -> None:
                if urlsplit(route.request.url).hostname == LOOPBACK:
                    route.continue_()
                else:
                    off_host.append(route.request.url)
                    route.abort()

            tab.route("**/*", only_loopback)

            def on_dialog(dialog) -> None:
                dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            tab.on("dialog", on_dialog)
            yield tab, dialogs, off_host
        finally:
            context.close()


def test_no_page_runs_payload_script_or_loads_from_other_hosts(browser_page, site_url, site):
    tab, dialogs, off_host = browser_page
    made = {}
    for path in html_pages(site):
        if path.parent.name == "search" or path.name == "404.html":
            continue
        relative = path.parent.relative_to(site).as_posix()
        tab.goto(f"{site_url}/{relative}/" if relative != "." else f"{site_url}/")
        tab.mouse.move(10, 10)  # hover and focus handlers would fire now
        tab.keyboard.press("Tab")
        made[relative] = tab.evaluate(LIVE_CHECK)
    assert dialogs == []
    assert off_host == []
    assert made == {relative: [] for relative in made}


def test_searching_for_each_payload_runs_no_script(browser_page, site_url):
    tab, dialogs, off_host = browser_page
    tab.goto(f"{site_url}/")
    search = tab.get_by_role("textbox", name="Search").first
    for text in PAYLOADS:
        search.click()
        search.fill("")
        search.fill(re.sub(r"\s+", " ", text)[:40])
        expect(tab.locator(".md-search-result__meta").first).to_have_text(re.compile("matching document"))
        assert tab.evaluate(LIVE_CHECK) == [], text
        tab.keyboard.press("Escape")
    assert dialogs == []
    assert off_host == []


def test_a_comparison_link_naming_objects_inherited_names_shows_no_model(browser_page, site_url):
    tab, dialogs, off_host = browser_page
    names = "__proto__,constructor,toString,hasOwnProperty,valueOf"
    tab.goto(f"{site_url}/compare/?models={names}")
    status = tab.locator(".ohm-side-status")
    status.filter(has_text="Not in the catalogue").wait_for()
    assert f"Not in the catalogue: {names.replace(',', ', ')}." in status.inner_text()
    assert tab.locator(".ohm-side table").count() == 0
    assert tab.locator("a[href*='undefined']").count() == 0
    assert dialogs == []
    assert off_host == []
