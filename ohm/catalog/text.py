"""What a text field may hold, and when two names are the same name.

Text fields are plain text. The site escapes them wherever they land, but some
characters are wrong in the data itself:

- control characters and lone surrogates (`"\\ud800"`) are not text, and no
  file can be written with a lone surrogate in it;
- bidirectional controls (RLO, ...) make text display in another order than
  it is written;
- single-line fields (names, titles, ids) also may not hold line breaks,
  tabs or invisible characters (zero-width space, soft hyphen), nor mix
  Latin letters with look-alike letters of another script (`Whisper` written
  with a Cyrillic U+0440 for the p).

`same_name_key` is what duplicate checks compare: names that differ only by
case, width, spacing (NBSP), invisible characters or look-alike letters get
the same key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from confusable_homoglyphs import confusables

from .problems import excerpt

# The start of an HTML tag (`<b`, `< /a`, `<!--`, `<?xml`); it is a tag if a `>` follows somewhere.
# Searched in two steps, so that the time is linear in the text: a pattern `<...[^>]*>` would
# scan to the end of the text from every `<` that is never closed.
_TAG_START = re.compile(r"<\s*(?:/\s*)?[A-Za-z!?]")
# C0 controls other than tab and line breaks, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BIDI_CONTROL = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile(r"[\n\r\x85\u2028\u2029]")


def _code_points(match: re.Match[str]) -> str:
    return f"U+{ord(match.group(0)):04X}"


def plain_text_problem(text: str) -> str | None:
    """Why `text` is not acceptable in a text field (one that may be folded over lines), or None."""
    if found := _SURROGATE.search(text):
        return f"must not contain a lone surrogate ({_code_points(found)}): it is not a character"
    if found := _CONTROL.search(text):
        return f"must not contain control characters ({_code_points(found)})"
    if found := _BIDI_CONTROL.search(text):
        return f"must not contain bidirectional controls ({_code_points(found)}): they reorder the text"
    if tag := html_tag(text):
        return f"must be plain text: HTML like {tag!r} is not allowed"
    return None


def html_tag(text: str) -> str | None:
    """The first HTML tag in `text` (cut short if it is long), or None."""
    start = _TAG_START.search(text)
    end = text.find(">", start.end()) if start else -1
    if start is None or end == -1:
        return None  # a later `<` has no `>` after it either
    return excerpt(text[start.start() : end + 1])


def plain_line_problem(text: str) -> str | None:
    """Why `text` is not acceptable in a single-line text field (a name, a title), or None."""
    return single_line_problem(text) or plain_text_problem(text) or mixed_script_problem(text)


def single_line_problem(text: str) -> str | None:
    """Why `text` is not one line of visible characters (ids, names), or None."""
    if _SURROGATE.search(text):
        return plain_text_problem(text)
    if _LINE_BREAK.search(text):
        return "must be one line: remove the line break"
    if "\t" in text:
        return "must not contain tabs"
    invisible = next((char for char in text if unicodedata.category(char) == "Cf"), None)
    if invisible is not None:
        name = unicodedata.name(invisible, "format character").lower()
        return f"must not contain invisible characters (U+{ord(invisible):04X} {name})"
    return None


def mixed_script_problem(text: str) -> str | None:
    """A Latin name with a letter from another script that looks like a Latin one, or None."""
    found = confusables.is_dangerous(text, preferred_aliases=["latin"])
    if not found:
        return None
    odd = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []
    letters = ", ".join(
        f"{item['character']!r} ({item['alias'].lower()}, looks like {item['homoglyphs'][0]['c']!r})"
        for item in odd
    )
    return f"mixes Latin letters with look-alikes from another script: {letters}; use one script"


def same_name_key(name: str) -> str:
    """`name` reduced to what a reader sees: NFKC, no invisible characters, one space, look-alikes Latin."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = " ".join(text.split())
    return "".join(_latin_look_alike(char) for char in text).casefold()


@cache
def _latin_look_alike(char: str) -> str:
    if char.isascii():
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for item in found or []:
        for glyph in item["homoglyphs"]:
            if glyph["c"].isascii():
                return glyph["c"]
    return char
