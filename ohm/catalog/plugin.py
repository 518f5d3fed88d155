"""Stage 4: the MkDocs plugin that turns the catalogue into pages of the site.

mkdocs.yml names it under `plugins:` as `ohm` (registered by the package's
`mkdocs.plugins` entry point). On every build (and every rebuild under
`mkdocs serve`) it loads and validates the catalogue, renders the pages, adds
them and the data exports (models.json, models.csv) to the site as generated
files, and puts them in the navigation: Home, then each category, then the
tasks. Model pages stay out of the navigation, which every page carries: with
them in it, each page would grow with the catalogue and the site with its
square. Category, task and home pages lead to them, and each model page leads
back up to its category. A bad catalogue stops the build before the site
folder is touched, with every problem on its own line.

Text from the catalogue reaches the theme's HTML in two places that are not
Markdown: the navigation and the page metadata (the `<title>` and the
description). Material prints both as they are, so they are escaped for HTML
here; page metadata is set from the plugin rather than written as front
matter, so that no field value can break it.

When the site knows its repository (REPO_URL), generated pages get an edit
link to the catalogue, and pages included from elsewhere (docs/contributing.md
includes CONTRIBUTING.md) get one to the file they include; without a
repository, no edit link appears anywhere.

Given a freshness file (the `freshness` option; mkdocs.yml reads it from
OHM_FRESHNESS), model pages warn about what `ohm freshness` found upstream
(licence changed, archived, inactive) and the tables can hide archived entries.

Everything one build needs is kept on the plugin object, which MkDocs makes
afresh with each configuration.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ohm.catalog import open_catalogue
from ohm.catalog.catalogue import Catalogue
from ohm.freshness.report import FreshnessError
from ohm.freshness.site import SiteFreshness, read_site_freshness
from ohm.site.edit_links import INCLUDED_FROM, edit_path
from ohm.site.export import SITE_FILES
from ohm.site.pages import (
    ALL_MODELS_PAGE,
    COMPARE_PAGE,
    INDEX_PAGE,
    TASKS_PAGE,
    category_page,
    task_page,
)
from ohm.site.render import Repository, html_text, page_meta, render_pages

log = logging.getLogger("mkdocs.plugins.ohm")

# The project's default branch is main; MkDocs would guess edit/master/docs/ for GitHub.
DEFAULT_EDIT_URI = "edit/main/docs/"


class CataloguePluginConfig(Config):
    catalogue = config_options.Type(str, default="data/models.yaml")
    templates = config_options.Type(str, default="templates")
    freshness = config_options.Optional(config_options.Type(str))  # freshness.json of `ohm freshness`
    # Hosts that links may name although they are internal, comma-separated: only for
    # testing the link check against a server on this machine (see ohm/catalog/urls.py).
    allow_hosts = config_options.Type(str, default="")


class CataloguePlugin(BasePlugin[CataloguePluginConfig]):
    def __init__(self) -> None:
        self.generated: dict[str, str] = {}
        self.meta: dict[str, dict[str, Any]] = {}
        self.repository: Repository | None = None

    def _path(self, config: MkDocsConfig, relative: str) -> Path:
        return Path(config.config_file_path).resolve().parent / relative

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        allowed_hosts = {host.strip() for host in self.config.allow_hosts.split(",") if host.strip()}
        try:
            opened = open_catalogue(self._path(config, self.config.catalogue), allowed_hosts)
        except (OSError, UnicodeError) as error:
            raise PluginError(f"cannot read the catalogue: {error}") from error
        if not opened.ok:
            for problem in opened.problems:
                log.error(str(problem))
            raise PluginError(f"{len(opened.problems)} problem(s) in the catalogue; the site was not built.")
        catalogue = opened.catalogue
        config.edit_uri = site_edit_uri(config.repo_url, config.edit_uri)
        self.repository = Repository.from_site_config(config.repo_url, config.edit_uri)
        templates = self._path(config, self.config.templates)
        self.generated = site_sources(catalogue, templates, self.repository, self._freshness(config))
        self.meta = page_meta(catalogue)
        config.nav = [*catalogue_nav(catalogue), *(config.nav or [])]
        return config

    def _freshness(self, config: MkDocsConfig) -> SiteFreshness | None:
        if not self.config.freshness:
            return None
        try:
            freshness = read_site_freshness(self._path(config, self.config.freshness))
        except FreshnessError as error:
            raise PluginError(f"freshness file: {error}") from None
        log.info(f"Upstream notices from the freshness check of {freshness.checked}")
        return freshness

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for file in files.documentation_pages():
            if file.src_uri in INCLUDED_FROM:
                file.edit_uri = edit_path(INCLUDED_FROM[file.src_uri], config)
        in_nav = set(_nav_pages(config.nav or []))
        for path, content in sorted(self.generated.items()):
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{config.docs_dir}/{path} clashes with a generated page; rename it.")
            # Reached from other pages, not from the navigation: no "not in nav" warning.
            inclusion = InclusionLevel.UNDEFINED if path in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        meta = self.meta.get(page.file.src_uri, {})
        page.meta.update({key: _for_html(value) for key, value in meta.items()})
        return markdown

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        # A generated page has no file in docs/ to edit: its source is the catalogue.
        if page.file.src_uri in self.generated:
            page.edit_url = self.repository.edit_url if self.repository else None
        return page

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        server.watch(str(self._path(config, self.config.catalogue)))
        server.watch(str(self._path(config, self.config.templates)))
        if self.config.freshness:
            server.watch(str(self._path(config, self.config.freshness)))
        return server


def _for_html(value: Any) -> Any:
    """Text escaped for HTML; settings that are not text (search: {boost: 2}) as they are."""
    if isinstance(value, list):
        return [html_text(item) for item in value]
    return html_text(value) if isinstance(value, str) else value


def site_edit_uri(repo_url: str | None, edit_uri: str | None) -> str | None:
    """`edit_uri`, or the project's default where MkDocs would guess the master branch."""
    if repo_url and edit_uri in (None, "", "edit/master/docs/"):
        return DEFAULT_EDIT_URI
    return edit_uri


def site_sources(
    catalogue: Catalogue,
    templates: Path,
    repository: Repository | None,
    freshness: SiteFreshness | None = None,
) -> dict[str, str]:
    """Every generated page and export, keyed by its path inside the docs folder."""
    sources = render_pages(catalogue, templates, repository, freshness)
    sources.update({name: export(catalogue) for name, export in SITE_FILES.items()})
    return sources


def catalogue_nav(catalogue: Catalogue) -> list[dict]:
    """Home; Models: all models, the comparison, each category's page; Tasks: all, then each.

    No model pages (see above). Titles are escaped for HTML: the theme prints navigation titles as
    they are.
    """
    categories = [
        {html_text(category.title): category_page(category.id)} for category in catalogue.categories
    ]
    models = [{"All models": ALL_MODELS_PAGE}, {"Compare side by side": COMPARE_PAGE}, *categories]
    nav: list[dict] = [{"Home": INDEX_PAGE}, {"Models": models}]
    if catalogue.tasks:
        tasks = [
            {"All tasks": TASKS_PAGE},
            *({html_text(task.title): task_page(task.id)} for task in catalogue.tasks),
        ]
        nav.append({"Tasks": tasks})
    return nav


def _nav_pages(nav: list) -> list[str]:
    """Every page path named in an MkDocs nav (nested lists of {title: path or list})."""
    pages = []
    for item in nav:
        children = item.values() if isinstance(item, dict) else [item]
        for child in children:
            pages += _nav_pages(child) if isinstance(child, list) else [child]
    return pages
