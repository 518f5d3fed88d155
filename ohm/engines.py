"""The site without the MkDocs plugin: the assembled site written to disk, then built by any engine.

Material for MkDocs reaches end of life on 5 May 2027; Zensical, by the same
team, reads the same mkdocs.yml and theme but runs no MkDocs plugin. So
`write_project` writes the site that ohm.site.assemble makes (the same one the
MkDocs plugin hands to MkDocs) into a folder of plain files:

    DESTINATION/mkdocs.yml   the project's mkdocs.yml without the plugin, with the
                             site's navigation written out, paths made absolute
                             and !ENV values resolved
    DESTINATION/docs/        docs/ plus every generated page and export; each page's
                             metadata is its front matter

and `build_with` runs an engine on it: Zensical (`ohm build --engine zensical`),
or MkDocs itself, which is how the build benchmark measures what the plugin costs.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from ohm.files import replace_file
from ohm.search import index_site
from ohm.site.assemble import Site, SiteError, assemble, site_options
from ohm.site.pages import CHANGES_PAGE, model_page

PLUGIN = "ohm"
ENGINES = ("mkdocs", "zensical")


def write_project(config_file: Path, destination: Path) -> Path:
    """Write the pre-rendered project into `destination` (which must not exist); return its config file.

    SiteError if the configuration or the catalogue cannot make a site.
    """
    return _write_project(config_file, destination)[0]


def _write_project(config_file: Path, destination: Path) -> tuple[Path, Site]:
    project_dir = config_file.resolve().parent
    config = _read_config(config_file)
    plugin_options, plugins = _without_plugin(config.get("plugins") or [])
    try:
        options = site_options(
            plugin_options,
            project_dir,
            docs_dir=config.get("docs_dir", "docs"),
            repo_url=config.get("repo_url"),
            edit_uri=config.get("edit_uri"),
            site_url=config.get("site_url"),
            release=(config.get("extra") or {}).get("release"),
            nav=config.get("nav"),
        )
    except SiteError as error:
        raise SiteError(f"{config_file}: {error}") from None
    site = assemble(options)

    docs = destination / "docs"
    shutil.copytree(options.path(options.docs_dir), docs)
    for path, content in site.files.items():
        if isinstance(content, bytes):  # a download, as it is
            replace_file(docs / path, content)
            continue
        replace_file(docs / path, with_front_matter(content, site.meta.get(path)).encode("utf-8"))

    config.update(
        docs_dir="docs",
        site_dir="site",
        plugins=plugins,
        nav=site.nav,
        # Reached from category, task and home pages, like the plugin's build (see ohm/site/assemble.py).
        not_in_nav="\n".join("/" + page for page in (model_page("*"), CHANGES_PAGE)),
    )
    config.pop("watch", None)
    theme = config.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(project_dir / theme["custom_dir"])
    # Zensical's own look is "modern"; "classic" is Material's, as the MkDocs build has it.
    theme.setdefault("variant", "classic")
    if config.get("repo_url"):
        # Generated pages have no file in docs/ to edit; their edit link is in the page itself.
        config["edit_uri"] = site.edit_uri
        features = theme.get("features") or []
        theme["features"] = [feature for feature in features if feature != "content.action.edit"]
    written = destination / "mkdocs.yml"
    replace_file(written, yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode("utf-8"))
    return written, site


def with_front_matter(markdown: str, meta: dict[str, Any] | None) -> str:
    """`markdown` with `meta` as its YAML front matter, which is how an engine without the plugin reads it.

    The front matter is dumped by YAML from the data, never written as text, so no value can end it
    early or add a key. The site's metadata is on one line per value (ohm.site.assemble.for_html),
    and without folding (`width`) each value stays on its line, where no `---` can stand alone.
    """
    if not meta:
        return markdown
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=math.inf)
    if yaml.safe_load(front) != meta or any(line.strip() in ("---", "...") for line in front.splitlines()):
        raise SiteError(f"page metadata cannot be written as front matter: {meta!r}")
    return f"---\n{front}---\n\n{markdown}"


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
        written, site = _write_project(config_file, project)
        status = build_with(engine, written, quiet=quiet)
        if status == 0:
            index_site(project / "site", site.meta)
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
        value = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if value != "$config_dir":
            raise SiteError(f"{config_file}: !relative {value} is not supported; use $config_dir")
        return str(project_dir)

    Loader.add_constructor("!ENV", construct_env_tag)
    Loader.add_constructor("!relative", relative)
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader)  # a SafeLoader subclass
    except (OSError, yaml.YAMLError) as error:
        raise SiteError(f"{config_file}: cannot be read: {error}") from error
    if not isinstance(config, dict):
        raise SiteError(f"{config_file}: is not a mapping of settings")
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
