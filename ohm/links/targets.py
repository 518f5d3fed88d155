"""Every URL written in the catalogue, and where: entry, field and line."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.catalog.load import LoadedCatalogue, load_catalogue
from ohm.catalog.problems import Path as DataPath
from ohm.catalog.problems import Problem
from ohm.catalog.validate import validate


@dataclass(frozen=True, order=True)
class Occurrence:
    """One place in the catalogue where a URL is written."""

    entry: str  # "whisper-large-v3", or "license Apache-2.0" for the licence list
    field: str  # "links.model_card"
    line: int | None
    name: str | None = None  # the model's name, for people reading the report


def catalogue_links(
    path: Path, only_entries: set[str] | None = None, allowed_hosts: Collection[str] = ()
) -> tuple[dict[str, list[Occurrence]], list[Problem]]:
    """{url: occurrences} of a valid catalogue (or its problems), optionally of some model ids only.

    `allowed_hosts` may be named in links although they are internal (a test server).
    """
    loaded = load_catalogue(path)
    problems = validate(loaded, allowed_hosts)
    if problems:
        return {}, problems
    if only_entries is not None:
        known = {model["id"] for model in loaded.data["models"]}
        unknown = sorted(only_entries - known)
        if unknown:
            return {}, [Problem(loaded.file, None, entry, None, "no model with this id") for entry in unknown]
    links: dict[str, list[Occurrence]] = {}
    for data_path, url in _urls(loaded.data):
        occurrence = _occurrence(loaded, data_path)
        if only_entries is None or (data_path[0] == "models" and occurrence.entry in only_entries):
            links.setdefault(url, []).append(occurrence)
    return links, []


def _urls(data: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _urls(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _urls(value, (*path, index))
    elif isinstance(data, str) and data.startswith(("https://", "http://")):
        yield path, data


def _occurrence(loaded: LoadedCatalogue, path: DataPath) -> Occurrence:
    entry, field_name, line = loaded.locate(path)
    name = None
    if path[0] == "models":
        name = loaded.data["models"][path[1]].get("name")
    return Occurrence(entry or "catalogue", field_name or "", line, name)
