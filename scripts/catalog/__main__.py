"""Command line: `python -m scripts.catalog validate|render|export`.

Exit status: 0 when the catalogue is good, 1 when it has problems (each
printed on its own line), 2 when the command line itself is wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import DEFAULT_CATALOGUE, read_catalogue
from .catalogue import Catalogue
from .export import EXPORTS, write_file
from .load import display_name
from .render import render_pages, write_pages


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "check", False) and args.out is None:
        parser.error("--check needs --out: the file to compare")
    catalogue, problems = read_catalogue(args.catalogue)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    assert catalogue is not None
    if args.command == "validate":
        print(f"{display_name(args.catalogue)}: {len(catalogue.models)} models, no problems.")
    elif args.command == "render":
        pages = render_pages(catalogue)
        write_pages(pages, args.out)
        print(f"Wrote {len(pages)} pages to {display_name(args.out)}.")
    elif args.command == "export":
        return _export(catalogue, args)
    return 0


def _export(catalogue: Catalogue, args: argparse.Namespace) -> int:
    content = EXPORTS[args.format](catalogue)
    if args.out is None:
        sys.stdout.write(content)
    elif args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
        if current != content:
            command = f"python -m scripts.catalog export {args.format} --out {display_name(args.out)}"
            print(f"{display_name(args.out)} is out of date; regenerate it with: {command}", file=sys.stderr)
            return 1
        print(f"{display_name(args.out)} is up to date.")
    else:
        write_file(content, args.out)
        print(f"Wrote {display_name(args.out)}.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.catalog", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="the YAML file (default: data/models.yaml)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check the catalogue and list every problem")
    render = commands.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("--out", type=Path, required=True, help="folder to (re)create with the pages")
    export = commands.add_parser(
        "export", help="write the catalogue as JSON, CSV or the Markdown list (MODELS.md)"
    )
    export.add_argument("format", choices=sorted(EXPORTS), help="what to write")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if --out differs from a fresh export"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
