"""The engine-independent build: every page on disk, then Zensical (or plain MkDocs) builds the same site.

MkDocs with Material and the plugin stays the default; these tests check that
the pre-rendered project gives the same pages, exports and searchable pages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ohm.catalog import open_catalogue
from ohm.engines import build_site, build_with, write_project

from .conftest import FIXTURES, ROOT, SMALL_CATALOGUE, make_project, run_mkdocs


def site_files(site: Path) -> set[str]:
    """The pages and exports of a built site: what a reader can open, whatever the engine's assets."""
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.suffix in {".html", ".json", ".csv"}
        and "assets" not in path.parts
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
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    locations = {item["location"].split("#")[0] for item in index["items"]}
    opened = open_catalogue(SMALL_CATALOGUE)
    catalogue, _ = opened.typed, opened.problems
    assert catalogue is not None
    assert {f"models/{model.id}/" for model in catalogue.models} <= locations


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
