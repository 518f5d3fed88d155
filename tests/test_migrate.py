"""`ohm migrate`: a schema-2 catalogue rewritten as schema 3, every other byte as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ohm.catalog.load import load_catalogue
from ohm.catalog.migrate import MigrationError, migrate_text
from ohm.catalog.validate import validate
from ohm.cli import main

from .conftest import FIXTURES

SCHEMA_2 = FIXTURES / "migrate" / "schema-2.yaml"
SCHEMA_3 = FIXTURES / "migrate" / "schema-3.yaml"


def test_a_schema_2_catalogue_becomes_the_expected_schema_3_text():
    migration = migrate_text(SCHEMA_2.read_text(encoding="utf-8"), "models.yaml")
    assert migration.text == SCHEMA_3.read_text(encoding="utf-8")
    assert migration.underived == [
        "models.yaml:182: organ-seg: evidence_level: was retrospective, its evaluations give benchmark; "
        "set the kind of each evaluation"
    ]


def test_the_expected_text_is_a_valid_catalogue():
    assert validate(load_catalogue(SCHEMA_3)) == []


def test_migrating_twice_changes_nothing():
    once = SCHEMA_3.read_text(encoding="utf-8")
    again = migrate_text(once)
    assert (again.text, again.underived) == (once, [])


def test_one_result_of_a_stronger_study_keeps_its_level_as_its_kind():
    text = SCHEMA_2.read_text(encoding="utf-8").replace(
        """        value: "0.94"
        source: https://example.org/paper
        self_reported: true
      - benchmark: Second hospital
        metric: Dice
        value: "0.91"
        note: Scans from another site.
        source: https://example.org/paper
        self_reported: true
""",
        """        value: "0.94"
        source: https://example.org/paper
        self_reported: true
""",
    )
    migration = migrate_text(text)
    assert '        value: "0.94"\n        kind: retrospective\n        source:' in migration.text
    assert migration.underived == []


def test_check_says_whether_the_file_would_change_and_changes_nothing(tmp_path: Path, capsys):
    path = tmp_path / "models.yaml"
    shutil.copyfile(SCHEMA_2, path)
    assert main(["migrate", "--catalogue", str(path), "--check"]) == 1
    assert path.read_bytes() == SCHEMA_2.read_bytes()
    assert main(["migrate", "--catalogue", str(path)]) == 0
    assert path.read_bytes() == SCHEMA_3.read_bytes()
    assert "organ-seg: evidence_level: was retrospective" in capsys.readouterr().out
    assert main(["migrate", "--catalogue", str(path), "--check"]) == 0
    assert main(["migrate", "--catalogue", str(path)]) == 0
    assert path.read_bytes() == SCHEMA_3.read_bytes()


def test_a_file_that_cannot_be_read_as_yaml_is_left_as_it_is(tmp_path: Path, capsys):
    path = tmp_path / "models.yaml"
    path.write_text("models: [\n", encoding="utf-8")
    assert main(["migrate", "--catalogue", str(path)]) == 2
    assert path.read_text(encoding="utf-8") == "models: [\n"
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("migrate: ") and "models.yaml:" in line


def test_a_field_written_over_several_lines_is_refused_not_mangled():
    text = SCHEMA_2.read_text(encoding="utf-8").replace(
        "    evidence_level: retrospective  # the strongest reported\n",
        "    evidence_level: >-\n      retrospective\n",
    )
    with pytest.raises(MigrationError, match="not on one line"):
        migrate_text(text)
