"""Stage 1: read the catalogue YAML safely and remember where everything is.

`yaml.safe_load` alone is not enough for a file that strangers edit:
it silently keeps the last of two duplicate keys, expands aliases without
limit ("billion laughs") and throws away line numbers. So libyaml composes
the node graph (fast, with a line mark on every node), and one pass over it
builds plain Python data while it checks:

- the file is read up to a size limit; control characters, duplicate keys,
  keys that are not text, unknown tags, deep nesting and aliases that would
  expand to too many nodes become problems, each one line;
- every key and list item gets its line number, so later stages can say
  `data/models.yaml:42: whisper-large-v3: links.repository: ...`;
- dates stay strings (no timestamp resolution), so data round-trips to JSON.
"""

from __future__ import annotations

import gc
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Path, Problem, excerpt, format_field

# A catalogue of 10,000 entries is about 10 MB; anything far bigger is a mistake
# (or /dev/zero) and is not read further than this.
MAX_FILE_BYTES = 64 * 1024 * 1024

# How many nodes aliases may add to the document by repeating what an anchor
# holds. The document's own size does not count: 10,000 written-out entries are
# fine, ten nested aliases of ten ("billion laughs") are not.
MAX_ALIAS_NODES = 200_000

# A catalogue entry is about six levels deep; libyaml itself stops at 1,000.
MAX_DEPTH = 50

# A number is written in a few characters (24, 0.5, 1.0e+3). Longer ones are a mistake, and Python
# refuses to read integers of more than 4,300 digits; each field's own range is in the schema.
MAX_NUMBER_CHARACTERS = 40

_YAML_TAG = "tag:yaml.org,2002:"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")}
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge")
}
_KEY_TYPE_WORDS = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "nothing (null)",
}

# C0 controls other than tab and line breaks, DEL, C1 controls (NEL included:
# editors do not show it), and surrogates, which are not characters at all.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_MAX_CONTROL_REPORTS = 10

# How an entry of each top-level list is named in messages.
_ENTRY_LABELS = {
    "models": "{id}",
    "categories": "category {id}",
    "licenses": "license {id}",
    "tasks": "task {id}",
}


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first_char: [(tag, regexp) for tag, regexp in pairs if tag != "tag:yaml.org,2002:timestamp"]
        for first_char, pairs in resolvers.items()
    }


# libyaml (C) when PyYAML was built with it, as the pinned wheels are; else the same in Python.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CatalogueLoader(_BaseLoader):  # type: ignore[valid-type,misc]  # a class chosen at import
    """Safe loader that keeps `2026-02-06` as a string instead of a date."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


@dataclass
class LoadedCatalogue:
    """The parsed file, where each part of it was, and what was wrong with it."""

    file: str
    data: Any = None
    text: str | None = None  # the file's text, once it was read and decoded
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Values that could not be read (a number too long, .nan): reported, and left empty in `data`.
    refused: set[Path] = field(default_factory=set)

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
    """Read and parse `path`; never raises for bad content, only reports problems (OSError: unreadable)."""
    loaded = LoadedCatalogue(file=display_name(path))

    def fail(message: str, line: int | None = None) -> LoadedCatalogue:
        loaded.problems.append(Problem(loaded.file, line, None, None, message))
        return loaded

    # A missing file is the catalogue's problem; one that cannot be read (a folder, no permission,
    # a link loop) is the environment's: OSError goes up, and the command says so in one line, exit 2.
    try:
        with open(path, "rb") as stream:
            content = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return fail("file not found")
    if len(content) > MAX_FILE_BYTES:
        return fail(
            f"is larger than {MAX_FILE_BYTES // 2**20} MB, the most a catalogue may be; not read further"
        )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        return fail(f"not valid UTF-8 (byte {error.start}): save the file as UTF-8", line)
    return parse_catalogue(text, loaded)


def parse_catalogue(text: str, loaded: LoadedCatalogue) -> LoadedCatalogue:
    # Composing and building make about a million objects for 10,000 entries, and
    # each of the collector's passes goes over all made so far: parsing took 4x longer
    # with it on. Nothing made here is cyclic (aliases are copied), so it can wait.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, loaded)
    finally:
        if collecting:
            gc.enable()


def _parse(text: str, loaded: LoadedCatalogue) -> LoadedCatalogue:
    loaded.text = text
    controls = _control_characters(text)
    if controls:
        loaded.problems.extend(Problem(loaded.file, line, None, None, msg) for line, msg in controls)
        return loaded
    loader = _CatalogueLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            loaded.problems.append(Problem(loaded.file, None, None, None, "file is empty"))
            return loaded
        builder = _Builder(loader, root, loaded.lines)
        try:
            data = builder.build(root, (), 0)
        except _Unreadable as unreadable:
            loaded.lines.clear()
            loaded.problems.append(Problem(loaded.file, unreadable.line, None, None, unreadable.message))
            return loaded
        if builder.tag_problems:
            loaded.lines.clear()
            loaded.problems.extend(
                Problem(loaded.file, line, None, None, m) for line, m in builder.tag_problems
            )
            return loaded
        loaded.data = data
        loaded.refused = builder.refused
        loaded.problems.extend(loaded.problem(path, msg, line) for path, line, msg in builder.problems)
    except yaml.MarkedYAMLError as error:
        loaded.problems.append(_syntax_problem(loaded.file, error))
    except yaml.YAMLError as error:  # errors without a position
        loaded.problems.append(Problem(loaded.file, None, None, None, f"YAML error: {error}"))
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at 1,000 levels
        loaded.problems.append(Problem(loaded.file, None, None, None, _too_deep_message()))
    finally:
        loader.dispose()
    return loaded


def _control_characters(text: str) -> list[tuple[int, str]]:
    """(line, message) for the first control characters written raw into the file."""
    found = []
    for match in _CONTROL_CHARACTER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, f"{_describe_control(match.group())} is not allowed in the file; remove it"))
        if len(found) == _MAX_CONTROL_REPORTS:
            break
    return found


def _describe_control(character: str) -> str:
    if "\ud800" <= character <= "\udfff":
        return f"lone surrogate U+{ord(character):04X}"
    return f"control character U+{ord(character):04X}"


def _too_deep_message() -> str:
    return f"nested more than {MAX_DEPTH} levels deep; an entry needs a few"


# libyaml problems reworded: what to do rather than what the parser met.
_LIBYAML_PROBLEMS = {
    "exceeded maximum nesting depth": _too_deep_message(),
    "found invalid Unicode character escape code": (
        "a \\u or \\U escape is not a character (a surrogate, or past U+10FFFF); write the character itself"
    ),
}


def _syntax_problem(file: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    if error.problem in _LIBYAML_PROBLEMS:
        return Problem(file, line, None, None, _LIBYAML_PROBLEMS[error.problem])
    message = f"YAML syntax error: {error.problem or error.context}"
    if error.context and error.problem and error.context_mark:
        message += f" ({error.context} on line {error.context_mark.line + 1})"
    return Problem(file, line, None, None, message)


class _Unreadable(Exception):
    """The document cannot be turned into data at all: one problem, no data."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message


class _Builder:
    """Plain data from a composed node graph, in one pass that records lines and finds problems.

    An alias is the anchor's node met again. Its expansion is counted when it
    is met outside another alias (the anchor's size already includes the
    aliases inside it), so the work done here never exceeds the document
    plus MAX_ALIAS_NODES. Aliases of a single value add one node each, no more
    than the document has aliases, and are not counted.
    """

    def __init__(self, loader: Any, root: Node, lines: dict[Path, int]) -> None:
        self.loader = loader
        self.root = root
        self.lines = lines
        self.problems: list[tuple[Path, int, str]] = []
        self.refused: set[Path] = set()
        self.tag_problems: list[tuple[int, str]] = []
        self.sizes: dict[int, int] = {}  # id(node) -> nodes it expands to, once built
        self.open: set[int] = set()  # nodes being built: meeting one again is a recursive alias
        self.built = 0
        self.alias_nodes = 0
        self.inside_alias = 0

    def build(self, node: Node, path: Path, depth: int) -> Any:
        if node.__class__ is ScalarNode:  # most nodes: no alias bookkeeping needed
            self.built += 1
            self.lines.setdefault(path, node.start_mark.line + 1)
            if node.tag == _STR:
                return self._text(node, path)
            return self._scalar(node, path)
        key = id(node)
        if key in self.open:
            raise _Unreadable(
                node.start_mark.line + 1, "an alias refers to the node that contains it (recursive alias)"
            )
        if depth >= MAX_DEPTH:
            raise _Unreadable(node.start_mark.line + 1, _too_deep_message())
        if key in self.sizes and not self.inside_alias:
            self._count_alias(self.sizes[key])
            self.inside_alias += 1
            try:
                return self._collection(node, path, depth)
            finally:
                self.inside_alias -= 1
        before = self.built
        self.open.add(key)
        value = self._collection(node, path, depth)
        self.open.discard(key)
        self.sizes[key] = self.built - before
        return value

    def _count_alias(self, size: int) -> None:
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _Unreadable(
                1,
                f"aliases expand to {_alias_expansion(self.root):,} nodes (limit {MAX_ALIAS_NODES:,}); "
                "write entries out instead of repeating anchors",
            )

    def _collection(self, node: Node, path: Path, depth: int) -> Any:
        self.built += 1
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _STANDARD_TAGS:
            return self._unknown_tag(node)
        if node.__class__ is SequenceNode:
            build, depth = self.build, depth + 1
            return [build(item, (*path, index), depth) for index, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)  # a scalar returned above, a sequence just now
        return self._mapping(node, path, depth)

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        """A number, true/false or null; a value that cannot be one is a problem, and left empty."""
        if node.tag not in _STANDARD_TAGS:
            return self._unknown_tag(node)
        if node.tag == _MERGE:  # `<<` written as a value, not as a key
            return node.value
        problem = self._number_problem(node) if node.tag in _NUMBER_TAGS else None
        if node.tag not in _SCALAR_TAGS:  # `!!map` or `!!seq` on a single value
            problem = f"{excerpt(node.value)!r} is a single value, not a list or mapping"
        value = None
        if problem is None:
            try:
                value = self.loader.yaml_constructors[node.tag](self.loader, node)
            except (ValueError, KeyError, IndexError, OverflowError):  # `!!int abc`, `!!bool maybe`
                problem = f"{excerpt(node.value)!r} cannot be read as {node.tag.replace(_YAML_TAG, '!!')}"
        if isinstance(value, float) and not math.isfinite(value):
            problem, value = "must be a finite number (not .nan, .inf or too large to hold)", None
        if problem:
            self.problems.append((path, node.start_mark.line + 1, problem))
            self.refused.add(path)
        return value

    @staticmethod
    def _number_problem(node: ScalarNode) -> str | None:
        if len(node.value) <= MAX_NUMBER_CHARACTERS:
            return None
        return (
            f"a number of {len(node.value):,} characters is not allowed "
            f"(at most {MAX_NUMBER_CHARACTERS}); put it in quotes if it is text"
        )

    def _unknown_tag(self, node: Node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.tag_problems.append((node.start_mark.line + 1, f"YAML tag {tag!r} is not allowed"))

    def _text(self, node: ScalarNode, path: Path) -> str:
        text = node.value
        if node.style != '"':  # only escapes in double quotes can make control characters
            return text
        control = _CONTROL_CHARACTER.search(text)
        if control:
            message = f"contains {_describe_control(control.group())} (written as an escape); remove it"
            self.problems.append((path, node.start_mark.line + 1, message))
            text = _CONTROL_CHARACTER.sub("", text)  # reported once here, not again by validation
        return text

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.built += len(node.value)  # the keys: _alias_expansion counts them too
        first_seen: dict[str, int] = {}
        merges: list[Node] = []
        lines, build, depth = self.lines, self.build, depth + 1
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag != _STR or key_node.__class__ is not ScalarNode:
                if key_node.tag == _MERGE:
                    merges.append(value_node)
                else:
                    self.problems.append((path, key_line, _key_message(key_node)))
                continue
            key = self._text(key_node, path)
            if key in first_seen:
                message = f"duplicate key {key!r} (first defined on line {first_seen[key]}); keep one"
                self.problems.append(((*path, key), key_line, message))
                continue
            first_seen[key] = key_line
            key_path = (*path, key)
            lines[key_path] = key_line
            result[key] = build(value_node, key_path, depth)
        for value_node in merges:
            self._merge(result, value_node, path, depth)
        return result

    def _merge(self, result: dict[str, Any], value_node: Node, path: Path, depth: int) -> None:
        """`<<: *base` or `<<: [*a, *b]`: keys written out win, then the earlier mappings' keys."""
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for source in sources:
            merged = self.build(source, path, depth) if isinstance(source, MappingNode) else None
            if not isinstance(merged, dict):
                line = value_node.start_mark.line + 1
                self.problems.append((path, line, "<< must be followed by an alias of a mapping"))
                continue
            for key, value in merged.items():
                result.setdefault(key, value)


def _key_message(key_node: Node) -> str:
    if isinstance(key_node, SequenceNode):
        return "keys must be text, not a list"
    if isinstance(key_node, MappingNode):
        return "keys must be text, not a mapping"
    what = _KEY_TYPE_WORDS.get(key_node.tag, "not text")
    shown = excerpt(key_node.value)
    return f"keys must be text: {shown!r} is read as {what}; put it in quotes if it is meant"


def _alias_expansion(root: Node) -> int:
    """How many nodes aliases of mappings and lists add, counted without expanding them."""
    sizes: dict[int, int] = {}
    written = 0  # nodes as written: each mapping and list once, each single value where it stands
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:  # post-order without recursion: children's sizes are known when a node closes
        node, children_done = stack.pop()
        if id(node) in sizes and not children_done:
            continue
        if isinstance(node, ScalarNode):
            sizes[id(node)] = 1
            continue
        children = (
            list(node.value) if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
        )
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
        elif id(node) not in sizes:
            written += 1 + sum(isinstance(child, ScalarNode) for child in children)
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
    return sizes[id(root)] - written


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
