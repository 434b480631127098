"""Logged senders.php exchanges at scale: HAR, JSON Lines and cassettes in, a table out.

Readers yield one :class:`Exchange` per senders.php exchange of a log — where it came
from, when, the request (credentials dropped) and the decoded response, or an
:class:`ExchangeError` saying where and why it could not be read; a bad exchange never
stops the read. :func:`write_table` turns logs into the table (Parquet or JSON Lines) on
one core, :func:`dask_table` does it as a Dask pipeline over many files. The columns are
in docs/logs.md. Parquet and Dask need the ``scale`` extra.

>>> from fmtcodec import logs
>>> logs.kind_of_log("traffic.har.gz"), logs.kind_of_log("api.jsonl")
('har', 'jsonl')
>>> logs.COLUMNS[:4]
('source', 'entry', 'time', 'command')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ._dask_table import DaskTable, dask_table
from ._exchange import Exchange, ExchangeError
from ._har import read_har
from ._jsonl import FIELDS as JSONL_FIELDS
from ._jsonl import read_jsonl
from ._logfile import Log
from ._logtable import KINDS, TableSummary, kind_of_log, read_log, write_table
from ._responses import read_response_file
from ._table import COLUMNS, SCHEMA_VERSION, arrow_schema, arrow_table, rows_of
from ._vcr import read_vcr

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "COLUMNS",
    "JSONL_FIELDS",
    "KINDS",
    "SCHEMA_VERSION",
    "DaskTable",
    "Exchange",
    "ExchangeError",
    "Log",
    "TableSummary",
    "arrow_schema",
    "dask_table",
    "kind_of_log",
    "read_har",
    "read_jsonl",
    "read_log",
    "read_response_file",
    "read_vcr",
    "rows",
    "to_arrow",
    "write_table",
]


def rows(exchanges: Iterable[Exchange]) -> Iterator[dict[str, Any]]:
    """The table's rows of ``exchanges`` as dicts by column (failed exchanges have none);
    codes are plain ints, as in the files."""
    for exchange in exchanges:
        for row in rows_of(exchange):
            yield {
                name: int(value) if isinstance(value, int) and type(value) is not int else value
                for name, value in zip(COLUMNS, row, strict=True)
            }


def to_arrow(exchanges: Iterable[Exchange]) -> pyarrow.Table:
    """The table's rows of ``exchanges`` as a pyarrow Table (schema :func:`arrow_schema`)."""
    return arrow_table([row for exchange in exchanges for row in rows_of(exchange)])


for _name in __all__:
    _value = globals()[_name]
    if getattr(_value, "__module__", "").startswith("fmtcodec._"):
        _value.__module__ = __name__
del _name, _value
