"""Stage 1: read the catalogue YAML safely and remember where everything is.

`yaml.safe_load` alone is not enough for a file that strangers edit:
it silently keeps the last of two duplicate keys, expands aliases without
limit ("billion laughs") and throws away line numbers. So we compose the node
graph first, inspect it, and only then construct plain Python data:

- duplicate keys, unknown tags and oversized alias expansions become problems;
- every key and list item gets its line number, so later stages can say
  `data/models.yaml:42: whisper-large-v3: links.repository: ...`;
- dates stay strings (no timestamp resolution), so data round-trips to JSON.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from .problems import Path, Problem, format_field

# Far above what a real catalogue needs (a thousand entries is ~50,000 nodes),
# far below what an alias bomb expands to.
MAX_EXPANDED_NODES = 200_000

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge")
}

# How an entry of each top-level list is named in messages.
_ENTRY_LABELS = {
    "models": "{id}",
    "categories": "category {id}",
    "licenses": "license {id}",
    "tasks": "task {id}",
}


class _CatalogueLoader(yaml.SafeLoader):
    """SafeLoader that keeps `2026-02-06` as a string instead of a date."""


_CatalogueLoader.yaml_implicit_resolvers = {
    first_char: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first_char, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LoadedCatalogue:
    """The parsed file, where each part of it was, and what was wrong with it."""

    file: str
    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path) -> int | None:
        """Line of the closest part of `path` that exists in the file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def problem(self, path: Path, message: str, line: int | None = None) -> Problem:
        entry, field_name, found_line = self.locate(path)
        return Problem(self.file, line or found_line, entry, field_name, message)

    def locate(self, path: Path) -> tuple[str | None, str | None, int | None]:
        """("models", 3, "links", "paper") -> ("whisper-large-v3", "links.paper", 57)."""
        entry, field_path = self._split_entry(path)
        return entry, format_field(field_path), self.line_of(path)

    def _split_entry(self, path: Path) -> tuple[str | None, Path]:
        """("models", 3, "links") -> ("whisper-large-v3", ("links",))."""
        if len(path) < 2 or path[0] not in _ENTRY_LABELS or not isinstance(path[1], int):
            return None, path
        section, index = path[0], path[1]
        item = _get(self.data, (section, index))
        item_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(item_id, str) and item_id.strip():
            label = _ENTRY_LABELS[section].format(id=item_id)
        else:
            label = f"{section} #{index + 1}"
        return label, path[2:]


def display_name(path: str | os.PathLike[str]) -> str:
    """The file as a person in the project folder would type it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def load_catalogue(path: str | os.PathLike[str]) -> LoadedCatalogue:
    """Read and parse `path`; never raises for bad content, only reports problems."""
    loaded = LoadedCatalogue(file=display_name(path))
    try:
        text = FilePath(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        loaded.problems.append(Problem(loaded.file, None, None, None, "file not found"))
        return loaded
    except UnicodeDecodeError as error:
        message = f"not valid UTF-8 (byte {error.start}): save the file as UTF-8"
        loaded.problems.append(Problem(loaded.file, None, None, None, message))
        return loaded
    return parse_catalogue(text, loaded)


def parse_catalogue(text: str, loaded: LoadedCatalogue) -> LoadedCatalogue:
    loader = _CatalogueLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            loaded.problems.append(Problem(loaded.file, None, None, None, "file is empty"))
            return loaded
        structural = _structural_problems(root)
        if structural:
            loaded.problems.extend(Problem(loaded.file, line, None, None, msg) for line, msg in structural)
            return loaded
        key_problems = _record_lines(root, (), loaded.lines)
        loaded.data = loader.construct_document(root)
        loaded.problems.extend(loaded.problem(path, msg, line) for path, line, msg in key_problems)
    except yaml.MarkedYAMLError as error:
        loaded.problems.append(_syntax_problem(loaded.file, error))
    except yaml.YAMLError as error:  # errors without a position
        loaded.problems.append(Problem(loaded.file, None, None, None, f"YAML error: {error}"))
    finally:
        loader.dispose()
    return loaded


def _syntax_problem(file: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = f"YAML syntax error: {error.problem or error.context}"
    if error.context and error.problem and error.context_mark:
        message += f" ({error.context} on line {error.context_mark.line + 1})"
    return Problem(file, mark.line + 1 if mark else None, None, None, message)


def _structural_problems(root: yaml.Node) -> list[tuple[int, str]]:
    """Recursive aliases, alias bombs and non-standard tags, found before expansion."""
    problems: list[tuple[int, str]] = []
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def expanded_size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in active:
            raise _RecursiveAlias(node)
        active.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problems.append((node.start_mark.line + 1, f"YAML tag {tag!r} is not allowed"))
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(expanded_size(item) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(expanded_size(k) + expanded_size(v) for k, v in node.value)
        active.discard(id(node))
        sizes[id(node)] = size
        return size

    try:
        total = expanded_size(root)
    except _RecursiveAlias as recursion:
        line = recursion.node.start_mark.line + 1
        return [(line, "an alias refers to the node that contains it (recursive alias)")]
    except RecursionError:
        return [(1, "the document is nested too deeply")]
    if total > MAX_EXPANDED_NODES:
        problems.append(
            (
                1,
                f"aliases expand to {total:,} nodes (limit {MAX_EXPANDED_NODES:,}); "
                "write entries out instead of repeating anchors",
            )
        )
    return problems


class _RecursiveAlias(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _record_lines(node: yaml.Node, path: Path, lines: dict[Path, int]) -> list[tuple[Path, int, str]]:
    """Fill `lines` for every key and item below `node`; return key problems found on the way."""
    problems: list[tuple[Path, int, str]] = []
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _record_lines(item, (*path, index), lines)
    elif isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append((path, key_line, "keys must be plain text"))
                continue
            key = key_node.value
            if key == "<<":  # merge key: its keys may legitimately be overridden
                continue
            if key in first_seen:
                message = f"duplicate key {key!r} (first defined on line {first_seen[key]}); keep one"
                problems.append(((*path, key), key_line, message))
                continue
            first_seen[key] = key_line
            lines[(*path, key)] = key_line
            problems += _record_lines(value_node, (*path, key), lines)
    return problems


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
