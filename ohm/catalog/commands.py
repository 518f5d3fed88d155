"""The catalogue's verbs of the `ohm` command: validate, render, export, new, changed.

Exit status: 0 when the catalogue is good, 1 when it has problems (each
printed on its own line), 2 when the command line itself is wrong or a file
cannot be read or written (one line saying which and why; see ohm/cli.py).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path
from typing import Any

from ohm.files import OutputFolderError

from . import fields, open_catalogue, open_text, protected_folders, vocabulary
from .catalogue import Catalogue
from .door import OpenedCatalogue
from .load import display_name
from .problems import printable
from .questions import Interview, slug_of
from .reporters import REPORTERS, report

# Each verb imports the templates, exports, git or file locks it needs when it runs,
# so that `ohm validate` loads none of them (see ohm/cli.py).


def validate_command(args: argparse.Namespace) -> int:
    opened = open_catalogue(args.catalogue)
    if not opened.ok:
        return report(opened.problems, args.format)
    print(f"{display_name(args.catalogue)}: {len(opened.catalogue.models)} models, no problems.")
    return 0


def render_command(args: argparse.Namespace) -> int:
    opened = open_catalogue(args.catalogue)
    if not opened.ok:
        return report(opened.problems)
    from ohm.site.render import render_pages, write_pages

    pages = render_pages(opened.catalogue)
    try:
        write_pages(pages, args.out, protected=protected_folders(args.catalogue))
    except OutputFolderError as error:
        print(f"render: {printable(str(error))}; nothing was written", file=sys.stderr)
        return 2
    print(f"Wrote {len(pages)} pages to {printable(display_name(args.out))}.")
    return 0


def export_command(args: argparse.Namespace) -> int:
    if args.check and args.out is None:
        print("--check needs --out: the file to compare", file=sys.stderr)
        return 2
    opened = open_catalogue(args.catalogue)
    if not opened.ok:
        return report(opened.problems)
    return _export(opened.catalogue, args)


def _export(catalogue: Catalogue, args: argparse.Namespace) -> int:
    from ohm.site.export import EXPORTS, write_file

    content = EXPORTS[args.format](catalogue)
    if args.out is not None and args.out.is_dir():
        print(f"export: {printable(display_name(args.out))} is a folder; give a file name", file=sys.stderr)
        return 2
    if args.out is None:
        sys.stdout.write(content)
        return 0
    current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
    content = within_generated_region(current, content, args.format)
    if args.check:
        if current != content:
            command = f"ohm export {args.format} --out {display_name(args.out)}"
            print(f"{display_name(args.out)} is out of date; regenerate it with: {command}", file=sys.stderr)
            return 1
        print(f"{display_name(args.out)} is up to date.")
    else:
        write_file(content, args.out)
        print(f"Wrote {display_name(args.out)}.")
    return 0


def within_generated_region(current: str | None, content: str, export: str) -> str:
    """The whole file is the export, unless the file marks a region for it: then only that region.

    A region is `<!-- ohm export NAME: begin -->` ... `<!-- ohm export NAME: end -->`, so a
    hand-written page (CONTRIBUTING.md) can carry a generated part (its field reference).
    """
    begin, end = f"<!-- ohm export {export}: begin -->", f"<!-- ohm export {export}: end -->"
    if current is None or begin not in current or end not in current:
        return content
    head, rest = current.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{content}{end}{tail}"


def entry_from_options(args: argparse.Namespace) -> dict[str, Any]:
    """The fields given as options of `new` (see fields.FIELD_TABLE), empty ones left out."""
    entry: dict[str, Any] = {}
    for option in fields.new_options():
        value = getattr(args, option.dest)
        value = _split_all(value) if option.comma else value
        name, _, part = option.field.partition(".")
        if not part:
            entry[name] = value
        elif value:
            entry.setdefault(name, {})[part] = {"id": value} if name == "licenses" else value
    return {key: value for key, value in entry.items() if value}


def _split_all(values: list[str]) -> list[str]:
    """`--modality text,image --modality audio` -> [text, image, audio]."""
    return list(dict.fromkeys(item.strip() for value in values for item in value.split(",") if item.strip()))


def _missing_options(entry: dict[str, Any]) -> list[str]:
    missing = [field for field in fields.required_options() if not _value_at(entry, field)]
    if entry.get("kind") not in (None, *vocabulary.kinds_without_weights()):
        missing += [] if _value_at(entry, "licenses.weights") else ["licenses.weights"]
    options = fields.field_options()
    return [options[field] for field in missing]


def _value_at(entry: dict[str, Any], dotted: str) -> Any:
    value: Any = entry
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def complete_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry with an id, today's date and `unknown` wherever the contributor gave nothing."""
    entry.setdefault("id", slug_of(entry["name"]))
    entry.setdefault("verified", datetime.date.today().isoformat())
    if entry["kind"] not in vocabulary.kinds_without_weights():
        entry["licenses"].setdefault("training_data", {"id": vocabulary.UNKNOWN})
    for field, value in vocabulary.unknown_defaults(entry["kind"]).items():
        entry.setdefault(field, value)
    return entry


def new_command(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, add_entry, entry_lines

    entry = entry_from_options(args)
    asking = sys.stdin is not None and sys.stdin.isatty() and not args.no_input
    opened: OpenedCatalogue | None = None
    if asking:
        # Opened before the questions, which need its categories, licences and ids; `add_entry`
        # reads the file again under its lock and uses this opening if nothing changed meanwhile.
        # Only a file that does not parse stops it here: a problem the new entry solves (a task
        # declared for it) does not stand in its way, and add_entry judges the rest.
        opened = open_catalogue(args.catalogue)
        if opened.document.problems or not isinstance(opened.document.data, dict):
            return report(opened.problems, done="nothing was added")
        try:
            Interview(opened.document.data, _ask, print).fill(entry)
        except (EOFError, KeyboardInterrupt):
            print("\nStopped; nothing was added.", file=sys.stderr)
            return 1
    missing = _missing_options(entry)
    if missing:
        print(
            f"new: missing {', '.join(missing)} (run it in a terminal to be asked instead)", file=sys.stderr
        )
        return 2
    complete_entry(entry)
    if not entry["id"]:
        print(
            f"new: the name {printable(entry['name'])!r} has no letter or digit to make an id of; "
            "give one with --id",
            file=sys.stderr,
        )
        return 2
    try:
        insertion = add_entry(args.catalogue, entry, write=not args.dry_run, opened=opened)
    except ScaffoldError as error:
        for problem in error.problems:
            hint = _option_for(problem.field)
            print(f"{problem}{f' (option {hint})' if hint else ''}", file=sys.stderr)
        print(f"new: {error.summary}", file=sys.stderr)
        return 1
    name = display_name(args.catalogue)
    if args.dry_run:
        print(f"Would add {entry['id']} to {name} at line {insertion.line}, {insertion.rule}:\n")
        print("\n".join(entry_lines(entry)))
        return 0
    print(f"{name}:{insertion.line}: added {entry['id']}, {insertion.rule}; the catalogue is valid.")
    print("Review the entry in the file, then commit it and open a pull request.")
    return 0


def _option_for(field: str | None) -> str | None:
    """`links.repository` -> `--repository`, `use_cases[1]` -> `--use-case`."""
    if not field:
        return None
    field = field.split("[", 1)[0]
    if field.startswith("links."):
        return "--" + field.removeprefix("links.").replace("_", "-")
    if field.startswith("licenses."):
        field = ".".join(field.split(".")[:2])
    return fields.field_options().get(field)


def _ask(prompt: str) -> str:
    answer = input(prompt)
    if any("\udc80" <= char <= "\udcff" for char in answer):  # bytes a non-UTF-8 terminal sent
        raise UnicodeDecodeError("utf-8", answer.encode("utf-8", "surrogateescape"), 0, 1, "not UTF-8")
    return answer


# --- changed ---------------------------------------------------------------------------


def changed_command(args: argparse.Namespace) -> int:
    from .changes import GitError, compare, read_from_git, summary_markdown

    name = display_name(args.catalogue)
    head = open_catalogue(args.catalogue).document
    if head.problems:
        return report(head.problems, done="could not compare")
    try:
        base_text = read_from_git(args.base, args.catalogue)
    except GitError as error:
        print(f"changed: {error}", file=sys.stderr)
        return 2
    base = None
    if base_text is not None:
        loaded_base = open_text(base_text, f"{args.base}:{name}").document
        if loaded_base.problems:
            return report(loaded_base.problems, done="could not compare")
        base = loaded_base.data
    changes = compare(base, head.data)
    if args.format == "ids":
        ids = [printable(entry_id) for entry_id in changes.ids_to_check]
        print("\n".join(ids), end="\n" if ids else "")
    elif args.format == "json":
        print(json.dumps(_changes_json(changes), indent=2))
    else:
        print(summary_markdown(changes), end="")
    return 0


def _changes_json(changes: Any) -> dict[str, Any]:
    def entries(items: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [{"id": e.id, "name": e.name, "fields": list(e.fields)} for e in items]

    return {
        "added": entries(changes.added),
        "changed": entries(changes.changed),
        "removed": entries(changes.removed),
        "declarations": list(changes.declarations),
        "ids_to_check": changes.ids_to_check,
    }


# --- Command line ----------------------------------------------------------------------


# Each function adds one verb to the `ohm` command (see ohm/cli.py).


def add_validate(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    validate = commands.add_parser(
        "validate", parents=common, help="check the catalogue and list every problem"
    )
    validate.add_argument(
        "--format",
        choices=list(REPORTERS),
        default="text",
        help="text: one line per problem; github: GitHub Actions annotations on the exact line",
    )
    validate.set_defaults(run=validate_command)


def add_render(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    render = commands.add_parser(
        "render", parents=common, help="write the generated Markdown pages to a folder"
    )
    render.add_argument("--out", type=Path, required=True, help="folder to (re)create with the pages")
    render.set_defaults(run=render_command)


def add_export(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    from ohm.site.export import EXPORTS

    export = commands.add_parser(
        "export", parents=common, help="write the catalogue as JSON, CSV or the Markdown list (MODELS.md)"
    )
    export.add_argument("format", choices=sorted(EXPORTS), help="what to write")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if --out differs from a fresh export"
    )
    export.set_defaults(run=export_command)


def add_changed(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    changed = commands.add_parser(
        "changed", parents=common, help="list the entries added, changed or removed since a git ref"
    )
    changed.add_argument("--base", required=True, help="git commit, branch or tag to compare with")
    changed.add_argument(
        "--format",
        choices=["summary", "ids", "json"],
        default="summary",
        help="summary: Markdown for people; ids: added and changed ids, one a line; json: everything",
    )
    changed.set_defaults(run=changed_command)


def add_new(commands: Any, common: list[argparse.ArgumentParser]) -> None:
    new = commands.add_parser(
        "new",
        parents=common,
        help="add a model to the catalogue (asks for what is missing when run in a terminal)",
        description="Add a model to the catalogue, after the last entry of its category and subcategory. "
        "Fields not given as options are asked for when run in a terminal. The file is changed only "
        "if the whole catalogue is still valid; everything else in it stays byte for byte.",
    )
    text = new.add_argument_group("the entry (see CONTRIBUTING.md for each field)")
    for option in fields.new_options():
        if option.many:
            text.add_argument(option.flag, action="append", default=[], help=option.help)
        else:
            text.add_argument(option.flag, metavar=option.metavar, help=option.help)
    new.add_argument(
        "--dry-run", action="store_true", help="show the entry and where it would go; write nothing"
    )
    new.add_argument(
        "--no-input", action="store_true", help="never ask; fail if a required option is missing"
    )
    new.set_defaults(run=new_command)
