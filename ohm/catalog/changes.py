"""What a change to the catalogue adds, changes and removes, compared entry by entry.

Used by the pull-request workflow twice: to check the links of only the entries a
pull request touches, and to tell the reviewer in one paragraph what it does:

    2 models added: Alpha BERT (`alpha-bert`), Zeta LM (`zeta-lm`).

Entries are matched by `id`; an entry whose id changed counts as one removed and
one added. The earlier version comes from git (`git show REF:path`), so any
commit, branch or tag can be the base.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.site.render import markdown_text

# Sections besides `models` whose changes are worth a reviewer's attention.
DECLARATION_SECTIONS = ("catalogue", "licenses", "categories")


@dataclass(frozen=True)
class EntryChange:
    id: str
    name: str
    fields: tuple[str, ...] = ()  # for a changed entry: which fields differ, e.g. links.repository


@dataclass(frozen=True)
class CatalogueChanges:
    added: tuple[EntryChange, ...] = ()
    changed: tuple[EntryChange, ...] = ()
    removed: tuple[EntryChange, ...] = ()
    declarations: tuple[str, ...] = ()  # sections other than models that differ

    @property
    def ids_to_check(self) -> list[str]:
        """Entries whose links need checking: the added and the changed ones."""
        return [entry.id for entry in (*self.added, *self.changed)]


class GitError(Exception):
    """The earlier version of the catalogue could not be read from git."""


def compare(base: dict[str, Any] | None, head: dict[str, Any]) -> CatalogueChanges:
    """Changes from `base` (None: the file did not exist) to `head`, both parsed catalogues."""
    base = base or {}
    before = _models_by_id(base)
    after = _models_by_id(head)
    added = [_change(entry) for id_, entry in after.items() if id_ not in before]
    removed = [_change(entry) for id_, entry in before.items() if id_ not in after]
    changed = []
    for id_, entry in after.items():
        if id_ in before and before[id_] != entry:
            changed.append(_change(entry, _differing_fields(before[id_], entry)))
    declarations = tuple(
        section for section in DECLARATION_SECTIONS if base.get(section) != head.get(section)
    )
    return CatalogueChanges(tuple(added), tuple(changed), tuple(removed), declarations)


def _models_by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    models = data.get("models") if isinstance(data, dict) else None
    return {
        entry["id"]: entry
        for entry in (models if isinstance(models, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    }


def _change(entry: dict[str, Any], fields: tuple[str, ...] = ()) -> EntryChange:
    name = entry.get("name")
    return EntryChange(entry["id"], name if isinstance(name, str) else entry["id"], fields)


def _differing_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """Top-level fields that differ; inside a mapping (links, license), its keys that differ."""
    fields = []
    for key in _keys_in_order(before, after):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            fields += [f"{key}.{sub}" for sub in _keys_in_order(old, new) if old.get(sub) != new.get(sub)]
        else:
            fields.append(key)
    return tuple(fields)


def _keys_in_order(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys([*second, *first]))


# --- Reading the earlier version from git --------------------------------------------


def read_from_git(ref: str, file: Path) -> str | None:
    """The text of `file` as it was at `ref`, or None if the file did not exist there."""
    folder = file.resolve().parent
    commit = _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise GitError(f"unknown git revision {ref!r}; fetch it first (for example: git fetch origin {ref})")
    spec = f"{commit.stdout.strip()}:./{file.name}"
    if _git(folder, "cat-file", "-e", spec).returncode != 0:
        return None
    shown = _git(folder, "show", spec)
    if shown.returncode != 0:
        raise GitError(f"git show {spec} failed: {shown.stderr.strip()}")
    return shown.stdout


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, encoding="utf-8", check=False
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed or not on PATH") from error


# --- Saying it ----------------------------------------------------------------------


def summary_markdown(changes: CatalogueChanges) -> str:
    """What the change does to the catalogue, as Markdown for a job summary."""
    lines = ["### Catalogue changes", ""]
    parts = [
        ("added", changes.added),
        ("changed", changes.changed),
        ("removed", changes.removed),
    ]
    if not any(entries for _, entries in parts):
        lines.append("No models added, changed or removed.")
    for verb, entries in parts:
        if entries:
            count = f"{len(entries)} model{'s' if len(entries) != 1 else ''} {verb}"
            lines.append(f"- **{count}:** " + ", ".join(_describe(entry) for entry in entries) + ".")
    if changes.declarations:
        lines += ["", "Also changed: " + ", ".join(f"`{section}`" for section in changes.declarations) + "."]
    return "\n".join(lines) + "\n"


def _describe(entry: EntryChange) -> str:
    text = f"{markdown_text(entry.name)} (`{entry.id}`"
    if entry.fields:
        text += ": " + ", ".join(entry.fields)
    return text + ")"
