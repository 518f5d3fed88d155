"""Stage 4: the MkDocs hook that turns the catalogue into pages of the site.

mkdocs.yml names this file under `hooks:`. On every build (and every rebuild
under `mkdocs serve`) it loads and validates data/models.yaml, renders the
pages, adds them to the site as generated files and lists the categories in
the navigation. A bad catalogue stops the build before the site folder is
touched, with every problem on its own line.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files

from scripts.catalog import read_catalogue
from scripts.catalog.render import category_page, render_pages

log = logging.getLogger("mkdocs.hooks.catalogue")

CATALOGUE_FILE = Path("data") / "models.yaml"
TEMPLATES_DIR = Path("templates")

# Pages of the current build. MkDocs loads this module afresh with each config,
# so the value belongs to one build.
_pages: dict[str, str] = {}


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _project_root(config)
    catalogue, problems = read_catalogue(root / CATALOGUE_FILE)
    if problems:
        for problem in problems:
            log.error(str(problem))
        raise PluginError(f"{len(problems)} problem(s) in the catalogue; the site was not built.")
    assert catalogue is not None
    _pages.clear()
    _pages.update(render_pages(catalogue, root / TEMPLATES_DIR))
    categories = [{category.title: category_page(category.id)} for category in catalogue.categories]
    config.nav = [{"Home": "index.md"}, {"Models": categories}, *(config.nav or [])]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, content in sorted(_pages.items()):
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"{config.docs_dir}/{path} clashes with a generated page; rename it.")
        files.append(File.generated(config, path, content=content))
    return files


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
    root = _project_root(config)
    server.watch(str(root / CATALOGUE_FILE.parent))
    server.watch(str(root / TEMPLATES_DIR))
    return server
