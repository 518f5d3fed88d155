"""Edit links of pages whose text is included from a file elsewhere in the repository.

With `repo_url` and `edit_uri` set (the deploy workflow sets them from the GitHub
context), MkDocs links every page to its file under docs/. docs/contributing.md
only includes CONTRIBUTING.md, so its edit link opens that file instead.

`edit_uri` points at the docs folder (e.g. `edit/main/docs/`), so the paths here
are relative to it; MkDocs resolves the `../`.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

# Pages in docs/ whose text is included from a file elsewhere in the repository.
INCLUDED_FROM = {"contributing.md": "CONTRIBUTING.md"}


def edit_path(source: str, config: MkDocsConfig) -> str:
    """`source` (relative to the project folder) as a path relative to the docs folder."""
    project = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir).resolve().relative_to(project).as_posix()
    return posixpath.relpath(source, docs)
