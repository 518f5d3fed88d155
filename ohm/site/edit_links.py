"""Edit links of pages whose source is not their own file in docs/.

With `repo_url` set (the deploy workflow sets it, and `edit_uri`, from the GitHub
context), the theme links every page to its file under docs/. Generated pages
have no such file: their source is the catalogue. docs/contributing.md only
includes CONTRIBUTING.md, so its edit link opens that file instead. Without a
repository, no page has an edit link.

`edit_uri` points at the docs folder (e.g. `edit/main/docs/`), relative to `repo_url`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin

from .render import Repository

# The project's default branch is main; MkDocs would guess edit/master/docs/ for GitHub.
DEFAULT_EDIT_URI = "edit/main/docs/"

# Pages in docs/ whose text is included from a file elsewhere in the repository.
INCLUDED_FROM = {"contributing.md": "CONTRIBUTING.md"}


def site_edit_uri(repo_url: str | None, edit_uri: str | None) -> str | None:
    """`edit_uri`, or the project's default where MkDocs would guess the master branch."""
    if repo_url and edit_uri in (None, "", "edit/master/docs/"):
        return DEFAULT_EDIT_URI
    return edit_uri


def edit_urls(
    generated: Iterable[str], project_dir: Path, docs_dir: Path, repo_url: str | None, edit_uri: str | None
) -> dict[str, str | None]:
    """The edit link of each generated page (the catalogue) and each page of INCLUDED_FROM, by page."""
    repository = Repository.from_site_config(repo_url, edit_uri)
    urls: dict[str, str | None] = dict.fromkeys(generated, repository.edit_url if repository else None)
    for page, source in INCLUDED_FROM.items():
        urls[page] = _included_edit_url(source, project_dir, docs_dir, repo_url, edit_uri)
    return urls


def _included_edit_url(
    source: str, project_dir: Path, docs_dir: Path, repo_url: str | None, edit_uri: str | None
) -> str | None:
    """The edit link of `source` (relative to the project folder), found from the docs folder's."""
    if not repo_url or not edit_uri:
        return None
    docs = docs_dir.resolve().relative_to(project_dir.resolve()).as_posix()
    docs_folder = urljoin(repo_url.rstrip("/") + "/", edit_uri.rstrip("/") + "/")
    return urljoin(docs_folder, posixpath.relpath(source, docs))
