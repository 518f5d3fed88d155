"""The catalogue's memory: when each entry was added and how it changed, read from git.

`read_history(file)` walks the commits that touched the catalogue file, oldest
first, and compares each version with the one before it entry by entry (the
comparison of `ohm changed`, ohm/catalog/changes.py). The result says, per
entry, when it was added (its `added` date: derived, never typed) and each
change, with the fields that changed in plain words; the changes page and the
feeds list every event.

A build without the history (no git, not a repository, a shallow clone, a file
git does not know) still builds: the history is then `unavailable`, with the
reason, and the pages say so. A shallow clone is refused rather than read,
since its first commit would look like the day every entry was added.

Dates are commit dates (YYYY-MM-DD); a version git holds that does not parse is
skipped, and the next one is compared with the last that did.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ohm.catalog.changes import compare
from ohm.catalog.load import LoadedCatalogue, parse_catalogue

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
# What a field's name says in plain words, where `_` and `.` are not enough.
FIELD_WORDS = {
    "licenses.weights": "licence of the weights",
    "licenses.code": "licence of the code",
    "licenses.training_data": "licence of the training data",
    "links.model_card": "model card link",
    "links.repository": "repository link",
    "links.homepage": "homepage link",
    "links.docs": "documentation link",
    "links.paper": "paper link",
    "phi_exposure": "patient data (PHI) exposure",
    "verified": "date last verified",
    "verified_revision": "revision verified",
    "second_reader": "date checked by a second reader",
    "deployment": "deployment",
}
# Namespace of the events' ids: the same event gets the same id in every build (Atom needs them stable).
EVENT_NAMESPACE = uuid.UUID("6f1d7a52-4f5e-4b8e-9a55-0d1c9f3e2b61")


@dataclass(frozen=True)
class Event:
    """Something that happened to one entry on one day."""

    date: str  # YYYY-MM-DD
    kind: str  # added, changed or removed; or the kind of an upstream finding (licence-changed, ...)
    entry: str  # the entry's id
    name: str  # the entry's name at the time
    fields: tuple[str, ...] = ()  # for a change: the fields that differ, as the catalogue names them
    commit: str | None = None  # the commit that made it; None for an upstream finding
    detail: str = ""  # for an upstream finding: what was found, in plain words

    @property
    def id(self) -> str:
        """A stable id for feeds: the same event has the same id in every build."""
        key = "\0".join([self.kind, self.entry, self.commit or self.date, *self.fields])
        return f"urn:uuid:{uuid.uuid5(EVENT_NAMESPACE, key)}"

    @property
    def summary(self) -> str:
        """The event in plain words, as a page or a feed says it."""
        if self.kind == ADDED:
            return "Added to the catalogue."
        if self.kind == REMOVED:
            return "Removed from the catalogue."
        if self.kind == CHANGED:
            return "Changed: " + ", ".join(field_words(name) for name in self.fields) + "."
        return self.detail


@dataclass(frozen=True)
class CatalogueHistory:
    events: tuple[Event, ...] = ()  # oldest first
    unavailable: str | None = None  # why there is no history, or None
    _by_entry: dict[str, list[Event]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for event in self.events:
            self._by_entry.setdefault(event.entry, []).append(event)

    def of(self, entry: str) -> list[Event]:
        """The entry's events, oldest first."""
        return list(self._by_entry.get(entry, []))

    def added(self, entry: str) -> str | None:
        """The day the entry (with this id) was last added, or None if the history does not know it."""
        days = [event.date for event in self._by_entry.get(entry, []) if event.kind == ADDED]
        return days[-1] if days else None

    def last_changed(self, entry: str) -> str | None:
        days = [event.date for event in self._by_entry.get(entry, []) if event.commit]
        return days[-1] if days else None

    def with_events(self, extra: Iterable[Event]) -> CatalogueHistory:
        """This history with more events (upstream findings), all in date order."""
        events = sorted([*self.events, *extra], key=lambda event: event.date)
        return CatalogueHistory(tuple(events), self.unavailable)


def field_words(name: str) -> str:
    return FIELD_WORDS.get(name, name.replace("_", " ").replace(".", " "))


class _NoHistory(Exception):
    pass


def read_history(file: Path) -> CatalogueHistory:
    """The history of the catalogue `file` from git; never raises for a missing or partial history."""
    try:
        versions = _versions(file)
    except _NoHistory as reason:
        return CatalogueHistory(unavailable=str(reason))
    events: list[Event] = []
    previous = None
    for commit, date, text in versions:
        loaded = parse_catalogue(text, LoadedCatalogue(file=f"{commit}:{file.name}"))
        if loaded.problems or not isinstance(loaded.data, dict):
            continue
        changes = compare(previous, loaded.data)
        for kind, entries in ((ADDED, changes.added), (CHANGED, changes.changed), (REMOVED, changes.removed)):
            events += [Event(date, kind, e.id, e.name, e.fields, commit) for e in entries]
        previous = loaded.data
    return CatalogueHistory(tuple(events))


def _versions(file: Path) -> list[tuple[str, str, str]]:
    """(commit, date, text) of each commit that touched `file`, oldest first; _NoHistory if there are none."""
    folder = file.resolve().parent
    if _git(folder, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise _NoHistory("the repository is a shallow clone; fetch its full history to see it")
    prefix = _git(folder, "rev-parse", "--show-prefix").strip()
    log = _git(folder, "log", "--first-parent", "--reverse", "--format=%H %cs", "--", file.name).split()
    commits = list(zip(log[::2], log[1::2], strict=True))
    if not commits:
        raise _NoHistory("git has no commit of the catalogue file")
    specs = "".join(f"{commit}:{prefix}{file.name}\n" for commit, _ in commits)
    blobs = _blobs(folder, specs)
    return [(commit, date, text) for (commit, date), text in zip(commits, blobs, strict=True)]


def _blobs(folder: Path, specs: str) -> list[str]:
    """The text of each `commit:path` line of `specs` ("" where the file was deleted), in one git call."""
    output = _run(folder, ["cat-file", "--batch"], specs.encode("utf-8"))
    blobs, at = [], 0
    for _ in specs.splitlines():
        end = output.index(b"\n", at)
        header = output[at:end].split()
        if header[-1] == b"missing":
            blobs.append("")
            at = end + 1
            continue
        size = int(header[2])
        blobs.append(output[end + 1 : end + 1 + size].decode("utf-8", errors="replace"))
        at = end + 1 + size + 1
    return blobs


def _git(folder: Path, *args: str) -> str:
    return _run(folder, list(args)).decode("utf-8", errors="replace")


def _run(folder: Path, args: list[str], given: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], input=given, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise _NoHistory("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise _NoHistory("git took too long to answer") from None
    if done.returncode != 0:
        raise _NoHistory("the catalogue is not in a git repository")
    return done.stdout


# What an upstream finding says, by its kind (the findings a model page warns about: SITE_NOTICES).
UPSTREAM_WORDS = {
    "licence-changed": "Upstream: {source} now states {upstream}, where this entry says {catalogue}.",
    "gated-changed": "Upstream: {source} now says access is {upstream}, where this entry says {catalogue}.",
    "archived": "Upstream: the repository was archived by its owners.",
    "inactive": "Upstream: no activity since {upstream}.",
}


def upstream_events(models: Iterable[tuple[str, str]], notices: Any) -> list[Event]:
    """The freshness check's findings on the entries (`(id, name)`) as dated events.

    `notices(id)` gives an entry's findings (ohm.freshness.site.SiteFreshness.notices).
    """
    events = []
    for entry, name in models:
        for notice in notices(entry):
            words = UPSTREAM_WORDS.get(notice.kind, "Upstream: " + notice.kind.replace("-", " ") + ".")
            detail = words.format(
                source=notice.source.lower(), upstream=notice.upstream, catalogue=notice.catalogue
            )
            events.append(Event(notice.since, notice.kind, entry, name, detail=detail))
    return events
