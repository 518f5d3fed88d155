"""The catalogue pipeline: load -> validate -> type; the site (ohm.site) renders from it.

Each stage is a module of plain functions over plain data, usable on its own:

    load.load_catalogue(path)        -> LoadedCatalogue (data, line numbers, load problems)
    validate.validate(loaded)        -> [Problem, ...]  (empty when the catalogue is good)
    catalogue.build_catalogue(data)  -> Catalogue       (typed, ordered)

and one door runs the three for everyone else (door.py):

    open_catalogue(path)             -> OpenedCatalogue (document, problems, catalogue, ok)
"""

from __future__ import annotations

import os
from pathlib import Path

from ohm.site.pages import DOCS_FOLDER

from .catalogue import Catalogue
from .door import OpenedCatalogue, open_catalogue, open_text
from .problems import Problem

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


__all__ = ["DEFAULT_CATALOGUE", "Catalogue", "OpenedCatalogue", "Problem", "open_catalogue", "open_text"]
