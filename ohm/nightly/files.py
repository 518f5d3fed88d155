"""The JSON files of the nightly checks: their reports and their histories.

Each file carries a version number, is written whole or not at all, and is
read back into typed data by the check that owns it. Whatever is wrong with
a file (missing, not JSON, another version, a field missing) is one
ReportError whose message names the file and says why.

A history is the check's memory between runs, `{"version": 1, SECTION: ...}`;
when it cannot be used, deleting it starts afresh, and the message says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ohm.files import replace_file

HISTORY_VERSION = 1

T = TypeVar("T")


class ReportError(Exception):
    """A report or history file that cannot be used; the message says which and why."""


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Replace `path` with `data`, indented, in one step: a reader never sees half a file."""
    replace_file(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def read_json(path: Path, version_key: str, version: int) -> dict[str, Any]:
    """The object in `path`, whose `version_key` must be `version`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportError(f"{path}: cannot read it ({error.strerror or error})") from None
    except ValueError as error:
        raise ReportError(f"{path}: not JSON ({error})") from None
    found = data.get(version_key) if isinstance(data, dict) else None
    if found != version:
        raise ReportError(f"{path}: {version_key} {found!r}, expected {version}")
    return data


def read_history(path: Path, section: str, parse: Callable[[Any], T], empty: T, optional: bool = False) -> T:
    """The history in `path`, `parse`d from its `section`; `empty` if there is no file yet (first run),
    or, for an `optional` section (one added to the format later), if the file has none."""
    if not path.exists():
        return empty
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != HISTORY_VERSION:
            raise ReportError(f"{path}: version {data.get('version')!r}, expected {HISTORY_VERSION}")
        if optional and section not in data:
            return empty
        return parse(data[section])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReportError(f"{path}: unreadable history ({error}); delete it to start afresh") from None


def write_history(path: Path, section: str, data: Any, **optional: Any) -> None:
    """Write the history's `section`, and each `optional` section that is not empty."""
    write_json(path, {"version": HISTORY_VERSION, section: data, **{k: v for k, v in optional.items() if v}})
