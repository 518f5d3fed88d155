"""What the site shows from a freshness file: notices on model pages, and which entries are archived.

The site's assembly reads the file when it is given one (see ohm/site/assemble.py)
and hands a `SiteFreshness` to the templates as `freshness`; without a file,
`freshness` is None and the pages are exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .file_check import check_freshness_file
from .findings import ARCHIVED, SITE_NOTICES
from .report import FreshnessReport, ReportedFinding, read_freshness


@dataclass(frozen=True)
class Notice:
    kind: str
    source: str  # where it was read: "The repository", "The model card", "The model card of X", "Upstream"
    catalogue: str | None
    upstream: str | None
    since: str


class SiteFreshness:
    def __init__(self, report: FreshnessReport):
        self.checked: str = report.checked
        self.inactive_days: int = report.thresholds.inactive_days
        self._entries: dict[str, list[ReportedFinding]] = report.entries

    def notices(self, model_id: str) -> list[Notice]:
        """The findings a reader of the model's page should know about, in a fixed order."""
        findings = self._entries.get(model_id, [])
        return [
            Notice(f.kind, _source(f.field), f.catalogue, f.upstream, f.since)
            for kind in SITE_NOTICES
            for f in findings
            if f.kind == kind
        ]

    def archived(self, model_id: str) -> bool:
        return any(finding.kind == ARCHIVED for finding in self._entries.get(model_id, []))

    def any_archived(self, models: Any) -> bool:
        return any(self.archived(model.id) for model in models)


def _source(field: str) -> str:
    if field in ("licenses.code", "links.repository"):
        return "The repository"
    if field.startswith("variants["):
        return f"The model card of {field[len('variants[') :].split(']')[0]}"
    return "The model card"


def read_site_freshness(path: Path) -> SiteFreshness:
    """The freshness file at `path` for the site; FreshnessError (ReportError) if it cannot be used."""
    check_freshness_file(path)
    return SiteFreshness(read_freshness(path))
