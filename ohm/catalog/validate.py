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

import contextlib
import datetime
import difflib
import json
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

import jsonschema
import jsonschema_rs

from ohm.site.pages import PAGE_OF_SECTION, address, reserved_addresses

from . import evidence, vocabulary
from .catalogue import COMMERCIAL_USE_LABELS, commercial_use_of
from .load import LoadedCatalogue
from .problems import Path, Problem, excerpt
from .text import plain_line_problem, plain_text_problem, same_name_key, single_line_problem
from .urls import url_problem

SCHEMA_FILE = vocabulary.SCHEMA_FILE

Report = Callable[[Path, str], None]


def validate(loaded: LoadedCatalogue, allowed_hosts: Iterable[str] = ()) -> list[Problem]:
    """Every problem in the catalogue (load problems included), in file order.

    `allowed_hosts` are accepted in links although they are internal (see urls.py).
    """
    problems = set(loaded.problems)
    if loaded.data is not None:
        # A value the loader refused (a number too long, .nan) is left empty: reported once, not again here.
        refused = {loaded.locate(path)[:2] for path in loaded.refused}
        later = [*schema_problems(loaded, frozenset(allowed_hosts)), *semantic_problems(loaded)]
        problems.update(p for p in later if (p.entry, p.field) not in refused)
    return sorted(problems, key=lambda p: (p.line or 0, p.entry or "", p.field or "", p.message))


# --- Field formats shared by the schema and the checks -----------------------------
# The rules themselves live in text.py (text fields) and urls.py (links).


def custom_formats(allowed_hosts: frozenset[str] = frozenset()) -> dict[str, Callable[[str], str | None]]:
    """The schema's own formats: name -> the function that says what is wrong with a value."""
    formats = {
        "https-url": lambda url: url_problem(url, allowed_hosts),
        "plain-text": plain_text_problem,
        "plain-line": plain_line_problem,
        "single-line": single_line_problem,
    }
    return {name: _within_length(problem_of) for name, problem_of in formats.items()}


@cache
def longest_text() -> int:
    """The largest maxLength in the schema: no field may hold more characters than this."""
    found, stack = 0, [vocabulary.schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found = max(found, node.get("maxLength", 0))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _within_length(problem_of: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """`problem_of` for text no field may hold is not asked: maxLength reports that text,
    so no rule spends time on a megabyte that is refused anyway."""
    return lambda text: None if len(text) > longest_text() else problem_of(text)


CUSTOM_FORMATS = frozenset(custom_formats())


def _format_checker(allowed_hosts: frozenset[str]) -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=["date"])

    def check_with(problem_of: Callable[[str], str | None]) -> Callable[[object], bool]:
        def check(value: object) -> bool:
            message = problem_of(value) if isinstance(value, str) else None
            if message:
                raise ValueError(message)
            return True

        return check

    for name, problem_of in custom_formats(allowed_hosts).items():
        checker.checks(name, raises=ValueError)(check_with(problem_of))
    return checker


# --- Schema ------------------------------------------------------------------------


@cache
def _validator(allowed_hosts: frozenset[str] = frozenset()) -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=_format_checker(allowed_hosts))


@cache
def _quick_validator(allowed_hosts: frozenset[str] = frozenset()) -> jsonschema_rs.Validator:
    """The same schema and formats, compiled in Rust: says only whether data is valid, 10x faster."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    formats = {name: _is_acceptable(problem_of) for name, problem_of in custom_formats(allowed_hosts).items()}
    return jsonschema_rs.validator_for(schema, formats=formats, validate_formats=True)


def _is_acceptable(problem_of: Callable[[str], str | None]) -> Callable[[str], bool]:
    return lambda value: problem_of(value) is None


def schema_problems(loaded: LoadedCatalogue, allowed_hosts: frozenset[str] = frozenset()) -> list[Problem]:
    # A valid catalogue, the usual case, costs one quick check; only an invalid
    # one goes through jsonschema, whose errors carry what _reword needs.
    if _quick_validator(allowed_hosts).is_valid(loaded.data):
        return []
    errors = list(_validator(allowed_hosts).iter_errors(loaded.data))
    # Python's `$` matches before a final line break, so "bad-id\n" passes a pattern; the
    # single-line format says what is wrong instead, and the pattern's message would only repeat it.
    not_one_line = {
        tuple(error.absolute_path)
        for error in errors
        if error.validator == "format" and error.validator_value == "single-line"
    }
    problems = []
    for error in errors:
        if error.validator == "pattern" and tuple(error.absolute_path) in not_one_line:
            continue
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


def value_problem(node: dict[str, Any], value: Any) -> str | None:
    """What is wrong with `value` for a part of the schema (a field's sub-schema), worded as
    validation words it; None when nothing is. The interview of `ohm new` checks answers with it."""
    validator = _part_validator(json.dumps(node, sort_keys=True))
    error = next(validator.iter_errors(value), None)
    if error is None:
        return None
    return next((message for _, message in _reword(error)), error.message)


@cache
def _part_validator(node_json: str) -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    part = {**json.loads(node_json), "$defs": schema["$defs"]}
    return jsonschema.validators.validator_for(schema)(part, format_checker=_format_checker(frozenset()))


def _reword(error: jsonschema.ValidationError) -> Iterator[tuple[Path, str]]:
    """Turn one schema error into (path, message) pairs a person can act on."""
    path = tuple(error.absolute_path)
    # The parts of the error, as the JSON they were read from (the stubs also allow "unset").
    instance: Any = error.instance
    schema: Any = error.schema
    keyword: Any = error.validator
    expected: Any = error.validator_value
    if keyword == "required":
        present = list(instance) if isinstance(instance, dict) else []
        unknown = [name for name in present if name not in schema.get("properties", {})]
        for name in expected:
            # A misspelt key is reported once, as unknown with a suggestion; a field that is
            # simply absent is missing, however much it looks like another field that is there.
            if name not in present and not _did_you_mean(name, unknown):
                yield (*path, name), "required field is missing" + _what_to_add(path, name)
    elif keyword == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        for name in instance:
            if name in vocabulary.REPLACED_FIELDS and _is_model(path):
                yield (*path, name), vocabulary.REPLACED_FIELDS[name]
            elif name not in known:
                yield (*path, name), f"unknown field {name!r}{_did_you_mean(name, known)}"
    elif keyword == "oneOf" and all("const" in option for option in expected):
        choices = [option["const"] for option in expected]
        hint = _did_you_mean(str(instance), [str(c) for c in choices])
        yield path, f"must be one of: {', '.join(choices)} (got {_show(instance)}){hint}"
    elif keyword in {"anyOf", "oneOf"}:
        # A list or mapping went down the structured branch: its own errors say more.
        deeper = [e for e in error.context or () if len(e.absolute_path) > len(path)]
        out_of_range = [e for e in error.context or () if e.validator in _RANGE_WORDS]
        if deeper and isinstance(instance, list | dict):
            for sub_error in deeper:
                yield from _reword(sub_error)
        elif out_of_range:  # a number, but not one the field can hold
            yield from _reword(out_of_range[0])
        else:
            yield path, schema.get("errorMessage", error.message)
    elif keyword == "type":
        yield path, _type_message(expected, instance)
    elif keyword == "enum":
        listed = ", ".join(str(choice) for choice in expected)
        hint = _did_you_mean(str(instance), [str(c) for c in expected])
        yield path, f"must be one of: {listed} (got {_show(instance)}){hint}"
    elif keyword == "format" and expected in CUSTOM_FORMATS:
        yield path, str(error.cause)
    elif keyword == "format" and error.cause is not None:
        yield path, f"{schema.get('errorMessage', error.message)} ({error.cause})"
    elif keyword in {"pattern", "format"}:
        yield path, schema.get("errorMessage", error.message)
    elif keyword in {"minItems", "minLength", "minProperties"} and expected == 1:
        yield path, "must not be empty"
    elif keyword == "maxLength":
        yield path, f"is too long ({len(instance)} characters, at most {expected})"
    elif keyword in _RANGE_WORDS:
        yield path, f"must be {_RANGE_WORDS[keyword]} {expected} (got {_show(instance)})"
    elif keyword == "uniqueItems":
        yield path, "lists the same item twice"
    else:
        yield path, error.message


_RANGE_WORDS = {
    "minimum": "at least",
    "exclusiveMinimum": "more than",
    "maximum": "at most",
    "exclusiveMaximum": "less than",
}


def _is_model(path: Path) -> bool:
    return len(path) == 2 and path[0] == "models"


def _what_to_add(path: Path, name: str) -> str:
    """For a model's missing field: what schema 2 wants there, from the schema's own help text."""
    if len(path) == 3 and path[0] == "models" and path[2] == "licenses":
        label = vocabulary.artefacts().get(name, name).lower()
        return f": the licence of the {label}, as an id declared under licenses, or unknown"
    if not _is_model(path):
        return ""
    description = vocabulary.model_field(name).description
    with contextlib.suppress(KeyError):  # a field with a fixed set of values lists them
        description = f"{description.rstrip('.?')} ({', '.join(vocabulary.values(name))})"
    return f": {description[0].lower()}{description[1:]}" if description else ""


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
    return repr(excerpt(value)) if isinstance(value, str) else excerpt(repr(value))


def _did_you_mean(word: object, choices: Iterable[object]) -> str:
    # Keys that YAML reads as numbers, booleans or null are compared as the text they were.
    close = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)
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


def _list(entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key)
    return value if isinstance(value, list) else []


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _report_duplicates(
    loaded: LoadedCatalogue, report: Report, items: Iterable[tuple[Path, str | None]], what: str
) -> None:
    """Report every item whose key was already used by an earlier item, or by one that looks the same."""
    first: dict[str, tuple[Path, str]] = {}
    for path, key in items:
        if key is None:
            continue
        same = same_name_key(key)
        if same not in first:
            first[same] = (path, key)
            continue
        earlier_path, earlier = first[same]
        line = loaded.line_of(earlier_path)
        if key.casefold() == earlier.casefold():
            report(path, f"duplicate {what} {key!r} (already used on line {line})")
        else:
            report(path, f"duplicate {what} {key!r}: it looks the same as {earlier!r} on line {line}")


def check_unique_model_ids_and_names(loaded: LoadedCatalogue, report: Report) -> None:
    models = list(_entries(loaded.data, "models"))
    _report_duplicates(loaded, report, ((("models", i, "id"), _text(m, "id")) for i, m in models), "id")
    _report_duplicates(loaded, report, ((("models", i, "name"), _text(m, "name")) for i, m in models), "name")


def check_unique_declarations(loaded: LoadedCatalogue, report: Report) -> None:
    for section, what in (("categories", "category id"), ("licenses", "licence id"), ("tasks", "task id")):
        items: Iterator[tuple[Path, str | None]] = (
            ((section, i, "id"), _text(e, "id")) for i, e in _entries(loaded.data, section)
        )
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
    declared = [task_id for _, task in _entries(loaded.data, "tasks") if (task_id := _text(task, "id"))]
    for i, model in _entries(loaded.data, "models"):
        tasks = model.get("tasks")
        for j, task in enumerate(tasks if isinstance(tasks, list) else []):
            if isinstance(task, str) and task not in declared:
                choices = ", ".join(declared) if declared else "none (add a tasks: list first)"
                report(
                    ("models", i, "tasks", j),
                    f"unknown task {task!r}; declared tasks: {choices}" + _did_you_mean(task, declared),
                )


def check_every_task_has_a_model(loaded: LoadedCatalogue, report: Report) -> None:
    """A task page without a model would be empty: declare a task only when an entry needs it."""
    used = {
        task
        for _, model in _entries(loaded.data, "models")
        for task in _list(model, "tasks")
        if isinstance(task, str)
    }
    for i, task in _entries(loaded.data, "tasks"):
        task_id = _text(task, "id")
        if task_id and task_id not in used:
            report(
                ("tasks", i, "id"), f"no model lists the task {task_id!r}; remove it or tag a model with it"
            )


def _licence_commercial_use(data: Any) -> dict[str, str | None]:
    """Each declared licence's verdict; None where it is not one of the verdicts (the schema says so)."""
    return {
        licence["id"]: use if (use := _text(licence, "commercial_use")) in COMMERCIAL_USE_LABELS else None
        for _, licence in _entries(data, "licenses")
        if _text(licence, "id")
    }


# Licence ids an artefact may name besides the declared ones.
UNDECLARED_LICENCE_IDS = {vocabulary.UNKNOWN, "mixed"}


def _licence_references(model: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    """(path below the model, licence id) of every licence the entry names."""
    licences = model.get("licenses")
    for artefact, given in licences.items() if isinstance(licences, dict) else ():
        if isinstance(given, dict) and isinstance(given.get("id"), str):
            yield ("licenses", artefact, "id"), given["id"]
    variants = model.get("variants")
    for j, variant in enumerate(variants if isinstance(variants, list) else ()):
        if isinstance(variant, dict) and isinstance(variant.get("license"), str):
            yield ("variants", j, "license"), variant["license"]


def check_licenses_are_declared(loaded: LoadedCatalogue, report: Report) -> None:
    declared = _licence_commercial_use(loaded.data)
    for i, model in _entries(loaded.data, "models"):
        for path, licence_id in _licence_references(model):
            of_artefact = path[0] == "licenses"
            allowed = UNDECLARED_LICENCE_IDS if of_artefact else {vocabulary.UNKNOWN}
            if licence_id == "mixed" and not of_artefact:
                report(
                    ("models", i, *path),
                    "mixed is for an artefact under licenses; a variant names its own licence, or unknown",
                )
            elif licence_id not in declared and licence_id not in allowed:
                report(
                    ("models", i, *path),
                    f"unknown licence {licence_id!r}; declare it under licenses first"
                    + _did_you_mean(licence_id, declared),
                )
            elif licence_id == "mixed" and not _text(model["licenses"][path[1]], "note"):
                report(("models", i, *path[:2], "note"), "required with mixed: say which terms apply")


def check_restricted_use_is_explained(loaded: LoadedCatalogue, report: Report) -> None:
    declared = {k: v for k, v in _licence_commercial_use(loaded.data).items() if v}
    for i, model in _entries(loaded.data, "models"):
        named = {licence_id for _, licence_id in _licence_references(model)}
        if _text(model, "commercial_use_note") or named - set(declared) - UNDECLARED_LICENCE_IDS:
            continue  # an undeclared licence is reported on its own
        if not isinstance(model.get("variants", []), list):
            continue  # the schema reports it
        use = commercial_use_of(model, declared)
        if "commercial_use" in model:
            report(("models", i, "commercial_use_note"), "required with commercial_use: say why it overrides")
        elif use in COMMERCIAL_USE_LABELS and use != "allowed":
            report(
                ("models", i, "commercial_use_note"),
                f"required because commercial use is {use}: say what the condition is",
            )


# The lineage fields: each names another entry (by id), an address, or one of the words its schema allows.
LINEAGE_FIELDS = {"base_model": "is based on", "superseded_by": "is superseded by"}


@cache
def _words_allowed(field: str) -> frozenset[str]:
    """The fixed words a model field takes besides ids and addresses (base_model: none, unknown)."""
    definitions = vocabulary.schema()["$defs"]
    options = definitions["model"]["properties"][field].get("anyOf", ())
    resolved = (definitions[o["$ref"].rsplit("/", 1)[1]] if "$ref" in o else o for o in options)
    return frozenset(option["const"] for option in resolved if "const" in option)


def check_lineage_names_entries(loaded: LoadedCatalogue, report: Report) -> None:
    ids = {_text(model, "id") for _, model in _entries(loaded.data, "models")}
    for i, model in _entries(loaded.data, "models"):
        for field in LINEAGE_FIELDS:
            value = _text(model, field)
            if value in _words_allowed(field) or (value or "").startswith("https://"):
                continue
            if value and value not in ids:
                report(("models", i, field), f"no entry has the id {value!r}; give an entry id or a URL")
            if value and value == _text(model, "id"):
                report(("models", i, field), "names the entry itself")


def check_lineage_has_no_cycles(loaded: LoadedCatalogue, report: Report) -> None:
    """A based on B based on A: each entry of the circle is told, with the whole circle."""
    index: dict[str, int] = {}
    for i, model in _entries(loaded.data, "models"):
        if model_id := _text(model, "id"):
            index.setdefault(model_id, i)
    for field, verb in LINEAGE_FIELDS.items():
        names = {
            model_id: target
            for model_id, i in index.items()
            if (target := _text(loaded.data["models"][i], field)) in index and target != model_id
        }
        for circle in _circles(names):
            for position, model_id in enumerate(circle):
                turn = [*circle[position:], *circle[:position], model_id]
                report(
                    ("models", index[model_id], field),
                    f"{verb} itself: {' -> '.join(turn)}; break the circle",
                )


def _circles(successor: dict[str, str]) -> list[list[str]]:
    """Every circle in a graph where each node names at most one other, in linear time."""
    done: set[str] = set()
    circles = []
    for start in successor:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = successor.get(node)
        if node is not None and node in on_path:
            circles.append(path[on_path[node] :])
        done.update(path)
    return circles


def check_evaluation_sources_are_listed(loaded: LoadedCatalogue, report: Report) -> None:
    """Every result's source is one of the entry's sources, so a reader can check where it came from."""
    for i, model in _entries(loaded.data, "models"):
        sources = _list(model, "sources")
        evaluations = model.get("evaluations")
        for j, evaluation in enumerate(evaluations if isinstance(evaluations, list) else ()):
            source = _text(evaluation, "source") if isinstance(evaluation, dict) else None
            if source and source not in sources:
                report(("models", i, "evaluations", j, "source"), "is not listed under sources: add it there")


# --- Evidence (catalogue schema 3) --------------------------------------------------------


def _with_evidence(data: Any) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """The entries that carry evidence, with it (the schema reports evidence of the wrong shape)."""
    for i, model in _entries(data, "models"):
        given = model.get("evidence")
        if isinstance(given, dict):
            yield i, model, given


def _stated_path(model: dict[str, Any], key: str) -> bool:
    """Does `key` name a fact the entry states and whose evidence goes under `evidence:`?"""
    if key.startswith(evidence.VARIANT_PREFIX):
        return evidence.value_at(model, key) is not None
    if key == "evaluations" and isinstance(model.get("evaluations"), list):
        return False  # each evaluation carries its own source and quote
    return key in evidence.FACT_PATHS and evidence.value_at(model, key) is not None


def check_evidence_covers_every_fact(loaded: LoadedCatalogue, report: Report) -> None:
    """An entry with evidence backs every governance fact it states, and names no fact it does not."""
    for i, model, given in _with_evidence(loaded.data):
        for path in evidence.required_paths(model):
            if path not in given:
                report(
                    ("models", i, "evidence"),
                    f"no evidence for {path}: cite a pinned source, or list under checked what was read",
                )
        stated = [path for path in evidence.FACT_PATHS if evidence.value_at(model, path) is not None]
        for key in given:
            if key == "evaluations" and isinstance(model.get("evaluations"), list):
                report(
                    ("models", i, "evidence", key),
                    "each evaluation carries its own source and quote; remove this key",
                )
            elif not _stated_path(model, key):
                report(
                    ("models", i, "evidence", key),
                    f"names no field or variant the entry states{_did_you_mean(key, stated)}",
                )


def check_evidence_fits_the_value(loaded: LoadedCatalogue, report: Report) -> None:
    """Citations back a stated value; a value the sources are silent on lists what was read."""
    for i, model, given in _with_evidence(loaded.data):
        for key, backing in given.items():
            if not _stated_path(model, key):
                continue
            value = evidence.value_at(model, key)
            if isinstance(backing, list) and not evidence.takes_citations(value):
                report(
                    ("models", i, "evidence", key),
                    f"the entry says {value}: list what was read under checked, not citations",
                )
            elif isinstance(backing, dict) and not evidence.takes_checked(value):
                report(
                    ("models", i, "evidence", key),
                    "the entry states a value: cite the words that support it ({source, quote}), not checked",
                )


def _evidence_urls(given: dict[str, Any], key: str) -> Iterator[tuple[Path, str]]:
    """(path below evidence, URL) of every source cited or checked for `key`."""
    backing = given.get(key)
    if isinstance(backing, list):
        for k, citation in enumerate(backing):
            if isinstance(citation, dict) and isinstance(citation.get("source"), str):
                yield (key, k, "source"), citation["source"]
    elif isinstance(backing, dict) and isinstance(backing.get("checked"), list):
        for k, url in enumerate(backing["checked"]):
            if isinstance(url, str):
                yield (key, "checked", k), url


def check_evidence_sources_are_listed_and_pinned(loaded: LoadedCatalogue, report: Report) -> None:
    """Every source cited or read is one of the entry's sources, at a fixed revision."""
    for i, model, given in _with_evidence(loaded.data):
        sources = _list(model, "sources")
        urls = [(("evidence", *path), url) for key in given for path, url in _evidence_urls(given, key)]
        evaluations = model.get("evaluations")
        for j, item in enumerate(evaluations if isinstance(evaluations, list) else ()):
            if isinstance(item, dict) and isinstance(item.get("source"), str):
                urls.append((("evaluations", j, "source"), item["source"]))
        for path, url in urls:
            if url not in sources and path[0] == "evidence":
                report(("models", i, *path), "is not listed under sources: add it there")
            if problem := evidence.pinning_problem(url):
                report(("models", i, *path), problem)


def check_hub_tree_pages_back_only_their_file_list(loaded: LoadedCatalogue, report: Report) -> None:
    """A cited Hugging Face tree page backs the formats it lists, never a licence or any other fact."""
    for i, model, given in _with_evidence(loaded.data):
        for key, backing in given.items():
            for k, citation in enumerate(backing if isinstance(backing, list) else ()):
                source = citation.get("source") if isinstance(citation, dict) else None
                if isinstance(source, str) and (problem := evidence.hub_tree_problem(key, source)):
                    report(("models", i, "evidence", key, k, "source"), problem)
        evaluations = model.get("evaluations")
        for j, item in enumerate(evaluations if isinstance(evaluations, list) else ()):
            source = item.get("source") if isinstance(item, dict) else None
            if isinstance(source, str) and (problem := evidence.hub_tree_problem("evaluations", source)):
                report(("models", i, "evaluations", j, "source"), problem)


def check_evaluations_quote_their_source(loaded: LoadedCatalogue, report: Report) -> None:
    """In an entry with evidence, each result carries the words of its source."""
    for i, model, _ in _with_evidence(loaded.data):
        evaluations = model.get("evaluations")
        for j, item in enumerate(evaluations if isinstance(evaluations, list) else ()):
            if isinstance(item, dict) and "quote" not in item:
                report(
                    ("models", i, "evaluations", j, "quote"),
                    "required with evidence: the words of the source that give the result",
                )


def check_no_licence_stated_shows_the_tree(loaded: LoadedCatalogue, report: Report) -> None:
    """ "No licence stated" is shown by the repository tree at a commit, where the file would be."""
    for i, model, given in _with_evidence(loaded.data):
        for key in given:
            if not _stated_path(model, key) or evidence.value_at(model, key) != evidence.NONE_STATED_LICENCE:
                continue
            if not any(evidence.is_repository_tree(url) for _, url in _evidence_urls(given, key)):
                report(
                    ("models", i, "evidence", key),
                    f"{evidence.NONE_STATED_LICENCE} needs the repository tree at a commit among its "
                    "sources (https://github.com/OWNER/REPO/tree/SHA)",
                )


def check_evidence_has_a_second_reader(loaded: LoadedCatalogue, report: Report) -> None:
    for i, model, _ in _with_evidence(loaded.data):
        if "second_reader" not in model:
            report(
                ("models", i, "second_reader"),
                "required with evidence: the day a second reader, not the author, checked every claim",
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


def check_pages_do_not_collide(loaded: LoadedCatalogue, report: Report) -> None:
    """An id must not give its page the address of another page (category `index`: the home page;
    category `about`: the hand-written About page)."""
    reserved = reserved_addresses()
    for section, page_of in PAGE_OF_SECTION.items():
        for i, item in _entries(loaded.data, section):
            entry_id = _text(item, "id")
            page = address(page_of(entry_id)) if entry_id else None
            if page in reserved:
                report(
                    (section, i, "id"),
                    f"{entry_id!r} is taken: its page would replace {reserved[page]} at /{page}; "
                    "choose another id",
                )


SEMANTIC_CHECKS: list[Callable[[LoadedCatalogue, Report], None]] = [
    check_unique_model_ids_and_names,
    check_pages_do_not_collide,
    check_unique_declarations,
    check_categories_are_declared,
    check_tasks_are_declared,
    check_every_task_has_a_model,
    check_licenses_are_declared,
    check_restricted_use_is_explained,
    check_lineage_names_entries,
    check_lineage_has_no_cycles,
    check_evaluation_sources_are_listed,
    check_verified_date_is_not_in_the_future,
    check_evidence_covers_every_fact,
    check_evidence_fits_the_value,
    check_evidence_sources_are_listed_and_pinned,
    check_hub_tree_pages_back_only_their_file_list,
    check_evaluations_quote_their_source,
    check_no_licence_stated_shows_the_tree,
    check_evidence_has_a_second_reader,
]
