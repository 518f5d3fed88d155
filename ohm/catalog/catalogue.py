"""The validated catalogue as typed objects: what the render stage works from.

Built only from data that passed validation, so nothing here checks again.
Ordering is decided here once, so every output is deterministic: categories
and subcategories in the order the YAML declares them, models by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import evidence as evidence_rules
from . import vocabulary
from .evidence import Evidence
from .load import LoadedCatalogue
from .problems import Path

LINK_LABELS = vocabulary.link_kinds()

# Whether an entry's facts carry evidence (catalogue schema 3), or wait to be re-read.
EVIDENCE_COMPLETE = "complete"
EVIDENCE_PENDING = "pending"

# The answer to "may I use it commercially?", the same words on every page, from the schema.
# From most to least permissive: the order of the table's filter and sort, and the order in
# which the most restrictive licence of an entry wins.
COMMERCIAL_USE_LABELS = {choice.value: choice.title for choice in vocabulary.commercial_use_choices()}


@dataclass(frozen=True)
class Place:
    """Where a URL is written in the catalogue file: the link check reports it there."""

    url: str
    entry: str  # "whisper-large-v3", or "license Apache-2.0" outside the models
    field: str  # "links.model_card", "sources[2]", "url"
    line: int | None


@dataclass(frozen=True)
class License:
    id: str
    name: str
    url: str
    commercial_use: str


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    intro: str | None = None
    # Other words people search with for its models (see `keywords` in the schema).
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    kind: str
    label: str
    url: str


# What an artefact's licence says where it names no declared licence.
UNDECLARED_LICENCE_NAMES = {vocabulary.UNKNOWN: "Unknown", "mixed": "Mixed terms"}


@dataclass(frozen=True)
class ArtefactLicense:
    """The licence of one artefact (weights, code or training data)."""

    artefact: str
    label: str
    id: str  # a declared licence id, or unknown / mixed
    license: License | None  # None for unknown and mixed
    note: str | None = None

    @property
    def commercial_use(self) -> str:
        return self.license.commercial_use if self.license else "unclear"

    @property
    def name(self) -> str:
        return self.license.name if self.license else UNDECLARED_LICENCE_NAMES[self.id]

    @property
    def url(self) -> str | None:
        return self.license.url if self.license else None


@dataclass(frozen=True)
class Variant:
    name: str
    license_id: str
    license: License | None
    parameters: str | None = None
    model_card: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TrainingData:
    name: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Evaluation:
    benchmark: str
    metric: str
    value: str
    source: str
    self_reported: bool
    kind: str
    note: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class Clearance:
    jurisdiction: str
    status: str
    reference: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Deployment:
    """Each value as the entry gives it: a number or a truth value, or "unknown"."""

    min_gpu_memory_gb: float | str
    cpu_only: bool | str
    runs_offline: bool | str
    formats: tuple[str, ...] | str


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    category: str
    subcategory: str
    kind: str
    modalities: tuple[str, ...]
    description: str
    use_cases: tuple[str, ...]
    links: tuple[Link, ...]
    licenses: tuple[ArtefactLicense, ...]
    commercial_use: str
    commercial_use_note: str | None
    access: str
    evidence_level: str
    deployment: Deployment
    verified: str
    developer: str | None = None
    # Path -> what backs the fact (see evidence.py); empty while the entry is pending.
    evidence: dict[str, Evidence] = field(default_factory=dict, hash=False)
    second_reader: str | None = None
    # The artefacts or variants whose licence makes the verdict ("weights", "variant X"), or "override".
    commercial_use_decided_by: tuple[str, ...] = ()
    # Fields whose sources may be silent are None where the entry says unknown.
    intended_users: tuple[str, ...] | None = None
    out_of_scope: tuple[str, ...] | None = None
    access_note: str | None = None
    parameters: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    training_data: tuple[TrainingData, ...] | None = None
    phi_exposure: str | None = None
    evaluations: tuple[Evaluation, ...] | None = None
    regulatory: tuple[Clearance, ...] = ()  # empty: none known
    base_model: str | None = None  # an entry id, a URL, none or unknown
    superseded_by: str | None = None
    languages: tuple[str, ...] | None = None
    imaging_modalities: tuple[str, ...] = ()
    anatomy: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    # Where the entry starts in data/models.yaml, for "edit this entry" links.
    line: int | None = None
    # Every URL the entry writes, whatever its field, in file order.
    urls: tuple[Place, ...] = ()

    @property
    def evidence_status(self) -> str:
        """complete when every governance fact carries its evidence, pending until the entry is re-read."""
        return EVIDENCE_COMPLETE if self.evidence else EVIDENCE_PENDING

    @property
    def license(self) -> ArtefactLicense:
        """The licence that decides most: the weights', or the code's where there are no weights."""
        return self.licenses[0]

    @property
    def license_note(self) -> str | None:
        return self.commercial_use_note

    @property
    def commercial_use_label(self) -> str:
        return COMMERCIAL_USE_LABELS[self.commercial_use]

    @property
    def commercial_use_rank(self) -> int:
        """0 for allowed, up to the least permissive: how the table sorts this column."""
        return list(COMMERCIAL_USE_LABELS).index(self.commercial_use)

    @property
    def access_label(self) -> str:
        return vocabulary.titles("access")[self.access]


def most_restrictive(uses: list[str]) -> str:
    """The least permissive of some commercial-use verdicts ("allowed" for none)."""
    order = list(COMMERCIAL_USE_LABELS)
    return max(uses, key=order.index, default="allowed")


def verdict_parts(entry: dict[str, Any], declared: dict[str, str]) -> list[tuple[str, str]]:
    """What a team runs, each with its verdict: ("weights", v), ("code", v), ("variant NAME", v).

    A licence that is unknown (or not declared) counts as unclear.
    """
    given = entry.get("licenses")
    licences: dict[str, Any] = given if isinstance(given, dict) else {}
    named = [(a, licences[a].get("id")) for a in ("weights", "code") if isinstance(licences.get(a), dict)]
    named += [
        (f"variant {v.get('name')}", v.get("license"))
        for v in entry.get("variants") or ()
        if isinstance(v, dict)
    ]
    return [(part, declared.get(i, "unclear") if isinstance(i, str) else "unclear") for part, i in named]


def computed_commercial_use(entry: dict[str, Any], declared: dict[str, str]) -> str:
    """The verdict from the licences of what a team runs: the weights, the code and every variant.

    The most restrictive wins. Training data is shown beside it but does not decide it: its
    terms bind the data, not the model.
    """
    return most_restrictive([verdict for _, verdict in verdict_parts(entry, declared)])


def commercial_use_decided_by(entry: dict[str, Any], declared: dict[str, str]) -> tuple[str, ...]:
    """Which artefacts or variants make the verdict what it is.

    "override" where the entry sets a verdict that no licence of its own gives (its note says why).
    """
    verdict = commercial_use_of(entry, declared)
    parts = tuple(part for part, v in verdict_parts(entry, declared) if v == verdict)
    return parts if parts and verdict == computed_commercial_use(entry, declared) else ("override",)


def commercial_use_of(entry: dict[str, Any], declared: dict[str, str]) -> str:
    """The entry's override where it has one, else the computed verdict."""
    return entry.get("commercial_use") or computed_commercial_use(entry, declared)


@dataclass(frozen=True)
class Subcategory:
    id: str
    title: str
    intro: str | None
    models: tuple[Model, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    intro: str
    subcategories: tuple[Subcategory, ...]
    keywords: tuple[str, ...] = ()

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(model for sub in self.subcategories for model in sub.models)


@dataclass(frozen=True)
class Catalogue:
    title: str
    summary: str
    categories: tuple[Category, ...]
    licenses: tuple[License, ...] = field(default=())
    tasks: tuple[Task, ...] = field(default=())
    # Every URL written outside the models (the licences' texts), in file order.
    urls: tuple[Place, ...] = field(default=())

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(model for category in self.categories for model in category.models)

    def category(self, category_id: str) -> Category:
        return next(category for category in self.categories if category.id == category_id)

    def keywords(self, model: Model) -> tuple[str, ...]:
        """The other words `model` is found under: those declared on its category, subcategory and tasks."""
        category = self.category(model.category)
        subcategory = next(sub for sub in category.subcategories if sub.id == model.subcategory)
        words = [
            *category.keywords,
            *subcategory.keywords,
            *(k for task in model.tasks for k in task.keywords),
        ]
        return tuple(dict.fromkeys(words))

    def models_for_task(self, task: Task) -> tuple[Model, ...]:
        """The models tagged with `task`, by name."""
        return tuple(sorted((m for m in self.models if task in m.tasks), key=_by_name))

    @property
    def last_updated(self) -> str:
        """The newest verification date: the catalogue changes when an entry is checked."""
        return max((model.verified for model in self.models), default="")


def _by_name(model: Model) -> tuple[str, str]:
    return (model.name.casefold(), model.id)


def build_catalogue(data: dict[str, Any], lines: dict[Path, int] | None = None) -> Catalogue:
    """Typed catalogue from validated data (see validate.validate).

    `lines` (from the load stage) gives each model the line its entry starts on.
    """
    licenses = {item["id"]: License(**item) for item in data["licenses"]}
    tasks = {
        item["id"]: Task(item["id"], item["title"], item.get("intro"), tuple(item.get("keywords", ())))
        for item in data.get("tasks", [])
    }
    lines = lines or {}
    document = LoadedCatalogue(file="", data=data, lines=lines)
    models = sorted(
        (
            _model(
                entry,
                licenses,
                tasks,
                lines.get(("models", index)),
                tuple(_places(document, entry, ("models", index))),
            )
            for index, entry in enumerate(data["models"])
        ),
        key=_by_name,
    )
    categories = tuple(
        Category(
            id=category["id"],
            title=category["title"],
            intro=category["intro"],
            subcategories=tuple(
                Subcategory(
                    id=sub["id"],
                    title=sub["title"],
                    intro=sub.get("intro"),
                    models=tuple(
                        m for m in models if m.category == category["id"] and m.subcategory == sub["id"]
                    ),
                    keywords=tuple(sub.get("keywords", ())),
                )
                for sub in category["subcategories"]
            ),
            keywords=tuple(category.get("keywords", ())),
        )
        for category in data["categories"]
    )
    return Catalogue(
        title=data["catalogue"]["title"],
        summary=data["catalogue"]["summary"],
        categories=categories,
        licenses=tuple(licenses.values()),
        tasks=tuple(tasks.values()),
        urls=tuple(
            place
            for section, value in data.items()
            if section != "models"
            for place in _places(document, value, (section,))
        ),
    )


def _places(document: LoadedCatalogue, value: Any, path: Path) -> Iterator[Place]:
    """Every http(s) URL in `value` (found at `path` of the document), with where it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(document, item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(document, item, (*path, index))
    elif isinstance(value, str) and value.startswith(("https://", "http://")):
        entry, field_name, line = document.locate(path)
        yield Place(value, entry or "catalogue", field_name or "", line)


def _model(
    entry: dict[str, Any],
    licenses: dict[str, License],
    tasks: dict[str, Task],
    line: int | None,
    urls: tuple[Place, ...],
) -> Model:
    artefacts = tuple(
        ArtefactLicense(artefact, label, given["id"], licenses.get(given["id"]), given.get("note"))
        for artefact, label in vocabulary.artefacts().items()
        if (given := entry["licenses"].get(artefact))
    )
    variants = tuple(
        Variant(
            name=v["name"],
            license_id=v["license"],
            license=licenses.get(v["license"]),
            parameters=v.get("parameters"),
            model_card=v.get("model_card"),
            note=v.get("note"),
        )
        for v in entry.get("variants", ())
    )
    deployment = entry["deployment"]
    verdicts = {i: lic.commercial_use for i, lic in licenses.items()}
    return Model(
        id=entry["id"],
        name=entry["name"],
        category=entry["category"],
        subcategory=entry["subcategory"],
        kind=entry["kind"],
        modalities=tuple(entry["modalities"]),
        description=entry["description"],
        use_cases=tuple(entry["use_cases"]),
        links=tuple(
            Link(kind, label, entry["links"][kind])
            for kind, label in LINK_LABELS.items()
            if kind in entry["links"]
        ),
        licenses=artefacts,
        commercial_use=commercial_use_of(entry, verdicts),
        commercial_use_note=entry.get("commercial_use_note"),
        commercial_use_decided_by=commercial_use_decided_by(entry, verdicts),
        access=entry["access"],
        access_note=entry.get("access_note"),
        evidence_level=evidence_rules.evidence_level(entry["evaluations"]),
        evidence=evidence_rules.parse(entry.get("evidence")),
        second_reader=entry.get("second_reader"),
        deployment=Deployment(
            min_gpu_memory_gb=deployment["min_gpu_memory_gb"],
            cpu_only=deployment["cpu_only"],
            runs_offline=deployment["runs_offline"],
            formats=_known(deployment["formats"]) or vocabulary.UNKNOWN,
        ),
        verified=entry["verified"],
        developer=entry.get("developer"),
        intended_users=_known(entry["intended_users"]),
        out_of_scope=_known(entry["out_of_scope"]),
        parameters=tuple(entry.get("parameters", ())),
        variants=variants,
        training_data=_known(entry.get("training_data", vocabulary.UNKNOWN), TrainingData),
        phi_exposure=entry.get("phi_exposure"),
        evaluations=_known(entry["evaluations"], Evaluation),
        regulatory=tuple(Clearance(**item) for item in entry["regulatory"])
        if isinstance(entry["regulatory"], list)
        else (),
        base_model=entry.get("base_model"),
        superseded_by=entry.get("superseded_by"),
        languages=_known(entry.get("languages", vocabulary.UNKNOWN)),
        imaging_modalities=tuple(entry.get("imaging_modalities", ())),
        anatomy=tuple(entry.get("anatomy", ())),
        caveats=tuple(entry.get("caveats", ())),
        sources=tuple(entry.get("sources", ())),
        # In declared order, so every page lists a model's tasks the same way.
        tasks=tuple(task for task_id, task in tasks.items() if task_id in entry.get("tasks", ())),
        line=line,
        urls=urls,
    )


def _known(value: Any, item_type: Any = None) -> tuple[Any, ...] | None:
    """A list field as a tuple (of `item_type` built from mappings), or None where it says unknown."""
    if not isinstance(value, list):
        return None
    return tuple(item_type(**item) if item_type else item for item in value)
