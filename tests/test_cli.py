"""The command line: exit codes, one line per problem, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.catalog.load import display_name

from .conftest import FIXTURES, ROOT, SMALL_CATALOGUE

MANY_PROBLEMS = FIXTURES / "invalid" / "many-problems.yaml"


def catalog(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.catalog", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_validate_a_good_catalogue():
    result = catalog("--catalogue", str(SMALL_CATALOGUE), "validate")
    assert result.returncode == 0
    assert result.stdout == f"{display_name(SMALL_CATALOGUE)}: 3 models, no problems.\n"
    assert result.stderr == ""


def test_validate_lists_every_problem_one_per_line_without_a_traceback():
    result = catalog("--catalogue", str(MANY_PROBLEMS), "validate")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 11
    assert lines[0].startswith(f"{display_name(MANY_PROBLEMS)}:20: example-asr: category: ")
    assert lines[-1] == "10 problem(s) found; nothing was written."
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_render_writes_exactly_the_pages_and_removes_stale_ones(tmp_path: Path):
    out = tmp_path / "pages"
    out.mkdir()
    (out / "stale.md").write_text("from an older catalogue")
    result = catalog("--catalogue", str(SMALL_CATALOGUE), "render", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.md", "llm.md", "models", "tasks", "vision.md"]
    assert sorted(p.name for p in (out / "models").iterdir()) == ["alpha-bert.md", "seg-net.md", "zeta-lm.md"]
    assert "# Language models" in (out / "llm.md").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]  # no staging folders left behind


def test_render_of_a_bad_catalogue_leaves_the_output_untouched(tmp_path: Path):
    out = tmp_path / "pages"
    out.mkdir()
    (out / "index.md").write_text("previous good build")
    result = catalog("--catalogue", str(MANY_PROBLEMS), "render", "--out", str(out))
    assert result.returncode == 1
    assert [p.name for p in out.iterdir()] == ["index.md"]
    assert (out / "index.md").read_text() == "previous good build"
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]


def test_a_missing_catalogue_is_a_problem_not_a_crash(tmp_path: Path):
    result = catalog("--catalogue", str(tmp_path / "missing.yaml"), "validate")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"{display_name(tmp_path / 'missing.yaml')}: file not found"


def test_usage_errors_exit_2():
    assert catalog("frobnicate").returncode == 2
    assert catalog("render").returncode == 2  # --out is required
    assert catalog("export", "xml").returncode == 2
    assert catalog("export", "json", "--check").returncode == 2  # nothing to compare with


def test_export_prints_to_standard_output_by_default():
    result = catalog("--catalogue", str(SMALL_CATALOGUE), "export", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("id,name,developer,")
    assert len(result.stdout.splitlines()) == 4


def test_export_writes_a_file_and_check_compares_it(tmp_path: Path):
    out = tmp_path / "MODELS.md"
    export = ("--catalogue", str(SMALL_CATALOGUE), "export", "markdown", "--out", str(out))
    assert catalog(*export, "--check").returncode == 1  # missing
    assert catalog(*export).returncode == 0
    assert out.read_text().startswith("# Test Catalogue\n")
    check = catalog(*export, "--check")
    assert (check.returncode, check.stdout) == (0, f"{display_name(out)} is up to date.\n")
    out.write_text(out.read_text() + "edited by hand\n")
    check = catalog(*export, "--check")
    assert check.returncode == 1
    assert check.stderr == (
        f"{display_name(out)} is out of date; regenerate it with: "
        f"python -m scripts.catalog export markdown --out {display_name(out)}\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MODELS.md"]  # no staging files left


def test_export_of_a_bad_catalogue_writes_nothing(tmp_path: Path):
    out = tmp_path / "models.json"
    result = catalog("--catalogue", str(MANY_PROBLEMS), "export", "json", "--out", str(out))
    assert result.returncode == 1
    assert not out.exists()
