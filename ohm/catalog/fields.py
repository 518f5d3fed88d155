"""One table of the fields of a model entry: what the schema says of each, and what it cannot say.

The schema (data/models.schema.json, read by vocabulary.py) gives each field its
name, description, whether it is required, and its sub-schema (type, limits,
enum). The short table below, FIELD_TABLE, adds what a schema cannot say: the
option of `ohm new` that fills the field, how that option takes its values, whether
the field is written as a one-line list, and, for a field `new` does not offer,
why. Every schema property must have a row: `unaccounted_fields` names those that
do not, and a test fails on them, so a field added to the schema is never dropped
without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from . import vocabulary

# Why `new` leaves a field out: it starts as the honest "not known" value, to edit in the file.
STARTS_UNKNOWN = "new writes unknown (or none-known); edit the file"
EDIT_THE_FILE = "optional, and rarely known when an entry is added; edit the file"
# A new entry starts pending: its evidence is written when the facts are re-read with a pinned source
# for each, and a second reader signs it off; neither fits a question in a terminal.
WITH_EVIDENCE = (
    "written when each fact is re-read with its quote and checked by a second reader; edit the file"
)


@dataclass(frozen=True)
class Row:
    """What the schema cannot say about a field."""

    option: str | None = None  # the option of `ohm new`; "{kind}" makes one per sub-field
    help: str = ""  # its help; "{choices}" is replaced by the field's values
    many: bool = False  # the option may be repeated
    comma: bool = False  # and each value may hold several, comma-separated
    flow: bool = False  # written on one line in the file: `modalities: [text, image]`
    default: str | None = None  # what `new` writes when the option is not given
    metavar: str | None = None  # the option's value in `ohm new --help`
    left_out: str | None = None  # why `new` does not offer the field
    asked: bool = True  # asked for in a terminal when not given (questions.py has `_ask_<field>`)


# In the order models.json writes the fields (the schema's, but tasks beside modalities).
FIELD_TABLE: dict[str, Row] = {
    "id": Row("--id", "unique id, lowercase with hyphens (default: made from --name)", default="from --name"),
    "name": Row("--name", "name of the model"),
    "developer": Row("--developer", "organisation or group that publishes it"),
    "category": Row("--category", "id of a declared category, e.g. llm"),
    "subcategory": Row("--subcategory", "id of a subcategory of that category"),
    "kind": Row("--kind", "{choices}"),
    "modalities": Row(
        "--modality", "text, image, ... (repeat or comma-separate)", many=True, comma=True, flow=True
    ),
    "tasks": Row(
        "--task", "id of a declared task, e.g. segmentation (repeat)", many=True, comma=True, flow=True
    ),
    "description": Row("--description", "one or two sentences of plain text"),
    "use_cases": Row("--use-case", "a clinical or operational use (repeat)", many=True),
    "intended_users": Row(left_out=STARTS_UNKNOWN),
    "out_of_scope": Row(left_out=STARTS_UNKNOWN),
    "links": Row("--{kind}", "https:// link: {label}", metavar="URL"),
    "licenses": Row("--{kind}-license", "{label}: id of a declared licence, or unknown", metavar="ID"),
    # The verdict is computed from the licences; the note is asked with them, where it is needed.
    "commercial_use": Row(
        "--commercial-use", "only to override the verdict computed from the licences", asked=False
    ),
    "commercial_use_note": Row(
        "--commercial-use-note", "the condition, where commercial use is not simply allowed", asked=False
    ),
    "access": Row("--access", "{choices}"),
    "access_note": Row("--access-note", "what a team must do to get it", asked=False),
    "parameters": Row("--parameters", "published sizes, e.g. 1B,7B", many=True, comma=True, flow=True),
    "variants": Row(left_out="a list of checkpoints with their own licences; edit the file"),
    "training_data": Row(left_out=STARTS_UNKNOWN),
    "phi_exposure": Row("--phi-exposure", "{choices} (default: unknown)"),
    "evaluations": Row(left_out=STARTS_UNKNOWN),
    "regulatory": Row(left_out=STARTS_UNKNOWN),
    "deployment": Row(left_out=STARTS_UNKNOWN),
    "base_model": Row(left_out=STARTS_UNKNOWN),
    "superseded_by": Row(left_out=EDIT_THE_FILE),
    "languages": Row(flow=True, left_out=EDIT_THE_FILE),
    "imaging_modalities": Row(flow=True, left_out=EDIT_THE_FILE),
    "anatomy": Row(left_out=EDIT_THE_FILE),
    "caveats": Row("--caveat", "what to know before use (repeat)", many=True),
    "verified": Row("--verified", "YYYY-MM-DD you checked the facts (default: today)", default="today"),
    "second_reader": Row(left_out=WITH_EVIDENCE),
    "sources": Row("--source", "https:// page the facts come from (repeat)", many=True),
    "evidence": Row(left_out=WITH_EVIDENCE),
}

# Lists inside a field that are written on one line too: `formats: [GGUF, ONNX]` under deployment.
NESTED_FLOW_LISTS = {"formats"}


@dataclass(frozen=True)
class Option:
    """One option of `ohm new`, and the place of the entry it fills."""

    flag: str  # --use-case
    field: str  # use_cases, links.repository, licenses.code
    help: str
    many: bool
    comma: bool
    metavar: str | None = None

    @property
    def dest(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")


@dataclass(frozen=True)
class FieldSpec(vocabulary.Field):
    """A field of a model entry: the schema's facts (vocabulary.Field) and the table's row."""

    schema: dict[str, Any]  # the field's sub-schema, as the schema writes it
    row: Row

    @property
    def options(self) -> tuple[Option, ...]:
        """The options of `ohm new` that fill it: one, one per link kind or artefact, or none."""
        row = self.row
        if row.option is None:
            return ()
        if "{kind}" in row.option:
            # One option per sub-field (link kind, artefact), with the sub-field's title.
            parts = vocabulary.resolve(self.schema)["properties"]
            return tuple(
                Option(
                    row.option.format(kind=kind.replace("_", "-")),
                    f"{self.name}.{kind}",
                    row.help.format(label=part["title"].lower()),
                    many=False,
                    comma=False,
                    metavar=row.metavar,
                )
                for kind, part in parts.items()
            )
        text = row.help
        if "{choices}" in text:
            text = text.replace("{choices}", " | ".join(vocabulary.values(self.name)))
        return (Option(row.option, self.name, text, row.many, row.comma),)

    @property
    def asked_for(self) -> tuple[str, ...]:
        """What `new` must be given for it ("licenses.code"), unless it can start unknown or has a default."""
        if not self.required or self.row.option is None or self.row.default is not None:
            return ()
        if self.name in vocabulary.unknown_defaults("pretrained model"):
            return ()
        inner = vocabulary.resolve(self.schema)
        if inner.get("type") == "object" and inner.get("required"):
            return tuple(f"{self.name}.{name}" for name in inner["required"])
        return (self.name,)


@cache
def model_fields() -> tuple[FieldSpec, ...]:
    """Every field of a model entry, in schema order, with its row of FIELD_TABLE."""
    properties = vocabulary.schema()["$defs"]["model"]["properties"]
    return tuple(
        FieldSpec(**vars(field), schema=properties[field.name], row=FIELD_TABLE[field.name])
        for field in vocabulary.model_fields()
        if field.name in FIELD_TABLE
    )


def field_spec(name: str) -> FieldSpec:
    return next(spec for spec in model_fields() if spec.name == name)


def unaccounted_fields(schema: dict[str, Any]) -> list[str]:
    """Properties of a model entry in `schema` that have no row in FIELD_TABLE (and rows of no property)."""
    properties = schema["$defs"]["model"]["properties"]
    return [name for name in properties if name not in FIELD_TABLE] + [
        name for name in FIELD_TABLE if name not in properties
    ]


def new_options() -> tuple[Option, ...]:
    """Every option of `ohm new` that fills a field, in schema order."""
    return tuple(option for spec in model_fields() for option in spec.options)


def field_options() -> dict[str, str]:
    """{field: its options}: `links` -> `--model-card/...`, `licenses.code` -> `--code-license`."""
    options: dict[str, str] = {}
    for spec in model_fields():
        if spec.name == "links":
            options["links"] = "/".join(option.flag for option in spec.options)
        else:
            options.update({option.field: option.flag for option in spec.options})
    return options


def required_options() -> list[str]:
    """What `new` cannot default, in schema order: every other required field can start as unknown."""
    return [path for spec in model_fields() for path in spec.asked_for]


def asked_fields() -> list[str]:
    """The fields the interview asks for, in order: the name first, since the id is made from it."""
    asked = [spec.name for spec in model_fields() if spec.options and spec.row.asked]
    return ["name", *(name for name in asked if name != "name")]


def exported_fields() -> list[str]:
    """The fields of a model record in models.json, in the table's order."""
    properties = vocabulary.schema()["$defs"]["model"]["properties"]
    return [name for name in FIELD_TABLE if name in properties]


def flow_lists() -> set[str]:
    return {spec.name for spec in model_fields() if spec.row.flow} | NESTED_FLOW_LISTS
