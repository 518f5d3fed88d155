"""Where each generated page lives in the site: the one place page paths are defined.

Paths are relative to the docs folder, as MkDocs sees them; MkDocs serves
`x.md` and `x/index.md` both at the address `x/`. Validation reads
`address_taken_by_generated_pages` so that no id can give a page the address of
another one (category `index` would replace the home page).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

INDEX_PAGE = "index.md"
TASKS_PAGE = "tasks/index.md"
# The complete list: every model in one table.
ALL_MODELS_PAGE = "models/index.md"
# The side-by-side comparison of chosen models.
COMPARE_PAGE = "compare.md"
# Data a page reads in the browser, so that none needs the whole catalogue (see ohm/site/export.py):
# the catalogue's vocabulary (categories, tasks, licences) and every model's id and name. An id
# cannot start with "_", so no model's data (model_data) takes their names.
CATALOGUE_DATA = "models/_catalogue.json"
MODEL_NAMES = "models/_names.json"
# Pages that exist whatever the catalogue holds, and what they are, for messages.
FIXED_PAGES = {
    INDEX_PAGE: "the home page",
    TASKS_PAGE: "the list of tasks",
    ALL_MODELS_PAGE: "the list of all models",
    COMPARE_PAGE: "the side-by-side comparison",
}
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


def address_taken_by_generated_pages(section: str, entry_id: str) -> str | None:
    """What already has the address an entry of `section` with `entry_id` would get, or None."""
    taken = _folder_addresses() | {address(page): what for page, what in FIXED_PAGES.items()}
    return taken.get(address(PAGE_OF_SECTION[section](entry_id)))
