"""The validated catalogue as typed objects: what the render stage works from.

Built only from data that passed validation, so nothing here checks again.
Ordering is decided here once, so every output is deterministic: categories
and subcategories in the order the YAML declares them, models by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .problems import Path

LINK_LABELS = {
    "model_card": "Model card",
    "repository": "Repository",
    "homepage": "Homepage",
    "docs": "Documentation",
    "paper": "Paper",
}

# The answer to "may I use it commercially?", the same words on every page.
# From most to least permissive: the order of the table's filter and sort.
COMMERCIAL_USE_LABELS = {
    "allowed": "Allowed",
    "restricted": "Restricted",
    "unclear": "Unclear",
    "not-allowed": "Not allowed",
}


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
    license: License
    commercial_use: str
    license_note: str | None
    verified: str
    developer: str | None = None
    parameters: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    # Where the entry starts in data/models.yaml, for "edit this entry" links.
    line: int | None = None

    @property
    def commercial_use_label(self) -> str:
        return COMMERCIAL_USE_LABELS[self.commercial_use]

    @property
    def commercial_use_rank(self) -> int:
        """0 for allowed, up to the least permissive: how the table sorts this column."""
        return list(COMMERCIAL_USE_LABELS).index(self.commercial_use)


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
    models = sorted(
        (
            _model(entry, licenses, tasks, lines.get(("models", index)))
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
    )


def _model(
    entry: dict[str, Any], licenses: dict[str, License], tasks: dict[str, Task], line: int | None
) -> Model:
    licence = licenses[entry["license"]["id"]]
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
        license=licence,
        commercial_use=entry["license"].get("commercial_use", licence.commercial_use),
        license_note=entry["license"].get("note"),
        verified=entry["verified"],
        developer=entry.get("developer"),
        parameters=tuple(entry.get("parameters", ())),
        caveats=tuple(entry.get("caveats", ())),
        sources=tuple(entry.get("sources", ())),
        # In declared order, so every page lists a model's tasks the same way.
        tasks=tuple(task for task_id, task in tasks.items() if task_id in entry.get("tasks", ())),
        line=line,
    )
