"""Problems as GitHub Actions workflow commands, so a pull request shows them on the right line.

A line such as

    ::error file=data/models.yaml,line=42,title=whisper-large-v3%3A links.repository::must start with https://

printed by a step becomes an annotation on line 42 of the file in the pull request's
"Files changed" view. The runner splits such a line at `::`, `,` and `=`, so values are
escaped the way GitHub's own toolkit escapes them (`@actions/core`, command.ts):
in the message `%`, CR and LF; in a property also `:` and `,`.
"""

from __future__ import annotations

from .problems import Problem, printable

_DATA_ESCAPES = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY_ESCAPES = {**_DATA_ESCAPES, ":": "%3A", ",": "%2C"}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command (after the second `::`)."""
    return "".join(_DATA_ESCAPES.get(char, char) for char in text)


def escape_property(text: str) -> str:
    """Escape a property value such as `file=` or `title=`."""
    return "".join(_PROPERTY_ESCAPES.get(char, char) for char in text)


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    """`::command key=value,...::message`, leaving out properties that are None."""
    given = [f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None]
    head = f"{command} {','.join(given)}" if given else command
    return f"::{head}::{escape_data(message)}"


def annotation(problem: Problem) -> str:
    """One problem as an error annotation on its file and line.

    The title names the entry and field, the message says what is wrong; a problem
    without a line (a missing file) is annotated on the file as a whole.
    """
    title = ": ".join(printable(part) for part in (problem.entry, problem.field) if part) or "catalogue"
    return workflow_command(
        "error",
        printable(problem.message),
        file=printable(problem.file.replace("\\", "/")),
        line=problem.line,
        title=title,
    )
