"""Stage 2: every bad input gets its exact message; a good catalogue gets none.

Each file in fixtures/invalid/ holds one problem (many-problems.yaml holds
several) and ends with the exact lines expected, as `# expect: LINE: ...`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue
from ohm.catalog.load import display_name, load_catalogue
from ohm.catalog.text import plain_text_problem
from ohm.catalog.urls import url_problem
from ohm.catalog.validate import validate

from .conftest import FIXTURES, MINIMAL_CATALOGUE, SMALL_CATALOGUE

# The module, not the function of the same name that ohm.catalog exports.
validate_module = importlib.import_module("ohm.catalog.validate")

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


def expected_messages(path: Path) -> list[str]:
    prefix = "# expect: "
    lines = path.read_text(encoding="utf-8").splitlines()
    return [f"{display_name(path)}:{line[len(prefix) :]}" for line in lines if line.startswith(prefix)]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_bad_input_gets_its_exact_messages(path: Path):
    expected = expected_messages(path)
    assert expected, f"{path.name} states no expected message"
    assert [str(problem) for problem in validate(load_catalogue(path))] == expected


def test_there_is_a_fixture_for_each_kind_of_problem():
    names = {path.stem for path in INVALID}
    assert {
        "syntax-error",
        "duplicate-key",
        "duplicate-id",
        "missing-field",
        "unknown-category",
        "unknown-license",
        "unknown-task",
        "http-url",
        "javascript-url",
        "data-url",
        "html-description",
        "alias-bomb",
        "python-tag",
        "many-problems",
        "key-number",
        "key-null",
        "key-boolean",
        "deep-nesting",
        "nul-byte",
        "c1-control",
        "escaped-control",
        "lone-surrogate",
    } <= names


@pytest.mark.parametrize(
    "path", [MINIMAL_CATALOGUE, SMALL_CATALOGUE, DEFAULT_CATALOGUE], ids=lambda p: p.stem
)
def test_good_catalogues_have_no_problems(path: Path):
    opened = open_catalogue(path)
    catalogue, problems = opened.typed, opened.problems
    assert [str(p) for p in problems] == []
    assert catalogue is not None and catalogue.models


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://huggingface.co/openai/whisper-large-v3", None),
        ("https://example.org:8443/a?b=c#d", None),
        ("HTTPS://example.org", "must start with https://"),
        ("http://example.org", "must start with https:// (plain http:// is not accepted)"),
        ("JavaScript:alert(1)", "javascript: links are not allowed; use an https:// address"),
        ("data:text/html,hi", "data: links are not allowed; use an https:// address"),
        ("vbscript:x", "vbscript: links are not allowed; use an https:// address"),
        ("file:///etc/passwd", "file: links are not allowed; use an https:// address"),
        ("//example.org/x", "must start with https://"),
        ("example.org", "must start with https://"),
        ("https://", "is not a well-formed address: no host name"),
        ("https://exa_mple.org", "is not a well-formed address: exa_mple.org host name"),
        ("https://-bad.org", "is not a well-formed address: -bad.org host name"),
        ("https://user:pw@example.org", "must not contain a user name or password"),
        ("https://example.org:99999/", "is not a well-formed address: bad port number"),
        ("https://example.org/a b", "must not contain spaces, quotes or angle brackets; percent-encode them"),
        (
            'https://example.org/"onmouseover="x',
            "must not contain spaces, quotes or angle brackets; percent-encode them",
        ),
    ],
)
def test_https_url_rules(url: str, problem: str | None):
    assert url_problem(url) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Segmentation of CT & MRI, p < 0.05 in 3/4 cases", None),
        ("Uses **Markdown** and [links](https://x.org)", None),
        (
            "<img src=x onerror=alert(1)>",
            "must be plain text: HTML like '<img src=x onerror=alert(1)>' is not allowed",
        ),
        ("closing </div> tag", "must be plain text: HTML like '</div>' is not allowed"),
        ("comment <!-- x -->", "must be plain text: HTML like '<!-- x -->' is not allowed"),
        ("bell \x07 char", "must not contain control characters (U+0007)"),
    ],
)
def test_plain_text_rules(text: str, problem: str | None):
    assert plain_text_problem(text) == problem


def test_the_quick_schema_check_agrees_with_the_detailed_one():
    checked = 0
    for path in [*INVALID, MINIMAL_CATALOGUE, SMALL_CATALOGUE, DEFAULT_CATALOGUE]:
        loaded = load_catalogue(path)
        if loaded.data is None:
            continue  # nothing to check: the file does not load
        detailed_errors = list(validate_module._validator().iter_errors(loaded.data))
        assert validate_module._quick_validator().is_valid(loaded.data) == (not detailed_errors), path.name
        checked += 1
    assert checked >= 30
