"""The table of logged responses: one row per sender per response, one per other answer.

Schema version 1 (docs/logs.md holds the same list for readers of the files):

=================== ============ =========================================================
column              type         meaning
=================== ============ =========================================================
source              string       the log (path or URL), or the response file
entry               int64        HAR entry / cassette interaction (from 0), JSON Lines line
                                 (from 1); null for a response file
time                timestamp    when the request was made (UTC, microseconds), if logged
command             string       get, add, chg, del, send_code, check_code; null: no request
fmt                 int8         the format the body was read in
charset             string       the charset the body was read in
request_sender      string       the request's ``sender`` parameter
request_id          int64        the request's ``id`` parameter
kind                string       list, created, ok or error
record              int32        the sender's place in the list (from 0); null otherwise
sender              string       the sender name
id                  int64        the sender's id; for ``created``, the new name's id
status              int64        the moderation status (``all=1``)
<19 operator keys>  int64        the status at each operator (``operators=1``), in the
                                 order of ``fmtcodec.OPERATOR_KEYS``
error_code          int64        the error's code
error_description   string       the error's description as sent (null in fmt 1)
extra               string       the record's unknown keys as a JSON object, or null
=================== ============ =========================================================

An empty list is one row of kind ``list`` with no sender, so that every exchange that
was read is in the table. Codes are kept as numbers, known or not (spec §4.3).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from ._exchange import Exchange
from ._model import OPERATOR_KEYS, ApiError, Sender, SenderCreated, SenderList

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "COLUMNS",
    "SCHEMA_VERSION",
    "TableOutput",
    "arrow_schema",
    "arrow_table",
    "list_rows",
    "open_output",
    "row_dicts",
    "rows_of",
]

SCHEMA_VERSION = 1
"""The version of the table's columns; a change to them gets a new number."""

_HEAD = (
    "source",
    "entry",
    "time",
    "command",
    "fmt",
    "charset",
    "request_sender",
    "request_id",
    "kind",
    "record",
    "sender",
    "id",
    "status",
)
_TAIL = ("error_code", "error_description", "extra")
COLUMNS: tuple[str, ...] = (*_HEAD, *OPERATOR_KEYS, *_TAIL)
"""The table's columns, in order."""

_NO_OPERATORS: tuple[None, ...] = (None,) * len(OPERATOR_KEYS)
_NO_SENDER = (None, None, None, None, *_NO_OPERATORS)  # record, sender, id, status, operators
_NO_ERROR = (None, None, None)
_encode_json = msgspec.json.Encoder().encode

Row = tuple[Any, ...]


def rows_of(exchange: Exchange) -> list[Row]:
    """The rows of an exchange that was read (none for a failed one), as tuples in the
    order of COLUMNS."""
    response = exchange.response
    if response is None:
        return []
    head = _head(exchange)
    if isinstance(response, SenderList):
        if not response.senders:
            return [(*head, "list", *_NO_SENDER, *_NO_ERROR)]
        return [
            (*head, "list", *_sender(index, sender))
            for index, sender in enumerate(response.senders)
        ]
    if isinstance(response, SenderCreated):
        return [(*head, "created", None, None, int(response.id), None, *_NO_OPERATORS, *_NO_ERROR)]
    if isinstance(response, ApiError):
        error = (int(response.code), response.description, None)
        return [(*head, "error", *_NO_SENDER, *error)]
    return [(*head, "ok", *_NO_SENDER, *_NO_ERROR)]


def _head(exchange: Exchange) -> Row:
    """The columns every row of ``exchange`` shares: where, when, what was asked."""
    request = exchange.request
    return (
        exchange.source,
        exchange.entry,
        exchange.time,
        None if request is None else request.command.value,
        None if exchange.fmt is None else int(exchange.fmt),
        exchange.charset,
        None if request is None else request.sender,
        None if request is None else request.id,
    )


def list_rows(exchange: Exchange, senders: Iterable[Sender]) -> Iterator[Row]:
    """The rows of a list ``exchange`` answered with ``senders``, made as they are
    iterated (a row a sender; one row with no sender for an empty list)."""
    head = _head(exchange)
    index = -1
    for index, sender in enumerate(senders):
        yield (*head, "list", *_sender(index, sender))
    if index < 0:
        yield (*head, "list", *_NO_SENDER, *_NO_ERROR)


def _sender(index: int, sender: Sender) -> Row:
    operators = sender.operators
    found = tuple([operators.get(key) for key in OPERATOR_KEYS]) if operators else _NO_OPERATORS
    extra = _encode_json(dict(sender.extra)).decode("utf-8") if sender.extra else None
    return (index, sender.name, sender.id, sender.status, *found, None, None, extra)


def arrow_schema() -> pyarrow.Schema:
    """The table's pyarrow schema, its version in the metadata (``fmtcodec.schema``)."""
    import pyarrow as pa

    types = {
        "source": pa.string(),
        "entry": pa.int64(),
        "time": pa.timestamp("us", tz="UTC"),
        "command": pa.string(),
        "fmt": pa.int8(),
        "charset": pa.string(),
        "request_sender": pa.string(),
        "request_id": pa.int64(),
        "kind": pa.string(),
        "record": pa.int32(),
        "sender": pa.string(),
        "id": pa.int64(),
        "status": pa.int64(),
        "error_code": pa.int64(),
        "error_description": pa.string(),
        "extra": pa.string(),
    }
    return pa.schema(
        [pa.field(name, types.get(name, pa.int64())) for name in COLUMNS],
        metadata={"fmtcodec.schema": str(SCHEMA_VERSION)},
    )


def arrow_table(rows: list[Row]) -> pyarrow.Table:
    """Rows (from :func:`rows_of`) as a pyarrow Table of :func:`arrow_schema`."""
    import pyarrow as pa

    schema = arrow_schema()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(COLUMNS)
    return pa.Table.from_arrays(
        [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def row_dicts(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Rows as dicts by column name (what the JSON Lines output holds, before JSON)."""
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


class TableOutput(Protocol):
    """Where rows go: written to a temporary file beside the target, renamed over it by
    :meth:`commit`, removed by :meth:`abort` (a reader never sees half a table)."""

    def write(self, rows: list[Row]) -> None: ...

    def write_arrow(self, table: pyarrow.Table) -> None: ...

    def commit(self) -> None: ...

    def abort(self) -> None: ...


def open_output(path: str, kind: str) -> TableOutput:
    """An output for ``kind`` ``parquet`` or ``jsonl`` at ``path``; OSError if its
    temporary file cannot be made."""
    if kind == "parquet":
        return _ParquetOutput(path)
    return _JsonlOutput(path)


class _Staged:
    def __init__(self, path: str) -> None:
        folder = os.path.dirname(os.path.abspath(path))
        handle, self.temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder
        )
        os.close(handle)
        self.path = path

    def _rename(self) -> None:
        # On disk before it takes the name: a crash leaves the old file or the new, whole.
        with open(self.temporary, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(self.temporary, self.path)

    def _remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temporary)


class _ParquetOutput(_Staged):
    def __init__(self, path: str) -> None:
        import pyarrow.parquet as pq

        super().__init__(path)
        self._writer = pq.ParquetWriter(self.temporary, arrow_schema(), compression="zstd")

    def write(self, rows: list[Row]) -> None:
        if rows:
            self._writer.write_table(arrow_table(rows))

    def write_arrow(self, table: pyarrow.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table)

    def commit(self) -> None:
        self._writer.close()
        self._rename()

    def abort(self) -> None:
        self._writer.close()
        self._remove()


class _JsonlOutput(_Staged):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._stream = open(self.temporary, "wb")  # noqa: SIM115 - closed by commit/abort
        self._encoder = msgspec.json.Encoder()
        self._buffer = bytearray()

    def write(self, rows: list[Row]) -> None:
        buffer = self._buffer
        for row in rows:
            self._encoder.encode_into(dict(zip(COLUMNS, row, strict=True)), buffer, -1)
            buffer.extend(b"\n")
        self._stream.write(buffer)
        buffer.clear()

    def write_arrow(self, table: pyarrow.Table) -> None:
        self.write([tuple(row.values()) for row in table.to_pylist()])

    def commit(self) -> None:
        self._stream.close()
        self._rename()

    def abort(self) -> None:
        self._stream.close()
        self._remove()
