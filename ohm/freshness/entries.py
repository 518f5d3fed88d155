"""What the freshness check needs from a catalogue entry.

An entry names a licence per artefact (`licenses: {weights, code, training_data}`),
an `access` level, `variants`, and sources pinned at a revision. Every read of an entry goes
through `entry_facts`, over the typed model, so the rest of the stage works on
these few facts only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ohm.catalog import open_catalogue
from ohm.catalog.catalogue import Model
from ohm.catalog.evidence import pinned_revision
from ohm.catalog.problems import Problem

from .upstream import hub_repo


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
    # The card's revision the facts were read at: pinned in a Hugging Face source of the card's repository.
    card_revision: str | None
    access: str | None  # open | registration | gated | credentialed
    card: Card | None  # links.model_card
    variant_cards: tuple[Card, ...]
    repository: str | None  # links.repository
    code_licence: Licence | None


def entry_facts(model: Model) -> Entry:
    links = {link.kind: link.url for link in model.links}
    licences = {artefact.artefact: artefact.id for artefact in model.licenses}
    weights = _licence("licenses.weights", licences.get("weights"))
    card = Card("links.model_card", links["model_card"], weights) if "model_card" in links else None
    return Entry(
        id=model.id,
        name=model.name,
        verified=model.verified,
        card_revision=_card_revision(model.sources, card.url if card else None),
        access=model.access,
        card=card,
        variant_cards=tuple(
            Card(
                f"variants[{variant.name}].model_card",
                variant.model_card,
                _licence(f"variants[{variant.name}].license", variant.license_id) or weights,
            )
            for variant in model.variants
            if variant.model_card
        ),
        repository=links.get("repository"),
        code_licence=_licence("licenses.code", licences.get("code")),
    )


def _card_revision(sources: Iterable[str], card_url: str | None) -> str | None:
    """The revision pinned in the first source that is a file of the card's Hub repository."""
    repo = hub_repo(card_url) if card_url else None
    for url in sources:
        if repo and hub_repo(url) == repo and (revision := pinned_revision(url)):
            return revision
    return None


def _licence(field: str, licence_id: str | None) -> Licence | None:
    return Licence(field, licence_id) if licence_id else None


def read_entries(path: Path, allowed_hosts: Iterable[str] = ()) -> tuple[list[Entry], list[Problem]]:
    """Every entry of a valid catalogue (or its problems), in file order.

    `allowed_hosts` may be named in links although they are internal (a test server).
    """
    opened = open_catalogue(path, allowed_hosts)
    if not opened.ok:
        return [], opened.problems
    in_file_order = sorted(opened.catalogue.models, key=lambda model: model.line or 0)
    return [entry_facts(model) for model in in_file_order], []
