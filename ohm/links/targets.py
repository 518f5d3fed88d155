"""Every URL written in the catalogue, and where: entry, field and line."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ohm.catalog import open_catalogue
from ohm.catalog.catalogue import Place
from ohm.catalog.problems import Problem


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
    opened = open_catalogue(path, allowed_hosts)
    if not opened.ok:
        return {}, opened.problems
    catalogue = opened.catalogue
    if only_entries is not None:
        unknown = sorted(only_entries - {model.id for model in catalogue.models})
        if unknown:
            return {}, [Problem(opened.file, None, entry, None, "no model with this id") for entry in unknown]
    places: list[tuple[Place, str | None]] = (
        [] if only_entries is not None else [(place, None) for place in catalogue.urls]
    )
    places += [
        (place, model.name)
        for model in catalogue.models
        if only_entries is None or model.id in only_entries
        for place in model.urls
    ]
    links: dict[str, list[Occurrence]] = {}
    # In file order, as a reader of the file meets them.
    for place, name in sorted(places, key=lambda item: item[0].line or 0):
        links.setdefault(place.url, []).append(Occurrence(place.entry, place.field, place.line, name))
    return links, []
