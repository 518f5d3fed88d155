"""One run: ask upstream about every entry, one after the other, and compare.

An entry is asked about through its links: `links.model_card` and each
variant's `model_card` when they are Hugging Face model pages, and
`links.repository` when it is a GitHub repository. An entry with neither is
still checked for `verified`. A source that fails is noted as not checked,
and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .client import Api, NotChecked
from .entries import Entry
from .findings import Finding, Observed, Thresholds, compare
from .upstream import fetch_github_repo, fetch_hub_model, github_repo, hub_has_revision, hub_repo


@dataclass(frozen=True)
class EntryResult:
    entry: Entry
    findings: list[Finding]
    not_checked: list[tuple[str, str]]  # (field, reason)


def check_entries(
    entries: list[Entry], hub: Api, github: Api, thresholds: Thresholds, today: str
) -> list[EntryResult]:
    results = []
    for entry in entries:
        observed = observe(entry, hub, github)
        results.append(EntryResult(entry, compare(entry, observed, thresholds, today), observed.not_checked))
    return results


def observe(entry: Entry, hub: Api, github: Api) -> Observed:
    observed = Observed()

    def ask(field: str, api: Api, question: Callable[..., Any], *arguments: str) -> Any:
        try:
            return question(api, *arguments)
        except NotChecked as error:
            observed.not_checked.append((field, f"{api.name}: {error}"))
        except (ValueError, KeyError, TypeError, AttributeError) as error:  # an answer of an odd shape
            observed.not_checked.append((field, f"{api.name}: unexpected answer ({type(error).__name__})"))
        return None

    for card in (entry.card, *entry.variant_cards):
        repo = hub_repo(card.url) if card else None
        if card and repo:
            model = ask(card.field, hub, fetch_hub_model, repo)
            if model is not None:
                observed.cards[card.field] = model
    main = observed.cards.get("links.model_card")
    revision = entry.verified_revision
    if main is not None and main.sha and revision and not main.sha.startswith(revision.lower()):
        observed.revision_known = ask("verified_revision", hub, hub_has_revision, main.repo, revision)
    repo = github_repo(entry.repository) if entry.repository else None
    if repo:
        observed.repository = ask("links.repository", github, fetch_github_repo, repo)
    return observed
