"""The comparison table's compact index: what the table shows and filters on, for every model.

With JavaScript, every table (home, category, task and complete-list pages) filters, sorts and
draws its rows from TABLE_INDEX, so what a visitor downloads to narrow the table grows by tens
of bytes a model, not by the complete list's kilobytes. The words the table's search box looks
through are a second file, TABLE_TEXT, read only when the visitor types in it.

The index is columnar. Models are in catalogue order, by position: `id` and `name` list them;
every other column lists its distinct values once (`d`) and each model's by its position in
`d` (`i`), written as one character of ALPHABET a model where the column has few distinct
values, else as a list of numbers. The columns are those of ohm/site/table.py, read from there:
`c` the cells of COLUMNS after the name (with `s`, the sort value of each distinct value, for
columns that sort by number), `f` the value of each filter, a row's several values joined by
"|", `r` the reason under the commercial-use verdict and `a` whether the model is archived
upstream (only when the site has a freshness check).
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Sequence
from typing import Any

from ohm.catalog.catalogue import Catalogue, Model
from ohm.freshness.site import SiteFreshness

from .pages import TABLE_INDEX, TABLE_TEXT
from .table import COLUMNS, FILTERS, row_values, search_text, verdict_reason

# One character a model for a column with at most this many distinct values; no character here
# needs escaping in JSON.
ALPHABET = string.digits + string.ascii_letters


def column(values: Sequence[str], sort: Callable[[str], int] | None = None) -> dict[str, Any]:
    """`values`, one a model, as distinct values and each model's position among them."""
    distinct = list(dict.fromkeys(values))
    if sort is not None:
        distinct.sort(key=sort)
    position = {value: at for at, value in enumerate(distinct)}
    indices = [position[value] for value in values]
    encoded: str | list[int] = (
        "".join(ALPHABET[at] for at in indices) if len(distinct) <= len(ALPHABET) else indices
    )
    result: dict[str, Any] = {"d": distinct, "i": encoded}
    if sort is not None:
        result["s"] = [sort(value) for value in distinct]
    return result


def decode(encoded: dict[str, Any]) -> list[str]:
    """The values of a column, one a model: what compare.js reads (here for the tests)."""
    indices = encoded["i"]
    positions = [ALPHABET.index(c) for c in indices] if isinstance(indices, str) else indices
    return [encoded["d"][at] for at in positions]


def table_index(catalogue: Catalogue, freshness: SiteFreshness | None = None) -> dict[str, Any]:
    models = catalogue.models
    cells: list[dict[str, Any]] = []
    for spec in COLUMNS[1:]:
        texts = [spec.text(catalogue, model) for model in models]
        if spec.rank is None:
            cells.append(column(texts))
        else:
            rank_of_text = _rank_by_text(models, texts, spec.rank)
            cells.append(column(texts, rank_of_text.__getitem__))
    rows = [row_values(model) for model in models]
    index: dict[str, Any] = {
        "id": [model.id for model in models],
        "name": [model.name for model in models],
        "c": cells,
        "f": {spec.name: column([row[spec.name] for row in rows]) for spec in FILTERS},
        "r": column([verdict_reason(model) for model in models]),
    }
    if freshness:
        index["a"] = column(["yes" if freshness.archived(model.id) else "no" for model in models])
    return index


def _rank_by_text(models: Sequence[Model], texts: list[str], rank: Callable[[Model], int]) -> dict[str, int]:
    return {text: rank(model) for model, text in zip(models, texts, strict=True)}


def table_text(catalogue: Catalogue) -> list[str]:
    """What the search box looks through, one string a model, in the order of the index."""
    return [search_text(catalogue, model) for model in catalogue.models]


def _compact(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def table_files(catalogue: Catalogue, freshness: SiteFreshness | None = None) -> dict[str, str]:
    """The index and the search words, by path in the site."""
    return {
        TABLE_INDEX: _compact(table_index(catalogue, freshness)),
        TABLE_TEXT: _compact(table_text(catalogue)),
    }
