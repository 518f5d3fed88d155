"""Compare an entry with what upstream says today: the findings, each with both values.

    licence-changed    the card's (or repository's) licence is not the catalogue's licence of that artefact
    gated-changed      the card's gate no longer matches the catalogue's `access`
    archived           the repository is archived
    inactive           no upstream activity for more than `inactive_days` (not reported when archived)
    verification-due   `verified` is more than `verification_days` old
    card-changed       the card moved past the revision its sources pin (else: changed after `verified`)
    quote-gone         the words a claim quotes are no longer in its file at the head, or the file is gone
    upstream-knows     the entry says unknown where the card's metadata or GitHub's licence detection says

Only what upstream actually answered is compared: a source that could not be
asked yields no finding, and "inactive" needs every source of the entry.
Where the catalogue says `unknown`, a licence upstream states is upstream-knows,
not licence-changed: nothing changed, the entry can say more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ohm.catalog.evidence import head_url
from ohm.catalog.vocabulary import UNKNOWN

from .entries import Card, Entry, Licence
from .licences import Verdict, github_states, github_verdict, hub_states, hub_verdict
from .quotes import quote_found
from .text import clean_text
from .upstream import GitHubRepo, HubModel

LICENCE_CHANGED = "licence-changed"
GATED_CHANGED = "gated-changed"
ARCHIVED = "archived"
INACTIVE = "inactive"
VERIFICATION_DUE = "verification-due"
CARD_CHANGED = "card-changed"
QUOTE_GONE = "quote-gone"
UPSTREAM_KNOWS = "upstream-knows"


@dataclass(frozen=True)
class Kind:
    label: str
    detail: str  # one line on the values: {field}, {catalogue}, {upstream}, {source}, {days} (the threshold)
    recheck: str  # what a maintainer should do about it


KINDS = {
    LICENCE_CHANGED: Kind(
        "Licence changed",
        "{field} is {catalogue} in the catalogue, {upstream} upstream",
        "read the licence on the card or in the LICENSE file; update the licence, its note and the "
        "commercial-use verdict",
    ),
    GATED_CHANGED: Kind(
        "Access changed",
        "{field} is {catalogue} in the catalogue, {upstream} upstream",
        "see how the weights are obtained now; update `access` and its note",
    ),
    ARCHIVED: Kind(
        "Repository archived",
        "{catalogue} is archived",
        "look for a successor (`superseded_by`) and say in a caveat that it is no longer maintained",
    ),
    INACTIVE: Kind(
        "Inactive",
        "last activity upstream on {upstream} ({field}), more than {days} days ago",
        "check whether the project is still maintained; say so in a caveat if it is not",
    ),
    VERIFICATION_DUE: Kind(
        "Verification due",
        "last verified on {catalogue}, more than {days} days ago",
        "re-read every source of the entry and update `verified`",
    ),
    CARD_CHANGED: Kind(
        "Card changed",
        "{field} is {catalogue} in the catalogue; the card has changed since ({upstream})",
        "read the card at its new revision; update the facts that changed and the revisions in `sources`",
    ),
    QUOTE_GONE: Kind(
        "Quote gone",
        "{field} cites {catalogue}, no longer in {source} at its head ({upstream})",
        "read the source at its head; if the fact still holds, pin the citation to the new revision "
        "with its words, else correct the fact",
    ),
    UPSTREAM_KNOWS: Kind(
        "Upstream knows",
        "{field} is {catalogue} in the catalogue; upstream states {upstream}",
        "read what upstream states; fill in the fact with a pinned citation if it holds",
    ),
}

# The findings a model page warns its readers about.
SITE_NOTICES = (LICENCE_CHANGED, ARCHIVED, INACTIVE)


@dataclass(frozen=True)
class Thresholds:
    inactive_days: int = 365
    verification_days: int = 180


@dataclass(frozen=True)
class Finding:
    kind: str
    field: str
    catalogue: str | None
    upstream: str | None
    source: str | None = None  # quote-gone: the pinned source the quote is from


# What quote-gone says upstream did.
WORDS_NOT_FOUND = "words not found"
FILE_GONE = "file gone: 404 Not Found"


@dataclass
class Observed:
    """What upstream answered for one entry."""

    cards: dict[str, HubModel] = field(default_factory=dict)  # by the card's field
    revision_known: bool | None = None  # is the pinned revision one of the main card's? None: not asked
    repository: GitHubRepo | None = None
    files: dict[str, str | None] = field(default_factory=dict)  # cited files' text at the head; None: gone
    not_checked: list[tuple[str, str]] = field(default_factory=list)  # (field, reason)


def compare(entry: Entry, observed: Observed, thresholds: Thresholds, today: str) -> list[Finding]:
    findings: list[Finding] = []
    for card in (entry.card, *entry.variant_cards):
        if card is not None and card.field in observed.cards:
            findings += _card_licence(card, observed.cards[card.field])
    main_card = observed.cards.get("links.model_card")
    if main_card is not None:
        findings += _gate(entry, main_card)
        findings += _card_revision(entry, main_card, observed.revision_known)
        findings += _card_facts(entry, main_card)
    findings += _quotes(entry, observed.files)
    repository = observed.repository
    if repository is not None:
        findings += _code_licence(entry.code_licence, repository)
        if repository.archived:
            findings.append(Finding(ARCHIVED, "links.repository", entry.repository, "archived"))
    if not observed.not_checked and not (repository and repository.archived):
        findings += _inactivity(observed, thresholds, today)
    if _days_between(entry.verified, today) > thresholds.verification_days:
        findings.append(Finding(VERIFICATION_DUE, "verified", entry.verified, None))
    return findings


def _card_licence(card: Card, model: HubModel) -> list[Finding]:
    if card.licence is None:
        return []
    if card.licence.id == UNKNOWN:
        if not hub_states(model.licences, model.licence_name):
            return []
        return [Finding(UPSTREAM_KNOWS, card.licence.field, UNKNOWN, model.licence_text)]
    if hub_verdict(model.licences, model.licence_name, card.licence.id) is not Verdict.DIFFERS:
        return []
    return [Finding(LICENCE_CHANGED, card.licence.field, card.licence.id, model.licence_text)]


def _code_licence(licence: Licence | None, repository: GitHubRepo) -> list[Finding]:
    if licence is not None and licence.id == UNKNOWN:
        if not github_states(repository.spdx_id):
            return []
        return [Finding(UPSTREAM_KNOWS, licence.field, UNKNOWN, repository.spdx_id)]
    if licence is None or github_verdict(repository.spdx_id, licence.id) is not Verdict.DIFFERS:
        return []
    return [Finding(LICENCE_CHANGED, licence.field, licence.id, repository.spdx_id or "none stated")]


def _card_facts(entry: Entry, model: HubModel) -> list[Finding]:
    """What the card's metadata states where the entry says unknown (entries.CARD_FACTS)."""
    stated = {
        "base_model": model.base_models,
        "training_data": model.datasets,
        "languages": model.languages,
        "deployment.formats": model.formats,
    }
    return [
        Finding(UPSTREAM_KNOWS, path, UNKNOWN, clean_text(", ".join(stated[path])))  # cut, if long
        for path in sorted(entry.silent)
        if stated.get(path)
    ]


def _quotes(entry: Entry, files: dict[str, str | None]) -> list[Finding]:
    """Each claim whose file at the head (when it was read) is gone or lacks the quoted words."""
    findings = []
    for claim in entry.claims:
        head = head_url(claim.source)
        if head is None or head not in files:
            continue  # not a file at a commit, or not read this time
        text = files[head]
        if text is None:
            findings.append(Finding(QUOTE_GONE, claim.field, claim.quote, FILE_GONE, claim.source))
        elif not quote_found(claim.quote, text, head.rsplit("/", 1)[-1]):
            findings.append(Finding(QUOTE_GONE, claim.field, claim.quote, WORDS_NOT_FOUND, claim.source))
    return findings


def _gate(entry: Entry, model: HubModel) -> list[Finding]:
    """Only `open` and `gated` say what the Hub's gate should be; other levels are granted elsewhere."""
    if model.gated is False:
        upstream = "open"
    elif isinstance(model.gated, str):
        upstream = f"gated ({model.gated} approval)"  # the Hub says "auto" or "manual"
    else:
        upstream = "gated"
    if (entry.access == "open" and upstream != "open") or (entry.access == "gated" and upstream == "open"):
        return [Finding(GATED_CHANGED, "access", entry.access, upstream)]
    return []


def _card_revision(entry: Entry, model: HubModel, revision_known: bool | None) -> list[Finding]:
    if model.sha is None:
        return []
    if entry.card_revision:
        if model.sha.startswith(entry.card_revision.lower()) or revision_known is not True:
            return []  # unchanged, or the revision is one of the repository's, not the card's
        return [Finding(CARD_CHANGED, "sources", entry.card_revision, model.sha)]
    if model.last_modified and model.last_modified > entry.verified:
        return [Finding(CARD_CHANGED, "verified", entry.verified, model.last_modified)]
    return []


def _inactivity(observed: Observed, thresholds: Thresholds, today: str) -> list[Finding]:
    """The newest activity over every source: card changes, pushes and releases."""
    dated = [(model.last_modified, card_field) for card_field, model in observed.cards.items()]
    if observed.repository is not None:
        dated += [
            (observed.repository.pushed_at, "links.repository"),
            (observed.repository.latest_release, "links.repository"),
        ]
    known = [(day, where) for day, where in dated if day]
    if not known:
        return []
    last, where = max(known)
    if _days_between(last, today) > thresholds.inactive_days:
        return [Finding(INACTIVE, where, None, last)]
    return []


def _days_between(earlier: str, later: str) -> int:
    return (datetime.date.fromisoformat(later) - datetime.date.fromisoformat(earlier[:10])).days
