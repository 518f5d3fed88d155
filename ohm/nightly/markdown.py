"""Markdown for GitHub from text that others wrote: it shows as written and pings no one.

A linked server's reason phrase or Location header and an upstream API's
values land in the tracking issue. GitHub links `@name`, `@org/team`, `#123`,
`GH-123` and `owner/repo#123` in any text that is not inside code, pre or a
link, and a backslash before `@` or `#` does not stop it. So:

- `code_span` puts outside text in inline code that it cannot break out of
  (the fence is longer than any run of backticks inside);
- `inert` is the last guard over a whole body: everywhere but in autolinks,
  it puts a WORD JOINER (U+2060, invisible) after every `@` and `#` that
  would start a mention or a reference, and inside `GH-123`, so GitHub's
  patterns no longer match;
- `clean` drops what cannot be sent at all (lone surrogates, control characters);
- `fit` cuts a body to GitHub's size limit at line boundaries.
"""

from __future__ import annotations

import re

GITHUB_BODY_LIMIT = 65_536  # characters GitHub takes in an issue's body
BODY_TARGET = 60_000  # what we aim at: a margin for characters GitHub may count twice
WORD_JOINER = "\u2060"

_UNWRITABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """`text` without lone surrogates and control characters (newlines and tabs stay)."""
    return _UNWRITABLE.sub("\ufffd", text)


def code_span(text: object, in_table: bool = True) -> str:
    """`text` on one line as inline code, whatever it holds; "" for empty text.

    In a GFM table a `|` ends the cell even inside code, so there it is escaped
    (the table takes the backslash away before the code span is read).
    """
    content = " ".join(clean(str(text)).split())
    if not content:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    if content.startswith("`") or content.endswith("`"):
        content = f" {content} "  # one space each side is dropped by the reader
    if in_table:
        content = content.replace("|", "\\|")
    return f"{fence}{content}{fence}"


# An autolink: GitHub shows it as a link, whose text it leaves alone.
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>`]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
# What GitHub links in text: a mention, an issue reference, and entities that read as `@` or `#`.
_PING = re.compile(r"(?P<at>@)(?=[A-Za-z0-9])|(?P<hash>#)(?=[0-9])|(?P<gh>GH)(?=-[0-9])", re.IGNORECASE)
_PING_ENTITY = re.compile(r"&(?:(?P<at>#0*64|#[xX]0*40|commat)|#0*35|#[xX]0*23|num);")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def inert(markdown: str) -> str:
    """`markdown` with every mention and issue reference made inert, except inside autolinks.

    Inside code it would be inert anyway, but telling code from text takes a
    Markdown parser, and a wrong guess would leave a ping live; an invisible
    character in some code costs nothing. Autolinks without a backtick cannot
    overlap a code span, so they are kept as written (their text is a link).
    """
    markdown = clean(markdown)
    out: list[str] = []
    plain_start = i = 0
    while i < len(markdown):
        char = markdown[i]
        if char == "\\" and i + 1 < len(markdown) and markdown[i + 1] in _ASCII_PUNCTUATION:
            i += 2  # an escaped `<` opens no autolink
            continue
        link = _AUTOLINK.match(markdown, i) if char == "<" else None
        if link is None:
            i += 1
            continue
        out += [_defuse(markdown[plain_start:i]), link.group()]
        i = plain_start = link.end()
    out.append(_defuse(markdown[plain_start:]))
    return "".join(out)


def _defuse(text: str) -> str:
    text = _PING_ENTITY.sub(lambda m: "@" if m["at"] else "#", text)
    return _PING.sub(lambda m: m.group() + WORD_JOINER, text)


def fit(sections: list[str], footer: str, more: str, limit: int = BODY_TARGET) -> str:
    """The sections and the footer joined, each section cut short enough that the whole fits in `limit`.

    Small sections are kept whole; the others share what is left equally, each
    cut at a line boundary and ended with `more` (where the full report is).
    """
    separator = "\n\n"
    room = limit - len(footer) - len(separator) * max(0, len(sections) - 1)
    shares: dict[int, int] = {}
    left = sorted(range(len(sections)), key=lambda n: len(sections[n]))
    while left:
        share = max(0, room) // len(left)
        n = left[0]
        if len(sections[n]) > share:
            break
        shares[n] = len(sections[n])
        room -= len(sections[n])
        left.pop(0)
    for n in left:
        shares[n] = max(0, room) // len(left)
    parts = []
    for n, section in enumerate(sections):
        if len(section) <= shares[n]:
            parts.append(section)
            continue
        budget = max(0, shares[n] - len(more) - 2)
        cut = section.rfind("\n", 0, budget + 1)
        head = section[: cut if cut > 0 else budget].rstrip()
        parts.append(f"{head}\n\n{more}")
    return separator.join(parts) + footer
