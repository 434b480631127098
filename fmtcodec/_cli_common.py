"""What every command of the command line shares: inputs, messages and the output stream."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO, NamedTuple

from ._errors import DecodeError, EncodeError
from ._explain import charset_advice, cli_charset_advice
from ._model import ApiError, Ok, Response, SenderCreated, SenderList
from ._source import CHARSETS, DEFAULT_MAX_SIZE, charset_name

__all__ = [
    "DEFAULT_RULES",
    "EXAMPLES_FORMATTER",
    "EXTENSIONS",
    "FORMATS",
    "FORMAT_OF_EXTENSION",
    "STDIN",
    "InputRules",
    "OutputError",
    "Unreadable",
    "UsageError",
    "add_input_options",
    "charset_argument",
    "cli_message",
    "decode_failure",
    "encode_failure",
    "files_under",
    "format_of",
    "kind_of",
    "label_of",
    "read_input",
    "reason",
    "size_argument",
    "write_stdout",
]

FORMATS = ("0", "1", "2", "3")
EXTENSIONS = {0: ".txt", 1: ".csv", 2: ".xml", 3: ".json"}
"""The file extension ``convert`` gives each target format."""
FORMAT_OF_EXTENSION = {extension: fmt for fmt, extension in EXTENSIONS.items()}
"""The format an input file is read as when its extension is one of these and no format
is given (a ``.json`` file is fmt 3 even when empty; other names are detected)."""
STDIN = "-"
EXAMPLES_FORMATTER = argparse.RawDescriptionHelpFormatter
"""Keeps the line breaks of each command's examples in ``--help``."""

_KINDS: dict[type, str] = {
    SenderList: "list",
    SenderCreated: "created",
    Ok: "ok",
    ApiError: "error",
}


class OutputError(Exception):
    """Standard output could not be written (not a closed pipe: a full disk, say)."""


class UsageError(Exception):
    """Arguments that argparse accepts but that do not make sense together (exit 2)."""


class Unreadable(NamedTuple):
    """A path that could not be read, and why, for the per-file report."""

    label: str
    reason: str


def charset_argument(value: str) -> str:
    """An argparse ``type``: an allow-listed charset (spec §4.9), else a usage error."""
    try:
        return charset_name(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not supported; use one of {', '.join(CHARSETS)}"
        ) from None


_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def size_argument(value: str) -> int:
    """An argparse ``type``: a size in bytes, with an optional K, M or G (powers of 1024)."""
    text = value.strip().lower().removesuffix("b").removesuffix("i")
    unit = text[-1:] if text[-1:] in ("k", "m", "g") else ""
    number = text[: len(text) - len(unit)]
    if not number.isdigit() or not number.isascii() or int(number) == 0:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a size: give a positive number of bytes, such as 1000000,"
            " 500K, 64M or 1G"
        )
    return int(number) * _UNITS[unit]


def _size_text(size: int) -> str:
    """``64 MiB (67108864 bytes)``, or ``100 bytes``: a size as a person reads it."""
    for unit, name in ((1024**3, "GiB"), (1024**2, "MiB"), (1024, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name} ({size} bytes)"
    return f"{size} byte{'s' if size != 1 else ''}"


class InputRules(NamedTuple):
    """What every command checks of an input before decoding it: the size limit
    (``--max-size``), and whether an empty body is a failure (``--allow-empty``)."""

    max_size: int = DEFAULT_MAX_SIZE
    allow_empty: bool = False

    def problem(self, data: bytes, size: int | None) -> str | None:
        """Why ``data`` is refused before decoding, or None. ``size`` is the input's real
        size when known (a file's), since ``data`` is read only one byte past the limit."""
        if len(data) > self.max_size:
            what = "the input is" if size is None else f"the file is {size} bytes,"
            limit = _size_text(self.max_size)
            return f"{what} over the --max-size limit of {limit}; raise --max-size to read it"
        if not self.allow_empty and not data.strip(b" \t\r\n"):
            what = "empty" if not data else "only blank lines"
            return (
                f"the body is {what}: a failed capture rather than an answer?"
                " (--allow-empty reads it as the empty list, in fmt 0 and 1)"
            )
        return None


DEFAULT_RULES = InputRules()
"""The rules when no option changes them: the library's size cap, empty bodies refused."""


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-size`` and ``--allow-empty``, which every command reading bodies takes."""
    parser.add_argument(
        "--max-size",
        type=size_argument,
        metavar="SIZE",
        default=DEFAULT_MAX_SIZE,
        help="refuse an input larger than this: bytes, or with K, M or G (default 64M)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="an empty body is the empty list (fmt 0 and 1) rather than a failure",
    )


def format_of(path: str, given: int | None) -> int | None:
    """The format to read ``path`` as: ``given``, else its extension's (``.json`` is 3),
    else None (detect it from the body, spec §4.2)."""
    if given is not None or path == STDIN:
        return given
    return FORMAT_OF_EXTENSION.get(os.path.splitext(path)[1].lower())


def label_of(path: str) -> str:
    """How messages name an input: its path, or ``<stdin>``."""
    return "<stdin>" if path == STDIN else path


def read_input(path: str, max_size: int = DEFAULT_MAX_SIZE) -> tuple[bytes, int | None]:
    """The bytes of a file, or of standard input for ``-``, and the file's size (None for
    a pipe or a device); OSError if unreadable.

    Reads at most one byte past ``max_size``, so that a huge file costs no memory and is
    still seen to be over the limit.
    """
    if path == STDIN:
        return _read_capped(sys.stdin.buffer, 0, max_size), None
    with open(path, "rb", buffering=0) as stream:
        status = os.fstat(stream.fileno())
        size = status.st_size if stat.S_ISREG(status.st_mode) else None
        return _read_capped(stream, size or 0, max_size), size


def _read_capped(stream: BinaryIO, size: int, max_size: int) -> bytes:
    # One read of the file's size (plus one, to see its end) does a regular file; pipes
    # and devices report size 0 and are read in pieces. Never read(cap) at once: Python
    # allocates the whole 64 MiB buffer up front, for every file.
    left = max_size + 1
    parts = []
    while left > 0:
        part = stream.read(min(left, max(size + 1, 1 << 16)))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def files_under(
    paths: Sequence[str], skip: os.stat_result | None = None
) -> Iterator[tuple[str, str] | Unreadable]:
    """Every input file named by ``paths``, as (path, path relative to its folder input).

    A directory is walked recursively, in name order, taking regular files only (a FIFO
    would block) and skipping hidden names (``.git``, ``.DS_Store``) and the directory
    whose ``stat`` is ``skip`` (the output folder, when it lies inside an input). A file
    named directly is taken as it is, with its own name as the relative path. A directory
    that cannot be listed yields an Unreadable.
    """
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            yield from _walk(path, "", skip)
        else:
            yield path, os.path.basename(path)


def _walk(
    folder: str, relative: str, skip: os.stat_result | None
) -> Iterator[tuple[str, str] | Unreadable]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Unreadable(folder, f"cannot read the directory: {reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            if skip is None or not os.path.samestat(entry.stat(follow_symlinks=False), skip):
                yield from _walk(entry.path, relative + entry.name + os.sep, skip)
        elif entry.is_file():
            yield entry.path, relative + entry.name


def reason(exc: OSError) -> str:
    """An OSError in a few words: "No such file or directory"."""
    return exc.strerror or str(exc)


def decode_failure(label: str, exc: DecodeError, from_extension: bool = False) -> str:
    """The ``FILE:LINE:COL: message`` line for a body that does not decode."""
    return f"{label}:{exc.lineno}:{exc.colno}: {cli_message(exc.message, from_extension)}"


def cli_message(message: str, from_extension: bool = False) -> str:
    """A decode message as the command line says it: a format taken from the file's
    extension said so, and the command's ``--charset`` advised, not Python's ``charset=``."""
    if from_extension:
        message = message.replace(", given): ", ", from the file's extension): ", 1)
    for charset in CHARSETS:
        message = message.replace(charset_advice(charset), cli_charset_advice(charset))
    return message


def encode_failure(label: str, exc: EncodeError) -> str:
    """The line for a response that the target format cannot carry (spec §4.5)."""
    where = f"{exc.path}: " if exc.path else ""
    return f"{label}: cannot be written in fmt {exc.fmt}: {where}{exc.reason}"


def kind_of(response: Response) -> str:
    """The kind of a response as the JSON outputs name it: list, created, ok or error."""
    return _KINDS[type(response)]


def write_stdout(data: bytes) -> None:
    """Write bytes to standard output as they are (the command line writes UTF-8), all of
    them: a write that takes only part is followed by another for the rest.

    Raises BrokenPipeError when the reader went away, OutputError for any other failure.
    """
    stream = sys.stdout.buffer
    view = memoryview(data)
    try:
        while view:
            # A pipe whose reader leaves takes what fits and reports the short count;
            # only the next write fails (EPIPE). Unchecked, `| head -1` would exit 0.
            written = stream.write(view)
            if not written:  # None: a non-blocking stream that is full; 0: nothing taken
                raise OutputError("standard output took no more data")
            view = view[written:]
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(reason(exc)) from None
