"""`ohm migrate`: rewrite a catalogue of schema 2 as schema 3, changing as few bytes as it can.

Schema 3 derives the evidence level from the kind of each evaluation and pins revisions in the
source URLs. So each entry loses its `evidence_level` and `verified_revision` lines, and each
evaluation gains a `kind:` line: the old level where the entry has exactly one evaluation and a
level stronger than a benchmark, else `benchmark`. Where the old level cannot be derived that way
(a retrospective study with several results, say), the entry is named so a person can set the
kinds. No `evidence:` is added: the entries stay pending until they are re-read.

Every other byte stays as it was; the result is read back and compared before the file is
replaced, atomically. Running it on a schema-3 catalogue changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ohm.files import describe_error, replace_file

from . import evidence
from .load import LoadedCatalogue, display_name, parse_catalogue

DROPPED_FIELDS = ("evidence_level", "verified_revision")


class MigrationError(Exception):
    """The catalogue cannot be migrated as text: one line that says why."""


@dataclass
class Migration:
    text: str
    # One line for each entry whose old evidence level its evaluations do not give.
    underived: list[str] = field(default_factory=list)


def kinds_for(level: Any, evaluations: list[Any]) -> list[str]:
    """The kind of each evaluation of an entry whose schema-2 evidence level was `level`."""
    strong = level in evidence.EVALUATION_KINDS[1:]
    return [level if strong and len(evaluations) == 1 else evidence.EVALUATION_KINDS[0]] * len(evaluations)


def migrate_text(text: str, name: str = "catalogue") -> Migration:
    loaded = parse_catalogue(text, LoadedCatalogue(file=name))
    if loaded.data is None or loaded.problems:
        first = loaded.problems[0] if loaded.problems else None
        raise MigrationError(str(first) if first else f"{name}: cannot be read")
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    insert: dict[int, list[str]] = {}  # 0-based line -> lines to put before it
    replace: dict[int, str] = {}  # 0-based line -> the line with kind written into it
    underived: list[str] = []
    models = loaded.data.get("models") if isinstance(loaded.data, dict) else None
    for i, entry in enumerate(models if isinstance(models, list) else []):
        if not isinstance(entry, dict):
            continue
        for name_of_field in DROPPED_FIELDS:
            if name_of_field in entry:
                drop.add(_single_line(loaded, lines, ("models", i, name_of_field)) - 1)
        evaluations = entry.get("evaluations")
        items = [e for e in evaluations if isinstance(e, dict)] if isinstance(evaluations, list) else []
        level = entry.get("evidence_level", evidence.NO_EVIDENCE)
        kinds = kinds_for(level, items)
        for j, (item, kind) in enumerate(zip(items, kinds, strict=True)):
            if "kind" not in item:
                item_path = ("models", i, "evaluations", j)
                at, new_line, in_place = _kind_line(loaded, lines, item_path, item, kind)
                if in_place:
                    replace[at] = new_line
                else:
                    insert.setdefault(at, []).append(new_line)
        given = [item.get("kind", kind) for item, kind in zip(items, kinds, strict=True)]
        derived = evidence.evidence_level([{"kind": k} for k in given])
        if "evidence_level" in entry and derived != level:
            at_line = loaded.line_of(("models", i, "evidence_level"))
            underived.append(
                f"{name}:{at_line}: {entry.get('id')}: evidence_level: was {level}, its evaluations give "
                f"{derived}; set the kind of each evaluation"
            )
    out: list[str] = []
    for number, line in enumerate(lines):
        out.extend(insert.get(number, ()))
        if number not in drop:
            out.append(replace.get(number, line))
    out.extend(insert.get(len(lines), ()))
    migrated = "".join(out)
    _check(loaded.data, migrated, name)
    return Migration(migrated, underived)


def _single_line(loaded: LoadedCatalogue, lines: list[str], path: tuple[Any, ...]) -> int:
    """The line of a key whose value is written on the same line, `key: value`; else refused."""
    line = loaded.lines[path]
    text = lines[line - 1]
    column = text.find(f"{path[-1]}:")
    after = lines[line] if line < len(lines) else ""
    continued = after.strip() and len(after) - len(after.lstrip(" ")) > column
    if column < 0 or not text[column + len(path[-1]) + 1 :].split("#")[0].strip() or continued:
        raise MigrationError(f"{loaded.file}:{line}: {path[-1]} is not on one line; migrate it by hand")
    return line


def _kind_line(
    loaded: LoadedCatalogue, lines: list[str], item_path: tuple[Any, ...], item: dict[str, Any], kind: str
) -> tuple[int, str, bool]:
    """Where `kind:` goes: (0-based line, the new line, whether it replaces that line or goes before it).

    In block style a line of its own, before the key after `value`; in a one-line flow mapping, inside it.
    """
    keys = list(item)
    if "value" not in keys or keys[0] == "value":
        raise MigrationError(f"{loaded.file}:{loaded.line_of(item_path)}: cannot place kind; add it by hand")
    # Before the key that follows `value`; after `value`'s own line when it is the last key.
    key = keys[keys.index("value") + 1] if keys[-1] != "value" else "value"
    number = loaded.lines[(*item_path, key)]
    text = lines[number - 1]
    if key != "value" and number == loaded.lines[(*item_path, "value")]:
        # A flow mapping on one line, `{benchmark: B, value: "1", source: S}`: kind goes in it.
        at = text.find(f", {key}:", text.find("value:"))
        if at < 0:
            raise MigrationError(f"{loaded.file}:{number}: cannot place kind; add it by hand")
        return number - 1, f"{text[:at]}, kind: {kind}{text[at:]}", True
    column = text.find(f"{key}:")
    if key == "value":
        _single_line(loaded, lines, (*item_path, key))
        number += 1
    if column < 0 or text[:column].strip():
        raise MigrationError(f"{loaded.file}:{number}: cannot place kind; add it by hand")
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    return number - 1, " " * column + f"kind: {kind}{newline}", False


def _check(old: Any, text: str, name: str) -> None:
    """The migrated text reads back as the old data with exactly the migration's changes."""
    loaded = parse_catalogue(text, LoadedCatalogue(file=name))
    expected = _expected(old)
    if loaded.data is None or loaded.problems or _without_kinds(loaded.data) != expected:
        raise MigrationError(f"{name}: the rewritten text does not read back as expected; nothing changed")


def _expected(data: Any) -> Any:
    models = [
        {k: v for k, v in entry.items() if k not in DROPPED_FIELDS} if isinstance(entry, dict) else entry
        for entry in data.get("models") or []
    ]
    return _without_kinds({**data, "models": models})


def _without_kinds(data: Any) -> Any:
    models = []
    for entry in data.get("models") or []:
        if isinstance(entry, dict) and isinstance(entry.get("evaluations"), list):
            items = [{k: v for k, v in e.items() if k != "kind"} for e in entry["evaluations"]]
            entry = {**entry, "evaluations": items}
        models.append(entry)
    return {**data, "models": models}


def add_migrate(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    migrate = commands.add_parser(
        "migrate",
        parents=common,
        help="rewrite a catalogue of schema 2 as schema 3, every other byte unchanged",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    migrate.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if the file would change"
    )
    migrate.set_defaults(run=migrate_command)


def migrate_command(args: argparse.Namespace) -> int:
    path: Path = args.catalogue
    name = display_name(path)
    try:
        text = path.read_bytes().decode("utf-8")
        migration = migrate_text(text, name)
    except (OSError, UnicodeError) as error:
        print(f"migrate: {describe_error(error)}", file=sys.stderr)
        return 2
    except MigrationError as error:
        print(f"migrate: {error}", file=sys.stderr)
        return 2
    for line in migration.underived:
        print(line)
    changed = migration.text != text
    if args.check:
        print(f"{name}: {'would be migrated' if changed else 'is schema 3'}", file=sys.stderr)
        return 1 if changed else 0
    if changed:
        try:
            replace_file(path, migration.text.encode("utf-8"))
        except OSError as error:
            print(f"migrate: {describe_error(error)}", file=sys.stderr)
            return 2
        print(f"{name}: migrated to schema 3", file=sys.stderr)
    else:
        print(f"{name}: already schema 3; nothing changed", file=sys.stderr)
    return 0
