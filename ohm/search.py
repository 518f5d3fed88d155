"""The site's search index: Pagefind's chunked static index, made from the built pages of either engine.

MkDocs' and Zensical's own search indexes are one file that every visitor downloads
whole before the first query (9.8 MB at 1,000 entries, about 100 MB at 10,000).
Pagefind's index is split into small fragments: a query loads only the chunks
of its words and the excerpts of the results it shows, so what a visitor
downloads stays about the same whatever the catalogue's size.

`index_site` runs after a build, over the built HTML, the same for both engines
(the MkDocs plugin calls it when MkDocs has written the site, ohm.engines after
Zensical). It indexes each page's content (`ROOT_SELECTOR`), leaves out what
the site's own search left out (`EXCLUDED`: the comparison tables, which repeat
the model pages), and gives each model page its search tags (its tasks,
modalities and the keywords that cover it) as weighted text, so that a model's
page comes first for them, as it did in Material's search; the page's `search:
boost` (more for a name that starts another model's name) weighs its name too.

The Pagefind binary comes inside the `pagefind-bin` package, pinned with the others; it is run
as a command (its Python API waits 0.1 s for each page's answer: 17 minutes at 10,000 pages).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from pagefind_bin import get_executable

from ohm.site.pages import ALL_MODELS_PAGE, COMPARE_PAGE, address

SEARCH_FOLDER = "pagefind"  # the index and Pagefind's scripts, at the root of the site
ROOT_SELECTOR = "article"  # the page's content in both engines' themes, without navigation
# The engines' own search indexes, one file each that a visitor would download whole: not published.
ENGINE_INDEXES = ("search/search_index.json", "search.json")
# Pages left out whole: the complete list is one table, the comparison a frame for the script.
UNINDEXED = frozenset(address(page) for page in (ALL_MODELS_PAGE, COMPARE_PAGE))
FRAGMENT_SIGNATURE = b"pagefind_dcd"  # what each decompressed page record of the index starts with
EXCLUDED = ("[data-search-exclude]", ".headerlink", ".md-source-file")
# Pagefind weighs an h1 at 7 and body text at 1, up to 10: a model's search tags count as a heading's
# text, and its name once more, the more where the page's boost asks for it.
TAG_WEIGHT = 7
# Words that must put a page above pages that use them many times ("commercial use" on the models
# that allow it, against "non-commercial" in licence notes): as much as Pagefind gives.
STRONG_TAG_WEIGHT = 10
# The text of pages other than models': a category page names many models, each of whose pages
# comes before it (Material's search gave model pages two or three times their weight).
OTHER_PAGES = 0.25
NAME_WEIGHTS = {2: 7, 3: 10}  # by the page's boost (ohm.site.render._search_boost)


def index_site(site_dir: Path, meta: dict[str, dict[str, Any]]) -> None:
    """Write the search index of the site built in `site_dir` into its SEARCH_FOLDER.

    `meta` is the assembled site's page metadata (ohm.site.assemble.Site.meta), by page path.
    Pagefind reads a copy of the pages in which each model page holds its weighted search tags
    and every other page its weight, so the site's own pages stay as built.
    """
    meta_by_address = {address(page): values for page, values in meta.items()}
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site_dir.parent) as work:
        pages = Path(work)
        for path in _pages(site_dir):
            relative = path.relative_to(site_dir).as_posix()
            copy = pages / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            content = _weighted(path.read_text(encoding="utf-8"), meta_by_address.get(page_address(relative)))
            copy.write_text(content, encoding="utf-8")
        command = [
            str(get_executable()),
            "--site",
            str(pages),
            "--output-path",
            str(site_dir / SEARCH_FOLDER),
            "--root-selector",
            ROOT_SELECTOR,
            "--force-language",
            "en",
            "--quiet",
        ]
        for selector in EXCLUDED:
            command += ["--exclude-selectors", selector]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SearchIndexError(f"Pagefind could not index the site: {result.stderr.strip()}")
    for name in ENGINE_INDEXES:
        (site_dir / name).unlink(missing_ok=True)


class SearchIndexError(Exception):
    pass


def _pages(site_dir: Path) -> list[Path]:
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        unindexed = relative == "404.html" or page_address(relative) in UNINDEXED
        if not unindexed and not relative.startswith(f"{SEARCH_FOLDER}/"):
            pages.append(path)
    return pages


def page_address(relative: str) -> str:
    """The address of a built page (`models/whisper/index.html`) relative to the site root."""
    return relative.removesuffix("index.html")


def _weighted(content: str, meta: dict[str, Any] | None) -> str:
    """A built page as Pagefind reads it: a model page with its weighted search tags, any other page's
    text worth less (`OTHER_PAGES`), as Material's search weighed it with `search: boost`."""
    meta = meta or {}
    tags = meta.get("tags")
    if not tags:
        # Pagefind weighs headings by their level, whatever their ancestors' weight: each its own,
        # unless the page gives one its own weight (About's section on regulatory status).
        for element in ("article", "h1", "h2", "h3", "h4"):
            content = re.sub(
                rf"<{element}(?![^>]*data-pagefind-weight)",
                f'<{element} data-pagefind-weight="{OTHER_PAGES}"',
                content,
            )
        return content
    # The metadata is escaped for HTML already (ohm.site.assemble.for_html).
    name_weight = NAME_WEIGHTS.get(meta["search"]["boost"], max(NAME_WEIGHTS.values()))
    name = f'<p data-pagefind-weight="{name_weight}" hidden>{meta["title"]}</p>'
    words = f'<p data-pagefind-weight="{TAG_WEIGHT}" hidden>{" · ".join(tags)}</p>'
    strong = meta.get("strong_tags")
    if strong:
        words += f'<p data-pagefind-weight="{STRONG_TAG_WEIGHT}" hidden>{" · ".join(strong)}</p>'
    # Filters, not words: a verdict's words ("not allowed") must not make the page a match for them.
    filters = "".join(
        f'<span data-pagefind-filter="{name}" data-pagefind-ignore hidden>{value}</span>'
        for name, value in meta.get("filters", ())
    )
    return content.replace("</article>", name + words + filters + "</article>", 1)


def indexed_pages(site_dir: Path) -> dict[str, dict[str, Any]]:
    """What the search index of a built site holds, by page address (`models/whisper/`): each page's
    record as Pagefind stores it ({url, content, meta: {title}, anchors: [{id, text}], ...})."""
    pages = {}
    for fragment in (site_dir / SEARCH_FOLDER / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(FRAGMENT_SIGNATURE)
        record = json.loads(data)
        pages[record["url"].removeprefix("/")] = record
    return pages
