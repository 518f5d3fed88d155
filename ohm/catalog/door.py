"""The one way into a catalogue file: load, validate and type it, once.

    opened = open_catalogue("data/models.yaml")
    if not opened.ok:
        report(opened.problems)        # every problem, one line each
    else:
        opened.catalogue.models        # the typed catalogue (Model keeps its URLs' lines)
        opened.document                # the parsed document: data, line marks, text

Every verb of `ohm`, the site build and the nightly checks open the catalogue here,
so each reads the file the same way and gets the same problems.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from .catalogue import Catalogue, build_catalogue
from .load import LoadedCatalogue, load_catalogue, parse_catalogue
from .problems import Problem
from .validate import validate


class NotValid(Exception):
    """Raised when the typed catalogue of a catalogue with problems is asked for."""


@dataclass(frozen=True)
class OpenedCatalogue:
    """A catalogue file as read: the document, every problem, and the typed catalogue when there are none."""

    document: LoadedCatalogue  # data, line marks, the text as read, load problems
    problems: list[Problem]  # load, schema and semantic problems, in file order
    typed: Catalogue | None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def file(self) -> str:
        """The file as messages name it."""
        return self.document.file

    @property
    def catalogue(self) -> Catalogue:
        """The typed catalogue; ask only when `ok` (a catalogue with problems has none)."""
        if self.typed is None:
            raise NotValid(f"{self.file} has {len(self.problems)} problem(s) and no typed catalogue")
        return self.typed


def open_catalogue(path: str | os.PathLike[str], allowed_hosts: Iterable[str] = ()) -> OpenedCatalogue:
    """Read, validate and type the catalogue at `path` (OSError: the file cannot be read).

    `allowed_hosts` may be named in links although they are internal (a test server; see urls.py).
    """
    return _opened(load_catalogue(path), allowed_hosts)


def open_text(text: str, file: str, allowed_hosts: Iterable[str] = ()) -> OpenedCatalogue:
    """The same for a catalogue's text that is not (yet) a file: `file` names it in messages."""
    return _opened(parse_catalogue(text, LoadedCatalogue(file=file)), allowed_hosts)


def _opened(document: LoadedCatalogue, allowed_hosts: Iterable[str]) -> OpenedCatalogue:
    problems = validate(document, allowed_hosts)
    typed = None if problems else build_catalogue(document.data, document.lines)
    return OpenedCatalogue(document, problems, typed)
