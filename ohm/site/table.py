"""The comparison table of models: its filters, what its search box looks through, its size.

Each filter reads one field of a model. The template writes, for every filter, a
`data-<name>` attribute on every row and a select named `<name>` (also the
parameter in the page's address); the browser script knows the filters only from
the page, so a new filter is one line in FILTERS.

Every table, on the home, category and task pages, shows at most ROWS models in
its HTML, so a page's weight does not grow with the catalogue. The complete
list is the page ALL_MODELS_PAGE: without JavaScript it is a link away; with
JavaScript the table draws its remaining rows from that page when asked to.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ohm.catalog import vocabulary
from ohm.catalog.catalogue import COMMERCIAL_USE_LABELS, Catalogue, Model

# The most models a table carries in the page itself.
ROWS = 50
# Below this many models a table has no filters: every row fits on a screen.
FILTERS_FROM = 6


@dataclass(frozen=True)
class TableFilter:
    name: str  # the row attribute data-<name>, the select and the address parameter
    label: str
    values: Callable[[Model], Iterable[str]]  # the values one model has
    # value -> label, in the order the select lists them; None: the values, capitalised, alphabetically.
    choices: Callable[[Catalogue], Mapping[str, str]] | None = None


def _licence_names(catalogue: Catalogue) -> dict[str, str]:
    return {lic.id: lic.name for lic in sorted(catalogue.licenses, key=lambda lic: lic.name.casefold())}


def _titles(field: str) -> Callable[[Catalogue], Mapping[str, str]]:
    """The choices of a schema enum, in the schema's order and with its titles."""
    return lambda _catalogue: vocabulary.titles(field)


# One line a filter: what a governance review filters on first.
FILTERS = (
    TableFilter(
        "category", "Category", lambda m: [m.category], lambda c: {x.id: x.title for x in c.categories}
    ),
    TableFilter("use", "Commercial use", lambda m: [m.commercial_use], lambda c: COMMERCIAL_USE_LABELS),
    TableFilter("license", "Licence", lambda m: [m.license.id], _licence_names),
    TableFilter("access", "Access", lambda m: [m.access], _titles("access")),
    TableFilter(
        "evidence", "Evidence", lambda m: [m.evidence_level], lambda _c: vocabulary.evidence_level_titles()
    ),
    TableFilter("phi", "Patient data in training", lambda m: [m.phi_exposure or ""], _titles("phi_exposure")),
    TableFilter(
        "offline",
        "Runs offline",
        lambda m: [vocabulary.answer(m.deployment.runs_offline)],
        lambda c: {"yes": "Yes", "no": "No", vocabulary.UNKNOWN: "Unknown"},
    ),
    TableFilter("kind", "Kind", lambda m: [m.kind]),
    TableFilter("modality", "Modality", lambda m: m.modalities),
    TableFilter(
        "imaging",
        "Imaging modality",
        lambda m: m.imaging_modalities,
        lambda c: {value: value for value in vocabulary.values("imaging_modalities")},
    ),
    TableFilter(
        "task", "Task", lambda m: [t.id for t in m.tasks], lambda c: {t.id: t.title for t in c.tasks}
    ),
)

# The filter a page is about: a category page's table holds one category, a task page's one task.
Scope = tuple[str, str]


@dataclass(frozen=True)
class Table:
    """One comparison table as a page shows it."""

    models: tuple[Model, ...]  # every model in the table's scope
    rows: tuple[Model, ...]  # those the page carries
    filters: tuple[tuple[TableFilter, tuple[tuple[str, str], ...]], ...]  # each offered filter, its choices
    scope: Scope | None

    @property
    def partial(self) -> bool:
        return len(self.rows) < len(self.models)


def compare_table(
    catalogue: Catalogue, models: Iterable[Model], scope: Scope | None = None, complete: bool = False
) -> Table:
    """The table of `models`: its first ROWS rows (all when `complete`), and the filters worth offering.

    A filter is offered when the models differ in it (two choices at least) and it is not the
    page's own scope; no filter is offered for fewer than FILTERS_FROM models.
    """
    models = tuple(models)
    filters = []
    if len(models) >= FILTERS_FROM:
        for table_filter in FILTERS:
            if scope and table_filter.name == scope[0]:
                continue
            choices = filter_choices(catalogue, table_filter, models)
            if len(choices) >= 2:
                filters.append((table_filter, choices))
    return Table(models, models if complete else models[:ROWS], tuple(filters), scope)


def filter_choices(
    catalogue: Catalogue, table_filter: TableFilter, models: Iterable[Model]
) -> tuple[tuple[str, str], ...]:
    """(value, label) for each value of `table_filter` that occurs in `models`."""
    used = {value for model in models for value in table_filter.values(model)}
    if table_filter.choices is None:
        return tuple(sorted(((v, v.capitalize()) for v in used), key=lambda pair: pair[1].casefold()))
    return tuple((value, label) for value, label in table_filter.choices(catalogue).items() if value in used)


def row_values(model: Model) -> dict[str, str]:
    """What each filter compares on a row: its values joined with "|"."""
    return {f.name: "|".join(f.values(model)) for f in FILTERS}


def search_text(catalogue: Catalogue, model: Model) -> str:
    """What the table's search box looks through, normalised as compare.js normalises a query."""
    category = catalogue.category(model.category)
    words = [
        model.name,
        model.developer,
        model.description,
        *model.use_cases,
        model.license.id,
        model.license.name,
        COMMERCIAL_USE_LABELS[model.commercial_use],
        model.kind,
        *model.modalities,
        category.title,
        *(task.title for task in model.tasks),
        *catalogue.keywords(model),
    ]
    return normalise(" ".join(word for word in words if word))


def normalise(text: str) -> str:
    """Lower case, accents removed, white space collapsed: `normalise` in compare.js does the same."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    return " ".join(plain.lower().split())
