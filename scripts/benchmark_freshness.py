"""Benchmark of the freshness check at 69, 1,000 and 10,000 entries, against the fakes on 127.0.0.1.

    .venv/bin/python scripts/benchmark_freshness.py [--sizes 69 1000 10000] [--latency 0.3] [--workers 4]

The entries are the real catalogue's (data/models.yaml), copied as often as
needed with their Hugging Face and GitHub names made unique per copy, so the
mix of cards, variants, revisions, repositories and repeated URLs is the
catalogue's. Each size is run twice against fakes that know every model: a
cold night (empty cache) and a warm one (the cache of the first, so unchanged
answers come back as 304). Pacing, budgets and the time budget are off, to
count every request a full pass makes. For each run it prints:

- requests to each API, the 304s among them, and the questions a repeated URL saved;
- the wall time on loopback;
- the projected time of a full pass with `latency` seconds per request and
  `workers` requests at once per API: max over the APIs of requests x latency / workers,
  and at least requests / rate at the default pace (Hub 1.5 a second without a token);
- the nights a full pass takes under the default limits: the Hub at 1.5 a second for the
  600 s time budget (900 requests a night), GitHub 900 counted requests a night (a 304 is free).

Not a test: it prints figures for a person to read; nothing asserts a time.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes live with the tests

from ohm.catalog.evidence import head_url  # noqa: E402
from ohm.freshness.check import check_entries, cited_files  # noqa: E402
from ohm.freshness.client import Api, ApiLimits, ClientSettings, ResponseCache  # noqa: E402
from ohm.freshness.command import GITHUB_BUDGET, GITHUB_HEADERS, HUB_RATE, TIME_BUDGET  # noqa: E402
from ohm.freshness.entries import Entry, read_entries  # noqa: E402
from ohm.freshness.findings import Thresholds  # noqa: E402
from ohm.freshness.upstream import github_repo, hub_repo  # noqa: E402
from tests.fake_upstream import FakeApi  # noqa: E402

TODAY = "2026-11-25"


def catalogue_of(size: int) -> list[Entry]:
    """`size` entries: the real catalogue's, copied, each copy with its own upstream names."""
    base, problems = read_entries(ROOT / "data" / "models.yaml")
    assert not problems, problems
    entries = []
    for number in range(size):
        original, copy = base[number % len(base)], number // len(base)
        rename = _renamer(copy)
        entries.append(
            replace(
                original,
                id=f"{original.id}-{copy}" if copy else original.id,
                card=original.card and replace(original.card, url=rename(original.card.url)),
                variant_cards=tuple(replace(card, url=rename(card.url)) for card in original.variant_cards),
                repository=rename(original.repository),
                claims=tuple(replace(c, source=_in_copy(c.source, copy)) for c in original.claims),
            )
        )
    return entries


def _in_copy(source: str, copy: int) -> str:
    """A pinned source in the copy's own repository (its name ends in -COPY)."""
    return source if copy == 0 else _REPOSITORY.sub(rf"\g<0>-{copy}", source, count=1)


_REPOSITORY = re.compile(
    r"^https://(github\.com|raw\.githubusercontent\.com|huggingface\.co(/datasets|/spaces)?)/[^/]+/[^/]+"
)


def _renamer(copy: int) -> Callable[[str | None], str | None]:
    def rename(url: str | None) -> str | None:
        return url if url is None or copy == 0 else f"{url.rstrip('/')}-{copy}"

    return rename


def teach(hub: FakeApi, github: FakeApi, entries: list[Entry]) -> None:
    for entry in entries:
        for card in (entry.card, *entry.variant_cards):
            repo = hub_repo(card.url) if card else None
            if repo:
                revisions = (entry.card_revision,) if entry.card_revision else ()
                hub.hub_model(repo, "apache-2.0", revisions=revisions)
        repo = github_repo(entry.repository) if entry.repository else None
        if repo:
            github.github_repo(repo, "Apache-2.0", release="2026-06-01T00:00:00Z" if len(repo) % 2 else None)
        for file in cited_files(entry):  # each cited file holds the words its claims quote
            quotes = "\n".join(claim.quote for claim in entry.claims if head_url(claim.source) == file.url)
            if file.api == "hub":
                hub.files[file.path] = quotes.encode()
            else:
                repo, path = file.path.removeprefix("/repos/").split("/contents/", 1)
                github.github_file(repo, path, quotes)


def run(entries: list[Entry], hub: FakeApi, github: FakeApi, cache: ResponseCache, workers: int) -> dict:
    settings = ClientSettings(timeout=20, retries=0)
    hub_api = Api("Hugging Face", hub.url, None, cache, settings, limits=ApiLimits(workers=workers))
    github_api = Api(
        "GitHub",
        github.url,
        None,
        cache,
        settings,
        GITHUB_HEADERS,
        ApiLimits(workers=workers, free_not_modified=True),
    )
    started = time.monotonic()
    results = check_entries(entries, hub_api, github_api, Thresholds(), TODAY)
    seconds = time.monotonic() - started
    assert all(result.reached for result in results)
    return {
        "hub": hub_api.requests,
        "github": github_api.requests,
        "hub_304": hub_api.not_modified,
        "github_304": github_api.not_modified,
        "repeats": hub_api.repeats + github_api.repeats,
        "seconds": seconds,
    }


def projected(figures: dict, latency: float, workers: int) -> float:
    hub = max(figures["hub"] * latency / workers, figures["hub"] / HUB_RATE[False])
    github = figures["github"] * latency / workers
    return max(hub, github)


def nights(figures: dict) -> int:
    hub_a_night = HUB_RATE[False] * TIME_BUDGET
    counted = figures["github"] - figures["github_304"]
    return max(1, math.ceil(figures["hub"] / hub_a_night), math.ceil(counted / GITHUB_BUDGET))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[69, 1000, 10000])
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per request (default: 0.3)")
    parser.add_argument("--workers", type=int, default=4, help="requests at once per API (default: 4)")
    args = parser.parse_args()
    print(
        f"| entries | cache | Hub requests (304) | GitHub requests (304) | repeats asked once | loopback | "
        f"full pass at {args.latency:g} s a request | nights for a full pass |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        entries = catalogue_of(size)
        with FakeApi() as hub, FakeApi() as github:
            teach(hub, github, entries)
            cache = ResponseCache()
            for night in ("cold", "warm"):
                figures = run(entries, hub, github, cache, args.workers)
                print(
                    f"| {size:,} | {night} | {figures['hub']:,} ({figures['hub_304']:,}) | "
                    f"{figures['github']:,} ({figures['github_304']:,}) | {figures['repeats']:,} | "
                    f"{figures['seconds']:.1f} s | "
                    f"{projected(figures, args.latency, args.workers) / 60:.0f} min | {nights(figures)} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
