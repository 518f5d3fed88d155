"""Stage 4: the MkDocs hook that turns the catalogue into pages of the site.

mkdocs.yml names this file under `hooks:`. On every build (and every rebuild
under `mkdocs serve`) it loads and validates data/models.yaml, renders the
pages, adds them and the data exports (models.json, models.csv) to the site as
generated files, and puts them in the navigation: Home, then each category
with its models, then the tasks. A bad catalogue stops the build before the
site folder is touched, with every problem on its own line.

When the site knows its repository (REPO_URL), generated pages get an edit
link to data/models.yaml; without one, no edit link appears anywhere.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from scripts.catalog import read_catalogue
from scripts.catalog.catalogue import Catalogue
from scripts.catalog.export import SITE_FILES
from scripts.catalog.render import (
    INDEX_PAGE,
    TASKS_PAGE,
    Repository,
    category_page,
    model_page,
    render_pages,
    task_page,
)

log = logging.getLogger("mkdocs.hooks.catalogue")

CATALOGUE_FILE = Path("data") / "models.yaml"
TEMPLATES_DIR = Path("templates")
# The project's default branch is main; MkDocs would guess edit/master/docs/ for GitHub.
DEFAULT_EDIT_URI = "edit/main/docs/"

# Generated files and the repository of the current build. MkDocs loads this
# module afresh with each config, so the values belong to one build.
_generated: dict[str, str] = {}
_repository: list[Repository] = []


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
    if config.repo_url and config.edit_uri in (None, "", "edit/master/docs/"):
        config.edit_uri = DEFAULT_EDIT_URI
    repository = Repository.from_site_config(config.repo_url, config.edit_uri)
    _repository[:] = [repository] if repository else []
    _generated.clear()
    _generated.update(render_pages(catalogue, root / TEMPLATES_DIR, repository))
    _generated.update({name: export(catalogue) for name, export in SITE_FILES.items()})
    config.nav = [*catalogue_nav(catalogue), *(config.nav or [])]
    return config


def catalogue_nav(catalogue: Catalogue) -> list[dict]:
    """Home; Models: each category (its overview, then its models); Tasks: all, then each."""
    models = [
        {
            category.title: [
                {"Overview": category_page(category.id)},
                *({model.name: model_page(model.id)} for model in category.models),
            ]
        }
        for category in catalogue.categories
    ]
    nav: list[dict] = [{"Home": INDEX_PAGE}, {"Models": models}]
    if catalogue.tasks:
        tasks = [{"All tasks": TASKS_PAGE}, *({task.title: task_page(task.id)} for task in catalogue.tasks)]
        nav.append({"Tasks": tasks})
    return nav


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, content in sorted(_generated.items()):
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"{config.docs_dir}/{path} clashes with a generated page; rename it.")
        files.append(File.generated(config, path, content=content))
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    # A generated page has no file in docs/ to edit: its source is the catalogue.
    if page.file.src_uri in _generated:
        page.edit_url = _repository[0].edit_url if _repository else None
    return page


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
    root = _project_root(config)
    server.watch(str(root / CATALOGUE_FILE.parent))
    server.watch(str(root / TEMPLATES_DIR))
    return server
