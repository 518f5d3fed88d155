"""Where each generated page lives in the site: the one place page paths are defined.

Paths are relative to the docs folder, as MkDocs sees them; MkDocs serves
`x.md` and `x/index.md` both at the address `x/`. Validation reads
`reserved_addresses` so that no id can give a page the address of
another one (category `index` would replace the home page, category `about` the
hand-written About page).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path

# The hand-written pages and their assets; generated pages are added beside them, never written here.
DOCS_FOLDER = Path(__file__).resolve().parents[2] / "docs"

INDEX_PAGE = "index.md"
TASKS_PAGE = "tasks/index.md"
# The complete list: every model in one table.
# Hand-written pages in docs/ that generated pages link to.
ABOUT_PAGE = "about.md"
CITE_PAGE = "cite.md"
ALL_MODELS_PAGE = "models/index.md"
# Without JavaScript the complete list is read in parts of this many models, so that no page
# passes about 1 MB: the first part is ALL_MODELS_PAGE, the others all_models_page(n).
COMPLETE_LIST_ROWS = 500


def all_models_page(part: int) -> str:
    """Part `part` (from 1) of the complete list. An id cannot start with "_", so no model's page
    takes the address of a part."""
    return ALL_MODELS_PAGE if part == 1 else f"models/_all-{part}.md"


def all_models_parts(count: int) -> int:
    """How many pages the complete list of `count` models takes."""
    return max(1, -(-count // COMPLETE_LIST_ROWS))


# The side-by-side comparison of chosen models.
COMPARE_PAGE = "compare.md"
# What was added, changed and removed, month by month (ohm/site/history.py).
CHANGES_PAGE = "changes.md"

# Data a page reads in the browser, so that none needs the whole catalogue (see ohm/site/export.py):
# the catalogue's vocabulary (categories, tasks, licences) and every model's id and name. An id
# cannot start with "_", so no model's data (model_data) takes their names.
CATALOGUE_DATA = "models/_catalogue.json"
MODEL_NAMES = "models/_names.json"
# What the comparison table shows and filters on, for every model, and the words its search box
# looks through (ohm/site/table_index.py).
TABLE_INDEX = "models/_table.json"
TABLE_TEXT = "models/_table-text.json"
# Pages that exist whatever the catalogue holds, and what they are, for messages.
FIXED_PAGES = {
    INDEX_PAGE: "the home page",
    TASKS_PAGE: "the list of tasks",
    ALL_MODELS_PAGE: "the list of all models",
    COMPARE_PAGE: "the side-by-side comparison",
    CHANGES_PAGE: "the changes page",
}
# Atom feed of every change to the catalogue; each category and each model has its own.
CATALOGUE_FEED = "feeds/catalogue.xml"
# How messages name the pages of each kind of declared entry, by the catalogue's section.
SECTION_PAGES = {"categories": "category pages", "models": "model pages", "tasks": "task pages"}


def category_page(category_id: str) -> str:
    return f"{category_id}.md"


def model_page(model_id: str) -> str:
    return f"models/{model_id}.md"


def model_data(model_id: str) -> str:
    """One model's record, as in models.json, for the pages that show a few models."""
    return f"models/{model_id}.json"


def task_page(task_id: str) -> str:
    return f"tasks/{task_id}.md"


def category_feed(category_id: str) -> str:
    return f"feeds/categories/{category_id}.xml"


def model_feed(model_id: str) -> str:
    return f"feeds/models/{model_id}.xml"


def model_badge(model_id: str) -> str:
    """The model's badge: commercial use and access, as SVG."""
    return f"badges/{model_id}.svg"


def governance_pack(model_id: str) -> str:
    """The model's governance pack: its CycloneDX ML-BOM and the review worksheet, in one zip file."""
    return f"governance/{model_id}.zip"


def cyclonedx_file(model_id: str) -> str:
    """The model's CycloneDX ML-BOM alone, for tools that read it."""
    return f"governance/{model_id}.cdx.json"


def model_page_url(model_id: str) -> str:
    """The model's page, relative to the root of the site."""
    return address(model_page(model_id))


# The page of each kind of declared entry, by the catalogue's section.
PAGE_OF_SECTION: dict[str, Callable[[str], str]] = {
    "categories": category_page,
    "models": model_page,
    "tasks": task_page,
}


def address(page: str) -> str:
    """The address MkDocs gives `page`, relative to the site root: `a/b.md` and `a/b/index.md` -> `a/b/`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return f"{stem}/" if stem else ""


def _folder_addresses() -> dict[str, str]:
    """The address of each folder of generated pages (`models/`, `tasks/`) and what is in it."""
    folders = {}
    for section, page_of in PAGE_OF_SECTION.items():
        folder = posixpath.dirname(page_of("x"))
        if folder:
            folders[f"{folder}/"] = f"the folder of {SECTION_PAGES[section]}"
    return folders


def hand_written_addresses(docs: Path = DOCS_FOLDER) -> dict[str, str]:
    """The address of each hand-written page and folder in `docs`, and what it is, for messages."""
    taken = {}
    for path in sorted(docs.rglob("*")) if docs.is_dir() else ():
        relative = path.relative_to(docs).as_posix()
        if path.is_dir():
            taken[f"{relative}/"] = f"the hand-written folder docs/{relative}"
        elif path.suffix == ".md":
            taken[address(relative)] = f"the hand-written page docs/{relative}"
    return taken


def reserved_addresses(docs: Path = DOCS_FOLDER) -> dict[str, str]:
    """Addresses no entry's page may take, and what has them: the pages the catalogue always
    generates, their folders, and the hand-written pages and folders in `docs`."""
    return (
        hand_written_addresses(docs)
        | _folder_addresses()
        | {address(page): what for page, what in FIXED_PAGES.items()}
    )
