"""A catalogue of any size, made by copying the real entries: for benchmarks and scale tests.

Copy k of an entry gets the id `<id>-k`, the name `<name> k` and URLs on the
host `copyk.<host>`, so ids, names and URLs stay unique and valid. Everything
above `models:` (categories, tasks, licences) is kept as it is, and so is every
other line of an entry, so the copies exercise the same fields as the originals,
but for their evidence: on other hosts the sources are no longer GitHub commits or
Hugging Face revisions, so a copy is an entry still to be re-read (no `evidence:`,
no `second_reader`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ohm.catalog import PROJECT_ROOT

_ENTRY_START = re.compile(r"^  - id: ", re.MULTILINE)
_ID = re.compile(r"^(  - id: )(\S+)$", re.MULTILINE)
_NAME = re.compile(r"^(    name: )(.+)$", re.MULTILINE)
_URL_HOST = re.compile(r"https://")
# An entry's `evidence:` block (up to its next field) and its `second_reader:` line.
_EVIDENCE = re.compile(r"^    evidence:\n(?:      .*\n|\n)*|^    second_reader: .*\n", re.MULTILINE)


def synthetic_catalogue(source: str, count: int) -> str:
    """`source` (catalogue YAML text) with its models section holding `count` entries."""
    head, separator, models = source.partition("\nmodels:\n")
    if not separator:
        raise ValueError("the catalogue has no top-level `models:` list")
    starts = [match.start() for match in _ENTRY_START.finditer(models)]
    if not starts:
        raise ValueError("the catalogue's `models:` list is empty")
    entries = [
        models[start:end].rstrip("\n") + "\n" for start, end in zip(starts, [*starts[1:], None], strict=True)
    ]
    copies = []
    for number in range(count):
        copy, entry = divmod(number, len(entries))
        copies.append(entries[entry] if copy == 0 else _copy(entries[entry], copy))
    return head + separator + "\n".join(copies)


def _copy(entry: str, copy: int) -> str:
    entry = _ID.sub(lambda m: f"{m.group(1)}{m.group(2)}-{copy}", entry, count=1)
    entry = _NAME.sub(lambda m: f"{m.group(1)}{_suffixed(m.group(2), copy)}", entry, count=1)
    entry = _EVIDENCE.sub("", entry)
    return _URL_HOST.sub(f"https://copy{copy}.", entry)


def _suffixed(name: str, copy: int) -> str:
    """A YAML scalar with ` copy` added inside its quotes, if it has any."""
    if name[:1] in "'\"" and name[-1:] == name[:1]:
        return f"{name[:-1]} {copy}{name[-1]}"
    return f"{name} {copy}"


# The parts of the project a site build needs, copied into a scratch project.
PROJECT_PARTS = ["mkdocs.yml", "docs", "templates", "data/models.schema.json", "CONTRIBUTING.md"]


def make_project(destination: Path, catalogue_text: str) -> Path:
    """A copy of this project in `destination` whose data/models.yaml is `catalogue_text`:
    what the tests and the benchmarks build."""
    for part in PROJECT_PARTS:
        source, target = PROJECT_ROOT / part, destination / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    (destination / "data" / "models.yaml").write_text(catalogue_text, encoding="utf-8")
    return destination
