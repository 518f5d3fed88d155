"""Stage 3b: the exports have a stable, documented shape and say what the pages say."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue
from ohm.catalog.catalogue import Catalogue, build_catalogue
from ohm.catalog.load import load_catalogue
from ohm.site.export import (
    CSV_COLUMNS,
    SCHEMA_VERSION,
    catalogue_csv,
    catalogue_json,
    entry_files,
    models_markdown,
)
from ohm.site.pages import CATALOGUE_DATA, MODEL_NAMES, model_data

from .conftest import ROOT, SMALL_CATALOGUE


@pytest.fixture(scope="module")
def small() -> Catalogue:
    opened = open_catalogue(SMALL_CATALOGUE)
    catalogue, problems = opened.typed, opened.problems
    assert problems == []
    return catalogue


def test_json_has_a_schema_version_and_every_field_of_an_entry(small):
    document = json.loads(catalogue_json(small))
    assert document["schema_version"] == SCHEMA_VERSION == 3
    assert list(document) == [
        "schema_version",
        "title",
        "summary",
        "last_updated",
        "categories",
        "tasks",
        "licenses",
        "models",
    ]
    assert [model["id"] for model in document["models"]] == ["alpha-bert", "seg-net", "zeta-lm"]
    zeta = document["models"][2]
    community = {
        "id": "LicenseRef-example-community",
        "name": "Example Community License",
        "url": "https://example.org/licence",
    }
    assert zeta == {
        "id": "zeta-lm",
        "name": "Zeta LM",
        "developer": "Example Lab",
        "category": "llm",
        "subcategory": "general-purpose",
        "kind": "model family",
        "modalities": ["text"],
        "tasks": ["summarisation"],
        "description": "A general language model for summaries.",
        "use_cases": ["Drafting patient letters", "Summarising notes"],
        "intended_users": ["Developers of clinical documentation tools"],
        "out_of_scope": ["Diagnosis without a clinician"],
        "links": {
            "model_card": "https://huggingface.co/example/zeta-lm",
            "paper": "https://arxiv.org/abs/0000.00001",
        },
        "licenses": {
            "weights": {**community, "note": None},
            "code": {
                "id": "Apache-2.0",
                "name": "Apache License 2.0",
                "url": "https://www.apache.org/licenses/LICENSE-2.0",
                "note": None,
            },
            "training_data": {
                "id": "mixed",
                "name": "Mixed terms",
                "url": None,
                "note": "Public web text and licensed notes.",
            },
        },
        "commercial_use": "restricted",
        "commercial_use_decided_by": ["weights", "variant Zeta LM 1B", "variant Zeta LM 7B"],
        "commercial_use_note": "Services above 1M monthly users need a separate licence.",
        "access": "gated",
        "access_note": "Accept the licence on the model card.",
        "parameters": ["1B", "7B"],
        "variants": [
            {
                "name": "Zeta LM 1B",
                "parameters": "1B",
                "license": community,
                "model_card": None,
                "note": None,
            },
            {
                "name": "Zeta LM 7B",
                "parameters": "7B",
                "license": community,
                "model_card": "https://huggingface.co/example/zeta-lm-7b",
                "note": None,
            },
        ],
        "training_data": [
            {
                "name": "Example Notes",
                "url": "https://example.org/notes",
                "note": "De-identified discharge summaries.",
            }
        ],
        "phi_exposure": "de-identified",
        "evaluations": [
            {
                "benchmark": "Example Summaries",
                "metric": "ROUGE-L",
                "value": "41.2",
                "source": "https://arxiv.org/abs/0000.00001",
                "self_reported": True,
                "kind": "benchmark",
                "note": None,
                "quote": None,
            }
        ],
        "evidence_level": "benchmark",
        "regulatory": "none-known",
        "deployment": {
            "min_gpu_memory_gb": 16,
            "cpu_only": False,
            "runs_offline": True,
            "formats": ["safetensors", "gguf"],
        },
        "base_model": "none",
        "superseded_by": None,
        "languages": ["en", "de"],
        "imaging_modalities": [],
        "anatomy": [],
        "caveats": [],
        "verified": "2026-01-15",
        "second_reader": None,
        "sources": ["https://huggingface.co/example/zeta-lm", "https://arxiv.org/abs/0000.00001"],
        "evidence": None,
        "evidence_status": "pending",
        "page": "models/zeta-lm/",
    }
    alpha = document["models"][0]
    assert (alpha["intended_users"], alpha["evaluations"], alpha["training_data"]) == ("unknown",) * 3
    assert document["models"][1]["training_data"] is None  # a framework has no training data
    assert document["models"][0]["superseded_by"] is None  # absent fields are null, never missing


def test_every_model_record_has_the_same_keys(small):
    models = json.loads(catalogue_json(small))["models"]
    assert len({tuple(model) for model in models}) == 1


def test_csv_has_one_row_per_model_with_columns_in_a_fixed_order(small):
    text = catalogue_csv(small)
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == CSV_COLUMNS
    assert CSV_COLUMNS[:3] == ["id", "name", "developer"] and CSV_COLUMNS[-1] == "page"
    rows = list(reader)
    assert [row["id"] for row in rows] == ["alpha-bert", "seg-net", "zeta-lm"]
    zeta = rows[2]
    assert zeta["use_cases"] == "Drafting patient letters; Summarising notes"
    assert zeta["parameters"] == "1B; 7B"
    assert (zeta["weights_license"], zeta["code_license"], zeta["training_data_license"]) == (
        "LicenseRef-example-community",
        "Apache-2.0",
        "mixed",
    )
    assert (zeta["commercial_use"], zeta["access"]) == ("restricted", "gated")
    assert (
        zeta["variants"]
        == "Zeta LM 1B (1B): LicenseRef-example-community; Zeta LM 7B (7B): LicenseRef-example-community"
    )
    assert zeta["evaluations"] == "Example Summaries ROUGE-L 41.2"
    assert (zeta["min_gpu_memory_gb"], zeta["cpu_only"], zeta["formats"]) == (
        "16",
        "false",
        "safetensors; gguf",
    )
    assert rows[1]["weights_license"] == "" and rows[1]["training_data"] == ""  # a framework
    assert (zeta["model_card"], zeta["repository"]) == ("https://huggingface.co/example/zeta-lm", "")
    assert rows[0]["developer"] == "Example Lab"


def test_csv_quotes_commas_quotes_and_line_breaks():
    loaded = load_catalogue(SMALL_CATALOGUE)
    loaded.data["models"][0]["description"] = 'Says "hi", then\nleaves'
    rows = list(csv.DictReader(io.StringIO(catalogue_csv(build_catalogue(loaded.data)))))
    assert [row["description"] for row in rows if row["id"] == "zeta-lm"] == ['Says "hi", then\nleaves']
    assert len(rows) == 3


def test_markdown_list_names_every_model_with_its_main_link_and_licence(small):
    text = models_markdown(small)
    assert text.startswith("# Test Catalogue\n")
    assert text.endswith(".\n") and not text.endswith("\n\n")
    items = [line for line in text.splitlines() if line.startswith("* ")]
    assert text.count("* [") == len(items)  # each on a line of its own
    assert items == [
        "* [Zeta LM](https://huggingface.co/example/zeta-lm) A general language model for summaries. "
        "Licence: [Example Community License](https://example.org/licence); commercial use: restricted; "
        "access: gated; evidence: pending. Services above 1M monthly users need a separate licence.",
        "* [Alpha BERT](https://github.com/example/alpha-bert) Clinical note encoder for named entity recognition. "
        "Licence: [Apache License 2.0](https://www.apache.org/licenses/LICENSE-2.0); commercial use: allowed; "
        "access: open download; evidence: complete.",
        "* [SegNet Example](https://github.com/example/seg-net) Self-configuring segmentation for CT and MRI. "
        "Licence: [Apache License 2.0](https://www.apache.org/licenses/LICENSE-2.0); commercial use: allowed; "
        "access: open download; evidence: pending.",
    ]
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Test Catalogue",
        "## Language models",
        "### General purpose",
        "### Clinical",
        "## Vision",
        "### Medical imaging",
    ]


def test_committed_models_list_is_up_to_date():
    opened = open_catalogue(DEFAULT_CATALOGUE)
    catalogue, problems = opened.typed, opened.problems
    assert problems == []
    committed = (ROOT / "MODELS.md").read_text(encoding="utf-8")
    items = [line for line in committed.splitlines() if line.startswith("* [")]
    assert len(items) == len(catalogue.models) == committed.count("* [")
    assert committed == models_markdown(catalogue), (
        "MODELS.md is out of date; regenerate it with: ohm export markdown --out MODELS.md"
    )


def test_each_model_has_its_own_record_the_same_as_in_models_json(small):
    files = entry_files(small)
    document = json.loads(catalogue_json(small))
    for record in document["models"]:
        assert json.loads(files[model_data(record["id"])]) == record
    head = json.loads(files[CATALOGUE_DATA])
    assert head == {key: value for key, value in document.items() if key != "models"}
    names = json.loads(files[MODEL_NAMES])
    assert sorted(id for id, _name in names) == [record["id"] for record in document["models"]]
    assert [name.casefold() for _id, name in names] == sorted(name.casefold() for _id, name in names)
    assert len(files) == len(document["models"]) + 2


def test_json_carries_the_evidence_as_the_catalogue_writes_it(small):
    loaded = load_catalogue(SMALL_CATALOGUE)
    written = next(entry for entry in loaded.data["models"] if entry["id"] == "alpha-bert")
    alpha = next(m for m in json.loads(catalogue_json(small))["models"] if m["id"] == "alpha-bert")
    assert alpha["evidence"] == written["evidence"]  # lossless: citations and checked lists alike
    assert alpha["evidence"]["access"][0]["quote"].startswith("Download the weights")
    assert alpha["evidence"]["phi_exposure"] == {"checked": [written["sources"][1]]}
    assert (alpha["evidence_status"], alpha["second_reader"]) == ("complete", "2026-01-21")
    assert (alpha["evidence_level"], alpha["commercial_use_decided_by"]) == ("none", ["weights", "code"])


def test_csv_names_the_evidence_status_and_its_sources(small):
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(catalogue_csv(small)))}
    alpha, zeta = rows["alpha-bert"], rows["zeta-lm"]
    readme, licence = (
        f"https://github.com/example/alpha-bert/blob/{'1' * 40}/README.md",
        f"https://github.com/example/alpha-bert/blob/{'1' * 40}/LICENSE",
    )
    assert (alpha["evidence_status"], alpha["second_reader"]) == ("complete", "2026-01-21")
    assert alpha["evidence_sources"] == f"{readme}; {licence}"  # each once, in the order first cited
    assert (zeta["evidence_status"], zeta["second_reader"], zeta["evidence_sources"]) == ("pending", "", "")
    assert zeta["evidence_level"] == "benchmark"


def test_the_evidence_level_is_the_strongest_kind_of_evaluation():
    loaded = load_catalogue(SMALL_CATALOGUE)
    zeta = next(entry for entry in loaded.data["models"] if entry["id"] == "zeta-lm")
    result = zeta["evaluations"][0]
    zeta["evaluations"] = [
        result,
        {**result, "kind": "external-validation"},
        {**result, "kind": "retrospective"},
    ]
    catalogue = build_catalogue(loaded.data)
    record = next(m for m in json.loads(catalogue_json(catalogue))["models"] if m["id"] == "zeta-lm")
    assert record["evidence_level"] == "external-validation"
    assert [e["kind"] for e in record["evaluations"]] == ["benchmark", "external-validation", "retrospective"]
