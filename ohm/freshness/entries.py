"""What the freshness check needs from a catalogue entry.

An entry names a licence per artefact (`licenses: {weights, code, training_data}`),
an `access` level, `verified_revision` and `variants`. Every read of an entry goes
through `entry_facts`, so the rest of the stage works on these few facts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.catalog.load import load_catalogue
from ohm.catalog.problems import Problem
from ohm.catalog.validate import validate


@dataclass(frozen=True)
class Licence:
    field: str  # where the catalogue states it: "licenses.weights", "licenses.code", "variants[NAME].license"
    id: str


@dataclass(frozen=True)
class Card:
    """A model card on the Hugging Face Hub (or elsewhere) and the licence the catalogue gives its weights."""

    field: str  # "links.model_card" or "variants[NAME].model_card"
    url: str
    licence: Licence | None


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    verified: str
    verified_revision: str | None
    access: str | None  # open | registration | gated | credentialed
    card: Card | None  # links.model_card
    variant_cards: tuple[Card, ...]
    repository: str | None  # links.repository
    code_licence: Licence | None


def entry_facts(entry: dict[str, Any]) -> Entry:
    links = entry.get("links", {})
    licences = entry.get("licenses", {})
    weights = _licence("licenses.weights", licences.get("weights"))
    code = _licence("licenses.code", licences.get("code"))
    card = Card("links.model_card", links["model_card"], weights) if "model_card" in links else None
    return Entry(
        id=entry["id"],
        name=entry["name"],
        verified=str(entry["verified"]),
        verified_revision=_text(entry.get("verified_revision")),
        access=entry.get("access"),
        card=card,
        variant_cards=tuple(_variant_cards(entry, weights)),
        repository=links.get("repository"),
        code_licence=code,
    )


def _licence(field: str, value: Any) -> Licence | None:
    if isinstance(value, dict) and value.get("id"):
        return Licence(field, str(value["id"]))
    if isinstance(value, str) and value:  # a variant names its licence id directly
        return Licence(field, value)
    return None


def _variant_cards(entry: dict[str, Any], weights: Licence | None) -> list[Card]:
    cards = []
    for variant in entry.get("variants") or []:
        if not isinstance(variant, dict) or not variant.get("model_card"):
            continue
        field = f"variants[{variant.get('name', len(cards))}]"
        # A variant without a licence of its own has the entry's weights licence.
        licence = _licence(f"{field}.license", variant.get("license")) or weights
        cards.append(Card(f"{field}.model_card", variant["model_card"], licence))
    return cards


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def read_entries(path: Path) -> tuple[list[Entry], list[Problem]]:
    """Every entry of a valid catalogue (or its problems), in file order."""
    loaded = load_catalogue(path)
    problems = validate(loaded)
    if problems:
        return [], problems
    return [entry_facts(entry) for entry in loaded.data["models"]], []
