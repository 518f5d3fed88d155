"""Stage 3b: the catalogue as data for other tools, and as a plain list for the repository page.

Three exports, all from the validated Catalogue like the pages:

- `models.json`: every field of every entry, in a documented shape with a
  `schema_version` that changes only when a field is renamed or removed;
- `models.csv`: one row per model, columns in a fixed order, lists joined
  with "; " (the JSON is the lossless one); a cell that a spreadsheet would
  read as a formula gets a leading `'` (see `spreadsheet_cell`);
- `MODELS.md`: a Markdown list by category, like the list the catalogue
  started from, for people who read the repository rather than the site.

The site publishes the first two at its root; the third is committed at the
root of the repository and a test keeps it up to date.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ohm.files import replace_file

from .catalogue import LINK_LABELS, Catalogue, Model
from .pages import model_page_url
from .render import TEMPLATES_DIR, make_environment

# Bump only when a field is renamed, removed or changes meaning; adding a field keeps it.
SCHEMA_VERSION = 1

LIST_SEPARATOR = "; "

CSV_COLUMNS = [
    "id",
    "name",
    "developer",
    "category",
    "subcategory",
    "kind",
    "modalities",
    "tasks",
    "license_id",
    "license_name",
    "commercial_use",
    "license_note",
    "parameters",
    "verified",
    *LINK_LABELS,
    "description",
    "use_cases",
    "caveats",
    "sources",
    "page",
]


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _by_id(catalogue: Catalogue) -> list[Model]:
    return sorted(catalogue.models, key=lambda model: model.id)


def model_record(model: Model) -> dict[str, Any]:
    return {
        "id": model.id,
        "name": model.name,
        "developer": model.developer,
        "category": model.category,
        "subcategory": model.subcategory,
        "kind": model.kind,
        "modalities": list(model.modalities),
        "tasks": [task.id for task in model.tasks],
        "description": model.description,
        "use_cases": list(model.use_cases),
        "links": {link.kind: link.url for link in model.links},
        "license": {"id": model.license.id, "name": model.license.name, "url": model.license.url},
        "commercial_use": model.commercial_use,
        "license_note": model.license_note,
        "parameters": list(model.parameters),
        "caveats": list(model.caveats),
        "verified": model.verified,
        "sources": list(model.sources),
        "page": model_page_url(model.id),
    }


def catalogue_json(catalogue: Catalogue) -> str:
    document = {
        "schema_version": SCHEMA_VERSION,
        "title": catalogue.title,
        "summary": catalogue.summary,
        "last_updated": catalogue.last_updated,
        "categories": [
            {
                "id": category.id,
                "title": category.title,
                "subcategories": [{"id": sub.id, "title": sub.title} for sub in category.subcategories],
            }
            for category in catalogue.categories
        ],
        "tasks": [{"id": task.id, "title": task.title} for task in catalogue.tasks],
        "licenses": [
            {"id": lic.id, "name": lic.name, "url": lic.url, "commercial_use": lic.commercial_use}
            for lic in sorted(catalogue.licenses, key=lambda lic: lic.id)
        ],
        "models": [model_record(model) for model in _by_id(catalogue)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def catalogue_csv(catalogue: Catalogue) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for model in _by_id(catalogue):
        writer.writerow(_csv_row(model_record(model)))
    return buffer.getvalue()


def _csv_row(record: dict[str, Any]) -> dict[str, str]:
    row = {
        **record,
        "license_id": record["license"]["id"],
        "license_name": record["license"]["name"],
        **{kind: record["links"].get(kind, "") for kind in LINK_LABELS},
    }
    return {
        column: spreadsheet_cell(LIST_SEPARATOR.join(value) if isinstance(value, list) else value or "")
        for column, value in ((column, row[column]) for column in CSV_COLUMNS)
    }


def _one_kind_of_line_break(text: str) -> str:
    # The csv module quotes a cell with "\n" (our line terminator) but not one with a lone "\r".
    return text.replace("\r\n", "\n").replace("\r", "\n")


def spreadsheet_cell(text: str) -> str:
    """`text`, with a `'` in front if a spreadsheet would run it as a formula (`=HYPERLINK(...)`)."""
    cell = f"'{text}" if text.startswith(FORMULA_STARTS) else text
    return _one_kind_of_line_break(cell)


def models_markdown(catalogue: Catalogue, templates_dir: Path = TEMPLATES_DIR) -> str:
    text = make_environment(templates_dir).get_template("models-list.md.j2").render(catalogue=catalogue)
    return text.rstrip("\n") + "\n"


EXPORTS: dict[str, Callable[[Catalogue], str]] = {
    "json": catalogue_json,
    "csv": catalogue_csv,
    "markdown": models_markdown,
}

# The exports the site publishes, by their file name at the root of the site.
SITE_FILES = {"models.json": catalogue_json, "models.csv": catalogue_csv}


def write_file(content: str, path: Path) -> None:
    """Write `content` to `path` all at once: a failure leaves the old file as it was."""
    replace_file(path, content.encode("utf-8"))
