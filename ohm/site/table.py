"""The comparison table of models: its filters, what its search box looks through, its size.

Each filter reads one field of a model. The template writes, for every filter, a
`data-<name>` attribute on every row and a select named `<name>` (also the
parameter in the page's address); the browser script knows the filters only from
the page, so a new filter is one line in FILTERS.

Every table, on the home, category and task pages, shows at most ROWS models in
its HTML, so a page's weight does not grow with the catalogue. The complete
list is the page ALL_MODELS_PAGE: without JavaScript it is a link away. With
JavaScript the table filters, sorts and draws every row from the compact index
(ohm/site/table_index.py), which holds for each model only what the table shows
and filters on, so no table ever loads the complete list.

A filter compares in one of three ways (TableFilter.mode): a row has the chosen
value among its values ("any"); its value comes at or after the chosen one in
the filter's order ("at-least", evidence); or at or before it ("at-most": the
smallest GPU memory a model fits in).
"""

from __future__ import annotations

import re
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
    # "any": the row has the chosen value; "at-least" / "at-most": its value is at or after / at
    # or before the chosen one in the order of `choices` (which then lists every value).
    mode: str = "any"

    @property
    def ordered(self) -> bool:
        return self.mode != "any"


def _licence_names(catalogue: Catalogue) -> dict[str, str]:
    return {lic.id: lic.name for lic in sorted(catalogue.licenses, key=lambda lic: lic.name.casefold())}


def _titles(field: str) -> Callable[[Catalogue], Mapping[str, str]]:
    """The choices of a schema enum, in the schema's order and with its titles."""
    return lambda _catalogue: vocabulary.titles(field)


# Evidence levels from weakest to strongest: the one order the filter and its script read.
EVIDENCE_ORDER = tuple(vocabulary.evidence_level_titles())
# The GPU memory steps a visitor filters on ("fits in 16 GB"), in GB.
GPU_MEMORY_STEPS = (8, 16, 24, 48, 80)


def _evidence_choices(_catalogue: Catalogue) -> dict[str, str]:
    return vocabulary.evidence_level_titles()


def gpu_step(model: Model) -> list[str]:
    """The smallest step of GPU_MEMORY_STEPS the model fits in; none when unknown or larger."""
    need = model.deployment.min_gpu_memory_gb
    if isinstance(need, bool) or not isinstance(need, int | float):
        return []
    return [str(step) for step in GPU_MEMORY_STEPS if need <= step][:1]


# One line a filter: what a governance review filters on first.
FILTERS = (
    TableFilter(
        "category", "Category", lambda m: [m.category], lambda c: {x.id: x.title for x in c.categories}
    ),
    TableFilter("use", "Commercial use", lambda m: [m.commercial_use], lambda c: COMMERCIAL_USE_LABELS),
    TableFilter("license", "Licence", lambda m: [m.license.id], _licence_names),
    TableFilter("access", "Access", lambda m: [m.access], _titles("access")),
    TableFilter("evidence", "Evidence at least", lambda m: [m.evidence_level], _evidence_choices, "at-least"),
    TableFilter("phi", "Patient data in training", lambda m: [m.phi_exposure or ""], _titles("phi_exposure")),
    TableFilter(
        "offline",
        "Runs offline",
        lambda m: [vocabulary.answer(m.deployment.runs_offline)],
        lambda c: {"yes": "Yes", "no": "No", vocabulary.UNKNOWN: "Unknown"},
    ),
    TableFilter(
        "cpu",
        "Runs on CPU alone",
        lambda m: [vocabulary.answer(m.deployment.cpu_only)],
        lambda c: {"yes": "Yes", "no": "No", vocabulary.UNKNOWN: "Unknown"},
    ),
    TableFilter(
        "gpu",
        "Fits in GPU memory",
        gpu_step,
        lambda c: {str(step): f"{step} GB" for step in GPU_MEMORY_STEPS},
        "at-most",
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
    catalogue: Catalogue,
    models: Iterable[Model],
    scope: Scope | None = None,
    complete: bool = False,
    rows: tuple[int, int] | None = None,
) -> Table:
    """The table of `models`: its first ROWS rows (all when `complete`, models[start:stop] when
    `rows` is (start, stop): a part of the complete list), and the filters worth offering.

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
    shown = models[slice(*rows)] if rows else models if complete else models[:ROWS]
    return Table(models, shown, tuple(filters), scope)


def filter_choices(
    catalogue: Catalogue, table_filter: TableFilter, models: Iterable[Model]
) -> tuple[tuple[str, str], ...]:
    """(value, label) for each value of `table_filter` that occurs in `models`; every value in
    order for an ordered filter, offered when the models differ in it (a filter whose values are
    all unknown, like deployment facts before entries record them, is not offered)."""
    used = {value for model in models for value in table_filter.values(model)}
    if table_filter.ordered and table_filter.choices is not None:
        known = used - {"", vocabulary.UNKNOWN}
        if not known or len(used) < 2:
            return ()
        return tuple(table_filter.choices(catalogue).items())
    if table_filter.choices is None:
        return tuple(sorted(((v, v.capitalize()) for v in used), key=lambda pair: pair[1].casefold()))
    return tuple((value, label) for value, label in table_filter.choices(catalogue).items() if value in used)


@dataclass(frozen=True)
class Column:
    key: str  # the cell's class ohm-col-<key>
    label: str
    sort: str  # "text", or "number": by `rank`
    text: Callable[[Catalogue, Model], str]
    rank: Callable[[Model], int] | None = None


def licence_cell(model: Model) -> str:
    """The licences of what a team runs, each named by its artefact: "weights: Apache-2.0; code:
    MIT; 2 variants CC-BY-NC-4.0". Variants under the weights' licence go unsaid."""
    parts = [
        f"{lic.artefact}: {short_licence(lic.id, lic.name)}"
        for lic in model.licenses
        if lic.artefact != "training_data"
    ]
    others: dict[str, int] = {}
    for variant in model.variants:
        if variant.license_id != model.license.id:
            known = variant.license.name if variant.license else variant.license_id
            name = short_licence(variant.license_id, known)
            others[name] = others.get(name, 0) + 1
    if len(others) > 2:
        parts.append(f"{sum(others.values())} variants under other licences")
    else:
        parts += [f"{n} variant{'s' if n != 1 else ''} {licence}" for licence, n in others.items()]
    return "; ".join(parts)


def short_licence(licence_id: str, name: str) -> str:
    """A licence as the table names it: its SPDX id, or the name of a licence SPDX does not list."""
    return name.split(" (")[0] if licence_id.startswith("LicenseRef-") else licence_id


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", " ".join(text.split()))
    return match.group(1) if match else " ".join(text.split())


def verdict_reason(model: Model) -> str:
    """Why the commercial-use verdict is what it is, in a line: what decides it, or the entry's note."""
    decided = model.commercial_use_decided_by
    if decided == ("override",) or not decided:
        return first_sentence(model.commercial_use_note or "") or "Set by the entry, not by a licence."
    names = [f"the {part}" for part in decided if part in ("weights", "code")]
    variants = [part for part in decided if part not in ("weights", "code")]
    names += variants if len(variants) <= 1 else [f"{len(variants)} variants"]
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Set by the licence of {said}."


COLUMNS = (
    Column("name", "Model", "text", lambda c, m: m.name),
    Column("use", "Commercial use", "number", lambda c, m: m.commercial_use_label,
           lambda m: m.commercial_use_rank),
    Column("licence", "Licence", "text", lambda c, m: licence_cell(m)),
    Column("access", "Access", "text", lambda c, m: m.access_label),
    Column("category", "Category", "text", lambda c, m: c.category(m.category).title),
    Column("kind", "Kind", "text", lambda c, m: m.kind.capitalize()),
    Column("modalities", "Modalities", "text", lambda c, m: ", ".join(m.modalities)),
    Column("tasks", "Tasks", "text", lambda c, m: ", ".join(t.title for t in m.tasks)),
    Column("verified", "Last verified", "text", lambda c, m: str(m.verified)),
)  # fmt: skip


def row_cells(catalogue: Catalogue, model: Model) -> dict[str, str]:
    """The text of each column's cell in a model's row, by column key."""
    return {column.key: column.text(catalogue, model) for column in COLUMNS}


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
        *(lic.id for lic in model.licenses),
        *(lic.name for lic in model.licenses),
        # What a visitor means by "commercial": models whose commercial use is allowed.
        "commercial use allowed" if model.commercial_use == "allowed" else model.commercial_use_label,
        model.access_label,
        model.kind,
        *model.modalities,
        category.title,
        *(task.title for task in model.tasks),
        *catalogue.keywords(model),
    ]
    return normalise(" ".join(word for word in words if word))


# "non-commercial", "non commercial": one word, so a search for "commercial" does not find it.
_NEGATION = re.compile(r"\b(non|not)[\s-]+(?=[a-z0-9])")
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents removed, "non-" joined to its word, other punctuation as space:
    `normalise` in compare.js does the same to a query, and matches each of its words at the start
    of a word of this text."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f").lower()
    return " ".join(_NOT_A_WORD.sub(" ", _NEGATION.sub(r"\1", plain)).split())
