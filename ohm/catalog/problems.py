"""A problem found in the catalogue, worded for the person who has to fix it.

Every stage reports problems the same way: one line each, naming file, line,
entry and field, for example::

    data/models.yaml:42: whisper-large-v3: links.repository: must start with https://
"""

from __future__ import annotations

from dataclasses import dataclass

# A location inside the parsed YAML: keys and list indexes from the root,
# e.g. ("models", 3, "links", "repository").
Path = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """One physical line: characters that could start another line or move the cursor are escaped."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where, self.entry, self.field, self.message]
        return ": ".join(printable(part) for part in parts if part)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with every character that is not printable (line breaks, escape codes, invisible
    and bidirectional controls, lone surrogates) written as a Python escape such as `\\x1b`."""
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def excerpt(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters, so that a message quoting it stays short."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def format_field(path: Path) -> str | None:
    """Render a path below an entry as `links.repository` or `use_cases[2]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None
