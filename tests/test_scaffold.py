"""Adding an entry as text: placement, every other byte kept, validated before writing."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
import yaml

from ohm.catalog import DEFAULT_CATALOGUE
from ohm.catalog.load import _CatalogueLoader, load_catalogue
from ohm.catalog.scaffold import ScaffoldError, add_entry, entry_lines, scalar
from ohm.catalog.validate import validate

from .conftest import SMALL_CATALOGUE


def new_entry(**changes) -> dict:
    entry = {
        "id": "beta-seg",
        "name": "Beta Seg",
        "developer": "Example Lab",
        "category": "vision",
        "subcategory": "medical-imaging",
        "kind": "framework",
        "modalities": ["image"],
        "description": "Segmentation of CT scans.",
        "use_cases": ["Organ segmentation", "Tumour volume measurement"],
        "links": {"repository": "https://github.com/example/beta-seg"},
        "licenses": {"code": {"id": "Apache-2.0"}},
        "access": "open",
        "intended_users": "unknown",
        "out_of_scope": "unknown",
        "evaluations": "unknown",
        "regulatory": "none-known",
        "deployment": {
            "min_gpu_memory_gb": "unknown",
            "cpu_only": True,
            "runs_offline": True,
            "formats": ["python package"],
        },
        "verified": "2026-01-31",
        "sources": ["https://github.com/example/beta-seg/blob/main/LICENSE"],
    }
    entry.update(changes)
    return entry


def copy_of(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "models.yaml"
    shutil.copyfile(source, target)
    return target


def assert_only_inserted(before: bytes, after: bytes, block: bytes) -> int:
    """`after` is `before` with `block` inserted at one place; returns that offset."""
    offset = after.find(block)
    assert offset >= 0
    assert after[:offset] + after[offset + len(block) :] == before
    return offset


@pytest.mark.parametrize("catalogue", [DEFAULT_CATALOGUE, SMALL_CATALOGUE], ids=["real", "small"])
def test_every_other_byte_is_unchanged(tmp_path, catalogue):
    path = copy_of(catalogue, tmp_path)
    before = path.read_bytes()
    insertion = add_entry(path, new_entry())
    after = path.read_bytes()
    assert_only_inserted(before, after, insertion.block.encode())
    assert validate(load_catalogue(path)) == []


def test_entry_goes_after_the_last_entry_of_its_subcategory(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    insertion = add_entry(path, new_entry(category="llm", subcategory="general-purpose", modalities=["text"]))
    ids = [model["id"] for model in load_catalogue(path).data["models"]]
    assert ids == ["zeta-lm", "beta-seg", "alpha-bert", "seg-net"]
    assert insertion.after == "zeta-lm"
    assert path.read_text().splitlines()[insertion.line - 1] == "  - id: beta-seg"


def test_entry_of_an_empty_subcategory_goes_after_the_last_of_its_category(tmp_path):
    path = copy_of(DEFAULT_CATALOGUE, tmp_path)
    data = load_catalogue(path).data
    text = path.read_text()
    # Drop every entry of one subcategory from the text to make it empty.
    category, emptied = "llm", "clinical"
    models = data["models"]
    last_of_category = [m["id"] for m in models if m["category"] == category and m["subcategory"] != emptied][
        -1
    ]
    kept = _without_subcategory(text, category, emptied)
    path.write_text(kept)
    insertion = add_entry(path, new_entry(category=category, subcategory=emptied, modalities=["text"]))
    ids = [m["id"] for m in load_catalogue(path).data["models"]]
    assert ids[ids.index("beta-seg") - 1] == last_of_category
    assert insertion.after == last_of_category


def _without_subcategory(text: str, category: str, subcategory: str) -> str:
    """The catalogue text without the entries of one subcategory (entries are separated by blank lines)."""
    blocks = text.split("\n\n")
    marker = f"    category: {category}\n    subcategory: {subcategory}\n"
    return "\n\n".join(block for block in blocks if marker not in block)


def test_entry_of_a_category_without_entries_goes_at_the_end(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    text = path.read_text().replace("  - id: seg-net", "  - id: seg-net-x").split("  - id: seg-net-x")[0]
    path.write_text(text)  # the small catalogue without its only vision entry
    before = path.read_bytes()
    add_entry(path, new_entry(tasks=["segmentation"]))  # which also leaves its task with no model
    after = path.read_bytes()
    assert after.startswith(before)
    assert [m["id"] for m in load_catalogue(path).data["models"]][-1] == "beta-seg"


def test_blank_lines_between_entries_are_kept_as_the_file_has_them(tmp_path):
    path = copy_of(DEFAULT_CATALOGUE, tmp_path)
    insertion = add_entry(path, new_entry())
    lines = path.read_text().splitlines()
    assert lines[insertion.line - 2] == ""  # a blank line before, like between the other entries
    end = insertion.line - 1 + len(entry_lines(new_entry()))
    assert lines[end] == ""  # and the blank line that followed the previous entry follows this one


def test_windows_line_endings_stay_windows_line_endings(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    insertion = add_entry(path, new_entry())
    after = path.read_bytes()
    assert_only_inserted(before, after, insertion.block.encode())
    assert b"\n" not in after.replace(b"\r\n", b"")


def test_a_file_without_a_final_line_break_gets_one_before_the_entry(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes().rstrip(b"\n"))
    before = path.read_bytes()
    insertion = add_entry(path, new_entry())
    after = path.read_bytes()
    assert after.startswith(before + b"\n")
    assert_only_inserted(before, after, insertion.block.encode())
    assert validate(load_catalogue(path)) == []


def test_an_empty_list_becomes_a_list_of_one(tmp_path):
    path = tmp_path / "models.yaml"
    text = SMALL_CATALOGUE.read_text()
    head = re.sub(r"^tasks:\n(?:  .*\n)*", "", text[: text.index("models:")], flags=re.MULTILINE)
    path.write_text(head + "models: []\n")  # no models, so no tasks either
    add_entry(path, new_entry())
    assert [m["id"] for m in load_catalogue(path).data["models"]] == ["beta-seg"]
    assert path.read_text().startswith(head + "models:\n  - id: beta-seg\n")


def test_an_invalid_entry_is_refused_with_every_problem_and_nothing_written(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    before = path.read_bytes()
    entry = new_entry(category="vison", links={"repository": "http://github.com/example/beta-seg"})
    with pytest.raises(ScaffoldError) as refused:
        add_entry(path, entry)
    messages = [str(problem) for problem in refused.value.problems]
    assert any(
        "beta-seg: category: unknown category 'vison'" in m and "did you mean 'vision'?" in m
        for m in messages
    )
    assert any("beta-seg: links.repository: must start with https://" in m for m in messages)
    assert all(problem.line is None for problem in refused.value.problems)  # the new file does not exist
    assert path.read_bytes() == before
    # No temporary file left; the lock file stays, as lock files do.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".models.yaml.lock", "models.yaml"]


def test_a_taken_id_is_refused_naming_the_line_it_is_on(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    with pytest.raises(ScaffoldError) as refused:
        add_entry(path, new_entry(id="alpha-bert"))
    [problem] = refused.value.problems
    line = SMALL_CATALOGUE.read_text().splitlines().index("  - id: alpha-bert") + 1
    assert (
        str(problem)
        == f"{problem.file}:{line}: alpha-bert: id: is already in the catalogue; choose another id"
    )


def test_a_catalogue_with_problems_is_not_touched(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    path.write_text(path.read_text().replace("verified: 2026-01-20", "verified: soon"))
    before = path.read_bytes()
    with pytest.raises(ScaffoldError, match="already has problems; fix them first"):
        add_entry(path, new_entry())
    assert path.read_bytes() == before


def test_dry_run_writes_nothing(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    before = path.read_bytes()
    insertion = add_entry(path, new_entry(), write=False)
    assert path.read_bytes() == before
    assert insertion.block in insertion.text


def test_file_mode_is_kept(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    path.chmod(0o640)
    add_entry(path, new_entry())
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    "value",
    ["yes", "no", "7", "1.5", "null", "~", "2026-01-31", "a: b", "a #b", "- item", "#hash", "'quoted'",
     '"double"', "[list]", "{map}", "back\\slash", "tab\there", "Résumé \u2013 naïve", "@at", "`tick`", "*star", "&amp",
     "!bang", "%pct", "|pipe", ">gt", " leading", "trailing ", "?q", "a,b"],
)  # fmt: skip
def test_any_text_reads_back_exactly(value):
    assert yaml.load(f"key: {scalar(value)}\n", Loader=_CatalogueLoader) == {"key": value}
    flow = f"key: [{scalar(value, in_flow=True)}, x]\n"
    assert yaml.load(flow, Loader=_CatalogueLoader) == {"key": [value, "x"]}


def test_long_text_is_folded_and_reads_back_the_same(tmp_path):
    description = " ".join(
        ["Segmentation of computed tomography scans with a self-configuring pipeline."] * 4
    )
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    insertion = add_entry(path, new_entry(description=description))
    assert "    description: >-\n" in insertion.block
    assert max(len(line) for line in insertion.block.splitlines()) <= 100
    model = next(m for m in load_catalogue(path).data["models"] if m["id"] == "beta-seg")
    assert model["description"] == description


def test_fields_are_written_in_schema_order_and_empty_ones_left_out():
    entry = new_entry(parameters=[], caveats=None, licenses={"code": {"id": "MIT", "note": ""}})
    lines = entry_lines(dict(reversed(entry.items())))
    keys = [line.split(":")[0].strip("- ") for line in lines if not line.startswith("    ")]
    assert keys == [
        "id", "name", "developer", "category", "subcategory", "kind", "modalities", "description",
        "use_cases", "intended_users", "out_of_scope", "links", "licenses", "access", "evaluations",
        "regulatory", "deployment", "verified", "sources",
    ]  # fmt: skip
    assert "  licenses:" in lines and "      id: MIT" in lines and not any("note" in line for line in lines)


def test_nested_fields_are_written_as_block_yaml_that_reads_back_the_same():
    entry = new_entry(
        kind="pretrained model",
        licenses={"weights": {"id": "MIT", "note": "As the card says: MIT."}, "code": {"id": "MIT"}},
        evaluations=[{"benchmark": "Dice: CT", "metric": "mean", "value": "0.9", "kind": "benchmark",
                      "source": "https://e.org/p", "self_reported": True}],
    )  # fmt: skip
    text = "\n".join(entry_lines(entry)) + "\n"
    [read_back] = yaml.load(text, Loader=_CatalogueLoader)
    assert read_back["licenses"] == entry["licenses"]
    assert read_back["evaluations"] == entry["evaluations"]
    assert read_back["deployment"] == entry["deployment"]


def test_new_entry_dated_today_is_accepted(tmp_path):
    path = copy_of(SMALL_CATALOGUE, tmp_path)
    add_entry(path, new_entry(verified=datetime.date.today().isoformat()))
    assert validate(load_catalogue(path)) == []
