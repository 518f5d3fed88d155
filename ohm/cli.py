"""The `ohm` command: one verb per stage of the catalogue's pipeline.

    ohm validate   check data/models.yaml, every problem on its own line
    ohm render     write the generated Markdown pages to a folder
    ohm export     models.json, models.csv or MODELS.md
    ohm build      build the site with MkDocs (strict); ohm serve: live preview
    ohm new        add an entry; ohm changed: what a change adds, for pull requests
    ohm links      check every link and write the report
    ohm freshness  compare each entry with its upstream card and repository
    ohm issue      open, update or close the issue that tracks the nightly reports

Every verb that reads the catalogue takes `--catalogue FILE` after the verb.
A file that cannot be read or written ends any verb with one line saying
which and why, and exit status 2; Ctrl-C or SIGTERM with status 130.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ohm import __version__, build
from ohm.catalog import DEFAULT_CATALOGUE, commands
from ohm.files import describe_error
from ohm.freshness import command as freshness
from ohm.links import command as links
from ohm.nightly import issue


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="ohm", description=__doc__.split("\n")[0])
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    catalogue = argparse.ArgumentParser(add_help=False)
    catalogue.add_argument(
        "--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="the YAML file (default: data/models.yaml)"
    )
    verbs = main.add_subparsers(dest="command", required=True, metavar="VERB")
    commands.add_commands(verbs, [catalogue])
    build.add_commands(verbs)
    links.add_command(verbs, [catalogue])
    freshness.add_command(verbs, [catalogue])
    issue.add_command(verbs)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
