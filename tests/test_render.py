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

from scripts.catalog.catalogue import build_catalogue
from scripts.catalog.load import load_catalogue
from scripts.catalog.render import markdown_text, render_pages

from .conftest import ROOT, SMALL_CATALOGUE

GOLDEN = ROOT / "tests" / "golden" / "small"


def small_data() -> dict:
    loaded = load_catalogue(SMALL_CATALOGUE)
    assert loaded.problems == []
    return loaded.data


def to_html(page: str) -> BeautifulSoup:
    """Convert with the same Markdown extensions the site uses."""
    # MkDocs' own loader: mkdocs.yml uses its tags (!ENV, !relative), which plain YAML rejects.
    config = load_config(str(ROOT / "mkdocs.yml"))
    html = markdown.markdown(
        page, extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )
    return BeautifulSoup(html, "html.parser")


def test_pages_match_the_golden_files():
    pages = render_pages(build_catalogue(small_data()))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.md"):
            old.unlink()
        for name, content in pages.items():
            (GOLDEN / name).write_text(content, encoding="utf-8")
    golden = {path.name: path.read_text(encoding="utf-8") for path in sorted(GOLDEN.glob("*.md"))}
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
    model["license"]["note"] = "</li></ul><h1>injected</h1>"
    data["categories"][0]["title"] = "Pipes | break | tables"
    data["catalogue"]["summary"] = "=== not a setext underline"
    return data


@pytest.fixture(scope="module")
def hostile_pages() -> dict[str, BeautifulSoup]:
    return {name: to_html(page) for name, page in render_pages(build_catalogue(hostile_data())).items()}


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
        "</li></ul><h1>injected</h1>",
    ]:
        assert text in items, text
    headings = [h.get_text().rstrip("¶") for h in page.find_all("h3")]
    assert "Evil | Name *x*" in headings


def test_hostile_text_cannot_break_a_table(hostile_pages):
    home = hostile_pages["index.md"]
    rows = home.find("table").find_all("tr")
    assert all(len(row.find_all(["td", "th"])) == 3 for row in rows)
    assert rows[1].find("td").get_text() == "Pipes | break | tables"
    assert home.find("h2") is None and "=== not a setext underline" in home.get_text()


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
