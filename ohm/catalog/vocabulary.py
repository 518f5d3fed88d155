"""The catalogue's field vocabulary, read once from the JSON Schema (data/models.schema.json).

The schema is where a field, a link kind or an enum value is defined, with its
help text; everything else reads it from here: validation (migration hints),
the `new` command and its questions, the exports, the templates and the
generated field reference in CONTRIBUTING.md. Enum values that need a label
or a help text are written in the schema as `oneOf` lists of
`{const, title, description}`, the usual JSON Schema idiom for documented
choices.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "data" / "models.schema.json"

# The value an entry writes where its primary sources are silent.
UNKNOWN = "unknown"


def answer(value: object) -> str:
    """A field that is true, false or unknown (deployment.cpu_only, ...), as a reader would say it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return UNKNOWN


# Fields of schema 1 that schema 2 replaced, and what to write instead.
REPLACED_FIELDS = {
    "license": (
        "schema 1 field: write licenses instead, with the licence of each artefact "
        "(weights, code, training_data), and commercial_use / commercial_use_note only to override "
        "the verdict"
    ),
    "evidence_level": (
        "schema 2 field: the evidence level is now derived from the kind of each evaluation; run ohm migrate"
    ),
    "verified_revision": (
        "schema 2 field: pin the revision in each source URL instead (blob/SHA/...); run ohm migrate"
    ),
}


@dataclass(frozen=True)
class Choice:
    value: str
    title: str
    description: str


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    required: bool
    required_for_trained: bool  # required for pretrained models and model families


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _definitions() -> dict[str, Any]:
    return schema()["$defs"]


def _model_schema() -> dict[str, Any]:
    return _definitions()["model"]


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref`, keeping the referring node's own description."""
    if "$ref" in node:
        target = _definitions()[node["$ref"].rsplit("/", 1)[1]]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _choices_of(node: dict[str, Any]) -> tuple[Choice, ...]:
    node = resolve(node)
    if "oneOf" in node:
        return tuple(Choice(o["const"], o["title"], o["description"]) for o in node["oneOf"])
    if "enum" in node:
        return tuple(Choice(v, str(v), "") for v in node["enum"])
    if "items" in node:
        return _choices_of(node["items"])
    raise KeyError("no choices")


@cache
def model_fields() -> tuple[Field, ...]:
    """Every field of a model entry, in the order an entry writes them."""
    model = _model_schema()
    required = set(model["required"])
    trained = set(model["allOf"][0]["then"]["required"])
    return tuple(
        Field(name, resolve(node).get("description", ""), name in required, name in trained)
        for name, node in model["properties"].items()
    )


def model_field(name: str) -> Field:
    return next(field for field in model_fields() if field.name == name)


@cache
def choices(field: str) -> tuple[Choice, ...]:
    """The allowed values of an enum field of a model entry (`kind`, `access`, ...), in order."""
    return _choices_of(_model_schema()["properties"][field])


def values(field: str) -> list[str]:
    return [choice.value for choice in choices(field)]


def titles(field: str) -> dict[str, str]:
    return {choice.value: choice.title for choice in choices(field)}


@cache
def commercial_use_choices() -> tuple[Choice, ...]:
    """allowed, restricted, unclear, not-allowed: from most to least permissive."""
    return _choices_of(_definitions()["commercial_use"])


@cache
def evaluation_kinds() -> tuple[Choice, ...]:
    """benchmark, retrospective, ... trial: the kinds of evaluation, from weakest to strongest."""
    return _choices_of(_definitions()["evaluation_kind"])


@cache
def evidence_levels() -> tuple[Choice, ...]:
    """An entry's evidence level: none, or the strongest kind of its evaluations; weakest first."""
    none = _definitions()["no_evaluation"]
    return (Choice(none["const"], none["title"], none["description"]), *evaluation_kinds())


def evidence_level_titles() -> dict[str, str]:
    return {choice.value: choice.title for choice in evidence_levels()}


@cache
def link_kinds() -> dict[str, str]:
    """{link kind: label}, in the order pages list links."""
    properties = _model_schema()["properties"]["links"]["properties"]
    return {kind: node["title"] for kind, node in properties.items()}


@cache
def artefacts() -> dict[str, str]:
    """{artefact: label} of the per-artefact licences: weights, code, training_data."""
    properties = _model_schema()["properties"]["licenses"]["properties"]
    return {name: node["title"] for name, node in properties.items()}


@cache
def deployment_fields() -> dict[str, str]:
    """{deployment field: label}."""
    properties = _model_schema()["properties"]["deployment"]["properties"]
    return {name: node["title"] for name, node in properties.items()}


def kinds_without_weights() -> list[str]:
    """Kinds that are software, not trained models: no weights licence, no training data."""
    trained = set(_model_schema()["allOf"][0]["if"]["properties"]["kind"]["enum"])
    return [kind for kind in values("kind") if kind not in trained]


def _allows(node: dict[str, Any], value: str) -> bool:
    node = resolve(node)
    options = node.get("anyOf", []) + node.get("oneOf", [])
    return node.get("const") == value or any(_allows(option, value) for option in options)


def _default_for(node: dict[str, Any]) -> Any:
    """What to write where nothing is known: unknown, none-known, or a mapping of those."""
    node = resolve(node)
    for value in (UNKNOWN, "none-known"):
        if _allows(node, value):
            return value
    if node.get("type") == "object" and "required" in node:
        fields = {name: _default_for(node["properties"][name]) for name in node["required"]}
        return fields if None not in fields.values() else None
    return None


def unknown_defaults(kind: str) -> dict[str, Any]:
    """The honest value of every field a `kind` of entry must have that can say "not known"."""
    trained = kind not in kinds_without_weights()
    properties = _model_schema()["properties"]
    wanted = [f.name for f in model_fields() if f.required or (trained and f.required_for_trained)]
    defaults = {name: _default_for(properties[name]) for name in wanted}
    return {name: value for name, value in defaults.items() if value is not None}
