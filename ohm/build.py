"""The `build` and `serve` verbs: the site, built by MkDocs with the project's plugin.

Both run MkDocs in a child process with the project's mkdocs.yml, so that its
logging and exit status stay its own; the plugin (ohm.mkdocs_plugin) does the
catalogue's part. `build --engine zensical` instead writes every page to disk
and builds the same site with Zensical (see ohm.engines).

`build` with MkDocs writes into a temporary folder beside the site folder and
swaps it in only when MkDocs has finished, so a failed or interrupted build
(Ctrl-C, SIGTERM) leaves the previous site as it was.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ohm.catalog import PROJECT_ROOT, protected_folders
from ohm.catalog.problems import printable
from ohm.files import (
    OWNER_MARK,
    OutputFolderError,
    check_output_folder,
    replace_folder,
    termination_as_interrupt,
)
from ohm.site.assemble import SiteError

CONFIG_FILE = PROJECT_ROOT / "mkdocs.yml"
# MkDocs writes sitemap.xml into every site it builds: a folder holding one is a site, ours to replace.
SITE_MARKS = (OWNER_MARK, "sitemap.xml")
STOP_SECONDS = 10  # how long MkDocs gets to stop when the build is interrupted


class BuildFailed(Exception):
    def __init__(self, returncode: int) -> None:
        super().__init__(f"mkdocs exited with status {returncode}")
        self.returncode = returncode


def _mkdocs(verb: str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", verb, "--config-file", str(CONFIG_FILE), *arguments]


def build_command(args: argparse.Namespace) -> int:
    if args.engine != "mkdocs":
        return _build_prerendered(args)
    try:
        site_dir = check_output_folder(args.site_dir, protected_folders(), marks=SITE_MARKS)
    except OutputFolderError as error:
        print(f"build: {printable(str(error))}; nothing was built", file=sys.stderr)
        return 2

    def build_into(folder: Path) -> None:
        command = _mkdocs("build", "--strict", "--site-dir", str(folder))
        if args.quiet:
            command.append("--quiet")
        returncode = _run(command)
        if returncode != 0:
            raise BuildFailed(returncode)

    try:
        with termination_as_interrupt():
            replace_folder(site_dir, build_into, mark=False)
    except BuildFailed as failure:
        return failure.returncode
    except OutputFolderError as error:  # no temporary folder could be made beside the site folder
        print(f"build: {printable(str(error))}; nothing was built", file=sys.stderr)
        return 2
    return 0


def _run(command: list[str]) -> int:
    """Run `command`; if this process is interrupted meanwhile, stop it too before going on."""
    child = subprocess.Popen(command)
    try:
        return child.wait()
    except BaseException:
        child.terminate()
        try:
            child.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise


def _build_prerendered(args: argparse.Namespace) -> int:
    from ohm.engines import build_site  # MkDocs and Zensical: only when building

    try:
        return build_site(args.engine, CONFIG_FILE, args.site_dir, quiet=args.quiet)
    except SiteError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"build: {error}", file=sys.stderr)
        return 1


def serve_command(args: argparse.Namespace) -> int:
    command = _mkdocs("serve", "--dev-addr", args.dev_addr)
    os.execv(command[0], command)


# Each function adds one verb to the `ohm` command (see ohm/cli.py). Both verbs read the
# catalogue named in mkdocs.yml, so they take no --catalogue (`common`).


def add_build(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    from ohm.engines import ENGINES

    build = commands.add_parser("build", help="validate the catalogue and build the site (strict)")
    build.add_argument(
        "--site-dir", type=Path, default=PROJECT_ROOT / "site", help="where to build (default: site/)"
    )
    build.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    build.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="mkdocs (default: MkDocs with Material and the plugin) or zensical (pages rendered "
        "to disk first, then built by Zensical)",
    )
    build.set_defaults(run=build_command)


def add_serve(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="serve the site locally and rebuild it on every change")
    serve.add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)"
    )
    serve.set_defaults(run=serve_command)
