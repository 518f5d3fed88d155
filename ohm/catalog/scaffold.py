"""Add a new entry to the catalogue file as text, leaving every other byte as it was.

The file is hand-written: comments, blank lines, key order and folded text all
carry meaning for the people who edit it. Loading it and dumping it again would
lose all of that, so instead the entry is written out as YAML text and inserted
between two lines:

- after the last entry of the same category and subcategory;
- if there is none, after the last entry of the same category;
- if there is none either, after the last entry of the list.

Before anything is written, the whole new text goes through the same load and
validate stages as the site build, and must read back as exactly the old
entries plus the new one. Only then is the file replaced, atomically.

Reading, checking and replacing happen under a lock on the catalogue, so two
`ohm new` at once take turns: the second adds its entry to the file the first
wrote, and no entry is lost.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock, Timeout

from ohm.files import replace_file

from . import fields, vocabulary
from .door import OpenedCatalogue, open_text
from .load import LoadedCatalogue, _CatalogueLoader, display_name
from .problems import Problem

# Short lists of simple words read best on one line: `modalities: [text, image]`.
FLOW_LISTS = fields.flow_lists()

LOCK_WAIT_SECONDS = 60  # how long to wait for another `ohm new` to finish
WRAP_WIDTH = 100  # folded text is wrapped to this many characters per line, like the file's own
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML counts as a new line
_SIMPLE_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._+-]*")


class ScaffoldError(Exception):
    """The entry was not added; `problems` says why, one line each."""

    def __init__(self, summary: str, problems: list[Problem] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = problems or []


@dataclass(frozen=True)
class Insertion:
    """Where the new entry went and what it follows."""

    text: str  # the whole new file
    block: str  # the inserted text
    line: int  # line of the new entry's `- id:` in the new file
    after: str | None  # id of the entry it follows
    rule: str  # which placement rule applied, in words


def clean_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry as it will be written: fields in schema order, empty ones left out."""
    order = [field.name for field in vocabulary.model_fields()]
    return {key: entry[key] for key in order if _has_value(entry.get(key))}


def _has_value(value: Any) -> bool:
    return value not in (None, "", [], {})


# --- Writing values as YAML text -------------------------------------------------------


def _reads_back_as(text: str, value: str) -> bool:
    try:
        return yaml.load(f"key: {text}\n", Loader=_CatalogueLoader) == {"key": value}
    except yaml.YAMLError:
        return False


def _quoted(value: str) -> str:
    """A double-quoted YAML scalar: JSON's string syntax is valid YAML."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F or char in "\x85\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def scalar(value: str, in_flow: bool = False) -> str:
    """`value` as a YAML scalar on one line: plain where that reads back the same, else quoted."""
    if in_flow and not _SIMPLE_WORDS.fullmatch(value):
        return _quoted(value)
    plain_is_safe = value == value.strip() and "\n" not in value and not value.startswith(("@", "`"))
    if plain_is_safe and _reads_back_as(value, value):
        return value
    return _quoted(value)


def text_lines(key_prefix: str, value: str, column: int) -> list[str]:
    """`key: value`, or `key: >-` and the value folded over lines when it is long.

    `column` is where `key` will stand in the file (entries' dashes at column 2).
    """
    one_line = f"{key_prefix} {scalar(value)}"
    if column + len(one_line) <= WRAP_WIDTH or not _folds_cleanly(value):
        return [one_line]
    width = max(WRAP_WIDTH - column - 2, 40)
    wrapped = textwrap.wrap(value, width=width, break_long_words=False, break_on_hyphens=False)
    return [f"{key_prefix} >-", *(f"  {line}" for line in wrapped)]


def _folds_cleanly(value: str) -> bool:
    """Folding joins lines with one space: only text with single spaces survives it unchanged."""
    return " ".join(value.split()) == value and value.isprintable()


def entry_lines(entry: dict[str, Any]) -> list[str]:
    """The entry's lines, indented relative to its `- ` (the dash at column 0)."""
    lines = mapping_lines(clean_entry(entry), column=4)
    return ["- " + lines[0], *(f"  {line}" if line else line for line in lines[1:])]


def mapping_lines(mapping: dict[str, Any], column: int) -> list[str]:
    """A mapping's lines as block YAML, the keys at indentation 0; `column` is where they stand."""
    lines: list[str] = []
    for key, value in mapping.items():
        if not _has_value(value):
            continue
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {line}" for line in mapping_lines(value, column + 2)]
        elif isinstance(value, list) and key in FLOW_LISTS:
            lines.append(f"{key}: [{', '.join(scalar(str(item), in_flow=True) for item in value)}]")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    inner = mapping_lines(item, column + 4)
                    lines += [f"  - {inner[0]}", *(f"    {line}" for line in inner[1:])]
                else:
                    lines += [f"  {line}" for line in text_lines("-", item, column + 2)]
        elif isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            lines.append(f"{key}: {value}")
        else:
            lines += text_lines(f"{key}:", value, column)
    return lines


# --- Finding the place ---------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line's first character
    end: int  # offset just after its line break (or the end of the text)
    content: str  # without the line break

    @property
    def indent(self) -> int:
        return len(self.content) - len(self.content.lstrip(" "))

    @property
    def is_blank(self) -> bool:
        return not self.content.strip()


def _split_lines(text: str) -> list[_Line]:
    lines, start = [], 0
    for match in _LINE_BREAKS.finditer(text):
        lines.append(_Line(start, match.end(), text[start : match.start()]))
        start = match.end()
    if start < len(text):
        lines.append(_Line(start, len(text), text[start:]))
    return lines


def _models_node(text: str) -> yaml.SequenceNode:
    root = yaml.compose(text, Loader=_CatalogueLoader)
    for key, value in root.value if root is not None else ():
        if key.value == "models" and isinstance(value, yaml.SequenceNode):
            return value
    raise ScaffoldError("the catalogue has no `models:` list to add to")


def _anchor_index(models: list[dict[str, Any]], category: str, subcategory: str) -> tuple[int, str]:
    """Index of the entry to insert after, and the rule that chose it."""
    rules = [
        (lambda m: m.get("category") == category and m.get("subcategory") == subcategory,
         f"after the last entry in {category}/{subcategory}"),
        (lambda m: m.get("category") == category, f"after the last entry in category {category}"),
        (lambda m: True, "at the end of the list (no entry of that category yet)"),
    ]  # fmt: skip
    for matches, rule in rules:
        found = [index for index, model in enumerate(models) if matches(model)]
        if found:
            return found[-1], rule
    raise AssertionError("unreachable: the last rule matches any entry")


def _entry_span(lines: list[_Line], first: int, dash_column: int) -> int:
    """Index of the last line of the entry starting at line `first`.

    An entry is its first line and every following line indented deeper than its dash;
    blank lines inside count, blank lines at the end do not. A comment at the dash's
    column or further left belongs to what follows (the next entry or section).
    """
    last = first
    for index in range(first + 1, len(lines)):
        if lines[index].is_blank:
            continue
        if lines[index].indent <= dash_column:
            break
        last = index
    return last


def _dash_line(lines: list[_Line], mapping_line: int) -> int:
    """The line holding the entry's `-`: the mapping's own line, or one above it."""
    for index in range(mapping_line, -1, -1):
        if lines[index].content.lstrip().startswith("-"):
            return index
    raise ScaffoldError("could not find where the entries of `models:` start")


def insert_entry(text: str, models: list[dict[str, Any]], entry: dict[str, Any]) -> Insertion:
    """The new file text with `entry` inserted by the placement rules (nothing is validated here)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = _split_lines(text)
    node = _models_node(text)
    body = entry_lines(entry)
    if not node.value:
        return _insert_into_empty_list(text, node, body, newline)
    index, rule = _anchor_index(models, entry.get("category", ""), entry.get("subcategory", ""))
    dash = _dash_line(lines, node.value[index].start_mark.line)
    dash_column = lines[dash].indent
    last = _entry_span(lines, dash, dash_column)
    blank_between = _entries_are_separated_by_blank_lines(lines, node)
    ends_without_line_break = text[lines[last].start : lines[last].end] == lines[last].content
    prefix = newline if ends_without_line_break else ""
    if blank_between:
        prefix += newline
    block = newline.join(" " * dash_column + line if line else "" for line in body) + newline
    offset = lines[last].end
    new_text = text[:offset] + prefix + block + text[offset:]
    new_line = last + 2 + (1 if blank_between else 0)
    return Insertion(new_text, prefix + block, new_line, models[index].get("id"), rule)


def _entries_are_separated_by_blank_lines(lines: list[_Line], node: yaml.SequenceNode) -> bool:
    for item in node.value[1:]:
        above = item.start_mark.line - 1
        while above >= 0 and lines[above].content.lstrip().startswith("#"):
            above -= 1
        if above >= 0 and lines[above].is_blank:
            return True
    return False


def _insert_into_empty_list(text: str, node: yaml.SequenceNode, body: list[str], newline: str) -> Insertion:
    """`models: []` becomes `models:` followed by the entry."""
    start, end = node.start_mark.index, node.end_mark.index
    before = text[:start].rstrip(" ")
    block = newline + newline.join("  " + line if line else "" for line in body)
    new_text = before + block + text[end:]
    if not new_text.endswith(("\n", "\r")):
        new_text += newline
    line = before.count("\n") + 2
    return Insertion(new_text, block, line, None, "as the first entry of the list")


# --- Checking and writing ------------------------------------------------------------


def add_entry(
    path: Path, entry: dict[str, Any], write: bool = True, opened: OpenedCatalogue | None = None
) -> Insertion:
    """Insert `entry` into the catalogue at `path`, validated; raises ScaffoldError if it cannot be.

    `opened` is the catalogue as the caller opened it earlier: used if the file still reads the same.
    """
    if not write:
        return _insert(path, entry, write, opened)
    lock = FileLock(lock_file(path), timeout=LOCK_WAIT_SECONDS)
    try:
        with lock:
            return _insert(path, entry, write, opened)
    except Timeout as error:
        raise ScaffoldError(
            f"another command has been changing {display_name(path)} for {LOCK_WAIT_SECONDS} s "
            f"(lock file {display_name(lock_file(path))}); nothing was written, try again"
        ) from error


def lock_file(path: Path) -> Path:
    """The file whose lock every writer of the catalogue at `path` holds."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


def _insert(path: Path, entry: dict[str, Any], write: bool, opened: OpenedCatalogue | None) -> Insertion:
    name = display_name(path)
    raw = _read(path, name)
    text = raw.decode("utf-8")
    if opened is None or opened.document.text != text:
        opened = open_text(text, name)
    current, existing = opened.document, opened.problems
    already = ScaffoldError(f"{name} already has problems; fix them first, then add the entry", existing)
    if (
        current.problems
        or not isinstance(current.data, dict)
        or not isinstance(current.data.get("models"), list)
    ):
        raise already
    _refuse_taken_id(current, entry.get("id"))
    insertion = insert_entry(text, current.data["models"], entry)
    try:
        _check(insertion, current.data, entry, name)
    except ScaffoldError:
        # A problem the new entry itself solves (a task declared for it) does not stand in its way.
        if existing:
            raise already from None
        raise
    if write:
        replace_file(path, insertion.text.encode("utf-8"))
    return insertion


def _refuse_taken_id(current: LoadedCatalogue, new_id: str | None) -> None:
    for index, model in enumerate(current.data["models"]):
        if model.get("id") == new_id:
            line = current.line_of(("models", index, "id"))
            problem = Problem(
                current.file, line, new_id, "id", "is already in the catalogue; choose another id"
            )
            raise ScaffoldError("the new entry is not valid; nothing was written", [problem])


def _read(path: Path, name: str) -> bytes:
    try:
        raw = path.read_bytes()
        raw.decode("utf-8")
    except FileNotFoundError as error:
        raise ScaffoldError(f"{name}: file not found") from error
    except UnicodeDecodeError as error:
        raise ScaffoldError(f"{name}: not valid UTF-8; save the file as UTF-8") from error
    return raw


def _check(insertion: Insertion, old_data: dict[str, Any], entry: dict[str, Any], name: str) -> None:
    """The new text must be valid and read back as the old data plus exactly this entry."""
    opened = open_text(insertion.text, name)
    loaded, problems = opened.document, opened.problems
    if problems:
        # Line numbers would point into a file that was never written: name entry and field only.
        unplaced = [Problem(p.file, None, p.entry, p.field, p.message) for p in problems]
        raise ScaffoldError("the new entry is not valid; nothing was written", unplaced)
    new_models = loaded.data["models"]
    position = next(i for i, model in enumerate(new_models) if model.get("id") == entry.get("id"))
    expected = {**old_data, "models": [*old_data["models"]]}
    expected["models"].insert(position, clean_entry(entry))
    if loaded.data != expected:
        raise ScaffoldError(
            "internal error: the file would not read back as the old entries plus the new one; "
            "nothing was written (please report this with the command you ran)"
        )
