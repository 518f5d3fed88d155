"""The `build` and `serve` verbs: the site, built by MkDocs with the project's plugin.

Both run MkDocs in a child process with the project's mkdocs.yml, so that its
logging and exit status stay its own; the plugin (ohm.catalog.plugin) does the
catalogue's part. `build --engine zensical` instead writes every page to disk
and builds the same site with Zensical (see ohm.engines).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ohm.catalog import PROJECT_ROOT
from ohm.engines import ENGINES, ProjectError, build_site

CONFIG_FILE = PROJECT_ROOT / "mkdocs.yml"


def _mkdocs(verb: str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", verb, "--config-file", str(CONFIG_FILE), *arguments]


def build_command(args: argparse.Namespace) -> int:
    if args.engine != "mkdocs":
        return _build_prerendered(args)
    command = _mkdocs("build", "--strict", "--site-dir", str(args.site_dir.resolve()))
    if args.quiet:
        command.append("--quiet")
    return subprocess.run(command, check=False).returncode


def _build_prerendered(args: argparse.Namespace) -> int:
    try:
        return build_site(args.engine, CONFIG_FILE, args.site_dir, quiet=args.quiet)
    except ProjectError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"build: {error}", file=sys.stderr)
        return 1


def serve_command(args: argparse.Namespace) -> int:
    command = _mkdocs("serve", "--dev-addr", args.dev_addr)
    os.execv(command[0], command)


def add_commands(commands: Any) -> None:
    """Add `build` and `serve` to the `ohm` command's verbs."""
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
    serve = commands.add_parser("serve", help="serve the site locally and rebuild it on every change")
    serve.add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)"
    )
    serve.set_defaults(run=serve_command)
