"""The engine-independent build: every page on disk, then Zensical (or plain MkDocs) builds the same site.

MkDocs with Material and the plugin stays the default; these tests check that
the pre-rendered project gives the same pages, exports and searchable pages,
also with a freshness file and a repository, and that the engine-neutral part
runs without MkDocs.
"""

from __future__ import annotations

import pkgutil
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

import ohm.site
from ohm.catalog import open_catalogue
from ohm.engines import build_site, build_with, write_project
from ohm.search import SEARCH_FOLDER, indexed_pages

from .conftest import FIXTURES, ROOT, SITE_ENV, SMALL_CATALOGUE, make_project, run_mkdocs
from .test_freshness_site import make_freshness_file, notices


def site_files(site: Path) -> set[str]:
    """The pages and exports of a built site: what a reader can open, whatever the engine's assets."""
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.suffix in {".html", ".json", ".csv"}
        and "assets" not in path.parts
        and SEARCH_FOLDER not in path.parts
        and "search" not in path.name
    }


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("plugin"), SMALL_CATALOGUE.read_text(encoding="utf-8"))
    result = run_mkdocs(project, site_dir=project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_zensical_builds_the_same_pages_and_exports_as_mkdocs(tmp_path, plugin_site):
    project = make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))
    site = tmp_path / "zensical-site"
    assert build_site("zensical", project / "mkdocs.yml", site, quiet=True) == 0
    assert site_files(site) == site_files(plugin_site)
    opened = open_catalogue(SMALL_CATALOGUE)
    catalogue, _ = opened.typed, opened.problems
    assert catalogue is not None
    for model in catalogue.models:
        assert f"models/{model.id}/index.html" in site_files(site)
    for export in ("models.json", "models.csv"):
        assert (site / export).read_bytes() == (plugin_site / export).read_bytes()


def test_zensical_site_can_search_every_model_page(tmp_path):
    project = make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))
    site = tmp_path / "site"
    assert build_site("zensical", project / "mkdocs.yml", site, quiet=True) == 0
    index = indexed_pages(site)
    catalogue = open_catalogue(SMALL_CATALOGUE).catalogue
    assert catalogue is not None
    for model in catalogue.models:
        assert index[f"models/{model.id}/"]["meta"]["title"] == model.name
    assert not (site / "search.json").exists()  # Zensical's one-file index is not published


def test_plain_mkdocs_builds_the_written_project_strictly_with_the_same_pages(tmp_path, plugin_site):
    project = make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))
    config = write_project(project / "mkdocs.yml", tmp_path / "prerendered")
    assert yaml.safe_load(config.read_text(encoding="utf-8"))["plugins"] == ["search"]  # no ohm plugin
    assert build_with("mkdocs", config, quiet=True) == 0
    assert site_files(tmp_path / "prerendered" / "site") == site_files(plugin_site)


def test_the_command_builds_with_zensical_and_a_bad_catalogue_builds_nothing(tmp_path):
    site = tmp_path / "site"
    command = [sys.executable, "-m", "ohm", "build", "--engine", "zensical", "--site-dir", str(site)]
    good = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert good.returncode == 0, good.stderr
    assert (site / "models.json").is_file()

    project = make_project(tmp_path / "bad", (FIXTURES / "invalid" / "unknown-category.yaml").read_text())
    site.mkdir(exist_ok=True)
    before = sorted(path.name for path in site.iterdir())
    with pytest.raises(
        Exception, match=r"1 problem\(s\) in the catalogue; the site was not built\."
    ) as raised:
        build_site("zensical", project / "mkdocs.yml", site)
    assert [str(p).split(": ", 1)[1] for p in raised.value.problems] == [
        "example-asr: category: unknown category 'audio'; declared categories: speech"
    ]
    assert sorted(path.name for path in site.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no work folder left


# --- The engine-neutral part runs without MkDocs -------------------------------------------


def imported_mkdocs_modules(*modules: str) -> list[str]:
    """The `mkdocs` modules a fresh interpreter holds after importing `modules`."""
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.partition('.')[0] == 'mkdocs')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *modules], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_engine_neutral_site_and_the_zensical_writer_import_no_mkdocs():
    site_modules = [f"ohm.site.{module.name}" for module in pkgutil.iter_modules(ohm.site.__path__)]
    assert "ohm.site.assemble" in site_modules and "ohm.site.edit_links" in site_modules
    assert imported_mkdocs_modules("ohm.site", *site_modules, "ohm.engines") == []
    # The check sees MkDocs where it is: the plugin is its adapter.
    assert "mkdocs.plugins" in imported_mkdocs_modules("ohm.mkdocs_plugin")


# --- Both adapters give the same site, with a freshness file and a repository -------------

REPO_URL = "https://github.com/example/health-models"


@pytest.fixture(scope="module")
def twin_sites(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(the MkDocs site, the Zensical site, the docs folder written for Zensical), built as the deploy does."""
    work = tmp_path_factory.mktemp("twins")
    settings = {"OHM_FRESHNESS": str(make_freshness_file(work / "freshness")), "REPO_URL": REPO_URL}
    project = make_project(work / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))
    result = run_mkdocs(project, site_dir=work / "mkdocs", env=settings)
    assert result.returncode == 0, result.stderr
    with pytest.MonkeyPatch.context() as environment:
        for name in SITE_ENV:
            environment.delenv(name, raising=False)
        for name, value in settings.items():
            environment.setenv(name, value)
        assert build_site("zensical", project / "mkdocs.yml", work / "zensical", quiet=True) == 0
        written = write_project(project / "mkdocs.yml", work / "written")
    return work / "mkdocs", work / "zensical", written.parent / "docs"


def html_page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def html_paths(site: Path) -> list[str]:
    return sorted(path for path in site_files(site) if path.endswith(".html") and path != "404.html")


def page_text(site: Path, path: str) -> str:
    """What a reader sees of the page's content, white space aside."""
    article = html_page(site, path).select_one("article")
    for hidden in article.select("[hidden]"):
        hidden.decompose()
    return " ".join(article.get_text().split())


def navigation(site: Path, path: str) -> list[tuple[str, str]]:
    """The primary navigation of a page: each label with the site path it leads to."""
    folder = posixpath.dirname(path)
    return [
        (
            " ".join(link.get_text(" ").split()),
            link["href"]
            if link["href"].startswith("#")
            else posixpath.normpath(posixpath.join(folder, link["href"])),
        )
        for link in html_page(site, path).select("nav.md-nav--primary a.md-nav__link")
    ]


def head_metadata(site: Path, path: str) -> tuple[str, str]:
    html = html_page(site, path)
    return html.title.get_text(), html.find("meta", attrs={"name": "description"})["content"]


def front_matter(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.removeprefix("---\n").split("\n---\n", 1)[0])


def test_both_engines_carry_the_same_pages_navigation_and_freshness_notices(twin_sites):
    mkdocs_site, zensical_site, _ = twin_sites
    assert site_files(zensical_site) == site_files(mkdocs_site)
    paths = html_paths(mkdocs_site)
    assert "models/seg-net/index.html" in paths and "about/index.html" in paths
    for path in paths:
        assert page_text(zensical_site, path) == page_text(mkdocs_site, path), path
        assert navigation(zensical_site, path) == navigation(mkdocs_site, path), path
    catalogue = open_catalogue(SMALL_CATALOGUE).catalogue
    for model in catalogue.models:
        assert notices(zensical_site, model.id) == notices(mkdocs_site, model.id), model.id
    for site in (mkdocs_site, zensical_site):
        assert "Repository archived" in [title for title, _ in notices(site, "seg-net")]
        edit_links = [
            a["href"] for a in html_page(site, "models/seg-net/index.html").select("article a[href]")
        ]
        assert f"{REPO_URL}/edit/main/data/models.yaml" in edit_links


def test_both_engines_give_each_page_the_same_title_description_and_search_tags(twin_sites):
    mkdocs_site, zensical_site, written_docs = twin_sites
    for path in html_paths(mkdocs_site):
        mkdocs_title, mkdocs_description = head_metadata(mkdocs_site, path)
        zensical_title, zensical_description = head_metadata(zensical_site, path)
        assert zensical_description == mkdocs_description, path
        if path != "index.html":  # Zensical 0.0.73 titles every page, the home page too (see the README)
            assert zensical_title == mkdocs_title, path
    assert head_metadata(zensical_site, "models/seg-net/index.html") == (
        "SegNet Example - Open Health Models",
        "Self-configuring segmentation for CT and MRI.",
    )
    # One search for both: the same pages, with the same titles, each model page with its tags.
    mkdocs_index = indexed_pages(mkdocs_site)
    zensical_index = indexed_pages(zensical_site)
    assert set(zensical_index) == set(mkdocs_index)
    assert {url: page["meta"]["title"] for url, page in zensical_index.items()} == {
        url: page["meta"]["title"] for url, page in mkdocs_index.items()
    }
    for index in (mkdocs_index, zensical_index):
        content = index["models/seg-net/"]["content"]
        assert all(tag in content for tag in ("radiology", "contouring", "Segmentation")), content
    # The boost of each model page, which the search reads from the page's metadata, is in its front matter.
    catalogue = open_catalogue(SMALL_CATALOGUE).catalogue
    for model in catalogue.models:
        assert front_matter(written_docs / f"models/{model.id}.md")["search"]["boost"] >= 2


def test_both_engines_give_the_not_found_page_its_ways_on(twin_sites):
    """404.html comes from the theme override (templates/theme/404.html) in both engines, its links
    written from the site's root since it is shown at any address."""
    for site in twin_sites[:2]:
        article = html_page(site, "404.html").select_one("article")
        links = {" ".join(a.get_text().split()): a["href"] for a in article.select("a[href]")}
        assert links == {
            "The complete list of models": "/models/",
            "Models by task": "/tasks/",
            "The home page": "/",
        }, site
        assert article.select_one("button.ohm-open-search").get_text() == "Search the catalogue"
