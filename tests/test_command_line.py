"""The `ohm` command itself: the real console entry, and a verb loading only what it needs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ohm.catalog.load import display_name
from ohm.cli import VERBS, parser

from .conftest import ROOT, SMALL_CATALOGUE, run_ohm

# What only building, serving and checking links need; `ohm validate` must load none of it.
NOT_FOR_VALIDATE = ["httpx", "linkcheck", "protego", "mkdocs", "zensical", "jinja2", "filelock"]


def test_the_console_entry_runs_a_verb_in_a_fresh_process():
    result = subprocess.run(
        [sys.executable, "-m", "ohm", "validate", "--catalogue", str(SMALL_CATALOGUE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{display_name(SMALL_CATALOGUE)}: 3 models, no problems.\n"


def test_validate_loads_neither_the_site_nor_the_web_clients():
    script = (
        "import sys; from ohm.cli import main; code = main(sys.argv[1:]); "
        f"print(*sorted(name for name in {NOT_FOR_VALIDATE!r} if name in sys.modules)); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "validate", "--catalogue", str(SMALL_CATALOGUE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == ""  # not one of them imported


@pytest.mark.parametrize("verb", list(VERBS))
def test_a_verb_alone_has_the_help_it_has_among_all(verb: str, capsys):
    with pytest.raises(SystemExit):
        parser().parse_args([verb, "--help"])
    among_all = capsys.readouterr().out
    with pytest.raises(SystemExit):
        parser(verb).parse_args([verb, "--help"])
    assert capsys.readouterr().out == among_all
    assert among_all.startswith(f"usage: ohm {verb} ")


def test_the_list_of_verbs_is_every_verb():
    result = run_ohm("--help")
    assert result.returncode == 0
    listed = [
        line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ") and line[4] != " "
    ]
    assert listed == list(VERBS)
    unknown = run_ohm("frobnicate")
    assert unknown.returncode == 2
    assert "choose from " in unknown.stderr and all(repr(verb) in unknown.stderr for verb in VERBS)
