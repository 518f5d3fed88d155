"""The MkDocs plugin `ohm`: the assembled site (ohm.site.assemble) handed to MkDocs, event by event.

mkdocs.yml names it under `plugins:` as `ohm` (registered by the package's
`mkdocs.plugins` entry point). On every build (and every rebuild under
`mkdocs serve`) `on_config` assembles the site from the plugin's options; the
other events only hand its parts to MkDocs: the generated files, the
navigation, each page's metadata (set on the page, never written as front
matter) and edit links. A bad catalogue stops the build before the site folder
is touched, with every problem on its own line.

Everything one build needs is kept on the plugin object, which MkDocs makes
afresh with each configuration.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ohm.search import index_site
from ohm.site.assemble import PLUGIN_OPTIONS, Site, SiteError, SiteOptions, assemble, site_options

log = logging.getLogger("mkdocs.plugins.ohm")


def _option(default: str | None) -> config_options.BaseConfigOption:
    if default is None:
        return config_options.Optional(config_options.Type(str))
    return config_options.Type(str, default=default)


class CataloguePlugin(BasePlugin):
    # Declared for MkDocs from the one definition of the options; ohm.site reads them.
    config_scheme = tuple((name, _option(default)) for name, default in PLUGIN_OPTIONS.items())

    def __init__(self) -> None:
        self.options: SiteOptions | None = None
        self.site: Site | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.options = site_options(
                dict(self.config),
                Path(config.config_file_path).resolve().parent,
                docs_dir=config.docs_dir,
                repo_url=config.repo_url,
                edit_uri=config.edit_uri,
                site_url=config.site_url,
                release=dict(config.extra or {}).get("release"),
                nav=config.nav,
            )
            self.site = assemble(self.options)
        except SiteError as error:
            for problem in error.problems:
                log.error(str(problem))
            raise PluginError(str(error)) from None
        if self.site.freshness_checked:
            log.info(f"Upstream notices from the freshness check of {self.site.freshness_checked}")
        config.edit_uri = self.site.edit_uri
        config.nav = self.site.nav
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        for path, content in sorted(self.site.files.items()):
            # Reached from other pages, not from the navigation: no "not in nav" warning.
            inclusion = InclusionLevel.UNDEFINED if path in self.site.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        page.meta.update(self.site.meta.get(page.file.src_uri, {}))
        return markdown

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        assert self.site is not None
        if page.file.src_uri in self.site.edit_urls:
            page.edit_url = self.site.edit_urls[page.file.src_uri]
        return page

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.site is not None
        index_site(Path(config.site_dir), self.site.meta)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        assert self.options is not None
        for path in self.options.watched():
            server.watch(str(path))
        return server
