"""The freshness check at scale, in-process against the fakes on 127.0.0.1: each API asked
concurrently within its limits, a URL asked once a run, a request budget, and the rotation."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ohm.freshness.check import check_entries, rotation
from ohm.freshness.client import Api, ApiLimits, ClientSettings, ResponseCache
from ohm.freshness.entries import Entry, entry_facts
from ohm.freshness.findings import Thresholds
from ohm.freshness.history import update
from ohm.freshness.report import build_freshness, report_markdown

from .fake_upstream import Failure, FakeApi
from .test_freshness_compare import typed

TODAY = "2026-11-25"
SETTINGS = ClientSettings(timeout=5, retries=0, backoff_seconds=0)


def entry(number: int, card: str | None = None, **fields: object) -> Entry:
    name = f"model-{number:05d}"
    return entry_facts(
        typed(
            {
                **fields,
                "id": name,
                "name": name,
                "links": {
                    "model_card": card or f"https://huggingface.co/example/{name}",
                    "repository": f"https://github.com/example/{name}",
                },
                "licenses": {"weights": {"id": "Apache-2.0"}, "code": {"id": "Apache-2.0"}},
                "access": "open",
                "verified": "2026-11-01",
            }
        )
    )


@pytest.fixture
def fakes() -> Iterator[tuple[FakeApi, FakeApi]]:
    with FakeApi() as hub, FakeApi() as github:
        for number in range(40):
            hub.hub_model(f"example/model-{number:05d}", "apache-2.0")
            github.github_repo(f"example/model-{number:05d}", "Apache-2.0", release="2026-06-01T00:00:00Z")
        yield hub, github


def apis(fakes, cache: ResponseCache, hub_limits: ApiLimits, github_limits: ApiLimits) -> tuple[Api, Api]:
    hub, github = fakes
    return (
        Api("Hugging Face", hub.url, None, cache, SETTINGS, limits=hub_limits),
        Api("GitHub", github.url, None, cache, SETTINGS, limits=github_limits),
    )


@pytest.mark.timeout(60)
def test_each_api_is_asked_concurrently_but_never_past_its_workers(fakes):
    hub, github = fakes
    for fake in fakes:
        fake.down = Failure(200, delay=0.2, body=b"{}")  # slow enough for requests to overlap
    hub_api, github_api = apis(fakes, ResponseCache(), ApiLimits(workers=3), ApiLimits(workers=2))
    results = check_entries([entry(n) for n in range(12)], hub_api, github_api, Thresholds(), TODAY)
    assert len(results) == 12
    assert hub.most_in_flight == 3 and github.most_in_flight == 2


@pytest.mark.timeout(60)
def test_a_url_named_by_several_entries_is_asked_once_a_run(fakes):
    hub, _github = fakes
    shared = "https://huggingface.co/example/model-00000"
    entries = [entry(0), *(entry(n, card=shared) for n in range(1, 5))]
    hub_api, github_api = apis(fakes, ResponseCache(), ApiLimits(workers=4), ApiLimits(workers=4))
    results = check_entries(entries, hub_api, github_api, Thresholds(), TODAY)
    assert hub.paths() == ["/api/models/example/model-00000"]
    assert hub_api.repeats == 4 and all(result.not_checked == [] for result in results)


@pytest.mark.timeout(60)
def test_a_request_budget_leaves_the_rest_for_the_next_night_oldest_first(fakes):
    _hub, github = fakes
    entries = [entry(n) for n in range(10)]
    cache = ResponseCache()
    budget = ApiLimits(workers=2, budget=8, free_not_modified=True)  # two requests an entry: four entries
    hub_api, github_api = apis(fakes, cache, ApiLimits(workers=2), budget)

    first = check_entries(entries, hub_api, github_api, Thresholds(), "2026-11-24")
    reached = [result.entry.id for result in first if result.reached]
    assert reached == [f"model-{n:05d}" for n in range(4)] and len(github.requests) == 8
    assert all(result.last_checked is None for result in first if not result.reached)

    nights = [first]
    for day in ("2026-11-25", "2026-11-26"):
        nights.append(check_entries(entries, hub_api, github_api, Thresholds(), day))
    assert {r.entry.id for r in nights[1] if r.reached} == {f"model-{n:05d}" for n in range(4, 8)}, (
        "the never checked go first, in catalogue order"
    )
    asked = {result.entry.id for night in nights for result in night if result.reached}
    assert asked == {e.id for e in entries}, "every entry within ceil(10 x 2 / 8) = 3 nights"


@pytest.mark.timeout(60)
def test_an_entry_not_reached_is_compared_with_its_last_answers_and_says_when(fakes):
    hub, _github = fakes
    # Its licence changed before the first night; the revision its sources pin is an older one of the card.
    hub.hub_model("example/model-00001", "cc-by-nc-4.0", revisions=("c" * 40,))
    card_read_at = f"https://huggingface.co/example/model-00001/blob/{'c' * 40}/README.md"
    entries = [entry(0), entry(1, sources=[card_read_at])]
    cache = ResponseCache()
    hub_api, github_api = apis(fakes, cache, ApiLimits(workers=1), ApiLimits(workers=1))
    check_entries(entries, hub_api, github_api, Thresholds(), "2026-11-24")

    github_api.limits = ApiLimits(workers=1, budget=2)  # the second night reaches only one entry
    results = check_entries(entries, hub_api, github_api, Thresholds(), "2026-11-25")
    report = build_freshness(
        results,
        update({}, {r.entry.id: r.findings for r in results}, set(), "2026-11-25"),
        Thresholds(),
        TODAY,
    )
    assert report.not_reached == {"model-00001": "2026-11-24"}
    finding = report.entries["model-00001"][0]
    assert (finding.kind, finding.upstream) == ("licence-changed", "cc-by-nc-4.0"), "from the cached answer"
    assert [f.kind for f in report.entries["model-00001"]] == ["licence-changed", "card-changed"]
    assert "model-00001" not in report.not_checked
    text = report_markdown(report)
    assert "### Not reached this run" in text and "- `model-00001`: last checked 2026-11-24" in text


def test_the_rotation_takes_the_never_checked_then_the_oldest_in_catalogue_order():
    entries = [entry(n) for n in range(4)]
    last = {"model-00000": "2026-11-20", "model-00001": "2026-11-18", "model-00003": "2026-11-20"}
    assert [e.id for e in rotation(entries, last)] == [
        "model-00002",
        "model-00001",
        "model-00000",
        "model-00003",
    ]


def test_the_cache_keeps_when_each_entry_was_checked(tmp_path, fakes):
    cache = ResponseCache()
    hub_api, github_api = apis(fakes, cache, ApiLimits(), ApiLimits())
    check_entries([entry(0)], hub_api, github_api, Thresholds(), TODAY)
    cache.write(tmp_path / "cache.json")
    data = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert data["checked"] == {"model-00000": TODAY}
    assert ResponseCache.read(tmp_path / "cache.json").checked == {"model-00000": TODAY}


# --- No pings from upstream text ---------------------------------------------------------------


class _LiveText(__import__("html.parser").parser.HTMLParser):
    """The text GitHub would scan for mentions and references: all but code, pre and links."""

    def __init__(self, skip: tuple[str, ...] = ("code", "pre", "a")) -> None:
        super().__init__()
        self.skip = skip
        self.inside = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.inside += tag in self.skip

    def handle_endtag(self, tag: str) -> None:
        self.inside -= tag in self.skip

    def handle_data(self, data: str) -> None:
        if not self.inside:
            self.text.append(data)


def test_upstream_values_in_the_report_mention_no_one_and_reference_no_issue():
    import re

    import markdown

    from ohm.freshness.report import FreshnessReport, ReportedFinding, Unanswered

    hostile = ["@octocat", "see #123", "`@x` #1`", "org/repo#9 GH-42", "``@a``", "a`b @c`d", "\\@e \\#5"]
    report = FreshnessReport(
        TODAY,
        Thresholds(),
        entries={
            "model": [
                ReportedFinding("licence-changed", "licenses.weights", "Apache-2.0", value, TODAY)
                for value in hostile
            ]
            + [ReportedFinding("@kind-from-later #7", "links.model_card", None, None, TODAY)]
        },
        not_checked={"model": [Unanswered("links.repository", "GitHub: 503 @someone #77")]},
    )
    html = markdown.markdown(report_markdown(report))
    live = _LiveText()
    live.feed(html)
    text = "".join(live.text)
    assert not re.search(r"(?<![\w`])@[A-Za-z0-9]", text), text
    assert not re.search(r"#\d|\bGH-\d", text), text
    everything = _LiveText(skip=())
    everything.feed(html)
    shown = "".join(everything.text).replace("\u2060", "")
    assert [value for value in hostile if value not in shown] == [], "each value is still shown, whole"
