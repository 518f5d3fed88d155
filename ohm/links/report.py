"""The report of a run, grouped by catalogue entry: report.json for machines, report.md for people.

    {"version": 1, "date": "2026-11-25", "outcome": "new-broken" | "broken" | "clean",
     "summary": {"unique_urls": 120, "new_broken": 1, "broken": 2, "failing": 1, ..., "ok": 110,
                 "not_checked_for_time": 0},
     "complete": true, "settings": {"broken_after_runs": 3, ...},
     "entries": [{"entry": "medsam", "name": "MedSAM", "links": [{"field": "links.paper", "url": ...,
                  "status": "broken", "new": true, "detail": "404 Not Found", ...}]}]}

A failing link is "broken" once it failed on `broken_after_runs` consecutive
runs; links between pages of our own site are broken at once. A LinkReport
is that file as typed data: the Markdown and the tracking issue read its
attributes, and `from_json(to_json(report))` is the same report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from ohm.nightly.files import ReportError, read_json, write_json
from ohm.nightly.markdown import code_span
from ohm.site.render import markdown_text

from .check import LinkResult
from .classify import Skip, Status
from .history import History
from .settings import Settings

VERSION = 1


@dataclass(frozen=True)
class ReportedLink:
    """One place a link is written (or, for links found only on the site, the page it was found on)."""

    field: str | None
    line: int | None
    url: str
    status: Status
    new: bool  # became broken in this run
    detail: str
    moved_to: str | None
    redirects: tuple[str, ...]
    not_checked_because: str | None  # a Skip value
    first_failed: str | None
    consecutive_failures: int
    attempts: int
    found_on: str | None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status.value, "redirects": list(self.redirects)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportedLink:
        values = {f.name: data[f.name] for f in fields(cls)}
        status = Status(data["status"])  # type: ignore[call-arg]  # a lookup by value, not a new member
        return cls(**{**values, "status": status, "redirects": tuple(data["redirects"])})


@dataclass(frozen=True)
class EntryLinks:
    entry: str  # a catalogue entry's id, or "page /path/" for links found only on the site
    name: str | None
    links: list[ReportedLink]

    @property
    def is_page(self) -> bool:
        return self.entry.startswith("page ")


@dataclass(frozen=True)
class ReportSettings:
    """The settings of the run that the report explains itself with."""

    broken_after_runs: int
    retries: int
    threads: int
    per_host_rate: float
    timeout: float
    run_budget_seconds: float
    host_budget_seconds: float


@dataclass(frozen=True)
class LinkReport:
    date: str
    counts: dict[Status, int]  # unique URLs per status, every status present
    new_broken: int
    not_checked_for_time: int  # URLs the run's time budget did not reach
    settings: ReportSettings
    entries: list[EntryLinks]

    @property
    def unique_urls(self) -> int:
        return sum(self.counts.values())

    @property
    def broken(self) -> int:
        return self.counts[Status.BROKEN]

    @property
    def complete(self) -> bool:
        """False: the run's time budget ran out before every URL was checked."""
        return not self.not_checked_for_time

    @property
    def outcome(self) -> str:
        return "new-broken" if self.new_broken else ("broken" if self.broken else "clean")

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "date": self.date,
            "outcome": self.outcome,
            "summary": {
                "unique_urls": self.unique_urls,
                "new_broken": self.new_broken,
                **{status.value: count for status, count in self.counts.items()},
                "not_checked_for_time": self.not_checked_for_time,
            },
            "complete": self.complete,
            "settings": asdict(self.settings),
            "entries": [
                {"entry": group.entry, "name": group.name, "links": [link.to_json() for link in group.links]}
                for group in self.entries
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkReport:
        summary = data["summary"]
        return cls(
            date=data["date"],
            counts={status: summary[status.value] for status in Status},
            new_broken=summary["new_broken"],
            not_checked_for_time=summary["not_checked_for_time"],
            settings=ReportSettings(**data["settings"]),
            entries=[
                EntryLinks(
                    group["entry"], group["name"], [ReportedLink.from_json(link) for link in group["links"]]
                )
                for group in data["entries"]
            ],
        )


def write_report(report: LinkReport, path: Path) -> None:
    write_json(path, report.to_json())


def read_report(path: Path) -> LinkReport:
    """The report.json written by `ohm links`; ReportError if it cannot be used."""
    data = read_json(path, "version", VERSION)
    try:
        return LinkReport.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReportError(f"{path}: not a link report ({type(error).__name__}: {error})") from None


# --- From the results of a run --------------------------------------------------


def report_status(
    result: LinkResult, before: History, after: History, settings: Settings
) -> tuple[Status, bool]:
    """Its status in the report (FAILING, or not checked for a silent host, becomes BROKEN after
    enough runs); did it become broken now?"""
    if result.outcome.status is not Status.FAILING and not result.outcome.host_silent:
        return result.outcome.status, False
    threshold = 1 if result.internal else settings.broken_after_runs
    failures_after = after[result.url].failures if result.url in after else 1
    if failures_after < threshold:
        return result.outcome.status, False
    was_broken = result.url in before and before[result.url].failures >= threshold
    return Status.BROKEN, not was_broken


def build_report(
    results: list[LinkResult], before: History, after: History, settings: Settings, today: str
) -> LinkReport:
    order = list(Status)
    rows: list[tuple[str, str | None, ReportedLink]] = []
    status_of: dict[str, tuple[Status, bool]] = {}
    for result in results:
        status, new = report_status(result, before, after, settings)
        status_of[result.url] = (status, new)
        failure = after.get(result.url)
        outcome = result.outcome
        detail = outcome.detail
        if status is Status.BROKEN and outcome.host_silent and failure is not None:
            detail = f"host silent since {failure.first_failed}: {detail}"
        places: list[tuple[str, str | None, str | None, int | None]] = [
            (o.entry, o.name, o.field, o.line) for o in result.occurrences
        ] or [(f"page {result.found_on or result.url}", None, None, None)]
        for entry, name, field_name, line in places:
            link = ReportedLink(
                field=field_name,
                line=line,
                url=result.url,
                status=status,
                new=new,
                detail=detail,
                moved_to=outcome.moved_to,
                redirects=outcome.redirects,
                not_checked_because=outcome.skipped.value if outcome.skipped else None,
                first_failed=failure.first_failed if failure else None,
                consecutive_failures=failure.failures if failure else 0,
                attempts=result.attempts,
                found_on=result.found_on,
            )
            rows.append((entry, name, link))
    rows.sort(key=lambda row: (order.index(row[2].status), row[0], row[2].field or "", row[2].url))
    groups: dict[str, EntryLinks] = {}
    for entry, name, link in rows:
        groups.setdefault(entry, EntryLinks(entry, name, [])).links.append(link)
    counts = {status: 0 for status in Status}
    for status, _new in status_of.values():
        counts[status] += 1
    return LinkReport(
        date=today,
        counts=counts,
        new_broken=sum(1 for status, new in status_of.values() if status is Status.BROKEN and new),
        not_checked_for_time=len({r.url for r in results if r.outcome.skipped is Skip.RUN_BUDGET}),
        settings=ReportSettings(
            broken_after_runs=settings.broken_after_runs,
            retries=settings.retries,
            threads=settings.threads,
            per_host_rate=settings.per_host_rate,
            timeout=settings.timeout,
            run_budget_seconds=settings.run_budget_seconds,
            host_budget_seconds=settings.host_budget_seconds,
        ),
        entries=sorted(groups.values(), key=lambda group: group.entry),
    )


# --- Markdown -----------------------------------------------------------------


def report_markdown(report: LinkReport) -> str:
    lines = [f"# Link check of {report.date}", "", _summary_line(report), ""]
    if not report.complete:
        lines += [
            f"**The run's time budget ({report.settings.run_budget_seconds:g} s) ran out:** "
            f"{report.not_checked_for_time} URLs were not checked (see *Not checked*).",
            "",
        ]
    rows_by_status: dict[Status, list[tuple[EntryLinks, ReportedLink]]] = {}
    for group in report.entries:
        for link in group.links:
            rows_by_status.setdefault(link.status, []).append((group, link))
    for status in Status:
        if status.heading is None or status not in rows_by_status:
            continue
        explanation = status.explanation.format(n=report.settings.broken_after_runs)
        lines += [f"## {status.heading}", "", explanation, ""]
        lines += _table(status, rows_by_status[status])
        lines.append("")
    if report.counts[Status.OK] == report.unique_urls:
        lines += ["Every link works.", ""]
    return "\n".join(lines)


def _summary_line(report: LinkReport) -> str:
    parts = [f"**{report.broken} broken** ({report.new_broken} new)"]
    parts += [f"{report.counts[status]} {status.label}" for status in Status if status is not Status.BROKEN]
    return " · ".join(parts) + f" — {report.unique_urls} unique URLs checked."


_FAILED = (Status.BROKEN, Status.FAILING)
_MOVED = (Status.MOVED, Status.MOVED_INSECURE)


def _table(status: Status, rows: list[tuple[EntryLinks, ReportedLink]]) -> list[str]:
    if status in _FAILED:
        header = ["Entry", "Field", "URL", "Error", "Failing since", "Runs"]
    elif status in _MOVED:
        header = ["Entry", "Field", "URL", "Now at"]
    elif status is Status.NOT_CHECKED:
        header = ["Entry", "Field", "URL", "Why"]
    else:
        header = ["Entry", "Field", "URL", "Response"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for group, link in rows:
        entry = markdown_text(group.entry) if group.is_page else f"`{group.entry}`"
        if group.name:
            entry += f" ({markdown_text(group.name)})"
        if link.new:
            entry += " **new**"
        field = f"`{link.field}`" + (f" (line {link.line})" if link.line else "") if link.field else ""
        cells = [entry, field, _url(link.url)]
        if status in _FAILED:
            chain = "".join(f" → {_url(hop)}" for hop in link.redirects)
            cells += [
                markdown_text(link.detail) + (f"; redirects: {_url(link.url)}{chain}" if chain else ""),
                link.first_failed or "",
                str(link.consecutive_failures),
            ]
        elif status in _MOVED:
            cells.append(_url(link.moved_to or ""))
        else:
            cells.append(markdown_text(link.detail))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _url(url: str) -> str:
    """A link, or (when it cannot be one) inline code that shows the URL as written."""
    if url.startswith(("https://", "http://")) and not any(c in url for c in " <>|`") and url.isprintable():
        return f"<{url}>"
    return code_span(url)
