"""What the freshness check needs from a catalogue entry.

An entry names a licence per artefact (`licenses: {weights, code, training_data}`),
an `access` level, `verified_revision` and `variants`; in schema 3 it cites the
words of a pinned source for each governance fact (`evidence:`, and each
evaluation's own `source` and `quote`). Every read of an entry goes through
`entry_facts`, over the typed model (and the entry as written, for what the typed
model does not tell apart), so the rest of the stage works on these few facts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.catalog import evidence, open_catalogue
from ohm.catalog.catalogue import Model
from ohm.catalog.problems import Problem

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
    verified_revision: str | None
    access: str | None  # open | registration | gated | credentialed
    card: Card | None  # links.model_card
    variant_cards: tuple[Card, ...]
    repository: str | None  # links.repository
    code_licence: Licence | None
    claims: tuple[Claim, ...] = ()  # citations of a GitHub or Hugging Face file at a commit
    silent: frozenset[str] = frozenset()  # those of CARD_FACTS where the entry says unknown


def entry_facts(model: Model, written: Mapping[str, Any] | None = None) -> Entry:
    """The facts of `model`; `written` is the same entry as the YAML has it (its evidence and
    `unknown`s until the typed model carries them; without it the entry cites nothing)."""
    links = {link.kind: link.url for link in model.links}
    licences = {artefact.artefact: artefact.id for artefact in model.licenses}
    weights = _licence("licenses.weights", licences.get("weights"))
    card = Card("links.model_card", links["model_card"], weights) if "model_card" in links else None
    return Entry(
        id=model.id,
        name=model.name,
        verified=model.verified,
        verified_revision=model.verified_revision or None,
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
        claims=tuple(claim for claim in _claims(model, written) if evidence.head_url(claim.source)),
        silent=frozenset(
            path
            for path in CARD_FACTS
            if written is not None and evidence.is_silent(evidence.value_at(written, path))
        ),
    )


def _claims(model: Model, written: Mapping[str, Any] | None) -> list[Claim]:
    """Every citation of the entry: its evidence map's, then its evaluations' own."""
    cited: dict[str, evidence.Evidence] | None = getattr(model, "evidence", None)
    if cited is None and written is not None:
        cited = evidence.parse(written.get("evidence"))
    claims = [
        Claim(path, citation.source, citation.quote)
        for path, item in (cited or {}).items()
        for citation in item.citations
    ]
    evaluations = written.get("evaluations") if written is not None else None
    if isinstance(evaluations, list):
        claims += [
            Claim(f"evaluations[{number}]", item["source"], item["quote"])
            for number, item in enumerate(evaluations)
            if isinstance(item, Mapping) and isinstance(item.get("quote"), str)
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
