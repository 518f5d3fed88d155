"""The command line: exit codes, one line per problem, nothing half-written."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from ohm.catalog.load import display_name, load_catalogue

from .conftest import FIXTURES, ROOT, SMALL_CATALOGUE, run_ohm

MANY_PROBLEMS = FIXTURES / "invalid" / "many-problems.yaml"


def catalog(*args: str) -> subprocess.CompletedProcess[str]:
    return run_ohm(*args)


def test_validate_a_good_catalogue():
    result = catalog("validate", "--catalogue", str(SMALL_CATALOGUE))
    assert result.returncode == 0
    assert result.stdout == f"{display_name(SMALL_CATALOGUE)}: 3 models, no problems.\n"
    assert result.stderr == ""


def test_validate_lists_every_problem_one_per_line_without_a_traceback():
    result = catalog("validate", "--catalogue", str(MANY_PROBLEMS))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 11
    assert lines[0].startswith(f"{display_name(MANY_PROBLEMS)}:20: example-asr: category: ")
    assert lines[-1] == "10 problem(s) found; nothing was written."
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_render_writes_exactly_the_pages_and_removes_stale_ones(tmp_path: Path):
    out = tmp_path / "pages"
    assert catalog("render", "--catalogue", str(SMALL_CATALOGUE), "--out", str(out)).returncode == 0
    (out / "stale.md").write_text("from an older catalogue")
    result = catalog("render", "--catalogue", str(SMALL_CATALOGUE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        ".ohm-output",
        "changes.md",
        "compare.md",
        "index.md",
        "llm.md",
        "models",
        "tasks",
        "vision.md",
    ]
    assert sorted(p.name for p in (out / "models").iterdir()) == [
        "alpha-bert.md",
        "index.md",  # the complete list
        "seg-net.md",
        "zeta-lm.md",
    ]
    assert "# Language models" in (out / "llm.md").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]  # no staging folders left behind


def test_render_of_a_bad_catalogue_leaves_the_output_untouched(tmp_path: Path):
    out = tmp_path / "pages"
    out.mkdir()
    (out / "index.md").write_text("previous good build")
    result = catalog("render", "--catalogue", str(MANY_PROBLEMS), "--out", str(out))
    assert result.returncode == 1
    assert [p.name for p in out.iterdir()] == ["index.md"]
    assert (out / "index.md").read_text() == "previous good build"
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]


def test_a_missing_catalogue_is_a_problem_not_a_crash(tmp_path: Path):
    result = catalog("validate", "--catalogue", str(tmp_path / "missing.yaml"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"{display_name(tmp_path / 'missing.yaml')}: file not found"


def test_usage_errors_exit_2():
    assert catalog("frobnicate").returncode == 2
    assert catalog("render").returncode == 2  # --out is required
    assert catalog("export", "xml").returncode == 2
    assert catalog("export", "json", "--check").returncode == 2  # nothing to compare with


# --- new ---------------------------------------------------------------------------------

NEW_OPTIONS = [
    "new", "--name", "Beta Seg", "--developer", "Example Lab", "--category", "vision", "--subcategory", "medical-imaging",
    "--kind", "framework", "--modality", "image", "--description", "Segmentation of CT scans.",
    "--use-case", "Organ segmentation", "--repository", "https://github.com/example/beta-seg",
    "--code-license", "Apache-2.0", "--access", "open",
    "--source", "https://github.com/example/beta-seg", "--verified", "2026-01-31",
]  # fmt: skip


def scratch_catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes())
    return path


def test_new_with_options_adds_a_valid_entry(tmp_path: Path):
    path = scratch_catalogue(tmp_path)
    result = catalog(*NEW_OPTIONS, "--catalogue", str(path))
    assert result.returncode == 0, result.stderr
    line = path.read_text().splitlines().index("  - id: beta-seg") + 1
    assert result.stdout.splitlines()[0] == (
        f"{display_name(path)}:{line}: added beta-seg, after the last entry in vision/medical-imaging; "
        "the catalogue is valid."
    )
    assert catalog("validate", "--catalogue", str(path)).stdout.endswith(": 4 models, no problems.\n")


def test_new_without_required_options_and_no_terminal_names_them(tmp_path: Path):
    path = scratch_catalogue(tmp_path)
    result = catalog("new", "--catalogue", str(path), "--name", "Beta Seg", "--kind", "framework")
    assert result.returncode == 2
    assert result.stderr == (
        "new: missing --developer, --category, --subcategory, --modality, --description, --use-case, "
        "--model-card/--repository/--homepage/--docs/--paper, --code-license, --access, "
        "--source (run it in a terminal to be asked instead)\n"
    )
    assert path.read_bytes() == SMALL_CATALOGUE.read_bytes()


def test_new_refuses_an_invalid_entry_naming_the_option_to_fix(tmp_path: Path):
    path = scratch_catalogue(tmp_path)
    options = [value.replace("https://github.com", "http://github.com") for value in NEW_OPTIONS]
    result = catalog(*options, "--catalogue", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{display_name(path)}: beta-seg: links.repository: must start with https:// "
        "(plain http:// is not accepted) (option --repository)",
        f"{display_name(path)}: beta-seg: sources[0]: must start with https:// "
        "(plain http:// is not accepted) (option --source)",
        "new: the new entry is not valid; nothing was written",
    ]
    assert path.read_bytes() == SMALL_CATALOGUE.read_bytes()


def test_new_keeps_the_tasks_it_is_given_and_refuses_an_undeclared_one(tmp_path: Path):
    path = scratch_catalogue(tmp_path)
    result = catalog(*NEW_OPTIONS, "--catalogue", str(path), "--task", "segmentation", "--task", "nope")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{display_name(path)}: beta-seg: tasks[1]: unknown task 'nope'; declared tasks: "
        "summarisation, ner, segmentation (option --task)"
    )
    assert path.read_bytes() == SMALL_CATALOGUE.read_bytes()
    result = catalog(*NEW_OPTIONS, "--catalogue", str(path), "--task", "segmentation")
    assert result.returncode == 0, result.stderr
    added = next(m for m in load_catalogue(path).data["models"] if m["id"] == "beta-seg")
    assert added["tasks"] == ["segmentation"]


def test_new_writes_unknown_where_the_contributor_gave_nothing(tmp_path: Path):
    path = scratch_catalogue(tmp_path)
    assert catalog(*NEW_OPTIONS, "--catalogue", str(path)).returncode == 0
    added = next(m for m in load_catalogue(path).data["models"] if m["id"] == "beta-seg")
    assert (added["intended_users"], added["out_of_scope"], added["evaluations"]) == ("unknown",) * 3
    assert added["regulatory"] == "none-known"
    assert set(added["deployment"].values()) == {"unknown"}
    assert "training_data" not in added and "weights" not in added["licenses"]  # a framework


def test_new_dry_run_shows_the_entry_and_writes_nothing(tmp_path: Path):
    path = scratch_catalogue(tmp_path)
    result = catalog(*NEW_OPTIONS, "--catalogue", str(path), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "  subcategory: medical-imaging\n" in result.stdout
    assert result.stdout.startswith("Would add beta-seg to ")
    assert path.read_bytes() == SMALL_CATALOGUE.read_bytes()


def test_new_in_a_terminal_asks_for_what_is_missing(tmp_path: Path):
    path = scratch_catalogue(tmp_path)
    answers = ["Beta Seg", "", "Example Lab", "vision", "", "3", "image", "Segmentation of CT.", "Organs", "",
               "segmentation", "", "https://github.com/example/beta-seg", "", "", "", "Apache-2.0", "1", "", "1", "", "",
               "https://github.com/example/beta-seg", ""]  # fmt: skip
    output, status = run_in_terminal([sys.executable, "-m", "ohm", "new", "--catalogue", str(path)], answers)
    assert status == 0, output
    assert "  2. vision (Vision)\r\n" in output and "  1. medical-imaging (Medical imaging)\r\n" in output
    model = next(m for m in load_catalogue(path).data["models"] if m["id"] == "beta-seg")
    assert model["links"] == {"repository": "https://github.com/example/beta-seg"}
    assert model["subcategory"] == "medical-imaging"  # the only one, taken as the default
    assert model["kind"] == "framework"  # chosen by its number
    assert model["tasks"] == ["segmentation"]


def run_in_terminal(command: list[str], answers: list[str]) -> tuple[str, int]:
    """Run `command` with a pseudo-terminal as stdin and stdout, typing `answers` ahead."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, cwd=ROOT, stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    os.write(controller, "".join(answer + "\n" for answer in answers).encode())
    output = b""
    deadline = time.monotonic() + 60  # a program still asking after the last answer would wait forever
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the program ended
            break
        if not chunk:
            break
        output += chunk
    else:
        process.kill()
    os.close(controller)
    return output.decode(errors="replace"), process.wait(timeout=10)


def test_export_prints_to_standard_output_by_default():
    result = catalog("export", "--catalogue", str(SMALL_CATALOGUE), "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("id,name,developer,")
    assert len(result.stdout.splitlines()) == 4


def test_export_writes_a_file_and_check_compares_it(tmp_path: Path):
    out = tmp_path / "MODELS.md"
    export = ("export", "markdown", "--catalogue", str(SMALL_CATALOGUE), "--out", str(out))
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
        f"ohm export markdown --out {display_name(out)}\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MODELS.md"]  # no staging files left


def test_export_of_a_bad_catalogue_writes_nothing(tmp_path: Path):
    out = tmp_path / "models.json"
    result = catalog("export", "--catalogue", str(MANY_PROBLEMS), "json", "--out", str(out))
    assert result.returncode == 1
    assert not out.exists()
