"""The freshness section of the nightly tracking issue, against the fake GitHub issues API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ohm.cli import main

from .test_tracking_issue import FakeGitHub, write_link_report

FINDING = {
    "kind": "licence-changed",
    "field": "licenses.weights",
    "catalogue": "Apache-2.0",
    "upstream": "cc-by-nc-4.0",
    "since": "2026-11-02",
}


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    monkeypatch.setenv("GITHUB_TOKEN", "secret")
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def night(github: FakeGitHub, tmp_path: Path, date: str, broken: int, entries: dict) -> int:
    write_link_report(tmp_path / "report.json", date, broken)
    freshness = {"schema_version": 1, "checked": date, "entries": entries, "not_checked": {},
                 "thresholds": {"inactive_days": 365, "verification_days": 180}}  # fmt: skip
    (tmp_path / "freshness.json").write_text(json.dumps(freshness), encoding="utf-8")
    return main(
        ["issue", "--repo", "owner/name", "--api-url", github.url, "--links", str(tmp_path / "report.json"),
         "--freshness", str(tmp_path / "freshness.json")]
    )  # fmt: skip


def test_upstream_changes_alone_open_the_same_issue_and_their_end_closes_it(
    github: FakeGitHub, tmp_path: Path
):
    assert night(github, tmp_path, "2026-11-02", broken=0, entries={"medsam": [FINDING]}) == 0
    assert night(github, tmp_path, "2026-11-03", broken=1, entries={"medsam": [FINDING]}) == 0
    [issue] = github.issues.values()
    assert issue["title"] == "Broken links in the catalogue (1); 1 entry to re-check against upstream"
    body = issue["body"]
    assert body.startswith("# Link check of 2026-11-03") and "\n## Upstream changes\n" in body
    assert "### `medsam`" in body and "`cc-by-nc-4.0` upstream; since 2026-11-02" in body

    assert night(github, tmp_path, "2026-11-04", broken=0, entries={}) == 0
    assert issue["state"] == "closed"
    assert github.comments == [(1, "Every link works again; every entry matches upstream as of 2026-11-04.")]


def test_a_bad_freshness_file_is_an_error_not_a_traceback(github: FakeGitHub, tmp_path: Path, capsys):
    assert night(github, tmp_path, "2026-11-02", broken=1, entries={"medsam": [{"kind": "archived"}]}) == 2
    err = capsys.readouterr().err
    assert err.startswith("tracking issue not updated: ") and "each finding needs" in err
    assert github.issues == {}
