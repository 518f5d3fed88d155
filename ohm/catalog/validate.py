"""Stage 2: find every problem in a loaded catalogue, all at once.

Two layers:
- the JSON Schema (data/models.schema.json) checks shape; its errors are
  reworded here, one kind of error at a time, into messages a contributor can
  act on ("unknown field 'licence'; did you mean 'license'?");
- semantic checks, one small function each, check what a schema cannot
  express well: unique ids and names, references to declared categories and
  licences and tasks, notes where commercial use is restricted.

Nothing here raises on bad data: every check copes with wrong types, because
the schema problems are reported alongside, not instead.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import jsonschema_rs

from .load import LoadedCatalogue
from .problems import Path, Problem

SCHEMA_FILE = FilePath(__file__).resolve().parents[2] / "data" / "models.schema.json"

Report = Callable[[Path, str], None]


def validate(loaded: LoadedCatalogue) -> list[Problem]:
    """Every problem in the catalogue (load problems included), in file order."""
    problems = set(loaded.problems)
    if loaded.data is not None:
        problems.update(schema_problems(loaded))
        problems.update(semantic_problems(loaded))
    return sorted(problems, key=lambda p: (p.line or 0, p.entry or "", p.field or "", p.message))


# --- Field formats shared by the schema and the checks -----------------------------

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_UNSAFE_URL_CHARS = re.compile(r"[\s<>\"'`{}|\\^\x00-\x1f\x7f]")
_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def https_url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable catalogue link, or None if it is."""
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme in {"javascript", "data", "vbscript", "file"}:
        return f"{scheme}: links are not allowed; use an https:// address"
    if scheme == "http":
        return "must start with https:// (plain http:// is not accepted)"
    if not url.startswith("https://"):
        return "must start with https://"
    if _UNSAFE_URL_CHARS.search(url):
        return "must not contain spaces, quotes or angle brackets; percent-encode them"
    parts = urlsplit(url)
    if parts.username or parts.password:
        return "must not contain a user name or password"
    host = parts.hostname or ""
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return f"is not a well-formed address: {host or 'no'} host name"
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "is not a well-formed address: bad port number"
    return None


def plain_text_problem(text: str) -> str | None:
    tag = _HTML_TAG.search(text)
    if tag:
        return f"must be plain text: HTML like {tag.group(0)!r} is not allowed"
    if _CONTROL_CHARS.search(text):
        return "must not contain control characters"
    return None


CUSTOM_FORMATS = {"https-url": https_url_problem, "plain-text": plain_text_problem}


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=["date"])

    def check_with(problem_of: Callable[[str], str | None]) -> Callable[[object], bool]:
        def check(value: object) -> bool:
            message = problem_of(value) if isinstance(value, str) else None
            if message:
                raise ValueError(message)
            return True

        return check

    for name, problem_of in CUSTOM_FORMATS.items():
        checker.checks(name, raises=ValueError)(check_with(problem_of))
    return checker


# --- Schema ------------------------------------------------------------------------


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=_format_checker())


@cache
def _quick_validator() -> jsonschema_rs.Validator:
    """The same schema and formats, compiled in Rust: says only whether data is valid, 10x faster."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    formats = {name: _is_acceptable(problem_of) for name, problem_of in CUSTOM_FORMATS.items()}
    return jsonschema_rs.validator_for(schema, formats=formats, validate_formats=True)


def _is_acceptable(problem_of: Callable[[str], str | None]) -> Callable[[str], bool]:
    return lambda value: problem_of(value) is None


def schema_problems(loaded: LoadedCatalogue) -> list[Problem]:
    # A valid catalogue, the usual case, costs one quick check; only an invalid
    # one goes through jsonschema, whose errors carry what _reword needs.
    if _quick_validator().is_valid(loaded.data):
        return []
    problems = []
    for error in _validator().iter_errors(loaded.data):
        for path, message in _reword(error):
            problems.append(loaded.problem(path, message))
    return problems


_TYPE_WORDS = {
    "object": "a mapping of fields",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _reword(error: jsonschema.ValidationError) -> Iterator[tuple[Path, str]]:
    """Turn one schema error into (path, message) pairs a person can act on."""
    path = tuple(error.absolute_path)
    instance, schema, keyword = error.instance, error.schema, error.validator
    if keyword == "required":
        present = list(instance) if isinstance(instance, dict) else []
        for name in error.validator_value:
            # A misspelt key is reported once, as unknown with a suggestion.
            if name not in present and not _did_you_mean(name, present):
                yield (*path, name), "required field is missing"
    elif keyword == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        for name in instance:
            if name not in known:
                yield (*path, name), f"unknown field {name!r}{_did_you_mean(name, known)}"
    elif keyword == "type":
        yield path, _type_message(error.validator_value, instance)
    elif keyword == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value)
        hint = _did_you_mean(str(instance), [str(c) for c in error.validator_value])
        yield path, f"must be one of: {choices} (got {_show(instance)}){hint}"
    elif keyword == "format" and error.validator_value in CUSTOM_FORMATS:
        yield path, str(error.cause)
    elif keyword == "format" and error.cause is not None:
        yield path, f"{schema.get('errorMessage', error.message)} ({error.cause})"
    elif keyword in {"pattern", "format"}:
        yield path, schema.get("errorMessage", error.message)
    elif keyword in {"minItems", "minLength", "minProperties"} and error.validator_value == 1:
        yield path, "must not be empty"
    elif keyword == "maxLength":
        yield path, f"is too long ({len(instance)} characters, at most {error.validator_value})"
    elif keyword == "uniqueItems":
        yield path, "lists the same item twice"
    else:
        yield path, error.message


def _type_message(expected: str | list[str], instance: Any) -> str:
    wanted = " or ".join(
        _TYPE_WORDS.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
    )
    message = f"must be {wanted} (got {_show(instance)})"
    if isinstance(instance, bool) and "string" in expected:
        message += "; YAML reads yes/no/on/off as true/false, so put the text in quotes"
    elif instance is None:
        message = f"must be {wanted} (it is empty)"
    return message


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "nothing"}[value]
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- Semantic checks -----------------------------------------------------------------


def semantic_problems(loaded: LoadedCatalogue) -> list[Problem]:
    problems: list[Problem] = []

    def report(path: Path, message: str) -> None:
        problems.append(loaded.problem(path, message))

    for check in SEMANTIC_CHECKS:
        check(loaded, report)
    return problems


def _entries(data: Any, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section) if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield index, item


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _report_duplicates(
    loaded: LoadedCatalogue, report: Report, items: Iterable[tuple[Path, str | None]], what: str
) -> None:
    """Report every item whose key was already used by an earlier item."""
    first: dict[str, Path] = {}
    for path, key in items:
        if key is None:
            continue
        normalised = key.casefold().strip()
        if normalised in first:
            line = loaded.line_of(first[normalised])
            report(path, f"duplicate {what} {key!r} (already used on line {line})")
        else:
            first[normalised] = path


def check_unique_model_ids_and_names(loaded: LoadedCatalogue, report: Report) -> None:
    models = list(_entries(loaded.data, "models"))
    _report_duplicates(loaded, report, ((("models", i, "id"), _text(m, "id")) for i, m in models), "id")
    _report_duplicates(loaded, report, ((("models", i, "name"), _text(m, "name")) for i, m in models), "name")


def check_unique_declarations(loaded: LoadedCatalogue, report: Report) -> None:
    for section, what in (("categories", "category id"), ("licenses", "licence id"), ("tasks", "task id")):
        items = ((((section, i, "id")), _text(e, "id")) for i, e in _entries(loaded.data, section))
        _report_duplicates(loaded, report, items, what)
    for i, category in _entries(loaded.data, "categories"):
        subcategories = category.get("subcategories")
        if isinstance(subcategories, list):
            items = (
                (("categories", i, "subcategories", j, "id"), _text(s, "id"))
                for j, s in enumerate(subcategories)
                if isinstance(s, dict)
            )
            _report_duplicates(loaded, report, items, "subcategory id")


def _declared_subcategories(data: Any) -> dict[str, list[str]]:
    declared: dict[str, list[str]] = {}
    for _, category in _entries(data, "categories"):
        subcategories = category.get("subcategories")
        if _text(category, "id") and isinstance(subcategories, list):
            declared[category["id"]] = [
                s["id"] for s in subcategories if isinstance(s, dict) and isinstance(s.get("id"), str)
            ]
    return declared


def check_categories_are_declared(loaded: LoadedCatalogue, report: Report) -> None:
    declared = _declared_subcategories(loaded.data)
    for i, model in _entries(loaded.data, "models"):
        category, subcategory = _text(model, "category"), _text(model, "subcategory")
        if category is None:
            continue
        if category not in declared:
            choices = ", ".join(declared)
            report(
                ("models", i, "category"),
                f"unknown category {category!r}; declared categories: {choices}"
                + _did_you_mean(category, declared),
            )
        elif subcategory is not None and subcategory not in declared[category]:
            choices = ", ".join(declared[category])
            report(
                ("models", i, "subcategory"),
                f"unknown subcategory {subcategory!r} for category {category}; declared: {choices}"
                + _did_you_mean(subcategory, declared[category]),
            )


def check_tasks_are_declared(loaded: LoadedCatalogue, report: Report) -> None:
    declared = [_text(task, "id") for _, task in _entries(loaded.data, "tasks") if _text(task, "id")]
    for i, model in _entries(loaded.data, "models"):
        tasks = model.get("tasks")
        for j, task in enumerate(tasks if isinstance(tasks, list) else []):
            if isinstance(task, str) and task not in declared:
                choices = ", ".join(declared) if declared else "none (add a tasks: list first)"
                report(
                    ("models", i, "tasks", j),
                    f"unknown task {task!r}; declared tasks: {choices}" + _did_you_mean(task, declared),
                )


def _licence_commercial_use(data: Any) -> dict[str, str | None]:
    return {
        licence["id"]: _text(licence, "commercial_use")
        for _, licence in _entries(data, "licenses")
        if _text(licence, "id")
    }


def check_licenses_are_declared(loaded: LoadedCatalogue, report: Report) -> None:
    declared = _licence_commercial_use(loaded.data)
    for i, model in _entries(loaded.data, "models"):
        licence = model.get("license")
        licence_id = _text(licence, "id") if isinstance(licence, dict) else None
        if licence_id is not None and licence_id not in declared:
            report(
                ("models", i, "license", "id"),
                f"unknown licence {licence_id!r}; declare it under licenses first"
                + _did_you_mean(licence_id, declared),
            )


def check_restricted_use_is_explained(loaded: LoadedCatalogue, report: Report) -> None:
    declared = _licence_commercial_use(loaded.data)
    for i, model in _entries(loaded.data, "models"):
        licence = model.get("license")
        if not isinstance(licence, dict) or _text(licence, "note"):
            continue
        use = _text(licence, "commercial_use") or declared.get(_text(licence, "id") or "")
        if use in {"restricted", "not-allowed", "unclear"}:
            report(
                ("models", i, "license", "note"),
                f"required because commercial use is {use}: say what the condition is",
            )


def check_verified_date_is_not_in_the_future(loaded: LoadedCatalogue, report: Report) -> None:
    today = datetime.date.today()
    for i, model in _entries(loaded.data, "models"):
        try:
            verified = datetime.date.fromisoformat(_text(model, "verified") or "")
        except ValueError:
            continue  # the schema reports malformed dates
        if verified > today:
            report(("models", i, "verified"), "is in the future: use the day you checked the facts")


SEMANTIC_CHECKS: list[Callable[[LoadedCatalogue, Report], None]] = [
    check_unique_model_ids_and_names,
    check_unique_declarations,
    check_categories_are_declared,
    check_tasks_are_declared,
    check_licenses_are_declared,
    check_restricted_use_is_explained,
    check_verified_date_is_not_in_the_future,
]
