"""The freshness file checked against its JSON Schema (freshness.schema.json) before the site uses it.

`ohm freshness` writes the file, but the build may be handed any file: one of
the wrong shape (a threshold missing, a finding's field a number, lists nested
a thousand deep) is one line, FreshnessError, and the site is not built.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from ohm.catalog.problems import excerpt, format_field, printable

from .report import FreshnessError

SCHEMA_FILE = Path(__file__).with_name("freshness.schema.json")


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def check_freshness_file(path: Path) -> None:
    """FreshnessError naming the first part of the file at `path` that is not as the schema says.

    A file that cannot be read, is not JSON or has another schema_version is left to
    `read_freshness`, which says so in its own words.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    except RecursionError:
        raise FreshnessError(f"{path}: nested too deeply to be a freshness file") from None
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        return
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = format_field(tuple(error.absolute_path)) or "the file"
        raise FreshnessError(f"{path}: {printable(where)}: {_describe(error)}")


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return error.message
    if error.validator == "type":
        return f"must be of type {error.validator_value}"
    types = {str(e.validator_value) for e in error.context or () if e.validator == "type"}
    if error.validator == "anyOf" and types:
        return f"must be of type {' or '.join(sorted(types))}"
    if error.validator in {"maxLength", "maximum", "minimum"}:
        return f"is out of range ({error.validator} {error.validator_value})"
    if error.validator == "pattern":
        return "must be a date written YYYY-MM-DD"
    return f"is not valid ({excerpt(str(error.validator))})"
