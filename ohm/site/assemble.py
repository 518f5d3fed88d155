"""Stage 4: the whole site assembled once, for any engine.

`assemble(options)` opens the catalogue and returns a `Site`: every generated
page and export keyed by its path inside the docs folder, each page's metadata,
the navigation, the edit link of each page whose source is not its own file in
docs/, and which pages the navigation names. Two thin adapters hand it to an
engine: the MkDocs plugin (ohm/mkdocs_plugin.py) over MkDocs' events, and
ohm/engines.py, which writes it to disk for Zensical. Nothing here imports
MkDocs.

The options are those mkdocs.yml gives the `ohm` plugin (`PLUGIN_OPTIONS`, one
definition read by both adapters) and a few of mkdocs.yml's own settings
(docs_dir, repo_url, edit_uri, nav).

The navigation is Home, then each category, then the tasks, then mkdocs.yml's
hand-written pages. Model pages stay out of it, since every page carries it:
with them in it, each page would grow with the catalogue and the site with its
square. Category, task and home pages lead to them, and each model page leads
back up to its category.

Text from the catalogue reaches the theme's HTML in two places that are not
Markdown: the navigation and the page metadata (the `<title>`, the description,
the search tags). The theme prints both as they are, so both are escaped for
HTML here, once.

Given a freshness file (the `freshness` option; mkdocs.yml reads it from
OHM_FRESHNESS), model pages warn about what `ohm freshness` found upstream
(licence changed, archived, inactive) and the tables can hide archived entries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ohm.catalog import Problem, open_catalogue
from ohm.catalog.catalogue import Catalogue
from ohm.freshness.report import FreshnessError
from ohm.freshness.site import SiteFreshness, read_site_freshness

from .badges import badge_svg
from .edit_links import edit_urls, site_edit_uri
from .export import SITE_FILES, entry_files
from .feeds import feeds
from .governance import cyclonedx_json, governance_pack
from .history import CatalogueHistory, read_history, upstream_events
from .pages import (
    ALL_MODELS_PAGE,
    COMPARE_PAGE,
    INDEX_PAGE,
    TASKS_PAGE,
    category_page,
    cyclonedx_file,
    model_badge,
    model_page_url,
    task_page,
)
from .pages import governance_pack as governance_pack_file
from .render import Repository, absolute, html_text, page_meta, render_pages
from .table_index import table_files


class SiteError(Exception):
    """The catalogue or the options cannot make a site; the message says why, `problems` list the entries'."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class SiteOptions:
    """What the site is made from; paths are relative to `project_dir` (or absolute)."""

    project_dir: Path
    catalogue: str = "data/models.yaml"
    templates: str = "templates"
    freshness: str | None = None  # freshness.json of `ohm freshness`
    # Hosts that links may name although they are internal, comma-separated: only for
    # testing the link check against a server on this machine (see ohm/catalog/urls.py).
    allow_hosts: str = ""
    docs_dir: str = "docs"
    repo_url: str | None = None
    edit_uri: str | None = None
    site_url: str | None = None  # the site's address, for the feeds' links (relative without it)
    release: str | None = None  # the catalogue's release (scripts/release.sh), which citations name
    nav: tuple[Any, ...] = ()  # mkdocs.yml's navigation: the hand-written pages

    def path(self, relative: str) -> Path:
        return self.project_dir / relative

    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(host.strip() for host in self.allow_hosts.split(",") if host.strip())

    def watched(self) -> list[Path]:
        """The files and folders a rebuild depends on, besides docs/ and mkdocs.yml."""
        sources = [self.catalogue, self.templates, *([self.freshness] if self.freshness else [])]
        return [self.path(source) for source in sources]


# The options mkdocs.yml may give the `ohm` plugin, with their defaults (None: not set).
PLUGIN_OPTIONS: dict[str, str | None] = {
    field.name: field.default  # type: ignore[misc]  # each of these four has a default
    for field in dataclasses.fields(SiteOptions)
    if field.name in ("catalogue", "templates", "freshness", "allow_hosts")
}


def site_options(
    plugin: Mapping[str, Any],
    project_dir: Path,
    *,
    docs_dir: str = "docs",
    repo_url: str | None = None,
    edit_uri: str | None = None,
    site_url: str | None = None,
    release: str | None = None,
    nav: list[Any] | None = None,
) -> SiteOptions:
    """The options from the `ohm` plugin's settings in mkdocs.yml and mkdocs.yml's own; SiteError if bad."""
    given: dict[str, str] = {}
    for name, value in plugin.items():
        if name not in PLUGIN_OPTIONS:
            raise SiteError(
                f"plugins: ohm: {name}: unknown option; the options are {', '.join(PLUGIN_OPTIONS)}"
            )
        if value is None and PLUGIN_OPTIONS[name] is None:
            continue
        if not isinstance(value, str):
            raise SiteError(f"plugins: ohm: {name}: expected text, not {type(value).__name__}")
        given[name] = value
    return SiteOptions(
        project_dir=project_dir,
        docs_dir=docs_dir,
        repo_url=repo_url,
        edit_uri=edit_uri,
        site_url=site_url or None,
        release=release or None,
        nav=tuple(nav or ()),
        **given,
    )


@dataclass(frozen=True)
class Site:
    # Every generated page and export, by its path inside the docs folder (bytes: the governance packs).
    files: dict[str, str | bytes]
    meta: dict[str, dict[str, Any]]  # each generated page's metadata, text escaped for HTML
    nav: list[Any]  # the whole navigation, as mkdocs.yml writes it: [{title: path or [...]}, ...]
    in_nav: frozenset[str]  # the pages the navigation names
    edit_urls: dict[str, str | None]  # the edit link of each page whose source is not its file in docs/
    edit_uri: str | None  # the edit_uri of the other pages
    freshness_checked: str | None  # the day of the freshness check the notices come from


def assemble(options: SiteOptions) -> Site:
    """The site of `options`; SiteError (with every problem) if the catalogue or a file cannot make one."""
    catalogue = _catalogue(options)
    freshness = _freshness(options)
    edit_uri = site_edit_uri(options.repo_url, options.edit_uri)
    repository = Repository.from_site_config(options.repo_url, edit_uri)
    history = catalogue_history(options, catalogue, freshness)
    files: dict[str, str | bytes] = {
        **render_pages(
            catalogue,
            options.path(options.templates),
            repository,
            freshness,
            history,
            options.site_url,
            options.release,
        )
    }
    files.update({name: export(catalogue) for name, export in SITE_FILES.items()})
    files.update(entry_files(catalogue))
    files.update(table_files(catalogue, freshness))
    files.update(feeds(catalogue, history, options.site_url))
    for model in catalogue.models:
        page_url = absolute(options.site_url, model_page_url(model.id))
        files[model_badge(model.id)] = badge_svg(model)
        files[cyclonedx_file(model.id)] = cyclonedx_json(model, page_url)
        files[governance_pack_file(model.id)] = governance_pack(model, page_url)
    docs = options.path(options.docs_dir)
    for path in sorted(files):
        if (docs / path).exists():
            raise SiteError(f"{options.docs_dir}/{path} clashes with a generated page; rename it.")
    nav = [*catalogue_nav(catalogue), *options.nav]
    return Site(
        files=files,
        meta={
            page: {key: for_html(value) for key, value in meta.items()}
            for page, meta in page_meta(catalogue).items()
        },
        nav=nav,
        in_nav=frozenset(nav_pages(nav)),
        edit_urls=edit_urls(files, options.project_dir, docs, options.repo_url, edit_uri),
        edit_uri=edit_uri,
        freshness_checked=freshness.checked if freshness else None,
    )


def _catalogue(options: SiteOptions) -> Catalogue:
    """The validated catalogue of `options`: the site's one way to it."""
    try:
        opened = open_catalogue(options.path(options.catalogue), options.allowed_hosts())
    except (OSError, UnicodeError) as error:
        raise SiteError(f"cannot read the catalogue: {error}") from None
    if not opened.ok:
        count = len(opened.problems)
        raise SiteError(f"{count} problem(s) in the catalogue; the site was not built.", opened.problems)
    return opened.catalogue


def catalogue_history(
    options: SiteOptions, catalogue: Catalogue, freshness: SiteFreshness | None
) -> CatalogueHistory:
    """The catalogue file's history from git, with the freshness check's findings as dated events."""
    history = read_history(options.path(options.catalogue))
    if freshness is None:
        return history
    return history.with_events(upstream_events(((m.id, m.name) for m in catalogue.models), freshness.notices))


def _freshness(options: SiteOptions) -> SiteFreshness | None:
    if not options.freshness:
        return None
    try:
        return read_site_freshness(options.path(options.freshness))
    except FreshnessError as error:
        raise SiteError(f"freshness file: {error}") from None


def for_html(value: Any) -> Any:
    """Text on one line and escaped for HTML, as plain strings; settings that are not text
    (search: {boost: 2}) as they are.

    One line, since HTML shows any run of white space as one space anyway, and so the Zensical
    writer's front matter holds each value on one line (see ohm/engines.py).
    """
    if isinstance(value, list):
        return [for_html(item) for item in value]
    return str(html_text(" ".join(value.split()))) if isinstance(value, str) else value


def catalogue_nav(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Home; Models: all models, the comparison, each category's page; Tasks: all, then each.

    No model pages (see above), and no changes page, which the home page and every model page link to.
    Titles are escaped for HTML: the theme prints navigation titles as
    they are.
    """
    categories = [
        {str(html_text(category.title)): category_page(category.id)} for category in catalogue.categories
    ]
    models = [{"All models": ALL_MODELS_PAGE}, {"Compare side by side": COMPARE_PAGE}, *categories]
    nav: list[dict[str, Any]] = [{"Home": INDEX_PAGE}, {"Models": models}]
    if catalogue.tasks:
        tasks = [
            {"All tasks": TASKS_PAGE},
            *({str(html_text(task.title)): task_page(task.id)} for task in catalogue.tasks),
        ]
        nav.append({"Tasks": tasks})
    return nav


def nav_pages(nav: list[Any]) -> list[str]:
    """Every page path named in a navigation (nested lists of {title: path or list}, or bare paths)."""
    pages: list[str] = []
    for item in nav:
        children = item.values() if isinstance(item, dict) else [item]
        for child in children:
            pages += nav_pages(child) if isinstance(child, list) else [child]
    return pages
