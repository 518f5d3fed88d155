"""A versioned release (scripts/release.sh): the archive of the built site works offline.

The archive is unpacked and served from 127.0.0.1; headless Chromium may talk to nothing else.
Every link of every page of it must lead to a file in it, and the pages, feeds, badges and
governance packs open as what they are.
"""

from __future__ import annotations

import functools
import io
import json
import os
import posixpath
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, sync_playwright

from .conftest import ROOT
from .test_browser import CHROMIUM, CHROMIUM_ARGS, QuietFiles, guarded, serve

VERSION = "v2026.12.0"
DATE = "2026-12-05"
NAME = f"open-health-models-{VERSION}"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The unpacked archive of a release of the project's own catalogue."""
    dist = tmp_path_factory.mktemp("dist")
    environment = {**os.environ, "DIST": str(dist), "PYTHON": sys.executable, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("SITE_URL", None)
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "release.sh"), VERSION, DATE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in dist.iterdir()) == [
        f"{NAME}-models.csv",
        f"{NAME}-models.json",
        f"{NAME}.tar.gz",
    ]
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(dist / f"{NAME}.tar.gz") as archive:
        assert all(member.name.split("/")[0] == NAME for member in archive.getmembers())
        archive.extractall(unpacked, filter="data")
    return unpacked / NAME


@pytest.fixture(scope="module")
def served(release: Path) -> Iterator[str]:
    with serve(functools.partial(QuietFiles, directory=str(release))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    try:
        with guarded(context.new_page()) as tab:
            yield tab
    finally:
        context.close()


def test_the_release_says_its_version_in_its_data_and_on_every_page(release: Path):
    record = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert (record["version"], record["date"]) == (VERSION, DATE)
    pages = sorted(release.rglob("*.html"))
    assert len(pages) > 50
    for html in pages:
        footer = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find(class_="ohm-release")
        assert footer is not None, html
        assert " ".join(footer.get_text().split()) == f"Release {VERSION} of {DATE}", html


def test_every_entry_is_cited_with_the_release(release: Path):
    """The release reaches "Cite this entry" on every model page, in BibTeX and CSL-JSON."""
    pages = sorted((release / "models").glob("*/index.html"))
    assert len(pages) > 50
    for html in pages:
        cite = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one(".ohm-cite")
        bibtex, csl = (pre.get_text() for pre in cite.select("pre"))
        assert f"  version = {{{VERSION}}}," in bibtex.splitlines(), html
        assert json.loads(csl)[0]["version"] == VERSION, html


def test_every_link_of_every_page_leads_to_a_file_of_the_archive(release: Path):
    missing = []
    for html in release.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        folder = html.parent.relative_to(release).as_posix()
        for element in soup.find_all(["a", "link", "script", "img"]):
            target = element.get("href") or element.get("src")
            if not target or urlsplit(target).scheme or target.startswith(("#", "//", "mailto:")):
                continue
            # An absolute path (the 404 page's, which is served at any depth) is from the archive's root.
            path = posixpath.normpath(posixpath.join(folder, unquote(urlsplit(target).path))).lstrip("/")
            file = release / path
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                missing.append(f"{html.relative_to(release)}: {target}")
    assert missing == []


def test_pages_and_downloads_open_offline_in_a_browser(page: Page, served: str, release: Path):
    page.goto(f"{served}/changes/")
    page.get_by_role("heading", name="Changes", level=1).wait_for()
    feed = page.request.get(f"{served}/feeds/catalogue.xml")
    assert feed.ok and not feedparser.parse(feed.body()).bozo

    page.goto(f"{served}/models/medsam/")
    page.get_by_role("heading", name="History").wait_for()
    assert page.get_by_text("Added:").count() == 1
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the governance pack").click()
    pack = zipfile.ZipFile(io.BytesIO(Path(waiting.value.path()).read_bytes()))
    assert pack.namelist() == ["medsam/cyclonedx.json", "medsam/worksheet.md", "medsam/worksheet.csv"]

    badge = page.request.get(
        urljoin(page.url, page.get_by_role("link", name="badge", exact=True).get_attribute("href"))
    )
    assert badge.ok and ET.fromstring(badge.body()).tag == "{http://www.w3.org/2000/svg}svg"
    for name in (
        "models.json",
        "models.csv",
        "release.json",
        "governance/medsam.cdx.json",
        "feeds/models/medsam.xml",
    ):
        assert page.request.get(f"{served}/{name}").ok, name

    page.get_by_role("link", name="changes to the whole catalogue").click()
    page.wait_for_url(f"{served}/changes/")
