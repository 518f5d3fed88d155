"""The catalogue's memory and what a hospital takes away: history, changes page, feeds, badges, governance packs."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import feedparser
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from ohm.catalog import open_catalogue
from ohm.site.assemble import assemble, site_options
from ohm.site.badges import badge_svg
from ohm.site.governance import HOSPITAL_QUESTIONS, cyclonedx_json, worksheet_csv, worksheet_markdown
from ohm.site.history import read_history

from .conftest import ROOT, SMALL_CATALOGUE, make_project

SMALL = SMALL_CATALOGUE.read_text(encoding="utf-8")
SITE_URL = "https://health.example.org/catalogue/"


def git(folder: Path, *args: str, date: str = "2026-03-01T12:00:00+00:00") -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Tester",
        "GIT_AUTHOR_EMAIL": "tester@example.org",
        "GIT_COMMITTER_NAME": "Tester",
        "GIT_COMMITTER_EMAIL": "tester@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(
        ["git", "-C", str(folder), *args], env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A scratch project in git: the small catalogue added, then Zeta LM changed in two commits."""
    project = make_project(tmp_path / "project", SMALL)
    catalogue = project / "data" / "models.yaml"
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "data/models.yaml")
    git(project, "commit", "-q", "-m", "add", date="2026-01-05T10:00:00+00:00")
    catalogue.write_text(SMALL.replace("access: gated\n", "access: open\n", 1), encoding="utf-8")
    git(project, "commit", "-q", "-am", "open", date="2026-02-10T10:00:00+00:00")
    text = catalogue.read_text(encoding="utf-8")
    text = text.replace("code: {id: Apache-2.0}", "code: {id: LicenseRef-example-community}", 1)
    catalogue.write_text(text.replace("verified: 2026-01-15", "verified: 2026-02-20", 1), encoding="utf-8")
    git(project, "commit", "-q", "-am", "relicensed", date="2026-02-20T10:00:00+00:00")
    return project


def test_the_history_of_an_entry_changed_in_two_commits(repository: Path):
    history = read_history(repository / "data" / "models.yaml")
    assert history.unavailable is None
    events = [(e.date, e.kind, e.fields) for e in history.of("zeta-lm")]
    assert events == [
        ("2026-01-05", "added", ()),
        ("2026-02-10", "changed", ("access",)),
        ("2026-02-20", "changed", ("licenses.code", "verified")),
    ]
    assert history.added("zeta-lm") == history.added("seg-net") == "2026-01-05"
    assert [e.summary for e in history.of("zeta-lm")[1:]] == [
        "Changed: access.",
        "Changed: licence of the code, date last verified.",
    ]
    assert [e.kind for e in history.of("seg-net")] == ["added"]


def test_the_model_page_and_the_changes_page_tell_the_history(repository: Path):
    site = assemble(site_options({}, repository))
    page = site.files["models/zeta-lm.md"]
    history = page.split("## History", 1)[1].split("## Sources", 1)[0]
    assert "- **Added:** 2026-01-05" in history
    assert "- **2026-02-20:** Changed: licence of the code, date last verified." in history
    assert history.index("2026-02-20") < history.index("2026-02-10")  # newest first
    changes = site.files["changes.md"]
    assert changes.index("## 2026-02") < changes.index("## 2026-01")
    assert "- 2026-02-10: [Zeta LM](models/zeta-lm.md) (`zeta-lm`). Changed: access." in changes
    assert "- 2026-01-05: [SegNet Example](models/seg-net.md) (`seg-net`). Added to the catalogue." in changes


def test_a_removed_entry_is_on_the_changes_page_without_a_link(repository: Path):
    catalogue = repository / "data" / "models.yaml"
    text = catalogue.read_text(encoding="utf-8")
    start, end = text.index("  - id: alpha-bert"), text.index("  - id: seg-net")
    without = text[:start] + text[end:]
    catalogue.write_text(
        without.replace("tasks: [segmentation]", "tasks: [segmentation, ner]"), encoding="utf-8"
    )
    git(repository, "commit", "-q", "-am", "remove", date="2026-03-03T10:00:00+00:00")
    site = assemble(site_options({}, repository))
    assert "- 2026-03-03: Alpha BERT (`alpha-bert`). Removed from the catalogue." in site.files["changes.md"]
    feed = feedparser.parse(site.files["feeds/catalogue.xml"])
    assert feed.entries[0].title == "Alpha BERT: removed"
    assert feed.entries[0].link == "../changes/"  # relative to the feed's address: no site_url given


def test_without_git_history_the_site_builds_and_says_so(tmp_path: Path, repository: Path):
    plain = make_project(tmp_path / "plain", SMALL)
    site = assemble(site_options({}, plain))
    assert "The history of this entry is unavailable in this build" in site.files["models/zeta-lm.md"]
    assert "The history is unavailable in this build" in site.files["changes.md"]
    assert feedparser.parse(site.files["feeds/models/zeta-lm.xml"]).entries == []

    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repository}", str(shallow)], check=True, timeout=60
    )
    history = read_history(shallow / "data" / "models.yaml")
    assert history.unavailable is not None and "shallow clone" in history.unavailable
    assert history.events == ()


def test_the_three_kinds_of_feed_are_valid_atom_with_stable_ids(repository: Path):
    options = site_options({}, repository, site_url=SITE_URL)
    site, again = assemble(options), assemble(options)
    for path in ("feeds/catalogue.xml", "feeds/categories/llm.xml", "feeds/models/zeta-lm.xml"):
        assert site.files[path] == again.files[path], path
        feed = feedparser.parse(site.files[path])
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.feed.id.startswith("urn:uuid:")
        assert all(entry.id.startswith("urn:uuid:") for entry in feed.entries)
        assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    model = feedparser.parse(site.files["feeds/models/zeta-lm.xml"])
    assert [entry.title for entry in model.entries] == [
        "Zeta LM: changed",
        "Zeta LM: changed",
        "Zeta LM: added",
    ]
    assert model.entries[0].summary == "Changed: licence of the code, date last verified."
    assert model.entries[0].link == SITE_URL + "models/zeta-lm/"
    assert model.feed.updated.startswith("2026-02-20")
    category = feedparser.parse(site.files["feeds/categories/vision.xml"])
    assert [entry.title for entry in category.entries] == ["SegNet Example: added"]
    whole = feedparser.parse(site.files["feeds/catalogue.xml"])
    assert len(whole.entries) == 5  # three added, two changes
    assert model.entries[0].id in {entry.id for entry in whole.entries}


def test_upstream_findings_are_dated_events_of_the_history(repository: Path, tmp_path: Path):
    report = {
        "schema_version": 1,
        "checked": "2026-03-02",
        "thresholds": {"inactive_days": 365, "verification_days": 180},
        "entries": {
            "zeta-lm": [
                {
                    "kind": "licence-changed",
                    "field": "licenses.code",
                    "catalogue": "LicenseRef-example-community",
                    "upstream": "MIT <b>",
                    "since": "2026-03-01",
                }
            ]
        },
    }
    freshness = tmp_path / "freshness.json"
    freshness.write_text(json.dumps(report), encoding="utf-8")
    site = assemble(site_options({"freshness": str(freshness)}, repository))
    page = site.files["models/zeta-lm.md"]
    history = page.split("## History", 1)[1].split("## Sources", 1)[0]
    assert (
        "- **2026-03-01:** Upstream: the repository now states MIT &lt;b&gt;, where this entry says "
        "LicenseRef-example-community." in history
    )
    feed = feedparser.parse(site.files["feeds/models/zeta-lm.xml"])
    assert feed.entries[0].title == "Zeta LM: licence changed"
    assert feed.entries[0].summary == (
        "Upstream: the repository now states MIT <b>, where this entry says LicenseRef-example-community."
    )


def small_models():
    opened = open_catalogue(SMALL_CATALOGUE)
    assert opened.problems == []
    return {model.id: model for model in opened.catalogue.models}


def real_models():
    opened = open_catalogue(ROOT / "data" / "models.yaml")
    assert opened.problems == []
    return opened.catalogue.models


@pytest.mark.slow  # about 13 s: the strict validator reads the whole CycloneDX schema for each model
def test_every_cyclonedx_document_is_valid_against_the_official_schema():
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    for model in [*small_models().values(), *real_models()]:
        document = cyclonedx_json(model, SITE_URL + "models/" + model.id + "/")
        assert validator.validate_str(document) is None, model.id
        component = json.loads(document)["components"][0]
        assert component["type"] == "machine-learning-model"
        assert component["name"] == model.name
        assert component["modelCard"]["considerations"]["useCases"] == list(model.use_cases)
    zeta = json.loads(cyclonedx_json(small_models()["zeta-lm"], "u"))["components"][0]
    assert zeta["modelCard"]["quantitativeAnalysis"]["performanceMetrics"] == [
        {"type": "ROUGE-L", "value": "41.2", "slice": "Example Summaries"}
    ]
    assert zeta["modelCard"]["modelParameters"]["datasets"][0]["name"] == "Example Notes"


def test_a_broken_cyclonedx_document_fails_the_validator():
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    document = json.loads(cyclonedx_json(small_models()["zeta-lm"], "u"))
    document["components"][0]["type"] = "ml-model"
    assert validator.validate_str(json.dumps(document)) is not None


def test_the_worksheet_answers_from_the_entry_and_names_the_hospitals_blanks():
    model = small_models()["zeta-lm"]
    rows = list(csv.DictReader(io.StringIO(worksheet_csv(model))))
    blanks = [row for row in rows if row["answered_by"] == "the hospital"]
    assert [(row["section"], row["question"]) for row in blanks] == list(HOSPITAL_QUESTIONS)
    assert {"Local validation", "Subgroup performance", "Monitoring", "Accountability"} <= {
        row["section"] for row in blanks
    }
    assert all(row["answer"] == "" and row["evidence"] == "" for row in blanks)
    answered = {row["question"]: row for row in rows if row["answered_by"] == "the catalogue"}
    assert all(row["answer"] and row["evidence"] for row in answered.values())
    assert answered["How are the model's files obtained?"]["answer"] == (
        "Gated: Accept the licence on the model card."
    )
    assert answered["Could the training data include patient data?"]["answer"] == "De-identified"
    assert (
        answered["What results are reported, and by whom?"]["evidence"] == "https://arxiv.org/abs/0000.00001"
    )
    markdown = worksheet_markdown(model, "https://x/models/zeta-lm/")
    for _section, question in HOSPITAL_QUESTIONS:
        after = markdown.split(f"**{question}**", 1)[1].lstrip()
        assert after.startswith("*For the hospital:*"), question


def test_worksheet_cells_a_spreadsheet_would_run_are_quoted():
    model = small_models()["zeta-lm"]
    hostile = type(model)(**{**model.__dict__, "use_cases": ("=HYPERLINK(1)",)})
    rows = list(csv.DictReader(io.StringIO(worksheet_csv(hostile))))
    assert next(row for row in rows if row["question"] == "What is it for?")["answer"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(("model_id", "verdict", "access"), [("zeta-lm", "Restricted", "Gated")])
def test_a_badge_is_valid_svg_with_the_verdict(model_id, verdict, access):
    model = small_models()[model_id]
    assert model.commercial_use_label == verdict
    root = ET.fromstring(badge_svg(model))
    svg = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg}svg"
    texts = [element.text for element in root.iter(f"{svg}text")]
    assert texts == ["commercial use", verdict, f"access: {access}"]


def test_badge_text_is_escaped():
    model = small_models()["zeta-lm"]
    hostile = type(model)(**{**model.__dict__, "name": '<script>"&'})
    root = ET.fromstring(badge_svg(hostile))
    assert root.find("{http://www.w3.org/2000/svg}title").text.startswith('<script>"&:')
    assert root.find("{http://www.w3.org/2000/svg}script") is None


def test_every_model_has_its_badge_pack_and_feed_in_the_site(tmp_path: Path):
    project = make_project(tmp_path / "project", SMALL)
    site = assemble(site_options({}, project, site_url=SITE_URL))
    for model_id in small_models():
        assert f"../badges/{model_id}.svg" in site.files[f"models/{model_id}.md"]
        assert f"../governance/{model_id}.zip" in site.files[f"models/{model_id}.md"]
        assert f"../feeds/models/{model_id}.xml" in site.files[f"models/{model_id}.md"]
        pack = zipfile.ZipFile(io.BytesIO(site.files[f"governance/{model_id}.zip"]))
        assert pack.namelist() == [
            f"{model_id}/cyclonedx.json",
            f"{model_id}/worksheet.md",
            f"{model_id}/worksheet.csv",
        ]
        bom = json.loads(pack.read(f"{model_id}/cyclonedx.json"))
        assert bom == json.loads(site.files[f"governance/{model_id}.cdx.json"])
        references = bom["components"][0]["externalReferences"]
        assert {
            "type": "documentation",
            "url": f"{SITE_URL}models/{model_id}/",
            "comment": "Open Health Models entry",
        } in references
    assert (
        f"[![Open Health Models: commercial use and access of zeta-lm]({SITE_URL}badges/zeta-lm.svg)]"
        in site.files["models/zeta-lm.md"]
    )
