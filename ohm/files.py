"""Writing files and folders all at once, for every stage that writes.

A reader sees the old file or folder or the new one, never half of one; an
interrupted command (Ctrl-C, SIGTERM) leaves the old one as it was. A folder
is replaced whole only when it is ours to replace (see `check_output_folder`),
so a mistyped `--out` cannot delete the catalogue or the hand-written pages.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from ohm.catalog.problems import printable

# Written into every folder `replace_folder` fills: the proof that the folder may be replaced again.
OWNER_MARK = ".ohm-output"
OWNER_MARK_TEXT = "Written by ohm. This folder is replaced as a whole each time; do not keep files in it.\n"
# Signals that end a command: received during a swap, they wait until it is done.
ENDING_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def describe_error(error: OSError | UnicodeError) -> str:
    """One line for an error of the file system or of text encoding: which file, and what happened."""
    if isinstance(error, UnicodeDecodeError):
        return f"cannot read text: not valid {error.encoding} (byte {error.start})"
    if isinstance(error, UnicodeError):
        return f"cannot write text: {printable(str(error))}"
    what = error.strerror or str(error)
    if error.filename is None:
        return printable(what)
    return f"{printable(os.fsdecode(error.filename))}: {printable(what)}"


class OutputFolderError(Exception):
    """The folder may not be written or replaced; the message says why, in one line."""


class NotARegularFile(OSError):
    """The path to write is a link, a folder, a FIFO, a device or a socket: not replaced."""


_KINDS = {
    stat.S_ISLNK: "a symbolic link",
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a device",
    stat.S_ISBLK: "a device",
    stat.S_ISSOCK: "a socket",
}


def check_replaceable_file(path: Path) -> None:
    """NotARegularFile unless `path` is missing or a regular file: renaming a new file over
    a link would leave its target as it was, and over a device or a pipe would remove it."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    for is_kind, kind in _KINDS.items():
        if is_kind(mode):
            message = f"is {kind}, not a regular file; only regular files are replaced: give another name"
            raise NotARegularFile(errno.EEXIST, message, str(path))


def replace_file(path: Path, content: bytes) -> None:
    """Replace `path` with `content` in one step: a reader sees the old file or the new one, never half.

    An existing file keeps its permissions; a new one gets the usual ones (0666 less the umask).
    Anything but a regular file at `path` is left alone: NotARegularFile.
    """
    path = Path(path)
    check_replaceable_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:  # name the file asked for, not the temporary one
        raise type(error)(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o7777
    return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def check_output_folder(
    folder: Path, protected: Mapping[Path, str], marks: Iterable[str] = (OWNER_MARK,)
) -> Path:
    """`folder`, resolved, if it may be replaced whole; else OutputFolderError.

    It may be if it does not exist, is empty, or holds one of `marks` (a file that
    only what wrote it puts there), and if it neither is nor holds one of the
    `protected` folders (given with what they are, for the message).
    """
    resolved = Path(folder).resolve()
    places = {Path(place).resolve(): what for place, what in protected.items()}
    if resolved in places:
        raise OutputFolderError(
            f"{folder} is {places[resolved]}, which must not be replaced; choose another folder"
        )
    for place, what in places.items():
        if resolved in place.parents:
            raise OutputFolderError(
                f"{folder} holds {what} ({place}), which must not be replaced; choose another folder"
            )
    if resolved.exists() and not resolved.is_dir():
        raise OutputFolderError(f"{folder} is a file, not a folder")
    if resolved.is_dir() and any(resolved.iterdir()) and not any((resolved / m).is_file() for m in marks):
        raise OutputFolderError(
            f"{folder} is not empty and was not written by this command; "
            "choose a new or empty folder, or delete it first"
        )
    return resolved


def replace_folder(folder: Path, fill: Callable[[Path], None], mark: bool = True) -> None:
    """Replace `folder` with what `fill` writes into an empty folder, all at once.

    `fill` works in a temporary folder beside `folder`; only when it has finished is
    the old folder swapped out and the new one in, with ending signals held off for
    the two renames. On any failure or interruption the old folder stays as it was and
    the temporary one is removed. Check the folder first with `check_output_folder`.
    """
    folder = Path(folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-new-", dir=folder.parent))
    except OSError as error:
        raise OutputFolderError(f"cannot write {folder}: {error.strerror}") from error
    try:
        fill(staging)
        if mark:
            (staging / OWNER_MARK).write_text(OWNER_MARK_TEXT, encoding="utf-8")
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private
        retired = _swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _swap_in(staging: Path, folder: Path) -> Path | None:
    """Put `staging` in the place of `folder`; returns where the old folder went, if there was one."""
    with signals_held():
        if not folder.exists():
            staging.rename(folder)
            return None
        retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}-old-", dir=folder.parent))
        folder.rename(retired / folder.name)
        try:
            staging.rename(folder)
        except BaseException:
            (retired / folder.name).rename(folder)
            raise
        return retired


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold off Ctrl-C, SIGTERM and SIGHUP until the block is done, then act on the first one received."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda n, _: received.append(n)) for number in ENDING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received:
            signal.raise_signal(received[0])


@contextlib.contextmanager
def termination_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt as Ctrl-C does, so clean-up code runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(number).name)

    previous = {number: signal.signal(number, interrupt) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
