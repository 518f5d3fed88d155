"""Stage 3: rendering is exact (golden files), deterministic and escapes all text.

Golden files live in tests/golden/<catalogue>/. After a deliberate change to
the templates, regenerate them with:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py

and review the diff like any other change.
"""

from __future__ import annotations

import copy
import os
import random

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from ohm.catalog.catalogue import build_catalogue
from ohm.catalog.load import load_catalogue
from ohm.site import table
from ohm.site.render import Repository, link_from, markdown_text, page_meta, render_pages
from ohm.site.table_index import table_text

from .conftest import ROOT, SMALL_CATALOGUE

GOLDEN = ROOT / "tests" / "golden" / "small"
# A fictional repository, so the golden model pages show their edit links.
REPOSITORY = Repository.from_site_config("https://git.example.org/ohm", "edit/main/docs/")


def small_data() -> dict:
    loaded = load_catalogue(SMALL_CATALOGUE)
    assert loaded.problems == []
    return loaded.data


def small_pages(repository: Repository | None = REPOSITORY) -> dict[str, str]:
    loaded = load_catalogue(SMALL_CATALOGUE)
    return render_pages(build_catalogue(loaded.data, loaded.lines), repository=repository)


def to_html(page: str) -> BeautifulSoup:
    """Convert with the same Markdown extensions the site uses (front matter removed, as MkDocs does)."""
    page, _ = get_data(page)
    # MkDocs' own loader: mkdocs.yml uses its tags (!ENV, !relative), which plain YAML rejects.
    config = load_config(str(ROOT / "mkdocs.yml"))
    html = markdown.markdown(
        page, extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )
    return BeautifulSoup(html, "html.parser")


def test_pages_match_the_golden_files():
    pages = small_pages()
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for name, content in pages.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(content, encoding="utf-8")
    golden = {
        path.relative_to(GOLDEN).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(GOLDEN.rglob("*.md"))
    }
    assert sorted(pages) == sorted(golden)
    for name, content in pages.items():
        assert content == golden[name], f"{name} differs from tests/golden/small/{name}"


def test_same_input_in_any_order_gives_byte_identical_pages():
    data = small_data()
    expected = render_pages(build_catalogue(data))
    for seed in range(5):
        shuffled = copy.deepcopy(data)
        random.Random(seed).shuffle(shuffled["models"])
        random.Random(seed).shuffle(shuffled["licenses"])
        assert render_pages(build_catalogue(shuffled)) == expected


def test_models_are_listed_by_name_within_their_subcategory():
    pages = render_pages(build_catalogue(small_data()))
    vision = to_html(pages["vision.md"])
    llm = to_html(pages["llm.md"])
    assert [h.get_text(strip=True) for h in llm.find_all(["h2", "h3"])] == [
        "General purpose¶",
        "Zeta LM¶",
        "Clinical¶",
        "Alpha BERT¶",
    ]
    assert [h["id"] for h in vision.find_all("h3")] == ["seg-net"]


HOSTILE = (
    "<script>alert(1)</script> **bold** _em_ `code` [click](javascript:alert(1)) "
    "![img](https://x.org/i.png) | a | b | &lt;entity&gt; {: .evil } # not a heading \\ end"
)


def hostile_data() -> dict:
    data = small_data()
    model = data["models"][0]
    model["name"] = "Evil | Name *x*"
    model["description"] = HOSTILE
    model["use_cases"] = ["1. not a list", "- not a list either", "# not a heading"]
    model["caveats"] = ["> not a quote", HOSTILE]
    model["commercial_use_note"] = "</li></ul><h1>injected</h1>"
    model["licenses"]["code"]["note"] = HOSTILE
    model["intended_users"] = [HOSTILE]
    model["out_of_scope"] = ["| not | a | cell |", HOSTILE]
    model["access_note"] = HOSTILE
    model["training_data"] = [{"name": HOSTILE, "note": HOSTILE}]
    model["evaluations"] = [
        {"benchmark": "| x |", "metric": HOSTILE, "value": "1 | 2", "kind": "benchmark",
         "source": "https://e.org/r", "self_reported": False, "note": HOSTILE, "quote": HOSTILE}
    ]  # fmt: skip
    # Quotes are the words of a source, whatever they are: in a table cell and in a list item.
    model["evidence"] = {
        "licenses.code": [{"source": "https://e.org/r", "quote": HOSTILE}],
        "access": [{"source": 'https://e.org/r?a=1&b="2"|x', "quote": HOSTILE}],
    }
    data["categories"][0]["title"] = "Pipes | break | tables"
    data["catalogue"]["summary"] = "=== not a setext underline"
    return data


@pytest.fixture(scope="module")
def hostile_pages() -> dict[str, BeautifulSoup]:
    return {name: to_html(page) for name, page in render_pages(build_catalogue(hostile_data())).items()}


@pytest.mark.parametrize("name", ["llm.md", "index.md", "models/zeta-lm.md", "tasks/summarisation.md"])
def test_hostile_text_creates_no_markup_on_any_page(hostile_pages, name):
    page = hostile_pages[name]
    assert page.find("script") is None
    assert page.find("strong", string="bold") is None
    assert page.find("img") is None
    assert page.find("h1", string="injected") is None
    assert not [a for a in page.find_all("a") if "javascript" in a.get("href", "")]
    assert not page.select(".evil")


def test_hostile_text_shows_literally_in_the_comparison_table(hostile_pages):
    row = hostile_pages["index.md"].find("tr", id="row-zeta-lm")
    assert row.find("th").get_text() == "Evil | Name *x*"
    assert row.find("td", attrs={"data-label": "Category"}).get_text() == "Pipes | break | tables"
    assert len(row.find_all(["td", "th"])) == len(table.COLUMNS)


def test_hostile_quotes_show_literally_in_their_evidence(hostile_pages):
    page = hostile_pages["models/zeta-lm.md"]
    details = page.select("details.ohm-evidence")
    assert len(details) == 3  # the code licence, the access, the evaluation
    for element in details:
        assert element.find("blockquote").get_text() == HOSTILE
        assert element.find("a", class_="ohm-evidence-source")
    licences = page.find("table")
    assert all(len(row.find_all(["td", "th"])) == 3 for row in licences.find_all("tr"))
    results = details[-1].find_parent("table")
    assert all(len(row.find_all(["td", "th"])) == 5 for row in results.find_all("tr"))
    assert details[1].find("a")["href"] == "https://e.org/r?a=1&b=%222%22%7Cx"


def test_hostile_text_creates_no_markup(hostile_pages):
    page = hostile_pages["llm.md"]
    assert page.find("script") is None
    assert page.find("strong", string="bold") is None
    assert page.find("em", string="em") is None
    assert page.find("code") is None
    assert page.find("img") is None
    assert page.find("blockquote") is None
    assert page.find("h1", string="injected") is None
    assert not [a for a in page.find_all("a") if "javascript" in a.get("href", "")]
    assert not page.select(".evil")


def test_hostile_text_is_shown_exactly_as_written(hostile_pages):
    page = hostile_pages["llm.md"]
    texts = [p.get_text() for p in page.find_all("p")]
    assert HOSTILE in texts
    items = [li.get_text() for li in page.find_all("li")]
    for text in [
        "1. not a list",
        "- not a list either",
        "# not a heading",
        "> not a quote",
        "Commercial use: Restricted: </li></ul><h1>injected</h1>",
    ]:
        assert text in items, text
    headings = [h.get_text().rstrip("¶") for h in page.find_all("h3")]
    assert "Evil | Name *x*" in headings


def test_hostile_text_cannot_break_a_table(hostile_pages):
    home = hostile_pages["index.md"]
    rows = home.find_all("table")[1].find_all("tr")
    assert all(len(row.find_all(["td", "th"])) == 3 for row in rows)
    assert rows[1].find("td").get_text() == "Pipes | break | tables"
    assert home.find("h2", string="not a setext underline") is None
    assert "=== not a setext underline" in home.get_text()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("multi\n  line\ttext", "multi line text"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("2. second", "2\\. second"),
        ("10) tenth", "10\\) tenth"),
        ("+ plus", "\\+ plus"),
        ("Qwen2.5-7B is 7.6B", "Qwen2.5-7B is 7.6B"),
    ],
)
def test_markdown_text_escapes_only_what_has_meaning(text: str, escaped: str):
    assert markdown_text(text) == escaped


# --- Model pages, task pages, the comparison table ---------------------------------


@pytest.fixture(scope="module")
def pages() -> dict[str, BeautifulSoup]:
    return {name: to_html(page) for name, page in small_pages().items()}


def test_each_model_has_a_page_with_one_primary_button_and_its_other_links_plain(pages):
    catalogue = build_catalogue(small_data())
    for model in catalogue.models:
        page = pages[f"models/{model.id}.md"]
        assert page.find("h1").get_text(strip=True).rstrip("¶") == model.name
        links = page.select_one(".ohm-links")
        (primary,) = links.select("a.md-button--primary")
        kinds = [link.kind for link in model.links]
        first = "model_card" if "model_card" in kinds else "repository" if "repository" in kinds else kinds[0]
        assert primary["href"] == next(link.url for link in model.links if link.kind == first)
        shown = {a["href"]: a.get_text() for a in links.select("a")}
        assert shown == {link.url: link.label for link in model.links}
        assert len(links.select("a.md-button")) == 1


def test_the_fact_strip_comes_before_the_description_with_every_fact(pages):
    for name in ("models/zeta-lm.md", "models/seg-net.md"):
        page = pages[name]
        strip = page.select_one("dl.ohm-facts")
        assert strip.find_previous("h1") is not None and strip.find_previous("p", class_="ohm-links") is None
        terms = [dt.get_text() for dt in strip.select("dt")]
        assert terms == [
            "Commercial use",
            "Access",
            "Sizes",
            "Evidence",
            "Regulatory",
            "Hardware",
            "Last verified",
        ]
    zeta = pages["models/zeta-lm.md"].select_one("dl.ohm-facts")
    assert zeta.select_one(".ohm-use--restricted").get_text() == "Restricted"


def test_licence_and_caveats_are_admonitions_coloured_by_commercial_use_and_the_notice_one_line(pages):
    zeta = pages["models/zeta-lm.md"].select(".admonition")
    assert [a["class"] for a in zeta] == [["admonition", "warning"]]
    assert zeta[0].find(class_="admonition-title").get_text() == "Commercial use: Restricted"
    assert "Services above 1M monthly users" in zeta[0].get_text()
    seg = pages["models/seg-net.md"].select(".admonition")
    assert [a["class"][1] for a in seg] == ["success", "warning"]
    assert seg[1].find("li").get_text() == "Needs training on your own labelled data."
    # The notice is one line, linking to the About page where it is in full.
    notice = pages["models/zeta-lm.md"].select_one(".ohm-notice")
    assert "not a medical device" in notice.get_text()
    assert notice.find("a")["href"] == "../about.md#not-an-endorsement-not-a-medical-device"


def test_model_pages_link_to_their_entry_in_the_repository():
    page = to_html(small_pages()["models/alpha-bert.md"])
    line = next(
        i for i, text in enumerate(SMALL_CATALOGUE.read_text().splitlines(), 1) if "id: alpha-bert" in text
    )
    hrefs = [a["href"] for a in page.find_all("a")]
    assert "https://git.example.org/ohm/edit/main/data/models.yaml" in hrefs
    assert f"https://git.example.org/ohm/blob/main/data/models.yaml#L{line}" in hrefs


def test_without_a_repository_no_page_has_an_edit_link():
    for name, page in small_pages(repository=None).items():
        hrefs = [a["href"] for a in to_html(page).find_all("a")]
        assert not [href for href in hrefs if "models.yaml" in href or "/edit/" in href], name


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "edit_url", "view_url"),
    [
        (
            "https://github.com/o/r",
            "edit/main/docs/",
            "https://github.com/o/r/edit/main/data/models.yaml",
            "https://github.com/o/r/blob/main/data/models.yaml",
        ),
        (
            "https://github.com/o/r/",
            "edit/dev/docs",
            "https://github.com/o/r/edit/dev/data/models.yaml",
            "https://github.com/o/r/blob/dev/data/models.yaml",
        ),
        (
            "https://code.example.org/r",
            "src/main/docs/",
            "https://code.example.org/r/src/main/data/models.yaml",
            None,
        ),
    ],
)
def test_repository_links_follow_repo_url_and_edit_uri(repo_url, edit_uri, edit_url, view_url):
    assert Repository.from_site_config(repo_url, edit_uri) == Repository(edit_url, view_url)


@pytest.mark.parametrize(
    ("repo_url", "edit_uri"), [(None, None), (None, "edit/main/docs/"), ("https://github.com/o/r", None)]
)
def test_no_repository_without_both_repo_url_and_edit_uri(repo_url, edit_uri):
    assert Repository.from_site_config(repo_url, edit_uri) is None


def test_comparison_table_is_an_accessible_table_of_every_model(pages):
    home = pages["index.md"]
    table = home.select_one(".ohm-compare table")
    assert table.find("caption").get_text() == "All models in the catalogue"
    headings = table.select("thead th")
    assert [th["scope"] for th in headings] == ["col"] * 9
    # Commercial use and licence right after the name: on a phone a row is a card in this order.
    assert [th.get_text() for th in headings] == [
        "Model",
        "Commercial use",
        "Licence",
        "Access",
        "Category",
        "Kind",
        "Modalities",
        "Tasks",
        "Last verified",
    ]
    rows = table.select("tbody tr")
    assert [row.find("th", scope="row").get_text() for row in rows] == [
        "Zeta LM",
        "Alpha BERT",
        "SegNet Example",
    ]
    assert [row.find("a")["href"] for row in rows] == [
        "models/zeta-lm.md",
        "models/alpha-bert.md",
        "models/seg-net.md",
    ]
    assert [row["data-use"] for row in rows] == ["restricted", "allowed", "allowed"]
    # The same words as the model pages use.
    assert [row.select_one(".ohm-use").get_text() for row in rows] == ["Restricted", "Allowed", "Allowed"]
    assert [row["data-task"] for row in rows] == ["summarisation", "ner", "segmentation"]


@pytest.fixture
def filtered_pages(monkeypatch) -> dict[str, BeautifulSoup]:
    """The small catalogue's pages with filters on every table, however few its rows."""
    monkeypatch.setattr(table, "FILTERS_FROM", 1)
    return {name: to_html(page) for name, page in small_pages().items()}


def test_every_filter_control_has_a_label(filtered_pages):
    form = filtered_pages["index.md"].select_one("form.ohm-filters")
    controls = form.find_all(["input", "select"])
    # The search box, then one select per filter worth offering here, in declared order.
    names = [c["name"] for c in controls]
    assert names[0] == "search" and {"use", "license", "task"} <= set(names)
    assert names[1:] == [f.name for f in table.FILTERS if f.name in names]
    for control in controls:
        assert form.find("label", attrs={"for": control["id"]}) is not None, control["id"]
    assert form.has_attr("hidden")  # shown by the script; useless without it


def test_filter_choices_are_only_what_occurs_on_the_page(filtered_pages):
    def choices(page: str, name: str) -> list[str]:
        return [
            o["value"] for o in filtered_pages[page].find("select", attrs={"name": name}).find_all("option")
        ]

    assert choices("index.md", "use") == ["", "allowed", "restricted"]
    assert choices("index.md", "task") == ["", "summarisation", "ner", "segmentation"]
    # One licence on the vision page: nothing to choose, so no select; nor one for its own category.
    assert filtered_pages["vision.md"].find("select", attrs={"name": "license"}) is None
    assert filtered_pages["vision.md"].find("select", attrs={"name": "category"}) is None
    assert filtered_pages["tasks/segmentation.md"].find("select", attrs={"name": "task"}) is None


def test_a_table_of_a_few_models_has_no_filters(pages):
    assert len(pages["index.md"].select(".ohm-compare tbody tr")) < table.FILTERS_FROM
    assert pages["index.md"].select_one("form.ohm-filters") is None
    assert pages["index.md"].select_one(".ohm-compare thead th[data-sort]") is not None  # still sortable


def test_category_pages_link_each_model_to_its_page(pages):
    hrefs = [a["href"] for a in pages["llm.md"].find_all("a")]
    assert hrefs.count("models/zeta-lm.md") == 2  # in the table and under its summary
    assert hrefs.count("models/alpha-bert.md") == 2
    assert "models/seg-net.md" not in hrefs


def test_task_pages_list_exactly_the_models_tagged_with_them(pages):
    def models_on(page: str) -> list[str]:
        return [row.find("a")["href"] for row in pages[page].select("tbody tr")]

    assert models_on("tasks/segmentation.md") == ["../models/seg-net.md"]
    assert models_on("tasks/ner.md") == ["../models/alpha-bert.md"]
    index = [(a.get_text(), a["href"]) for a in pages["tasks/index.md"].select("li a")]
    assert index == [
        ("Summarisation", "summarisation.md"),
        ("Named entity recognition", "ner.md"),
        ("Segmentation", "segmentation.md"),
    ]
    assert (
        pages["models/alpha-bert.md"].find("a", string="Named entity recognition")["href"]
        == "../tasks/ner.md"
    )


def test_a_catalogue_without_tasks_has_no_task_pages():
    data = small_data()
    del data["tasks"]
    for model in data["models"]:
        model.pop("tasks", None)
    pages = render_pages(build_catalogue(data))
    assert not [name for name in pages if name.startswith("tasks/")]
    assert "By task" not in pages["index.md"]


@pytest.mark.parametrize(
    ("target", "page", "link"),
    [
        ("models/x.md", "index.md", "models/x.md"),
        ("models/x.md", "tasks/ner.md", "../models/x.md"),
        ("llm.md#clinical", "models/x.md", "../llm.md#clinical"),
        ("tasks/ner.md", "tasks/index.md", "ner.md"),
    ],
)
def test_links_between_generated_pages_are_relative(target, page, link):
    assert link_from(target, page) == link


def test_keywords_declared_once_reach_the_search_of_every_model_they_cover(pages):
    """Keywords of a subcategory and a task: model pages carry them as search tags, the table's
    search words (table_text, in catalogue order) as words."""
    meta = page_meta(build_catalogue(small_data()))
    alpha, seg = meta["models/alpha-bert.md"], meta["models/seg-net.md"]
    assert {"EHR", "clinical notes", "Named entity recognition", "text"} <= set(alpha["tags"])
    assert {"radiology", "contouring", "Segmentation", "image"} <= set(seg["tags"])
    assert "radiology" not in alpha["tags"] and "EHR" not in seg["tags"]
    assert alpha["search"]["boost"] > 1  # a model's own page outranks pages that mention it
    catalogue = build_catalogue(small_data())
    rows = dict(zip((f"row-{m.id}" for m in catalogue.models), table_text(catalogue), strict=True))
    assert "contouring" in rows["row-seg-net"] and "contouring" not in rows["row-alpha-bert"]
    assert "ehr" in rows["row-alpha-bert"].split()  # normalised as the script normalises a query


def many_models(count: int) -> dict:
    """The small catalogue with `count` models: copies of its first entry under new ids and names."""
    data = small_data()
    first = data["models"][0]
    data["models"] = [
        {**copy.deepcopy(first), "id": f"model-{n:04d}", "name": f"Model {n:04d}"} for n in range(count)
    ]
    return data


def test_a_table_carries_its_first_rows_and_links_the_complete_list():
    count = table.ROWS + 7
    pages = {name: to_html(page) for name, page in render_pages(build_catalogue(many_models(count))).items()}
    home = pages["index.md"].select_one(".ohm-compare")
    assert len(home.select("tbody tr")) == table.ROWS
    assert home["data-total"] == str(count)
    more = home.select_one("a.ohm-more")
    assert more.get_text() == f"Show all {count} models" and more["href"] == "models/index.md"
    assert f"the first {table.ROWS} of {count} models" in home.find("noscript").get_text()
    complete = pages["models/index.md"].select_one(".ohm-compare")
    assert len(complete.select("tbody tr")) == count
    assert complete.select_one("a.ohm-more") is None
    # Rows are the same on every page, so the script can draw them from the complete list.
    assert str(home.select_one("tr#row-model-0001")) == str(complete.select_one("tr#row-model-0001")).replace(
        'href="model-0001.md"', 'href="models/model-0001.md"'
    )
    task = pages["tasks/summarisation.md"].select_one(".ohm-compare")
    assert (task["data-scope-name"], task["data-scope-value"]) == ("task", "summarisation")
    assert len(task.select("tbody tr")) == table.ROWS
