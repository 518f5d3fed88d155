"""The report of a run, grouped by catalogue entry: JSON for machines, Markdown for people.

A failing link is "broken" once it failed on `broken_after_runs` consecutive
runs; links between pages of our own site are broken at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ohm.site.render import markdown_text

from .check import LinkResult
from .classify import Skip, Status
from .history import History
from .settings import Settings

VERSION = 1

# Statuses as shown in the report, worst first.
BROKEN, FAILING = "broken", "failing"
REPORT_ORDER = [
    BROKEN,
    FAILING,
    Status.ERROR.value,
    Status.MOVED_INSECURE.value,
    Status.MOVED.value,
    Status.BLOCKED.value,
    Status.RATE_LIMITED.value,
    Status.NOT_CHECKED.value,
    Status.OK.value,
]


@dataclass(frozen=True)
class Row:
    """One place a link is written (or, for site-only links, the page it was found on)."""

    entry: str
    name: str | None
    field: str | None
    line: int | None
    result: LinkResult
    status: str
    first_failed: str | None
    failures: int
    new: bool


def report_status(
    result: LinkResult, before: History, after: History, settings: Settings
) -> tuple[str, bool]:
    """("broken" | "failing" | other status, whether it became broken in this run)."""
    if result.outcome.status is not Status.FAILING:
        return result.outcome.status.value, False
    threshold = 1 if result.internal else settings.broken_after_runs
    failures_after = after[result.url].failures if result.url in after else 1
    if failures_after < threshold:
        return FAILING, False
    was_broken = result.url in before and before[result.url].failures >= threshold
    return BROKEN, not was_broken


def build_rows(results: list[LinkResult], before: History, after: History, settings: Settings) -> list[Row]:
    rows = []
    for result in results:
        status, new = report_status(result, before, after, settings)
        failure = after.get(result.url)
        first_failed = failure.first_failed if failure else None
        failures = failure.failures if failure else 0
        places = [(o.entry, o.name, o.field, o.line) for o in result.occurrences] or [
            (f"page {result.found_on or result.url}", None, None, None)
        ]
        for entry, name, field_name, line in places:
            rows.append(Row(entry, name, field_name, line, result, status, first_failed, failures, new))
    return sorted(
        rows, key=lambda row: (REPORT_ORDER.index(row.status), row.entry, row.field or "", row.result.url)
    )


def build_report(
    results: list[LinkResult], before: History, after: History, settings: Settings, today: str
) -> dict[str, Any]:
    rows = build_rows(results, before, after, settings)
    unique_status = {}
    for row in rows:
        unique_status[row.result.url] = (row.status, row.new)
    counts = {status: 0 for status in REPORT_ORDER}
    for status, _new in unique_status.values():
        counts[status] += 1
    new_broken = sum(1 for status, new in unique_status.values() if status == BROKEN and new)
    entries: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = entries.setdefault(row.entry, {"entry": row.entry, "name": row.name, "links": []})
        group["links"].append(_row_json(row))
    out_of_time = sorted({r.url for r in results if r.outcome.skipped is Skip.RUN_BUDGET})
    return {
        "version": VERSION,
        "date": today,
        "outcome": "new-broken" if new_broken else ("broken" if counts[BROKEN] else "clean"),
        "summary": {
            "unique_urls": len(unique_status),
            "new_broken": new_broken,
            **counts,
            "not_checked_for_time": len(out_of_time),
        },
        "complete": not out_of_time,  # False: the run's time budget ran out before every URL was checked
        "settings": {
            "broken_after_runs": settings.broken_after_runs,
            "retries": settings.retries,
            "threads": settings.threads,
            "per_host_rate": settings.per_host_rate,
            "timeout": settings.timeout,
            "run_budget_seconds": settings.run_budget_seconds,
            "host_budget_seconds": settings.host_budget_seconds,
        },
        "entries": sorted(entries.values(), key=lambda group: group["entry"]),
    }


def _row_json(row: Row) -> dict[str, Any]:
    outcome = row.result.outcome
    return {
        "field": row.field,
        "line": row.line,
        "url": row.result.url,
        "status": row.status,
        "new": row.new,
        "detail": outcome.detail,
        "moved_to": outcome.moved_to,
        "redirects": list(outcome.redirects),
        "not_checked_because": outcome.skipped.value if outcome.skipped else None,
        "first_failed": row.first_failed,
        "consecutive_failures": row.failures,
        "attempts": row.result.attempts,
        "found_on": row.result.found_on,
    }


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


# --- Markdown -----------------------------------------------------------------

# (status, title, what it means); each status's table is chosen in _table.
_SECTIONS = [
    (BROKEN, "Broken", "Failed on {n} or more consecutive runs (links between our own pages: at once)."),
    (FAILING, "Failing, not yet broken", "Failed on this run; reported as broken if this goes on."),
    (
        "error",
        "Errors of the checker",
        "The checker itself failed on these; that says nothing about the links, which count as unchecked.",
    ),
    (
        "moved-insecure",
        "Moved to an insecure address",
        "These https addresses now redirect to plain http, which the catalogue does not take: "
        "look for a secure address, or remove the link.",
    ),
    ("moved", "Moved", "These work through a redirect: put the new address in the catalogue."),
    ("blocked", "Blocked", "The host answered 403: it refuses robots (a bot wall); not counted as broken."),
    ("rate-limited", "Rate limited", "The host answered 429 even after waiting; not checked this time."),
    (
        "not-checked",
        "Not checked",
        "Never requested in this run, for the reason given; not counted as broken or as working.",
    ),
]


def report_markdown(report: dict[str, Any]) -> str:
    summary = report["summary"]
    lines = [f"# Link check of {report['date']}", "", _summary_line(summary), ""]
    if not report["complete"]:
        lines += [
            f"**The run's time budget ({report['settings']['run_budget_seconds']:g} s) ran out:** "
            f"{summary['not_checked_for_time']} URLs were not checked (see *Not checked*).",
            "",
        ]
    rows_by_status: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for group in report["entries"]:
        for link in group["links"]:
            rows_by_status.setdefault(link["status"], []).append((group, link))
    for status, title, explanation in _SECTIONS:
        if status not in rows_by_status:
            continue
        lines += [f"## {title}", "", explanation.format(n=report["settings"]["broken_after_runs"]), ""]
        lines += _table(status, rows_by_status[status])
        lines.append("")
    if summary["ok"] == summary["unique_urls"]:
        lines += ["Every link works.", ""]
    return "\n".join(lines)


def _summary_line(summary: dict[str, Any]) -> str:
    parts = [f"**{summary[BROKEN]} broken** ({summary['new_broken']} new)"]
    labels = {
        FAILING: "failing",
        "error": "errors",
        "moved-insecure": "moved to http",
        "moved": "moved",
        "blocked": "blocked",
        "rate-limited": "rate limited",
        "not-checked": "not checked",
        "ok": "ok",
    }
    parts += [f"{summary[status]} {label}" for status, label in labels.items()]
    return " · ".join(parts) + f" — {summary['unique_urls']} unique URLs checked."


def _table(status: str, rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[str]:
    if status in (BROKEN, FAILING):
        header = ["Entry", "Field", "URL", "Error", "Failing since", "Runs"]
    elif status in ("moved", "moved-insecure"):
        header = ["Entry", "Field", "URL", "Now at"]
    elif status == "not-checked":
        header = ["Entry", "Field", "URL", "Why"]
    else:
        header = ["Entry", "Field", "URL", "Response"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for group, link in rows:
        entry = markdown_text(group["entry"]) if group["entry"].startswith("page ") else f"`{group['entry']}`"
        if group["name"]:
            entry += f" ({markdown_text(group['name'])})"
        if link["new"]:
            entry += " **new**"
        field = (
            f"`{link['field']}`" + (f" (line {link['line']})" if link["line"] else "")
            if link["field"]
            else ""
        )
        cells = [entry, field, _url(link["url"])]
        if status in (BROKEN, FAILING):
            chain = "".join(f" → {_url(hop)}" for hop in link["redirects"])
            cells += [
                markdown_text(link["detail"]) + (f"; redirects: {_url(link['url'])}{chain}" if chain else ""),
                link["first_failed"] or "",
                str(link["consecutive_failures"]),
            ]
        elif status in ("moved", "moved-insecure"):
            cells.append(_url(link["moved_to"] or ""))
        else:
            cells.append(markdown_text(link["detail"]))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _url(url: str) -> str:
    if url.startswith(("https://", "http://")) and not any(c in url for c in " <>|"):
        return f"<{url}>"
    return f"`{url}`" if "`" not in url and "|" not in url else markdown_text(url)
