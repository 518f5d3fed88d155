"""The `ohm` command: one verb per stage of the catalogue's pipeline.

    ohm validate   check data/models.yaml, every problem on its own line
    ohm render     write the generated Markdown pages to a folder
    ohm export     models.json, models.csv or MODELS.md
    ohm build      build the site with MkDocs (strict); ohm serve: live preview
    ohm new        add an entry; ohm changed: what a change adds, for pull requests
    ohm migrate    rewrite a catalogue of schema 2 as schema 3
    ohm links      check every link and write the report
    ohm freshness  compare each entry with its upstream card and repository
    ohm issue      open, update or close the issue that tracks the nightly reports

Every verb that reads the catalogue takes `--catalogue FILE` after the verb.
A file that cannot be read or written ends any verb with one line saying
which and why, and exit status 2; Ctrl-C or SIGTERM with status 130.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ohm import __version__
from ohm.catalog import DEFAULT_CATALOGUE
from ohm.files import describe_error

# Each verb and the function that adds its parser, `add(verbs, common)`, in the order `ohm --help`
# lists them. A verb's module is imported only when that verb runs (all of them for `ohm --help`),
# so `ohm validate` loads neither MkDocs, nor the web clients, nor the templates.
VERBS = {
    "validate": "ohm.catalog.commands:add_validate",
    "render": "ohm.catalog.commands:add_render",
    "export": "ohm.catalog.commands:add_export",
    "new": "ohm.catalog.commands:add_new",
    "changed": "ohm.catalog.commands:add_changed",
    "migrate": "ohm.catalog.migrate:add_migrate",
    "build": "ohm.build:add_build",
    "serve": "ohm.build:add_serve",
    "links": "ohm.links.command:add_command",
    "freshness": "ohm.freshness.command:add_command",
    "issue": "ohm.nightly.issue:add_command",
}


def parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The `ohm` command with `verb` alone, or with every verb when `verb` is None."""
    main = argparse.ArgumentParser(prog="ohm", description=__doc__.split("\n")[0])
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    catalogue = argparse.ArgumentParser(add_help=False)
    catalogue.add_argument(
        "--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="the YAML file (default: data/models.yaml)"
    )
    verbs = main.add_subparsers(dest="command", required=True, metavar="VERB")
    for name, target in VERBS.items():
        if verb in (None, name):
            module, function = target.split(":")
            getattr(importlib.import_module(module), function)(verbs, [catalogue])
    return main


def _verb(argv: Sequence[str]) -> str | None:
    """The verb `argv` names: its first word that is not an option (`ohm` itself takes no values)."""
    word = next((word for word in argv if not word.startswith("-")), None)
    return word if word in VERBS else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(_verb(argv)).parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"\n{args.command}: interrupted; nothing was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`ohm export csv | head`): say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (OSError, UnicodeError) as error:
        print(f"{args.command}: {describe_error(error)}", file=sys.stderr)
        return 2
