"""CITATION.cff: the catalogue's own citation, valid Citation File Format 1.2.0."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue

from .conftest import FIXTURES, ROOT

# The official JSON Schema of the Citation File Format 1.2.0, as published by the format's
# repository (citation-file-format/citation-file-format, tag 1.2.0, schema.json).
CFF_SCHEMA = FIXTURES / "cff" / "schema-1.2.0.json"


def test_citation_cff_is_valid_cff_1_2_0_and_names_the_catalogue():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(cff)
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == open_catalogue(DEFAULT_CATALOGUE).typed.title


def test_the_cff_check_refuses_a_bad_file():
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate({"cff-version": "1.2.0", "title": "x"})
