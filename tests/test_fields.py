"""The field table: every schema property is exported, rendered and offered by `new`, or left out
with a reason; a property added to the schema without a row fails here, by name."""

from __future__ import annotations

import copy
import re

import pytest

from ohm.catalog import fields, open_catalogue, vocabulary
from ohm.catalog.commands import entry_from_options
from ohm.catalog.questions import Interview, check_field
from ohm.cli import parser
from ohm.site.export import CSV_COLUMNS, CSV_FLATTENED, model_record
from ohm.site.render import TEMPLATES_DIR

from .conftest import SMALL_CATALOGUE

SPECS = fields.model_fields()


def test_every_schema_property_has_a_row_and_every_row_a_property():
    assert fields.unaccounted_fields(vocabulary.schema()) == []
    assert [spec.name for spec in SPECS] == [field.name for field in vocabulary.model_fields()]


def test_a_field_added_to_the_schema_is_named_until_it_has_a_row():
    """The experiment: an optional field added to (a copy of) the schema fails the test above, by name,
    until the table says how `new` offers it, or why not; the tests below then hold it to the exports
    and the model page."""
    schema = copy.deepcopy(vocabulary.schema())
    schema["$defs"]["model"]["properties"]["hospital_site"] = {
        "$ref": "#/$defs/line",
        "description": "Where it was first deployed.",
    }
    assert fields.unaccounted_fields(schema) == ["hospital_site"]
    del schema["$defs"]["model"]["properties"]["anatomy"]
    assert fields.unaccounted_fields(schema) == ["hospital_site", "anatomy"]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    opened = open_catalogue(SMALL_CATALOGUE)
    assert opened.ok, opened.problems
    return [model_record(model) for model in opened.catalogue.models]


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
def test_each_field_is_exported_to_json_and_csv(spec: fields.FieldSpec, records: list[dict]):
    assert all(spec.name in record for record in records), "a key of every record in models.json"
    columns = CSV_FLATTENED.get(spec.name, [spec.name])
    assert [column for column in columns if column not in CSV_COLUMNS] == [], "its columns in models.csv"


# Fields the page reads through another object than `model`.
RENDERED_OTHERWISE = {"category": "category.title"}


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
def test_each_field_is_rendered_on_the_model_page(spec: fields.FieldSpec):
    templates = "".join(path.read_text(encoding="utf-8") for path in TEMPLATES_DIR.glob("model*.j2"))
    read_as = RENDERED_OTHERWISE.get(spec.name, f"model.{spec.name}")
    assert re.search(rf"\b{re.escape(read_as)}\b", templates), "read by the model page's templates"


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
def test_each_field_is_offered_by_new_or_left_out_with_a_reason(spec: fields.FieldSpec):
    assert bool(spec.options) != bool(spec.row.left_out), "an option of `ohm new`, or why not"


def test_each_option_of_new_fills_its_field():
    options = fields.new_options()
    argv = ["new"]
    for option in options:
        argv += [option.flag, f"https://example.org/{option.dest}" if "." in option.field else "a,b"]
    args = parser().parse_args(argv)
    entry = entry_from_options(args)
    for option in options:
        name, _, part = option.field.partition(".")
        value = entry[name][part] if part else entry[name]
        assert value, option.flag


def test_required_options_are_the_required_fields_new_cannot_default():
    assert fields.required_options() == [
        "name", "developer", "category", "subcategory", "kind", "modalities", "description", "use_cases",
        "links", "licenses.code", "access", "sources",
    ]  # fmt: skip


def test_the_interview_asks_each_asked_field_with_its_own_question():
    askers = {name.removeprefix("_ask_") for name in dir(Interview) if name.startswith("_ask_")}
    assert sorted(askers) == sorted(fields.asked_fields())


@pytest.mark.parametrize(("field", "definition"), [("name", "line"), ("description", "text")])
def test_the_interview_takes_its_limits_from_the_schema(field: str, definition: str):
    limit = vocabulary.schema()["$defs"][definition]["maxLength"]
    check = check_field(field)
    assert check("x" * limit) is None
    assert check("x" * (limit + 1)) == f"is too long ({limit + 1} characters, at most {limit})"
