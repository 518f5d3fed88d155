"""Memory between runs: since when each finding has been seen, so that `since` is true.

    {"version": 1,
     "entries": {"medsam": [{"kind": "licence-changed", "field": "licenses.weights",
                             "catalogue": "Apache-2.0", "since": "2026-11-20"}]}}

A finding is the same finding while its kind, field and catalogue value stay
the same: a maintainer who edits the catalogue value starts a new one, while a
card that changes again upstream does not reset `since`. A finding that is no
longer seen is forgotten, unless part of its entry could not be checked this
run (an outage proves nothing); then what was known is kept unchanged. A
second run on the same day changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ohm.nightly import files

from .findings import VERIFICATION_DUE, Finding

Key = tuple[str, str, str | None]  # kind, field, catalogue value
History = dict[str, dict[Key, str]]  # entry id -> finding -> since (YYYY-MM-DD)


def key(finding: Finding) -> Key:
    return (finding.kind, finding.field, finding.catalogue)


def update(
    before: History, findings: dict[str, list[Finding]], partly_checked: set[str], today: str
) -> History:
    """The history after a run that found `findings` for every entry of the catalogue."""
    after: History = {}
    for entry_id, entry_findings in findings.items():
        previous = before.get(entry_id, {})
        seen = {key(finding): previous.get(key(finding), today) for finding in entry_findings}
        if entry_id in partly_checked:
            for old_key, since in previous.items():
                if old_key[0] != VERIFICATION_DUE:  # computed without upstream: always up to date
                    seen.setdefault(old_key, since)
        if seen:
            after[entry_id] = seen
    return after


def read_history(path: Path) -> History:
    """The history in `path`; empty when there is no file yet (the first run). ReportError if unusable."""
    return files.read_history(path, "entries", _parse, {})


def _parse(entries: dict[str, list[dict[str, Any]]]) -> History:
    return {
        entry_id: {(item["kind"], item["field"], item["catalogue"]): item["since"] for item in items}
        for entry_id, items in entries.items()
    }


def write_history(history: History, path: Path) -> None:
    entries = {
        entry_id: [
            {"kind": kind, "field": field, "catalogue": catalogue, "since": since}
            for (kind, field, catalogue), since in sorted(history[entry_id].items(), key=_order)
        ]
        for entry_id in sorted(history)
    }
    files.write_history(path, "entries", entries)


def _order(item: tuple[Key, str]) -> tuple[str, str, str]:
    (kind, field, catalogue), _since = item
    return (kind, field, catalogue or "")
