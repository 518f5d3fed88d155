"""What the freshness check needs from a catalogue entry.

An entry names a licence per artefact (`licenses: {weights, code, training_data}`),
an `access` level, `variants`, and sources pinned at a revision; in schema 3 it cites the
words of a pinned source for each governance fact (`evidence:`, and each
evaluation's own `source` and `quote`). Every read of an entry goes through
`entry_facts`, over the typed model, so the rest of the stage works on these few facts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.catalog import evidence, open_catalogue
from ohm.catalog.catalogue import Model
from ohm.catalog.evidence import pinned_revision
from ohm.catalog.problems import Problem

from .upstream import hub_repo

# The facts a Hugging Face card's metadata can state, beside the licences: where the entry says
# `unknown` and the card states one, the check says so (findings.UPSTREAM_KNOWS).
CARD_FACTS = ("base_model", "training_data", "languages", "deployment.formats")


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
class Claim:
    """Words the entry quotes from a pinned source, for one fact."""

    field: str  # the evidence path ("licenses.weights", "variants.X") or "evaluations[N]"
    source: str  # the pinned address, as the entry writes it
    quote: str


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
    claims: tuple[Claim, ...] = ()  # citations of a GitHub or Hugging Face file at a commit
    silent: frozenset[str] = frozenset()  # those of CARD_FACTS where the entry says unknown


def entry_facts(model: Model, written: Mapping[str, Any] | None = None) -> Entry:
    """The facts of `model`; `written` is the same entry as the YAML has it, for the `unknown`s
    the typed model does not tell apart from an absent fact (without it none is silent)."""
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
        claims=tuple(claim for claim in _claims(model) if evidence.head_url(claim.source)),
        silent=frozenset(
            path
            for path in CARD_FACTS
            if written is not None and evidence.is_silent(evidence.value_at(written, path))
        ),
    )


def _card_revision(sources: Iterable[str], card_url: str | None) -> str | None:
    """The revision pinned in the first source that is a file of the card's Hub repository."""
    repo = hub_repo(card_url) if card_url else None
    for url in sources:
        if repo and hub_repo(url) == repo and (revision := pinned_revision(url)):
            return revision
    return None


def _claims(model: Model) -> list[Claim]:
    """Every citation of the entry: its evidence map's, then its evaluations' own."""
    claims = [
        Claim(path, citation.source, citation.quote)
        for path, item in model.evidence.items()
        for citation in item.citations
    ]
    claims += [
        Claim(f"evaluations[{number}]", item.source, item.quote)
        for number, item in enumerate(model.evaluations or ())
        if item.quote is not None
    ]
    return claims


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
    written = {entry["id"]: entry for entry in opened.document.data["models"]}
    return [entry_facts(model, written[model.id]) for model in in_file_order], []
