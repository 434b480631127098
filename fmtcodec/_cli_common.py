"""What every command of the command line shares: inputs, messages and the output stream."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO, NamedTuple

from ._errors import DecodeError, EncodeError
from ._model import ApiError, Ok, Response, SenderCreated, SenderList
from ._source import CHARSETS, DEFAULT_MAX_SIZE, normalize_charset

__all__ = [
    "EXAMPLES_FORMATTER",
    "EXTENSIONS",
    "FORMATS",
    "STDIN",
    "OutputError",
    "Unreadable",
    "UsageError",
    "charset_argument",
    "decode_failure",
    "encode_failure",
    "files_under",
    "kind_of",
    "label_of",
    "read_input",
    "reason",
    "write_stdout",
]

FORMATS = ("0", "1", "2", "3")
EXTENSIONS = {0: ".txt", 1: ".csv", 2: ".xml", 3: ".json"}
"""The file extension ``convert`` gives each target format."""
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
        return normalize_charset(value)
    except DecodeError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not supported; use one of {', '.join(CHARSETS)}"
        ) from None


def label_of(path: str) -> str:
    """How messages name an input: its path, or ``<stdin>``."""
    return "<stdin>" if path == STDIN else path


def read_input(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``; OSError if unreadable.

    Reads at most one byte past the size cap, so that a huge file costs no memory and
    still gets the decoder's "over the limit" error.
    """
    if path == STDIN:
        return _read_capped(sys.stdin.buffer, 0)
    with open(path, "rb", buffering=0) as stream:
        return _read_capped(stream, os.fstat(stream.fileno()).st_size)


def _read_capped(stream: BinaryIO, size: int) -> bytes:
    # One read of the file's size (plus one, to see its end) does a regular file; pipes
    # and devices report size 0 and are read in pieces. Never read(cap) at once: Python
    # allocates the whole 64 MiB buffer up front, for every file.
    left = DEFAULT_MAX_SIZE + 1
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


def decode_failure(label: str, exc: DecodeError) -> str:
    """The ``FILE:LINE:COL: message`` line for a body that does not decode."""
    return f"{label}:{exc.lineno}:{exc.colno}: {exc.msg}"


def encode_failure(label: str, exc: EncodeError) -> str:
    """The line for a response that the target format cannot carry (spec §4.5)."""
    where = f"{exc.path}: " if exc.path else ""
    return f"{label}: cannot be written in fmt {exc.fmt}: {where}{exc.reason}"


def kind_of(response: Response) -> str:
    """The kind of a response as the JSON outputs name it: list, created, ok or error."""
    return _KINDS[type(response)]


def write_stdout(data: bytes) -> None:
    """Write bytes to standard output as they are (the command line writes UTF-8).

    Raises BrokenPipeError when the reader went away, OutputError for any other failure.
    """
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(reason(exc)) from None
