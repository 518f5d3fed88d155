"""The payloads of test_hostile_site.py through the Zensical build, where page metadata is front matter.

Zensical runs no plugin, so the writer (ohm/engines.py) puts each generated
page's title, description and search tags in the page file as YAML front
matter. These tests show that no payload can end that front matter, add a key
to it or reach the HTML as markup, and that every value shows exactly as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from ohm.engines import build_site, with_front_matter, write_project
from ohm.search import indexed_pages
from ohm.site.assemble import SiteError, SiteOptions, assemble, for_html

from .conftest import SITE_ENV, make_project
from .test_hostile_site import PAYLOADS, SITE_NAME, made_from_payload, payload_catalogue


@pytest.fixture(scope="module")
def data() -> dict:
    return payload_catalogue()


@pytest.fixture(scope="module")
def project(tmp_path_factory, data) -> Path:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return make_project(tmp_path_factory.mktemp("payloads") / "project", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory, project) -> tuple[Path, Path]:
    """(the Zensical site, the docs folder written for it)."""
    work = tmp_path_factory.mktemp("zensical")
    with pytest.MonkeyPatch.context() as environment:
        for name in SITE_ENV:
            environment.delenv(name, raising=False)
        assert build_site("zensical", project / "mkdocs.yml", work / "site", quiet=True) == 0
        written = write_project(project / "mkdocs.yml", work / "written")
    return work / "site", written.parent / "docs"


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, body) as a reader of front matter splits them: from the first line `---` to the next."""
    lines = text.splitlines(keepends=True)
    assert lines[0] == "---\n"
    end = next(n for n, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    return "".join(lines[1:end]), "".join(lines[end + 1 :])


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_each_written_page_is_its_metadata_then_its_markdown_exactly(built, project):
    _, docs = built
    site = assemble(SiteOptions(project_dir=project))
    assert {"models/model-0.md", "category-0.md", "tasks/task-0.md"} <= set(site.meta)
    for path, meta in site.meta.items():
        front, body = split_front_matter((docs / path).read_text(encoding="utf-8"))
        assert yaml.safe_load(front) == meta, path
        assert body == "\n" + site.files[path], path


@pytest.mark.parametrize(
    "text",
    [*PAYLOADS, "a\n---\nhide: [navigation]", "---", "...", "title: forged", "x\u2028---\u2028y", " ---"],
)
def test_no_value_can_end_the_front_matter_or_add_a_key(text):
    meta = {"title": for_html(text), "description": for_html(text), "tags": for_html([text, "plain"])}
    front, body = split_front_matter(with_front_matter("# Body\n", meta))
    assert yaml.safe_load(front) == meta
    assert body == "\n# Body\n"


def test_a_value_with_a_line_break_is_refused_rather_than_written():
    with pytest.raises(SiteError, match="cannot be written as front matter"):
        with_front_matter("# Body\n", {"title": "a\n---\nb"})


def test_no_page_has_an_element_or_attribute_made_from_payload_text(built):
    site, _ = built
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 3 * len(PAYLOADS)  # a category, a model and a task page each
    assert {str(p.relative_to(site)): made_from_payload(soup(p)) for p in pages} == {
        str(p.relative_to(site)): [] for p in pages
    }


def test_model_pages_have_their_own_title_and_description_exactly_as_written(built, data):
    site, _ = built
    for model in data["models"]:
        page = soup(site / "models" / model["id"] / "index.html")
        assert page.title.get_text() == f"{model['name']} - {SITE_NAME}"
        assert page.find("meta", attrs={"name": "description"})["content"] == model["description"]


def test_category_and_task_pages_have_their_title_exactly_as_written(built, data):
    site, _ = built
    for category in data["categories"]:
        assert (
            soup(site / category["id"] / "index.html").title.get_text()
            == f"{category['title']} - {SITE_NAME}"
        )
    for task in data["tasks"]:
        assert (
            soup(site / "tasks" / task["id"] / "index.html").title.get_text()
            == f"{task['title']} - {SITE_NAME}"
        )


def test_search_tags_hold_the_text_escaped_once(built, data):
    site, _ = built
    index = indexed_pages(site)
    for n, model in enumerate(data["models"]):
        record = index[f"models/{model['id']}/"]
        # The search shows titles and excerpts as text: each holds the words as written, escaped once.
        assert record["meta"]["title"] == " ".join(model["name"].split())
        assert " ".join(data["tasks"][n]["title"].split()) in record["content"]
