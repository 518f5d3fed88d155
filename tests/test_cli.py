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
    assert sorted(p.name for p in out.iterdir()) == ["index.md", "llm.md", "vision.md"]
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
