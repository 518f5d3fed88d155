"""Problems as GitHub workflow commands: the exact syntax the runner parses, escaping included."""

from __future__ import annotations

import subprocess
import sys

from ohm.catalog.github import annotation, escape_data, escape_property, workflow_command
from ohm.catalog.problems import Problem

from .conftest import FIXTURES, ROOT


def test_message_escapes_percent_and_line_breaks_only():
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"


def test_property_escapes_also_colon_and_comma():
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_percent_is_escaped_first_so_escapes_are_not_doubled():
    assert escape_data("%0A") == "%250A"


def test_annotation_names_file_line_and_title():
    problem = Problem("data/models.yaml", 42, "whisper", "links.repository", "must start with https://")
    assert annotation(problem) == (
        "::error file=data/models.yaml,line=42,title=whisper%3A links.repository::must start with https://"
    )


def test_annotation_escapes_values_that_would_split_the_command():
    problem = Problem("data/a,b.yaml", 3, "x\x1b[2J", "use_cases[0]", "100%: bad\nvalue")
    assert (
        annotation(problem)
        == "::error file=data/a%2Cb.yaml,line=3,title=x\\x1b[2J%3A use_cases[0]::100%25: bad\\nvalue"
    )


def test_problem_without_line_or_entry_is_annotated_on_the_file():
    assert annotation(Problem("data/models.yaml", None, None, None, "file not found")) == (
        "::error file=data/models.yaml,title=catalogue::file not found"
    )


def test_command_without_properties():
    assert workflow_command("error", "a%b") == "::error::a%25b"


def test_validate_format_github_prints_one_annotation_per_problem():
    broken = FIXTURES / "invalid" / "http-url.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ohm",
            "validate",
            "--catalogue",
            str(broken),
            "--format",
            "github",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(
        line.startswith("::error file=tests/fixtures/invalid/http-url.yaml,line=") for line in lines
    )
    assert "must start with https://" in result.stdout
    assert result.stderr.endswith("problem(s) found; nothing was written.\n")


def test_syntax_error_is_annotated_on_its_exact_line(tmp_path):
    catalogue = tmp_path / "models.yaml"
    # Line 6 is indented one space too little: the typical slip when editing by hand.
    text = "catalogue:\n  title: x\nmodels:\n  - id: a\n    name: b\n   kind: c\n    verified: 2026-01-01\n"
    catalogue.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ohm",
            "validate",
            "--catalogue",
            str(catalogue),
            "--format",
            "github",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=models.yaml,line=6,title=catalogue::YAML syntax error: ")
