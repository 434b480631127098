"""A log as the readers see it: an iterable of exchanges with a count of what was skipped,
and opening its bytes (a path, or an open binary file such as fsspec gives; ``.gz``
decompressed on the fly)."""

from __future__ import annotations

import contextlib
import gzip
import os
from collections.abc import Callable, Iterator
from typing import IO, Union

from ._exchange import Exchange, failed

__all__ = ["Log", "LogSource", "label_of", "opened", "unreadable"]

LogSource = Union[str, "os.PathLike[str]", IO[bytes]]
"""A log: a path, or a binary file open for reading (an fsspec ``OpenFile``'s stream)."""


class Log:
    """The exchanges of one log, read as they are iterated (the file is opened anew each
    time). ``skipped`` counts, after an iteration, the entries that were not senders.php
    exchanges (other requests in a HAR or a cassette).
    """

    def __init__(self, source: str, reader: Callable[[Log], Iterator[Exchange]]) -> None:
        self.source = source
        self.skipped = 0
        self._reader = reader

    def __iter__(self) -> Iterator[Exchange]:
        self.skipped = 0
        return self._reader(self)

    def __repr__(self) -> str:
        return f"<fmtcodec.logs.Log {self.source!r}>"


def label_of(source: LogSource, name: str | None = None) -> str:
    """How reports name a log: ``name``, the path, or the open file's ``name``."""
    if name is not None:
        return name
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


@contextlib.contextmanager
def opened(source: LogSource, label: str) -> Iterator[IO[bytes]]:
    """The log's bytes: the file at a path (closed after), or the stream given (left
    open); a name ending in ``.gz`` is gunzipped as it is read."""
    with contextlib.ExitStack() as stack:
        if isinstance(source, (str, os.PathLike)):
            stream: IO[bytes] = stack.enter_context(open(source, "rb"))
        else:
            stream = source
        if label.endswith(".gz"):
            unpacked = gzip.GzipFile(fileobj=stream, mode="rb")
            stack.callback(unpacked.close)
            stream = unpacked  # type: ignore[assignment]
        yield stream


def unreadable(source: str, exc: BaseException) -> Exchange:
    """The failure of a whole log that could not be opened or read to its end."""
    if isinstance(exc, OSError) and exc.strerror:
        reason = f"cannot read: {exc.strerror}"
    else:
        reason = f"cannot read: {exc}"
    return failed(source, None, "", None, reason)
