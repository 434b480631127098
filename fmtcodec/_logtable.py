"""Logs into a table on one core: which reader reads which file, and the export loop."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from ._cli_common import Unreadable, files_under
from ._errors import DecodeError
from ._exchange import (
    Deferred,
    Exchange,
    ExchangeError,
    decode_failed,
    decoded_now,
    deferring,
    failed,
)
from ._har import read_har
from ._jsonl import read_jsonl
from ._logfile import Log, LogSource, label_of
from ._model import Sender
from ._responses import read_response_file
from ._stream import list_senders
from ._table import Row, TableOutput, list_rows, open_output, rows_of
from ._vcr import read_vcr

__all__ = [
    "KINDS",
    "TableSummary",
    "expand",
    "kind_of_log",
    "output_kind",
    "read_log",
    "table_of_log",
    "write_table",
]

KINDS = ("har", "jsonl", "vcr", "response")
"""What a log file can be: a HAR, JSON Lines, a VCR.py cassette, or one response."""

_BY_EXTENSION = {
    ".har": "har",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "vcr",
    ".yml": "vcr",
}
_BATCH = 10_000  # rows handed to the writer at once: about 3 MB, whatever the log's size
# A list body from this size on (about 100,000 names, a model of 30 MB or more) is read
# one sender at a time, twice: once to the end, to know that it reads, then into rows.
_STREAM_FROM = 4 * 1024 * 1024


def kind_of_log(name: str) -> str:
    """The kind of a log by its name (``.gz`` aside): ``.har``; ``.jsonl`` or ``.ndjson``;
    ``.yaml`` or ``.yml`` (a cassette); anything else holds one response."""
    base = name[:-3] if name.endswith(".gz") else name
    return _BY_EXTENSION.get(os.path.splitext(base)[1].lower(), "response")


def read_log(
    source: LogSource,
    *,
    kind: str | None = None,
    fields: Mapping[str, str] | None = None,
    charset: str = "utf-8",
    name: str | None = None,
) -> Log:
    """The exchanges of a log of any kind; ``kind`` (one of KINDS) or else the name says
    which. ``fields`` is for JSON Lines, ``charset`` for response files."""
    label = label_of(source, name)
    kind = kind or kind_of_log(label)
    if kind == "har":
        return read_har(source, name=name)
    if kind == "jsonl":
        return read_jsonl(source, fields=fields, name=name)
    if kind == "vcr":
        if not isinstance(source, (str, os.PathLike)):
            return _refused(label, "a VCR.py cassette is read from a local path")
        return read_vcr(os.fspath(source), name=name)
    if kind == "response":
        return read_response_file(source, charset=charset, name=name)
    raise ValueError(f"unknown kind of log {kind!r}; the kinds are {', '.join(KINDS)}")


def _refused(label: str, reason: str) -> Log:
    def exchanges(log: Log) -> Iterator[Exchange]:
        yield failed(label, None, "", None, reason)

    return Log(label, exchanges)


def expand(paths: Sequence[str]) -> tuple[list[str], list[ExchangeError]]:
    """The files named by ``paths``, folders walked recursively in name order (hidden
    names left out), and the folders that could not be listed."""
    files: list[str] = []
    problems: list[ExchangeError] = []
    for found in files_under(paths):
        if isinstance(found, Unreadable):
            problems.append(ExchangeError(found.label, "", found.reason))
        else:
            files.append(found[0])
    return files, problems


def output_kind(path: str) -> str | None:
    """``parquet`` or ``jsonl`` by the output's name, or None for another name."""
    extension = os.path.splitext(path)[1].lower()
    return {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(extension)


class TableSummary(NamedTuple):
    """What an export did: logs read, exchanges read into rows, rows written, exchanges
    that failed, entries skipped (not senders.php)."""

    logs: int
    exchanges: int
    rows: int
    failed: int
    skipped: int


class LogPart(NamedTuple):
    """One log's rows and failures, and the count of its skipped entries."""

    rows: list[Row]
    exchanges: int
    failures: list[ExchangeError]
    skipped: int


def table_of_log(log: Log) -> LogPart:
    """Every row and failure of one log, in its order."""
    rows: list[Row] = []
    failures: list[ExchangeError] = []
    exchanges = 0
    for exchange in log:
        if exchange.error is not None:
            failures.append(exchange.error)
        else:
            exchanges += 1
            rows += rows_of(exchange)
    return LogPart(rows, exchanges, failures, log.skipped)


def write_table(
    logs: Iterable[Log],
    output: str,
    *,
    kind: str | None = None,
    on_failure: Callable[[ExchangeError], None] | None = None,
    on_log: Callable[[Log], None] | None = None,
) -> TableSummary:
    """Read ``logs`` one exchange at a time into the table at ``output`` (Parquet or JSON
    Lines: ``kind``, else the name's extension).

    Each failed exchange goes to ``on_failure`` (and is counted); ``on_log`` is called as
    each log is done. The output is written to a temporary file and renamed over
    ``output`` when complete; nothing is left behind if the export stops. Memory holds
    one batch of rows and one exchange, however long the logs; a list body of
    ``_STREAM_FROM`` bytes or more is read one sender at a time (_streamed), so that
    even one huge exchange is never held as a model.
    """
    kind = kind or output_kind(output) or "parquet"
    out = open_output(output, kind)
    counts = [0, 0, 0, 0, 0]  # logs, exchanges, rows, failed, skipped
    # The readers leave big list bodies undecoded (Deferred), for _streamed_rows.
    deferred = deferring.set(_STREAM_FROM)
    try:
        batch: list[Row] = []
        for log in logs:
            for exchange in log:
                streamed = None
                if isinstance(exchange, Deferred):
                    exchange, streamed = _streamed(exchange)
                if exchange.error is not None:
                    counts[3] += 1
                    if on_failure is not None:
                        on_failure(exchange.error)
                    continue
                counts[1] += 1
                if streamed is None:
                    batch += rows_of(exchange)
                else:
                    for row in list_rows(exchange, streamed):
                        batch.append(row)
                        if len(batch) >= _BATCH:
                            counts[2] += _flush(out, batch)
                if len(batch) >= _BATCH:
                    counts[2] += _flush(out, batch)
            counts[0] += 1
            counts[4] += log.skipped
            if on_log is not None:
                on_log(log)
        counts[2] += _flush(out, batch)
    except BaseException:
        out.abort()
        raise
    finally:
        deferring.reset(deferred)
    out.commit()
    return TableSummary(*counts)


def _flush(out: TableOutput, batch: list[Row]) -> int:
    """Write ``batch`` and empty it; how many rows it held."""
    out.write(batch)
    written = len(batch)
    batch.clear()
    return written


def _streamed(exchange: Deferred) -> tuple[Exchange, Iterator[Sender] | None]:
    """A big list body read one sender at a time: first to its end, keeping nothing, so
    that a list that fails half way gives no row but a failure, as decoding it whole
    would; then once more, the senders for the rows (the exchange stays the Deferred
    one: its rows need only where it came from and what was asked). A body that is no
    list of several lines (an error, OK...) is a line: decoded whole, as any other."""
    request, body, fmt, charset = exchange.request, exchange.body, exchange.fmt, exchange.charset
    assert request is not None and fmt is not None and charset is not None  # as decoded() made it
    where = (exchange.source, exchange.entry, exchange.place, exchange.time, request)

    def senders() -> Iterator[Sender] | None:
        return list_senders(body, fmt, charset)

    try:
        checked = senders()
        if checked is None:
            return decoded_now(*where, body, exchange.status), None
        for _ in checked:
            pass
    except DecodeError as exc:
        return decode_failed(*where, exc, exchange.status), None
    again = senders()
    assert again is not None  # the same body, read the same way
    return exchange, again
