"""The files both nightly checks share: versioned histories and reports, one error for a bad one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ohm.freshness import history as freshness_history
from ohm.freshness.findings import Finding
from ohm.freshness.report import read_freshness
from ohm.links import history as link_history
from ohm.links.report import read_report
from ohm.nightly.files import ReportError, read_json


def test_both_histories_keep_their_format_through_a_read_and_a_write(tmp_path: Path):
    links = {"version": 1, "links": {"https://example.org/a": {
        "first_failed": "2026-11-23", "last_failed": "2026-11-25", "failures": 3, "last_error": "404 Not Found"}}}  # fmt: skip
    entries = {"version": 1, "entries": {"medsam": [
        {"kind": "archived", "field": "links.repository", "catalogue": None, "since": "2026-11-21"},
        {"kind": "licence-changed", "field": "licenses.weights", "catalogue": "Apache-2.0", "since": "2026-11-20"}]}}  # fmt: skip
    for module, data in ((link_history, links), (freshness_history, entries)):
        path = tmp_path / f"{module.__name__}.json"
        text = json.dumps(data, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        module.write_history(module.read_history(path), path)
        assert path.read_text(encoding="utf-8") == text


def test_a_new_finding_starts_its_history_today():
    finding = Finding("archived", "links.repository", "https://github.com/a/b", "archived")
    after = freshness_history.update({}, {"medsam": [finding]}, set(), "2026-11-25")
    assert after == {"medsam": {("archived", "links.repository", "https://github.com/a/b"): "2026-11-25"}}


@pytest.mark.parametrize("module", [link_history, freshness_history], ids=["links", "freshness"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "unreadable history"),
        ('{"version": 2, "links": {}, "entries": {}}', "version 2, expected 1"),
        ('{"version": 1}', "unreadable history"),
        ("[1, 2]", "unreadable history"),
    ],
    ids=["not-json", "other-version", "no-section", "not-an-object"],
)
def test_an_unusable_history_is_one_report_error(tmp_path: Path, module, text: str, message: str):
    path = tmp_path / "history.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as error:
        module.read_history(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_no_history_file_is_the_first_run(tmp_path: Path):
    assert link_history.read_history(tmp_path / "none.json") == {}
    assert freshness_history.read_history(tmp_path / "none.json") == {}


@pytest.mark.parametrize("reader", [read_report, read_freshness], ids=["links", "freshness"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read it"),
        ("{not json", "not JSON"),
        ('{"version": 9, "schema_version": 9}', "9, expected 1"),
    ],
    ids=["missing", "not-json", "other-version"],
)
def test_an_unusable_report_is_one_report_error(tmp_path: Path, reader, text: str | None, message: str):
    path = tmp_path / "report.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as error:
        reader(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)


@pytest.mark.parametrize(
    ("reader", "message"),
    [
        (read_report, "not a link report (KeyError: 'summary')"),
        (read_freshness, "`checked` and `entries` are missing"),
    ],
    ids=["links", "freshness"],
)
def test_a_report_missing_its_fields_is_one_report_error(tmp_path: Path, reader, message: str):
    path = tmp_path / "report.json"
    path.write_text(
        '{"version": 1, "schema_version": 1, "date": "2026-11-25", "checked": 5}', encoding="utf-8"
    )
    with pytest.raises(ReportError) as error:
        reader(path)
    assert str(error.value) == f"{path}: {message}"


def test_read_json_names_the_version_it_found(tmp_path: Path):
    path = tmp_path / "file.json"
    path.write_text('{"version": "1"}', encoding="utf-8")
    with pytest.raises(ReportError, match=r"version '1', expected 1$"):
        read_json(path, "version", 1)
