"""One run: ask upstream about the entries, a few at a time within each API's limits, and compare.

An entry is asked about through its links: `links.model_card` and each
variant's `model_card` when they are Hugging Face model pages, and
`links.repository` when it is a GitHub repository; and through the files its
claims cite at a commit on GitHub or the Hub, each read at its head (once a
run, however many claims cite it). An entry with none of these is
still checked for `verified`. A source that fails is noted as not checked,
and the run goes on; nothing an upstream sends stops it.

Rotation: entries are taken oldest-checked first (never checked first, then
catalogue order), so a night that cannot ask about everything asks next
night about those it did not reach. An entry is started only while the run's
time budget lasts and each API it needs can set aside its requests from the
run's request budget. An entry not reached is compared with the answers
kept from its last check (the cache), and its result says when that was.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ohm.catalog.evidence import head_url

from .client import Api, NotChecked, counting
from .entries import Entry
from .findings import Finding, Observed, Thresholds, compare
from .upstream import (
    HeadFile,
    fetch_file,
    fetch_github_repo,
    fetch_hub_model,
    github_repo,
    head_file,
    hub_has_revision,
    hub_repo,
)


@dataclass(frozen=True)
class EntryResult:
    entry: Entry
    findings: list[Finding]
    not_checked: list[tuple[str, str]]  # (field, reason)
    reached: bool = True  # False: not asked this run; compared with the answers of `last_checked`
    last_checked: str | None = None  # the day upstream was last asked about it (today when reached)


def check_entries(
    entries: list[Entry],
    hub: Api,
    github: Api,
    thresholds: Thresholds,
    today: str,
    time_budget: float | None = None,
) -> list[EntryResult]:
    """Every entry's result, in the order given; `time_budget` seconds bound the whole run."""
    deadline = None if time_budget is None else time.monotonic() + time_budget
    return asyncio.run(_check_all(entries, hub, github, thresholds, today, deadline))


def rotation(entries: list[Entry], last_checked: dict[str, str]) -> list[Entry]:
    """The order in which a run asks: never checked first, then the longest unchecked; ties in file order."""
    order = {entry.id: index for index, entry in enumerate(entries)}
    return sorted(entries, key=lambda entry: (last_checked.get(entry.id, ""), order[entry.id]))


async def _check_all(
    entries: list[Entry], hub: Api, github: Api, thresholds: Thresholds, today: str, deadline: float | None
) -> list[EntryResult]:
    results: dict[str, EntryResult] = {}
    last_checked = hub.cache.checked
    # Entries in progress at once: enough to keep both APIs' workers busy; one worker each: one at a time.
    at_once = asyncio.Semaphore(max(1, hub.limits.workers + github.limits.workers - 1))

    async def one(entry: Entry, needs: dict[Api, int]) -> None:
        with counting() as counted:
            try:
                observed = await observe(entry, hub, github)
            finally:
                for api, count in needs.items():
                    api.refund(count, counted.get(api.name, 0))
                at_once.release()
        last_checked[entry.id] = today
        results[entry.id] = EntryResult(
            entry, compare(entry, observed, thresholds, today), observed.not_checked, True, today
        )

    async with hub.run(deadline), github.run(deadline):
        async with asyncio.TaskGroup() as tasks:
            for entry in rotation(entries, last_checked):
                await at_once.acquire()
                needs = _requests_needed(entry, hub, github)
                # Out of time or budget: a later entry may need nothing, or only the API with budget left.
                if (needs and _out_of_time(deadline)) or not _reserve(needs):
                    at_once.release()
                    continue
                tasks.create_task(one(entry, needs))
        for entry in entries:  # the rest: compared with what they were last told
            if entry.id not in results:
                observed = await observe(entry, hub, github, ask_upstream=False)
                results[entry.id] = EntryResult(
                    entry,
                    compare(entry, observed, thresholds, today),
                    observed.not_checked,
                    False,
                    last_checked.get(entry.id),
                )
    known = {entry.id for entry in entries}
    for gone in [entry_id for entry_id in last_checked if entry_id not in known]:
        del last_checked[gone]  # entries removed from the catalogue
    return [results[entry.id] for entry in entries]


def _requests_needed(entry: Entry, hub: Api, github: Api) -> dict[Api, int]:
    cards = sum(1 for card in (entry.card, *entry.variant_cards) if card and hub_repo(card.url))
    repository = 2 if entry.repository and github_repo(entry.repository) else 0  # the repo, its release
    revision = 1 if entry.card_revision and cards else 0
    files = [file.api for file in cited_files(entry)]
    needs = ((hub, cards + revision + files.count("hub")), (github, repository + files.count("github")))
    return {api: count for api, count in needs if count}


def cited_files(entry: Entry) -> dict[HeadFile, tuple[str, ...]]:
    """The distinct files the entry's claims cite, at their head, each with the fields citing it."""
    files: dict[HeadFile, tuple[str, ...]] = {}
    for claim in entry.claims:
        head = head_url(claim.source)
        file = head_file(head) if head else None
        if file is not None and claim.field not in files.get(file, ()):
            files[file] = (*files.get(file, ()), claim.field)
    return files


def _reserve(needs: dict[Api, int]) -> bool:
    reserved: list[tuple[Api, int]] = []
    for api, count in needs.items():
        if not api.reserve(count):
            for done, done_count in reserved:
                done.refund(done_count, 0)
            return False
        reserved.append((api, count))
    return True


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


async def observe(entry: Entry, hub: Api, github: Api, ask_upstream: bool = True) -> Observed:
    observed = Observed()

    async def ask(
        field: str | tuple[str, ...],
        api: Api,
        question: Callable[..., Awaitable[Any]],
        *arguments: Any,
        reading: str | None = None,
    ) -> Any:
        """The answer, or None with each field noted as not checked (the reason names the file `reading`)."""
        source = api if ask_upstream else _CachedOnly(api)
        try:
            return await question(source, *arguments)
        except NotChecked as error:
            reason = f"{api.name}: {error}"
        except Exception as error:  # a bug of this check: that question is not checked, the run goes on
            reason = f"{api.name}: error of the check ({type(error).__name__})"
        if reading:
            reason += f", reading {reading}"
        for each in (field,) if isinstance(field, str) else field:
            observed.not_checked.append((each, reason))
        return None

    for card in (entry.card, *entry.variant_cards):
        repo = hub_repo(card.url) if card else None
        if card and repo:
            model = await ask(card.field, hub, fetch_hub_model, repo)
            if model is not None:
                observed.cards[card.field] = model
    main = observed.cards.get("links.model_card")
    revision = entry.card_revision
    if main is not None and main.sha and revision and not main.sha.startswith(revision.lower()):
        observed.revision_known = await ask("sources", hub, hub_has_revision, main.repo, revision)
    repo = github_repo(entry.repository) if entry.repository else None
    if repo:
        observed.repository = await ask("links.repository", github, fetch_github_repo, repo)
    for file, fields in cited_files(entry).items():
        read = await ask(fields, hub if file.api == "hub" else github, fetch_file, file, reading=file.url)
        if read is not None:
            observed.files[read.url] = read.text
    return observed


class _CachedOnly:
    """An Api that answers from the cache only, for entries the run did not reach."""

    def __init__(self, api: Api):
        self.name = api.name
        self.get = api.cached
