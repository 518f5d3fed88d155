"""The site without the MkDocs plugin: every page written to disk, then built by any engine.

Material for MkDocs reaches end of life on 5 May 2027; Zensical, by the same
team, reads the same mkdocs.yml and theme but runs no MkDocs plugin. So
`write_project` does what the `ohm` plugin does inside a MkDocs build, once,
into a folder of plain files:

    DESTINATION/mkdocs.yml   the project's mkdocs.yml without the plugin, with the
                             catalogue's navigation written out, paths made absolute
                             and !ENV values resolved
    DESTINATION/docs/        docs/ plus every generated page and export

and `build_with` runs an engine on it: Zensical (`ohm build --engine zensical`),
or MkDocs itself, which is how the build benchmark measures what the plugin costs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from ohm.catalog import Problem, open_catalogue
from ohm.catalog.plugin import CataloguePluginConfig, catalogue_nav, site_edit_uri, site_sources
from ohm.files import replace_file
from ohm.site.render import Repository, model_page

PLUGIN = "ohm"
ENGINES = ("mkdocs", "zensical")


class ProjectError(Exception):
    """The catalogue or the configuration cannot make a site; the message says why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def write_project(config_file: Path, destination: Path) -> Path:
    """Write the pre-rendered project into `destination` (which must not exist); return its config file."""
    project_dir = config_file.resolve().parent
    config = _read_config(config_file)
    plugin_options, plugins = _without_plugin(config.get("plugins") or [])
    options = CataloguePluginConfig()
    options.load_dict(plugin_options)
    errors, _ = options.validate()
    if errors:
        raise ProjectError(f"{config_file}: plugins: {PLUGIN}: {errors[0][0]}: {errors[0][1]}")
    opened = open_catalogue(project_dir / options.catalogue)
    if not opened.ok:
        count = len(opened.problems)
        raise ProjectError(f"{count} problem(s) in the catalogue; the site was not built.", opened.problems)
    catalogue = opened.catalogue

    edit_uri = site_edit_uri(config.get("repo_url"), config.get("edit_uri"))
    repository = Repository.from_site_config(config.get("repo_url"), edit_uri)
    docs = destination / "docs"
    shutil.copytree(project_dir / config.get("docs_dir", "docs"), docs)
    for path, content in site_sources(catalogue, project_dir / options.templates, repository).items():
        if (docs / path).exists():
            raise ProjectError(f"docs/{path} clashes with a generated page; rename it.")
        replace_file(docs / path, content.encode("utf-8"))

    config.update(
        docs_dir="docs",
        site_dir="site",
        plugins=plugins,
        nav=_plain_titles([*catalogue_nav(catalogue), *(config.get("nav") or [])]),
        # Reached from category, task and home pages, like the plugin's build (see plugin.py).
        not_in_nav="/" + model_page("*"),
    )
    config.pop("watch", None)
    theme = config.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(project_dir / theme["custom_dir"])
    # Zensical's own look is "modern"; "classic" is Material's, as the MkDocs build has it.
    theme.setdefault("variant", "classic")
    if config.get("repo_url"):
        # Generated pages have no file in docs/ to edit; their edit link is in the page itself.
        config["edit_uri"] = edit_uri
        features = theme.get("features") or []
        theme["features"] = [feature for feature in features if feature != "content.action.edit"]
    written = destination / "mkdocs.yml"
    replace_file(written, yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode("utf-8"))
    return written


def _plain_titles(nav: list) -> list:
    """The navigation with its titles as plain strings (already escaped for HTML) for YAML to write."""
    return [
        {
            str(title): _plain_titles(target) if isinstance(target, list) else target
            for title, target in item.items()
        }
        if isinstance(item, dict)
        else item
        for item in nav
    ]


def build_with(engine: str, config_file: Path, *, strict: bool = True, quiet: bool = False) -> int:
    """Run `engine` on a project written by write_project; the site lands in its site/ folder."""
    if engine == "zensical":
        command = [sys.executable, "-m", "zensical", "build", "--config-file", str(config_file), "--clean"]
    else:
        command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file)]
        command += ["--quiet"] if quiet else []
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=config_file.parent, check=False).returncode


def build_site(engine: str, config_file: Path, site_dir: Path, *, quiet: bool = False) -> int:
    """Pre-render the project of `config_file`, build it with `engine` and put the site at `site_dir`.

    The work happens in a hidden folder beside `site_dir`; the old site is replaced
    only once the new one is complete.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-{engine}-", dir=site_dir.parent))
    try:
        project = work / "project"
        status = build_with(engine, write_project(config_file, project), quiet=quiet)
        if status == 0:
            _replace_folder(project / "site", site_dir, work / "old")
        return status
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _replace_folder(new: Path, target: Path, retired: Path) -> None:
    if target.exists():
        target.rename(retired)
    new.rename(target)


# --- Reading mkdocs.yml as MkDocs does, without MkDocs ---------------------------------


def _read_config(config_file: Path) -> dict[str, Any]:
    project_dir = config_file.resolve().parent

    class Loader(yaml.SafeLoader):
        pass

    def relative(loader: yaml.SafeLoader, node: yaml.Node) -> str:
        # MkDocs' !relative: $config_dir is the project folder (the only form mkdocs.yml uses).
        value = loader.construct_scalar(node)
        if value != "$config_dir":
            raise ProjectError(f"{config_file}: !relative {value} is not supported; use $config_dir")
        return str(project_dir)

    Loader.add_constructor("!ENV", construct_env_tag)
    Loader.add_constructor("!relative", relative)
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader)  # a SafeLoader subclass
    except (OSError, yaml.YAMLError) as error:
        raise ProjectError(f"{config_file}: cannot be read: {error}") from error
    if not isinstance(config, dict):
        raise ProjectError(f"{config_file}: is not a mapping of settings")
    return config


def _without_plugin(plugins: list[Any]) -> tuple[dict[str, Any], list[Any]]:
    """(the ohm plugin's options, the other plugins)."""
    options: dict[str, Any] = {}
    others = []
    for plugin in plugins:
        name = plugin if isinstance(plugin, str) else next(iter(plugin), None)
        if name == PLUGIN:
            options = plugin[PLUGIN] if isinstance(plugin, dict) and plugin[PLUGIN] else {}
        else:
            others.append(plugin)
    return options, others
