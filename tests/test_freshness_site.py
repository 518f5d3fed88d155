"""The site built with a freshness file, as the deploy workflow does: notices on model pages, archived rows.

The freshness file is made by the real `ohm freshness` against the fake
Hugging Face Hub and GitHub; the site by the real `mkdocs build`; the table's
filter is tried in Debian's headless Chromium.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect, sync_playwright

from ohm.catalog import open_catalogue
from ohm.cli import main
from ohm.site.render import render_pages

from .conftest import SMALL_CATALOGUE, make_project, run_mkdocs
from .fake_upstream import FakeApi
from .test_browser import CHROMIUM, CHROMIUM_ARGS, LOOPBACK, QuietFiles, serve


def make_freshness_file(reports: Path) -> Path:
    """What the check finds for the small catalogue: zeta-lm relicensed, seg-net archived, alpha-bert idle."""
    with FakeApi() as hub, FakeApi() as github:
        hub.hub_model("example/zeta-lm", "cc-by-nc-4.0")
        github.github_repo("example/alpha-bert", "Apache-2.0", pushed_at="2024-05-01T00:00:00Z")
        github.github_repo("example/seg-net", "Apache-2.0", archived=True)
        code = main(
            ["freshness", "--catalogue", str(SMALL_CATALOGUE), "--report-dir", str(reports),
             "--hf-api", hub.url, "--github-api", github.url, "--today", "2026-11-25", "--no-history"]
        )  # fmt: skip
    assert code == 1
    return reports / "freshness.json"


@pytest.fixture(scope="module")
def freshness_file(tmp_path_factory) -> Path:
    return make_freshness_file(tmp_path_factory.mktemp("freshness"))


@pytest.fixture(scope="module")
def site(tmp_path_factory, freshness_file) -> Path:
    project = make_project(tmp_path_factory.mktemp("project"), SMALL_CATALOGUE.read_text(encoding="utf-8"))
    site_dir = project / "site"
    result = run_mkdocs(project, site_dir=site_dir, env={"OHM_FRESHNESS": str(freshness_file)})
    assert result.returncode == 0, result.stderr
    return site_dir


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def notices(site: Path, model_id: str) -> list[tuple[str, str]]:
    html = page(site, f"models/{model_id}/index.html")
    return [
        (
            note.find(class_="admonition-title").get_text(strip=True),
            " ".join(
                p.get_text() for p in note.find_all("p") if "admonition-title" not in p.get("class", [])
            ),
        )
        for note in html.select(".admonition")
    ]


def test_a_changed_licence_is_a_danger_notice_with_both_values(site):
    [notice] = [n for n in notices(site, "zeta-lm") if n[0] == "The licence may have changed"]
    assert (
        "The model card now states cc-by-nc-4.0, where this page says LicenseRef-example-community (found on 2026-11-25)"
        in notice[1]
    )
    html = page(site, "models/zeta-lm/index.html")
    assert html.select_one(".admonition.danger .admonition-title").get_text(strip=True) == (
        "The licence may have changed"
    )


def test_archived_and_inactive_entries_say_so_and_nothing_else_is_shown(site):
    titles = {model: [title for title, _ in notices(site, model)] for model in ("seg-net", "alpha-bert")}
    assert (
        "Repository archived" in titles["seg-net"] and "No recent activity upstream" not in titles["seg-net"]
    )
    assert "No recent activity upstream" in titles["alpha-bert"]
    [inactive] = [
        text for title, text in notices(site, "alpha-bert") if title == "No recent activity upstream"
    ]
    assert (
        "Nothing has changed upstream since 2024-05-01, more than 365 days before the check of 2026-11-25"
        in inactive
    )
    every_title = [
        title for model in ("zeta-lm", "seg-net", "alpha-bert") for title, _ in notices(site, model)
    ]
    assert not [title for title in every_title if "erif" in title], "verification-due is for maintainers only"


def test_the_table_marks_archived_rows_and_offers_to_hide_them(site):
    home = page(site, "index.html")
    rows = {row["id"]: row for row in home.select(".ohm-compare tbody tr")}
    assert {row_id: row["data-archived"] for row_id, row in rows.items()} == {
        "row-alpha-bert": "no",
        "row-seg-net": "yes",
        "row-zeta-lm": "no",
    }
    assert rows["row-seg-net"].select_one(".ohm-archived").get_text() == "archived"
    assert [o.get_text() for o in home.select("select#ohm-archived option")] == ["Show", "Hide"]
    llm = page(site, "llm/index.html")
    assert llm.select_one("select#ohm-archived") is None, "no archived model on this page: no filter"


def test_without_a_freshness_file_the_pages_have_none_of_it():
    opened = open_catalogue(SMALL_CATALOGUE)
    catalogue, problems = opened.typed, opened.problems
    assert problems == []
    pages = "".join(render_pages(catalogue).values())
    assert "data-archived" not in pages and "ohm-archived" not in pages and "!!! danger" not in pages


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read it"),
        ("{", "not JSON"),
        ('{"schema_version": 9, "checked": "2026-11-25", "entries": {}}', "schema_version 9, expected 1"),
    ],
)
def test_an_unusable_freshness_file_stops_the_build_with_one_line(tmp_path, content, message):
    project = make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))
    freshness = tmp_path / "freshness.json"
    if content is not None:
        freshness.write_text(content, encoding="utf-8")
    result = run_mkdocs(project, site_dir=project / "site", env={"OHM_FRESHNESS": str(freshness)})
    assert result.returncode != 0 and not (project / "site").exists()
    [line] = [line for line in result.stderr.splitlines() if "freshness file:" in line]
    assert message in line and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def browser_tab(site) -> Iterator[tuple[Page, str, list[str]]]:
    """A Chromium tab on the built site, served from 127.0.0.1; other hosts are refused and recorded."""
    with serve(functools.partial(QuietFiles, directory=str(site))) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        refused: list[str] = []
        tab = browser.new_page()
        tab.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).hostname == LOOPBACK
                else (refused.append(route.request.url), route.abort())
            ),
        )
        try:
            yield tab, url, refused
        finally:
            browser.close()


def test_hiding_archived_entries_in_the_browser_is_kept_in_the_address(browser_tab):
    tab, url, refused = browser_tab
    tab.goto(f"{url}/")
    shown = ".ohm-compare tbody tr:not([hidden])"
    expect(tab.locator(shown)).to_have_count(3)
    tab.select_option("#ohm-archived", "no")
    expect(tab.locator(shown)).to_have_count(2)
    expect(tab.locator("#row-seg-net")).to_be_hidden()
    expect(tab.locator(".ohm-count")).to_have_text("2 of 3 models shown.")
    expect(tab).to_have_url(re.compile(r"archived=no"))  # written once the change settles
    tab.goto(f"{url}/?archived=no")
    expect(tab.locator(shown)).to_have_count(2)
    assert refused == []
