"""Text from upstream, made safe to keep: what cannot be written or shown is replaced.

A JSON answer can carry lone surrogates (`"\\ud800"`), which UTF-8 cannot
encode, and control characters, which have no place in a licence id or a
date; either would break the cache, the report or a page. Every string the
check keeps from upstream goes through `clean_text` first.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
MAX_CHARS = 200  # more than any licence id, name or timestamp the check reads

_UNWRITABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def clean_text(text: str, limit: int = MAX_CHARS) -> str:
    """`text` without lone surrogates or control characters, cut to `limit` characters."""
    text = _UNWRITABLE.sub(REPLACEMENT, text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
