"""The site as the deploy workflow builds it: CONTRIBUTING.md as the contributing page,
the site address and edit links from the environment, each edit link opening the real source."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from .conftest import ROOT, run_mkdocs

REPOSITORY = "https://github.com/example-org/open-health-models"
DEPLOY_ENV = {
    "SITE_URL": "https://example-org.github.io/open-health-models/",
    "REPO_URL": REPOSITORY,
    "EDIT_URI": "edit/main/docs/",
}


def html(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def edit_link(page: BeautifulSoup) -> str | None:
    link = page.select_one("a.md-content__button[href*='/edit/']")
    return link["href"] if link else None


def test_contributing_page_is_contributing_md(small_project, tmp_path):
    result = run_mkdocs(small_project, site_dir=tmp_path / "site")
    assert result.returncode == 0, result.stderr
    headings = re.findall(r"^## (.+)$", (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), re.MULTILINE)
    page = html(tmp_path / "site", "contributing/index.html")
    shown = [h2.get_text().rstrip("¶") for h2 in page.select("article h2")]
    assert headings and shown == headings
    assert "ohm new" in page.get_text()


def test_without_a_contributing_md_the_build_fails(small_project, tmp_path):
    (small_project / "CONTRIBUTING.md").unlink()
    result = run_mkdocs(small_project, site_dir=tmp_path / "site")
    assert result.returncode != 0
    assert "CONTRIBUTING.md" in result.stderr


def test_deploy_settings_give_site_url_and_edit_links_to_the_real_sources(small_project, tmp_path):
    site = tmp_path / "site"
    result = run_mkdocs(small_project, site_dir=site, env=DEPLOY_ENV)
    assert result.returncode == 0, result.stderr
    about = html(site, "about/index.html")
    assert about.select_one("link[rel=canonical]")["href"] == DEPLOY_ENV["SITE_URL"] + "about/"
    assert about.select_one("a.md-source")["href"] == REPOSITORY
    # Material's source component would fetch star counts from the GitHub API in the browser.
    assert about.select_one("[data-md-component=source]") is None
    assert edit_link(about) == f"{REPOSITORY}/edit/main/docs/about.md"
    assert edit_link(html(site, "contributing/index.html")) == f"{REPOSITORY}/edit/main/CONTRIBUTING.md"
    for generated in ("index.html", "llm/index.html", "vision/index.html"):
        assert edit_link(html(site, generated)) == f"{REPOSITORY}/edit/main/data/models.yaml"


def test_without_deploy_settings_there_are_no_edit_links(small_project, tmp_path, monkeypatch):
    for name in DEPLOY_ENV:
        monkeypatch.delenv(name, raising=False)
    site = tmp_path / "site"
    assert run_mkdocs(small_project, site_dir=site).returncode == 0
    assert edit_link(html(site, "about/index.html")) is None
    assert html(site, "about/index.html").select_one("link[rel=canonical]") is None
