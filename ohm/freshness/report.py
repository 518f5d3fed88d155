"""freshness.json, and the Markdown section of the nightly report and tracking issue made from it.

    {"schema_version": 1, "checked": "2026-11-25",
     "thresholds": {"inactive_days": 365, "verification_days": 180},
     "entries": {"medsam": [{"kind": "licence-changed", "field": "licenses.weights",
                             "catalogue": "Apache-2.0", "upstream": "cc-by-nc-4.0", "since": "2026-11-20"},
                            {"kind": "quote-gone", "field": "access", "catalogue": "the quoted words",
                             "upstream": "words not found", "since": "2026-11-20",
                             "source": "https://huggingface.co/OWNER/REPO/blob/SHA/README.md"}]},
     "not_checked": {"whisper": [{"field": "links.repository", "reason": "GitHub: 503 Service Unavailable"}]},
     "not_reached": {"medsam": "2026-11-23"}}

`entries` holds only entries with findings; `not_checked` lists the upstream
questions that got no answer this run, which are never findings; `not_reached`
(added later; absent means none) names the entries this run did not ask about
(its time or request budget ran out first) with the day they were last asked
about, or null if never: their findings come from the answers of that day. A
finding's `source` (added later; absent means none) is the pinned source whose
quote a `quote-gone` finding is about. The file
changes `schema_version` only when a field is renamed, removed or changes meaning.
A FreshnessReport is that file as typed data, read by the Markdown, the
site's notices and the tracking issue.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ohm.catalog.evidence import QUOTE_MAX_LENGTH
from ohm.nightly.files import ReportError, read_json, write_json
from ohm.nightly.markdown import code_span
from ohm.site.render import markdown_text

from .check import EntryResult
from .findings import INACTIVE, KINDS, QUOTE_GONE, VERIFICATION_DUE, Thresholds
from .history import History, key
from .text import clean_text

SCHEMA_VERSION = 1

FreshnessError = ReportError  # the name the site plugin knows a bad freshness file by


@dataclass(frozen=True)
class ReportedFinding:
    kind: str  # one of findings.KINDS, or a kind of a newer version of this check
    field: str
    catalogue: str | None
    upstream: str | None
    since: str  # the first run that saw it (YYYY-MM-DD)
    source: str | None = None  # quote-gone: the pinned source of the quote


@dataclass(frozen=True)
class Unanswered:
    """An upstream question that got no answer this run: never a finding."""

    field: str
    reason: str


@dataclass(frozen=True)
class FreshnessReport:
    checked: str  # the day of the run
    thresholds: Thresholds
    entries: dict[str, list[ReportedFinding]]  # only entries with findings, by id
    not_checked: dict[str, list[Unanswered]]
    not_reached: dict[str, str | None] = field(default_factory=dict)  # entry id -> last checked, by id

    def is_new(self, finding: ReportedFinding) -> bool:
        return finding.since == self.checked

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "checked": self.checked,
            "thresholds": asdict(self.thresholds),
            "entries": {entry: [_finding_json(f) for f in items] for entry, items in self.entries.items()},
            "not_checked": {entry: [asdict(u) for u in items] for entry, items in self.not_checked.items()},
            "not_reached": self.not_reached,
        }


def _finding_json(finding: ReportedFinding) -> dict[str, Any]:
    return {name: value for name, value in asdict(finding).items() if value is not None or name != "source"}


_FINDING_FIELDS = tuple(f.name for f in fields(ReportedFinding) if f.name != "source")


def build_freshness(
    results: list[EntryResult], history: History, thresholds: Thresholds, today: str
) -> FreshnessReport:
    entries: dict[str, list[ReportedFinding]] = {}
    not_checked: dict[str, list[Unanswered]] = {}
    not_reached: dict[str, str | None] = {}
    kind_order = list(KINDS)
    for result in sorted(results, key=lambda result: result.entry.id):
        sinces = history.get(result.entry.id, {})
        findings = sorted(result.findings, key=lambda f: (kind_order.index(f.kind), f.field))
        if findings:
            entries[result.entry.id] = [
                ReportedFinding(**asdict(finding), since=sinces.get(key(finding), today))
                for finding in findings
            ]
        if result.not_checked:
            not_checked[result.entry.id] = [Unanswered(field, reason) for field, reason in result.not_checked]
        if not result.reached:
            not_reached[result.entry.id] = result.last_checked
    return FreshnessReport(today, thresholds, entries, not_checked, not_reached)


def write_freshness(report: FreshnessReport, path: Path) -> None:
    write_json(path, report.to_json())


def read_freshness(path: Path) -> FreshnessReport:
    """A freshness file written by `ohm freshness`; ReportError if it cannot be used."""
    data = read_json(path, "schema_version", SCHEMA_VERSION)
    entries = data.get("entries")
    if not isinstance(data.get("checked"), str) or not isinstance(entries, dict):
        raise ReportError(f"{path}: `checked` and `entries` are missing")
    for entry_id, findings in entries.items():
        if not isinstance(findings, list) or not all(
            isinstance(finding, dict) and all(name in finding for name in _FINDING_FIELDS)
            for finding in findings
        ):
            raise ReportError(f"{path}: entry {entry_id!r}: each finding needs {', '.join(_FINDING_FIELDS)}")
    try:
        return FreshnessReport(
            checked=data["checked"],
            thresholds=Thresholds(**data.get("thresholds", {})),
            entries={
                entry_id: [
                    ReportedFinding(**{name: f[name] for name in _FINDING_FIELDS}, source=_text_or_none(f))
                    for f in findings
                ]
                for entry_id, findings in entries.items()
            },
            not_checked={
                entry_id: [Unanswered(item["field"], item["reason"]) for item in items]
                for entry_id, items in data.get("not_checked", {}).items()
            },
            not_reached={
                str(entry_id): day if isinstance(day, str) else None
                for entry_id, day in (data.get("not_reached") or {}).items()
            },
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ReportError(f"{path}: not a freshness report ({type(error).__name__}: {error})") from None


def _text_or_none(finding: dict[str, Any]) -> str | None:
    source = finding.get("source")
    return source if isinstance(source, str) else None


# --- Markdown -----------------------------------------------------------------


# The longest lists a section shows; freshness.json has them all.
MAX_ENTRIES_SHOWN = 200
MAX_NOT_CHECKED_SHOWN = 50
MAX_NOT_REACHED_SHOWN = 20


def report_markdown(report: FreshnessReport) -> str:
    """The section for the nightly report and the tracking issue, grouped by entry.

    Every value from upstream is in a code span, where GitHub links no
    mention or reference; long lists are cut, saying how many more there are.
    """
    entries, not_checked = report.entries, report.not_checked
    count = sum(len(findings) for findings in entries.values())
    new = sum(1 for findings in entries.values() for finding in findings if report.is_new(finding))
    lines = [
        "## Upstream changes",
        "",
        f"Checked on {report.checked} against the Hugging Face Hub and GitHub: "
        f"**{_plural(len(entries), 'entry', 'entries')} to re-check** "
        f"({_plural(count, 'finding', 'findings')}, {new} new) · "
        f"{_plural(len(not_checked), 'entry', 'entries')} not fully checked"
        + (f" · {len(report.not_reached)} not reached this run." if report.not_reached else "."),
        "",
    ]
    for entry_id, findings in list(entries.items())[:MAX_ENTRIES_SHOWN]:
        lines += [f"### {_code(entry_id)}", ""]
        lines += [_finding_line(finding, report) for finding in findings]
        lines.append("")
    lines += _more(len(entries) - MAX_ENTRIES_SHOWN, "entries with findings")
    if not entries:
        matches = "Every entry that could be checked" if not_checked else "Every entry"
        lines += [f"{matches} matches what upstream says.", ""]
    if not_checked:
        lines += [
            "### Not checked",
            "",
            "Upstream did not answer these questions this time (outage, rate limit, timeout, missing page). "
            "They are not findings; the next run asks again.",
            "",
        ]
        unanswered = [
            f"- {_code(entry_id)}, {_code(item.field)}: {_inert(item.reason)}"
            for entry_id, items in not_checked.items()
            if entry_id not in report.not_reached
            for item in items
        ]
        lines += unanswered[:MAX_NOT_CHECKED_SHOWN]
        lines += [*_more(len(unanswered) - MAX_NOT_CHECKED_SHOWN, "questions not checked"), ""]
    if report.not_reached:
        lines += [
            "### Not reached this run",
            "",
            "The run's time or request budget ran out before these entries (the oldest-checked go first "
            "next time); their findings above are those of the answers from the day they were last checked.",
            "",
        ]
        reached = sorted(report.not_reached.items(), key=lambda item: (item[1] or "", item[0]))
        lines += [
            f"- {_code(entry_id)}: last checked {day or 'never'}"
            for entry_id, day in reached[:MAX_NOT_REACHED_SHOWN]
        ]
        lines += [*_more(len(reached) - MAX_NOT_REACHED_SHOWN, "entries not reached"), ""]
    return "\n".join(lines)


def _more(count: int, what: str) -> list[str]:
    return [f"… and {count} more {what}: see freshness.json in the report artifact.", ""] if count > 0 else []


def _finding_line(finding: ReportedFinding, report: FreshnessReport) -> str:
    kind = KINDS.get(finding.kind)
    if kind is None:  # written by a newer version of this check
        return f"- {_inert(finding.kind)}: {_code(finding.field)}"
    days = {INACTIVE: report.thresholds.inactive_days, VERIFICATION_DUE: report.thresholds.verification_days}
    detail = kind.detail.format(
        field=_code(finding.field),
        catalogue=_quote(finding.catalogue) if finding.kind == QUOTE_GONE else _code(finding.catalogue),
        upstream=_code(finding.upstream),
        source=_code(finding.source, QUOTE_MAX_LENGTH),
        days=days.get(finding.kind, ""),
    )
    new = " **new**" if report.is_new(finding) else ""
    return f"- **{kind.label}**{new}: {detail}; since {finding.since}. Re-check: {kind.recheck}."


SHOWN_CHARS = 100  # the longest value shown whole; a quote is shown whole up to QUOTE_MAX_LENGTH


def _code(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A value as inline code, cut short and unable to break out of it (with a backtick: inert text)."""
    if value is None:
        return "nothing"
    text = " ".join(clean_text(str(value), 10_000).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`" if "`" not in text else _inert(text)


def _quote(value: Any) -> str:
    """Quoted words as written, whatever they hold, as inline code (a longer fence than any backtick run)."""
    text = " ".join(clean_text(str(value), 10_000).split())
    return code_span(text if len(text) <= QUOTE_MAX_LENGTH else text[: QUOTE_MAX_LENGTH - 1] + "…", False)


# GitHub links `@name` and `#123` (and `owner/repo#123`, `GH-123`) in text, but not in code, pre or
# links, and a backslash does not stop it; a WORD JOINER after `@`, `#` or `GH-` does, unseen.
_PINGS = re.compile(r"(@|(?<!&)#|\bGH-)", re.IGNORECASE)


def _inert(value: Any) -> str:
    """Text (not code) that GitHub renders literally and links to no person or issue."""
    return _PINGS.sub(lambda match: match.group(1) + "&#8288;", markdown_text(value))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
