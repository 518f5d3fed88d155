"""Stage 4: the real catalogue through real MkDocs (Material), strict mode.

Builds once per session into a temporary folder, then checks the HTML a
person would read and the search index they would query.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue
from ohm.catalog.catalogue import Catalogue
from ohm.catalog.synthetic import synthetic_catalogue
from ohm.search import indexed_pages
from ohm.site import table

from .conftest import FIXTURES, ROOT, SMALL_CATALOGUE, make_project, run_mkdocs


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    opened = open_catalogue(DEFAULT_CATALOGUE)
    catalogue, problems = opened.typed, opened.problems
    assert problems == []
    return catalogue


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("build") / "site"
    result = run_mkdocs(ROOT, site_dir=site_dir)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site_dir


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_every_model_is_on_its_category_page_with_all_its_links(site, catalogue):
    for category in catalogue.categories:
        html = page(site, f"{category.id}/index.html")
        hrefs = {a["href"] for a in html.select("article a[href]")}
        for model in category.models:
            heading = html.find("h3", id=model.id)
            assert heading is not None, f"{model.id} missing from {category.id}"
            assert heading.get_text().rstrip("¶") == model.name
            for link in model.links:
                assert link.url in hrefs, f"{model.id}: {link.url}"
            for artefact in model.licenses:
                assert artefact.url is None or artefact.url in hrefs, f"{model.id}: {artefact.artefact}"


def by_category_table(html: BeautifulSoup):
    return html.find("h2", id="by-category").find_next("table")


def test_home_page_lists_each_category_with_its_count(site, catalogue):
    rows = by_category_table(page(site, "index.html")).select("tbody tr")
    assert [(row.find("a").get_text(), int(row.find_all("td")[1].get_text())) for row in rows] == [
        (category.title, len(category.models)) for category in catalogue.categories
    ]
    assert f"Catalogue last updated {catalogue.last_updated}" in page(site, "index.html").get_text(
        " ", strip=True
    )


def test_navigation_has_home_then_categories_then_tasks_and_no_model(site, catalogue):
    html = page(site, "about/index.html")
    links = html.select("nav.md-nav--primary .md-nav__link")
    titles = [link.get_text(" ", strip=True) for link in links]
    expected = ["Home", "Models", "All models", "Compare side by side"]
    expected += [category.title for category in catalogue.categories]
    expected += ["Tasks", "All tasks", *(task.title for task in catalogue.tasks)]
    assert titles[: len(expected)] == expected
    assert titles.index("About") >= len(expected)
    hrefs = [link.get("href") for link in links]
    category = catalogue.categories[0]
    assert hrefs[titles.index(category.title)] == f"../{category.id}/"
    # Only the complete list, never a model's own page: the navigation does not grow with the catalogue.
    assert not [href for href in hrefs if href and "models/" in href and not href.endswith("models/")]


def test_a_model_page_leads_back_up_to_its_category_and_subcategory(site, catalogue):
    for model in catalogue.models:
        breadcrumb = page(site, f"models/{model.id}/index.html").select_one("article .ohm-breadcrumb")
        category = catalogue.category(model.category)
        subcategory = next(sub for sub in category.subcategories if sub.id == model.subcategory)
        assert [(a.get_text(), a["href"]) for a in breadcrumb.find_all("a")] == [
            ("Home", "../../"),
            (category.title, f"../../{category.id}/"),
            (subcategory.title, f"../../{category.id}/#{subcategory.id}"),
        ]


def test_every_model_has_its_own_page_linked_from_its_category(site, catalogue):
    for model in catalogue.models:
        html = page(site, f"models/{model.id}/index.html")
        assert html.find("h1").get_text(strip=True).rstrip("¶") == model.name
        links = html.select_one("article .ohm-links")
        assert {a["href"] for a in links.select("a")} == {link.url for link in model.links}
        assert len(links.select("a.md-button--primary")) == 1
        assert f"Last verified: {model.verified}" in html.get_text(" ", strip=True)
        assert "not a medical device" in html.select_one("article .ohm-notice").get_text()
        admonition_titles = [t.get_text(strip=True) for t in html.select(".admonition-title")]
        assert admonition_titles[0] == f"Commercial use: {model.commercial_use_label}"
        category_links = page(site, f"{model.category}/index.html").select("article a[href]")
        assert sum(a["href"] == f"../models/{model.id}/" for a in category_links) == 2


def test_home_page_table_carries_its_first_rows_and_the_complete_list_every_model(site, catalogue):
    rows = page(site, "index.html").select(".ohm-compare tbody tr")
    assert len(rows) == min(len(catalogue.models), table.ROWS) < len(catalogue.models)
    assert {row.find("a")["href"] for row in rows} <= {f"models/{m.id}/" for m in catalogue.models}
    complete = page(site, "models/index.html").select(".ohm-compare tbody tr")
    assert {row.find("a")["href"] for row in complete} == {f"{m.id}/" for m in catalogue.models}


def test_each_task_page_lists_its_models(site, catalogue):
    for task in catalogue.tasks:
        rows = page(site, f"tasks/{task.id}/index.html").select(".ohm-compare tbody tr")
        # In the catalogue's order, like every table, so rows drawn from the complete list fit in.
        assert [row["id"] for row in rows] == [f"row-{m.id}" for m in catalogue.models if task in m.tasks]
    assert all(catalogue.models_for_task(task) for task in catalogue.tasks), "a declared task has no model"


def test_exports_are_published_at_the_root_of_the_site(site, catalogue):
    document = json.loads((site / "models.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == 3
    assert sorted(m["id"] for m in document["models"]) == sorted(m.id for m in catalogue.models)
    for record in document["models"]:
        assert (site / record["page"] / "index.html").is_file()
    rows = list(csv.DictReader(io.StringIO((site / "models.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [m["id"] for m in document["models"]]
    home = {a["href"] for a in page(site, "index.html").select("article a")}
    assert {"models.json", "models.csv"} <= home


def test_without_repo_url_no_page_has_an_edit_link(site):
    for html_file in site.rglob("*.html"):
        html = page(site, str(html_file.relative_to(site)))
        assert html.select(".md-content__button") == [], html_file
        assert not [a for a in html.find_all("a", href=True) if "/edit/" in a["href"]], html_file


def test_with_repo_url_model_pages_link_to_their_entry(tmp_path):
    project = make_project(tmp_path, SMALL_CATALOGUE.read_text())
    result = run_mkdocs(
        project, site_dir=project / "site", env={"REPO_URL": "https://github.com/example/health-models"}
    )
    assert result.returncode == 0, result.stderr
    html = page(project / "site", "models/alpha-bert/index.html")
    line = SMALL_CATALOGUE.read_text().splitlines().index("  - id: alpha-bert") + 1
    edit = "https://github.com/example/health-models/edit/main/data/models.yaml"
    hrefs = [a["href"] for a in html.select("article a")]
    assert edit in hrefs
    assert f"https://github.com/example/health-models/blob/main/data/models.yaml#L{line}" in hrefs
    assert html.select_one("a.md-content__button")["href"] == edit  # Material's edit button
    about = page(project / "site", "about/index.html").select_one("a.md-content__button")
    assert about["href"] == "https://github.com/example/health-models/edit/main/docs/about.md"


def test_copies_of_the_catalogue_are_valid_and_still_to_be_re_read(tmp_path, catalogue):
    """A synthetic catalogue keeps the originals as they are; its copies, on other hosts, drop their evidence."""
    path = tmp_path / "models.yaml"
    path.write_text(
        synthetic_catalogue(DEFAULT_CATALOGUE.read_text(encoding="utf-8"), 3 * len(catalogue.models))
    )
    opened = open_catalogue(path)
    assert opened.problems == []
    complete = {m.id for m in catalogue.models if m.evidence_status == "complete"}
    assert complete, "the catalogue has no entry with evidence"
    copies = [m for m in opened.typed.models if m.id.endswith(("-1", "-2")) and m.id[:-2] in complete]
    assert len(copies) == 2 * len(complete)
    assert {m.evidence_status for m in copies} == {"pending"} and not any(m.second_reader for m in copies)
    originals = {m.id: m for m in opened.typed.models if m.id in complete}
    assert {m.id: m.evidence for m in originals.values()} == {
        m.id: m.evidence for m in catalogue.models if m.id in complete
    }


def test_a_model_page_does_not_grow_with_the_catalogue(tmp_path, catalogue):
    """The navigation every page carries holds no model, so ten times the models keep a page's size."""
    source = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    sizes = []
    for count in (len(catalogue.models), 10 * len(catalogue.models)):
        project = make_project(tmp_path / str(count), synthetic_catalogue(source, count))
        result = run_mkdocs(project, site_dir=project / "site")
        assert result.returncode == 0, result.stderr
        sizes.append((project / "site" / "models" / catalogue.models[0].id / "index.html").stat().st_size)
    small, large = sizes
    assert large <= 1.05 * small, sizes


def test_search_index_has_every_model(site, catalogue):
    index = indexed_pages(site)
    titles = {page["meta"]["title"] for page in index.values()}
    for model in catalogue.models:
        assert model.name in titles, model.name
        assert index[f"models/{model.id}/"]["meta"]["title"] == model.name
        # the model's section of its category page can be found too
        assert model.id in {anchor["id"] for anchor in index[f"{model.category}/"]["anchors"]}
    # the complete list and the comparison frame repeat the model pages: not in the index
    assert "models/" not in index and "compare/" not in index
    # the theme's own one-file index, which a visitor would download whole, is not published
    assert not (site / "search" / "search_index.json").exists()


def test_site_loads_no_fonts_or_scripts_from_other_hosts(site):
    for html_file in site.rglob("*.html"):
        html = page(site, str(html_file.relative_to(site)))
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in html.find_all(tag):
                value = element.get(attribute, "")
                if tag == "link" and "stylesheet" not in element.get("rel", []):
                    continue
                assert not value.startswith(("http:", "https:", "//")), f"{html_file}: {value}"


def test_a_bad_catalogue_stops_the_build_and_leaves_the_site_alone(tmp_path):
    project = make_project(tmp_path, (FIXTURES / "invalid" / "many-problems.yaml").read_text())
    site_dir = project / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("last good build")
    result = run_mkdocs(project, site_dir=site_dir)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 11
    assert "data/models.yaml:20: example-asr: category: unknown category 'audio'" in errors[0]
    assert "10 problem(s) in the catalogue; the site was not built." in errors[-1]
    assert "Traceback" not in result.stderr
    assert [p.name for p in site_dir.iterdir()] == ["index.html"]
    assert (site_dir / "index.html").read_text() == "last good build"


def test_markdown_in_entries_is_shown_literally_in_the_built_site(tmp_path):
    text = SMALL_CATALOGUE.read_text().replace(
        "description: A general language model for summaries.",
        'description: "**not bold** [not a link](https://evil.example) | # 1. `x`"',
    )
    project = make_project(tmp_path, text)
    result = run_mkdocs(project, site_dir=project / "site")
    assert result.returncode == 0, result.stderr
    for path in ("llm/index.html", "models/zeta-lm/index.html"):
        html = page(project / "site", path)
        assert "**not bold** [not a link](https://evil.example) | # 1. `x`" in [
            p.get_text() for p in html.find_all("p")
        ]
        assert html.find("a", href="https://evil.example") is None
    meta = page(project / "site", "models/zeta-lm/index.html").find("meta", attrs={"name": "description"})
    assert meta["content"] == "**not bold** [not a link](https://evil.example) | # 1. `x`"


def test_a_docs_page_cannot_silently_replace_a_generated_one(tmp_path):
    project = make_project(tmp_path, SMALL_CATALOGUE.read_text())
    (project / "docs" / "llm.md").write_text("# Hand-written\n")
    result = run_mkdocs(project, site_dir=project / "site")
    assert result.returncode == 1
    assert "llm.md clashes with a generated page; rename it." in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, contains: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if contains in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never contained {contains!r}; last body: {body[:300]!r}")


def test_serve_rebuilds_when_the_catalogue_or_a_template_changes(small_project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=small_project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/llm/"
        wait_for(url, "Zeta LM")
        catalogue = small_project / "data" / "models.yaml"
        catalogue.write_text(catalogue.read_text().replace("name: Zeta LM", "name: Omega LM"))
        wait_for(url, "Omega LM")
        template = small_project / "templates" / "category.md.j2"
        template.write_text(template.read_text() + "\nTemplate marker 7d1f.\n")
        wait_for(url, "Template marker 7d1f.")
    finally:
        server.terminate()
        server.wait(timeout=20)
    shutil.rmtree(small_project / "site", ignore_errors=True)


def test_evidence_stays_out_of_the_search_index(tmp_path):
    """A quote repeats its source, and every silent fact lists the same files: search skips them."""
    project = make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))
    site_dir = project / "site"
    result = run_mkdocs(project, site_dir=site_dir)
    assert result.returncode == 0, result.stderr
    built = page(site_dir, "models/alpha-bert/index.html")
    quotes = [quote.get_text() for quote in built.select("details.ohm-evidence blockquote")]
    assert any("no registration is needed" in quote for quote in quotes)
    content = indexed_pages(site_dir)["models/alpha-bert/"]["content"]
    assert "Open download" in content  # the fact itself is found
    assert "no registration is needed" not in content
    assert "say nothing on this" not in content and "read: silent" not in content
    # The citation of a paper is left out the same way (the theme's own search attribute does not
    # reach the built page).
    assert "@misc{zeta-lm" not in indexed_pages(site_dir)["models/zeta-lm/"]["content"]
