"""How problems are shown, chosen by name (`ohm validate --format NAME`).

A reporter prints every problem and a closing count. `text` writes one line per
problem to standard error, for people; `github` writes workflow commands to standard
output, which the Actions runner turns into annotations on the exact line (github.py).
A new format is one function and one line in REPORTERS.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .github import annotation
from .problems import Problem

Reporter = Callable[[list[Problem]], None]


def text_reporter(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def github_reporter(problems: list[Problem]) -> None:
    for problem in problems:
        print(annotation(problem))


REPORTERS: dict[str, Reporter] = {"text": text_reporter, "github": github_reporter}


def report(problems: list[Problem], output_format: str = "text", done: str = "nothing was written") -> int:
    """Show `problems` with the reporter named `output_format`, then the count and `done`; returns 1."""
    REPORTERS[output_format](problems)
    print(f"{len(problems)} problem(s) found; {done}.", file=sys.stderr)
    return 1
