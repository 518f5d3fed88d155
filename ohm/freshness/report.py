"""freshness.json, and the Markdown section of the nightly report and tracking issue made from it.

    {"schema_version": 1, "checked": "2026-11-25",
     "thresholds": {"inactive_days": 365, "verification_days": 180},
     "entries": {"medsam": [{"kind": "licence-changed", "field": "licenses.weights",
                             "catalogue": "Apache-2.0", "upstream": "cc-by-nc-4.0", "since": "2026-11-20"}]},
     "not_checked": {"whisper": [{"field": "links.repository", "reason": "GitHub: 503 Service Unavailable"}]}}

`entries` holds only entries with findings; `not_checked` lists the upstream
questions that got no answer this run, which are never findings. The file
changes `schema_version` only when a field is renamed, removed or changes meaning.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ohm.site.render import markdown_text

from .check import EntryResult
from .findings import INACTIVE, KINDS, VERIFICATION_DUE, Thresholds
from .history import History, key

SCHEMA_VERSION = 1
_FINDING_FIELDS = ("kind", "field", "catalogue", "upstream", "since")


class FreshnessError(Exception):
    """A freshness file that cannot be used; the message says why."""


def build_freshness(
    results: list[EntryResult], history: History, thresholds: Thresholds, today: str
) -> dict[str, Any]:
    entries: dict[str, list[dict[str, Any]]] = {}
    not_checked: dict[str, list[dict[str, str]]] = {}
    kind_order = list(KINDS)
    for result in sorted(results, key=lambda result: result.entry.id):
        sinces = history.get(result.entry.id, {})
        findings = sorted(result.findings, key=lambda f: (kind_order.index(f.kind), f.field))
        if findings:
            entries[result.entry.id] = [
                {**asdict(finding), "since": sinces.get(key(finding), today)} for finding in findings
            ]
        if result.not_checked:
            not_checked[result.entry.id] = [
                {"field": field, "reason": reason} for field, reason in result.not_checked
            ]
    return {
        "schema_version": SCHEMA_VERSION,
        "checked": today,
        "thresholds": asdict(thresholds),
        "entries": entries,
        "not_checked": not_checked,
    }


def freshness_json(freshness: dict[str, Any]) -> str:
    return json.dumps(freshness, indent=2, ensure_ascii=False) + "\n"


def read_freshness(path: Path) -> dict[str, Any]:
    """A freshness file written by `ohm freshness`, checked enough that its readers can trust its shape."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise FreshnessError(f"{path}: cannot read it ({error.strerror or error})") from None
    except ValueError as error:
        raise FreshnessError(f"{path}: not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        found = data.get("schema_version") if isinstance(data, dict) else None
        raise FreshnessError(f"{path}: schema_version {found!r}, expected {SCHEMA_VERSION}")
    entries = data.get("entries")
    if not isinstance(data.get("checked"), str) or not isinstance(entries, dict):
        raise FreshnessError(f"{path}: `checked` and `entries` are missing")
    for entry_id, findings in entries.items():
        if not isinstance(findings, list) or not all(
            isinstance(finding, dict) and all(name in finding for name in _FINDING_FIELDS)
            for finding in findings
        ):
            raise FreshnessError(
                f"{path}: entry {entry_id!r}: each finding needs {', '.join(_FINDING_FIELDS)}"
            )
    data.setdefault("not_checked", {})
    data.setdefault("thresholds", asdict(Thresholds()))
    return data


# --- Markdown -----------------------------------------------------------------


def report_markdown(freshness: dict[str, Any]) -> str:
    """The section for the nightly report and the tracking issue, grouped by entry."""
    entries, not_checked = freshness["entries"], freshness["not_checked"]
    count = sum(len(findings) for findings in entries.values())
    new = sum(1 for findings in entries.values() for f in findings if f["since"] == freshness["checked"])
    lines = [
        "## Upstream changes",
        "",
        f"Checked on {freshness['checked']} against the Hugging Face Hub and GitHub: "
        f"**{_plural(len(entries), 'entry', 'entries')} to re-check** "
        f"({_plural(count, 'finding', 'findings')}, {new} new) · "
        f"{_plural(len(not_checked), 'entry', 'entries')} not fully checked.",
        "",
    ]
    for entry_id, findings in entries.items():
        lines += [f"### `{entry_id}`", ""]
        lines += [_finding_line(finding, freshness) for finding in findings]
        lines.append("")
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
        for entry_id, items in not_checked.items():
            lines += [f"- `{entry_id}`, `{item['field']}`: {markdown_text(item['reason'])}" for item in items]
        lines.append("")
    return "\n".join(lines)


def _finding_line(finding: dict[str, Any], freshness: dict[str, Any]) -> str:
    kind = KINDS.get(finding["kind"])
    if kind is None:  # written by a newer version of this check
        return f"- {markdown_text(finding['kind'])}: `{finding['field']}`"
    thresholds = freshness["thresholds"]
    days = {INACTIVE: thresholds["inactive_days"], VERIFICATION_DUE: thresholds["verification_days"]}
    detail = kind.detail.format(
        field=_code(finding["field"]),
        catalogue=_code(finding["catalogue"]),
        upstream=_code(finding["upstream"]),
        days=days.get(finding["kind"], ""),
    )
    new = " **new**" if finding["since"] == freshness["checked"] else ""
    return f"- **{kind.label}**{new}: {detail}; since {finding['since']}. Re-check: {kind.recheck}."


def _code(value: Any) -> str:
    """A value from upstream as inline code, cut short and unable to break out of it."""
    if value is None:
        return "nothing"
    text = " ".join(str(value).split())
    if len(text) > 100:
        text = text[:99] + "…"
    return f"`{text}`" if "`" not in text else markdown_text(text)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
