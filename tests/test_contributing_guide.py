"""CONTRIBUTING.md's examples work as written: a newcomer copies them, so they are run here."""

from __future__ import annotations

import re
import shlex
import shutil
import textwrap

import yaml

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue, vocabulary
from ohm.catalog.load import load_catalogue
from ohm.catalog.validate import validate
from ohm.site.field_reference import field_reference_markdown

from .conftest import ROOT, SMALL_CATALOGUE, run_ohm

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", GUIDE, re.MULTILINE | re.DOTALL)


def test_the_new_command_example_adds_a_valid_entry(tmp_path):
    [example] = [block for block in code_blocks("sh") if "ohm new \\" in block]
    words = shlex.split(example.replace("\\\n", " "))
    assert words[:2] == [".venv/bin/ohm", "new"]
    catalogue = tmp_path / "models.yaml"
    shutil.copyfile(DEFAULT_CATALOGUE, catalogue)
    result = run_ohm(*words[1:], "--catalogue", str(catalogue))
    assert result.returncode == 0, result.stderr
    loaded = load_catalogue(catalogue)
    assert validate(loaded) == []
    added = next(model for model in loaded.data["models"] if model["name"] == "Example Model")
    assert added["id"] == "example-model" and added["links"]["model_card"].startswith("https://")


def test_the_hand_written_entry_example_is_valid(tmp_path):
    [example] = [block for block in code_blocks("yaml") if "- id: example-model" in block]
    catalogue = tmp_path / "models.yaml"
    catalogue.write_text(SMALL_CATALOGUE.read_text(encoding="utf-8") + example, encoding="utf-8")
    loaded = load_catalogue(catalogue)
    assert validate(loaded) == []
    assert loaded.data["models"][-1]["id"] == "example-model"


def test_the_field_reference_is_generated_from_the_schema_and_up_to_date():
    begin, end = "<!-- ohm export fields: begin -->\n", "<!-- ohm export fields: end -->"
    reference = GUIDE.split(begin, 1)[1].split(end, 1)[0]
    assert reference == field_reference_markdown(), (
        "CONTRIBUTING.md's field reference is out of date; regenerate it with: "
        "ohm export fields --out CONTRIBUTING.md"
    )
    rows = [line.split("|")[1].strip(" `") for line in reference.splitlines()[2:]]
    assert rows == [field.name for field in vocabulary.model_fields()]


def test_the_evidence_example_makes_the_example_entry_complete(tmp_path):
    [entry] = [block for block in code_blocks("yaml") if "- id: example-model" in block]
    [evidence] = [block for block in code_blocks("yaml") if "    evidence:\n" in block]
    complete = {**yaml.safe_load(entry)[0], **yaml.safe_load(textwrap.dedent(evidence))}
    added = textwrap.indent(yaml.safe_dump([complete], sort_keys=False), "  ")
    catalogue = tmp_path / "models.yaml"
    catalogue.write_text(SMALL_CATALOGUE.read_text(encoding="utf-8") + added, encoding="utf-8")
    loaded = load_catalogue(catalogue)
    assert [str(p) for p in validate(loaded)] == []
    typed = open_catalogue(catalogue).typed
    assert typed is not None
    added = next(model for model in typed.models if model.id == "example-model")
    assert (added.evidence_status, added.evidence_level) == ("complete", "benchmark")
