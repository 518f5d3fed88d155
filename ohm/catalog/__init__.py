"""The catalogue pipeline: load -> validate -> render; mkdocs_hook builds the site from it.

Each stage is a module of plain functions over plain data, usable on its own:

    load.load_catalogue(path)        -> LoadedCatalogue (data, line numbers, load problems)
    validate.validate(loaded)        -> [Problem, ...]  (empty when the catalogue is good)
    catalogue.build_catalogue(data)  -> Catalogue       (typed, ordered)
    render.render_pages(catalogue)   -> {"index.md": "...", "llm.md": "...", ...}
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ohm.site.pages import DOCS_FOLDER

from .catalogue import Catalogue, build_catalogue
from .load import load_catalogue
from .problems import Problem
from .validate import validate

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CATALOGUE = PROJECT_ROOT / "data" / "models.yaml"


def protected_folders(catalogue: str | os.PathLike[str] = DEFAULT_CATALOGUE) -> dict[Path, str]:
    """Folders no command may replace or delete, with what they are: the output of
    `render` and `build` must never be one of them nor hold one."""
    return {
        Path(catalogue).resolve().parent: "the catalogue's folder",
        DEFAULT_CATALOGUE.parent: "the catalogue's folder",
        DOCS_FOLDER: "the folder of the hand-written pages",
        PROJECT_ROOT: "the project folder",
    }


def read_catalogue(
    path: str | os.PathLike[str] = DEFAULT_CATALOGUE, allowed_hosts: Iterable[str] = ()
) -> tuple[Catalogue | None, list[Problem]]:
    """Load and validate `path`: the catalogue if it is good, else None and every problem.

    `allowed_hosts` may be named in links although they are internal (see urls.py).
    """
    loaded = load_catalogue(path)
    problems = validate(loaded, allowed_hosts)
    if problems:
        return None, problems
    return build_catalogue(loaded.data, loaded.lines), []


__all__ = ["DEFAULT_CATALOGUE", "Catalogue", "Problem", "read_catalogue"]
