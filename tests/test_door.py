"""The one door to a catalogue file: the document, every problem, the typed catalogue, and reporters."""

from __future__ import annotations

from pathlib import Path

import pytest

from ohm.catalog import open_catalogue, scaffold
from ohm.catalog.door import NotValid
from ohm.catalog.problems import Problem
from ohm.catalog.reporters import REPORTERS, report

from .conftest import FIXTURES, SMALL_CATALOGUE


def test_a_good_catalogue_opens_with_its_document_and_typed_catalogue():
    opened = open_catalogue(SMALL_CATALOGUE)
    assert opened.ok and opened.problems == []
    assert opened.document.text == SMALL_CATALOGUE.read_text(encoding="utf-8")
    ids = [entry["id"] for entry in opened.document.data["models"]]
    assert sorted(model.id for model in opened.catalogue.models) == sorted(ids)


def test_a_bad_catalogue_has_its_problems_and_no_typed_catalogue():
    opened = open_catalogue(FIXTURES / "invalid" / "http-url.yaml")
    assert not opened.ok and opened.problems
    assert opened.typed is None
    with pytest.raises(NotValid):
        opened.catalogue  # noqa: B018


def test_each_url_of_a_model_keeps_its_field_and_line():
    opened = open_catalogue(SMALL_CATALOGUE)
    lines = opened.document.text.splitlines()
    model = opened.catalogue.models[0]
    assert model.urls, "every model of the small catalogue has links"
    for place in model.urls:
        assert place.entry == model.id
        assert place.url in lines[place.line - 1], (place.field, place.line)
    assert [p.entry for p in opened.catalogue.urls if p.field == "url"], "the licences' URLs"


def test_reporters_are_chosen_by_name(capsys: pytest.CaptureFixture[str]):
    problem = Problem("data/models.yaml", 3, "alpha", "links.paper", "must start with https://")
    assert set(REPORTERS) == {"text", "github"}
    assert report([problem], "github") == 1
    out, err = capsys.readouterr()
    assert out.startswith("::error file=data/models.yaml,line=3,") and "1 problem(s) found" in err
    report([problem], "text")
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("data/models.yaml:3: alpha: links.paper: must start with https://\n")


def test_new_reuses_the_opening_when_the_file_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "models.yaml"
    path.write_text(SMALL_CATALOGUE.read_text(encoding="utf-8"), encoding="utf-8")
    opened_texts: list[str] = []
    real_open_text = scaffold.open_text
    monkeypatch.setattr(
        scaffold, "open_text", lambda text, file: opened_texts.append(text) or real_open_text(text, file)
    )
    entry = {
        "id": "beta-seg", "name": "Beta Seg", "developer": "Example", "category": "vision",
        "subcategory": "medical-imaging", "kind": "framework", "modalities": ["image"],
        "description": "Segments organs.", "use_cases": ["Organ segmentation"],
        "links": {"repository": "https://github.com/example/beta-seg"}, "licenses": {"code": {"id": "Apache-2.0"}},
        "access": "open", "verified": "2026-01-31",
        "sources": ["https://github.com/example/beta-seg"], "intended_users": "unknown",
        "out_of_scope": "unknown", "evaluations": "unknown", "regulatory": "none-known",
        "deployment": {"min_gpu_memory_gb": "unknown", "cpu_only": "unknown", "runs_offline": "unknown",
                       "formats": "unknown"},
    }  # fmt: skip
    scaffold.add_entry(path, dict(entry), write=False, opened=open_catalogue(path))
    assert len(opened_texts) == 1, "only the new text is parsed and validated"
    stale = open_catalogue(path)
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    opened_texts.clear()
    scaffold.add_entry(path, dict(entry), write=False, opened=stale)
    assert len(opened_texts) == 2, "a file changed meanwhile is opened again"
