"""The table of logged responses as a Dask pipeline: one task per log file.

Each task reads one log with the same readers as the single-core export and returns its
rows as a pyarrow Table with its failures and counts, so the rows are the same whichever
engine made them. Logs are local paths (sent to the workers as paths: they must see the
same files) or fsspec URLs (``s3://bucket/logs/*.har``), opened on the worker.

Needs the ``scale`` extra (dask, distributed, pyarrow); imported only when used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ._logfile import Log
from ._logtable import expand, kind_of_log, read_log, table_of_log
from ._table import arrow_schema, arrow_table

if TYPE_CHECKING:
    import dask.dataframe
    import pyarrow
    from dask.delayed import Delayed

__all__ = ["SCALE_HINT", "DaskPart", "DaskTable", "dask_parts", "dask_table", "require_scale"]

SCALE_HINT = "pip install 'fmtcodec[scale]'"


def require_scale() -> None:
    """ImportError naming the extra to install when dask, distributed or pyarrow is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"the Dask engine and Parquet need dask, distributed and pyarrow ({exc.name}"
            f" is missing): {SCALE_HINT}"
        ) from None


class DaskPart(NamedTuple):
    """What one task made of one log: its rows, its failures as report lines, its
    counts. (Lines, not exceptions: they travel between processes.)"""

    source: str
    table: pyarrow.Table
    exchanges: int
    failures: list[str]
    skipped: int


class _Source(NamedTuple):
    """A log as sent to a worker: a local path, or an fsspec OpenFile and its URL."""

    name: str
    file: Any  # fsspec.core.OpenFile, or None for a local path


def _is_url(path: str) -> bool:
    return "://" in path


def sources(paths: Sequence[str], storage_options: Mapping[str, Any] | None) -> list[_Source]:
    """The log files of ``paths``: local folders walked (as the single-core export
    walks them), URLs and globs expanded by fsspec."""
    found: list[_Source] = []
    local = [path for path in paths if not _is_url(path)]
    files, problems = expand(local)
    for problem in problems:
        found.append(_Source(problem.source, None))  # its task reports it unreadable
    found += [_Source(path, None) for path in files]
    remote = [path for path in paths if _is_url(path)]
    if remote:
        import fsspec

        for opened in fsspec.open_files(remote, mode="rb", **dict(storage_options or {})):
            found.append(_Source(opened.full_name, opened))
    return found


def read_part(
    source: _Source,
    kind: str | None,
    fields: Mapping[str, str] | None,
    charset: str,
) -> DaskPart:
    """One log read into its part of the table (runs on a worker)."""
    kind = kind or kind_of_log(source.name)
    part = table_of_log(_log(source, kind, fields, charset))
    return DaskPart(
        source.name,
        arrow_table(part.rows),
        part.exchanges,
        [str(failure) for failure in part.failures],
        part.skipped,
    )


def _log(source: _Source, kind: str, fields: Mapping[str, str] | None, charset: str) -> Log:
    if source.file is None:
        return read_log(source.name, kind=kind, fields=fields, charset=charset)
    opened = source.file

    def exchanges(log: Log) -> Iterator[Any]:
        with opened as stream:
            inner = read_log(stream, kind=kind, fields=fields, charset=charset, name=source.name)
            yield from inner
            log.skipped = inner.skipped

    return Log(source.name, exchanges)


def dask_parts(
    paths: Sequence[str],
    *,
    kind: str | None = None,
    fields: Mapping[str, str] | None = None,
    charset: str = "utf-8",
    storage_options: Mapping[str, Any] | None = None,
) -> list[Delayed]:
    """One delayed DaskPart per log file, in the order of ``paths``."""
    require_scale()
    import dask

    task = dask.delayed(read_part, pure=True)
    return [
        task(source, kind, fields, charset, dask_key_name=f"fmtcodec-log-{index}-{_token(source)}")
        for index, source in enumerate(sources(paths, storage_options))
    ]


def _token(source: _Source) -> str:
    from dask.base import tokenize

    return str(tokenize(source.name))


class DaskTable(NamedTuple):
    """The table as Dask DataFrames over the same tasks (computed together, as with
    ``dask.compute(table.rows, table.failures, table.logs)``, each log is read once).

    ``rows`` has the columns of the single-core table (pyarrow-backed dtypes), one
    partition per log. ``failures`` has a row per exchange that could not be read:
    ``source`` and ``message`` (the report line). ``logs`` has a row per log: ``source``,
    ``exchanges`` read, ``rows``, ``failed`` and ``skipped`` entries.
    """

    rows: dask.dataframe.DataFrame
    failures: dask.dataframe.DataFrame
    logs: dask.dataframe.DataFrame


def _frame(part: DaskPart) -> Any:
    import pandas as pd

    return part.table.to_pandas(types_mapper=pd.ArrowDtype)


def _failures(part: DaskPart) -> Any:
    import pandas as pd

    strings = pd.ArrowDtype(_string())
    return pd.DataFrame(
        {
            "source": pd.Series([part.source] * len(part.failures), dtype=strings),
            "message": pd.Series(part.failures, dtype=strings),
        }
    )


def _summary(part: DaskPart) -> Any:
    import pandas as pd

    counts = pd.ArrowDtype(_int64())
    return pd.DataFrame(
        {
            "source": pd.Series([part.source], dtype=pd.ArrowDtype(_string())),
            "exchanges": pd.Series([part.exchanges], dtype=counts),
            "rows": pd.Series([part.table.num_rows], dtype=counts),
            "failed": pd.Series([len(part.failures)], dtype=counts),
            "skipped": pd.Series([part.skipped], dtype=counts),
        }
    )


def _string() -> Any:
    import pyarrow as pa

    return pa.string()


def _int64() -> Any:
    import pyarrow as pa

    return pa.int64()


def dask_table(
    paths: Sequence[str] | str,
    *,
    kind: str | None = None,
    fields: Mapping[str, str] | None = None,
    charset: str = "utf-8",
    storage_options: Mapping[str, Any] | None = None,
) -> DaskTable:
    """The table of the logs at ``paths`` (files, folders, fsspec URLs and globs) as Dask
    DataFrames; nothing is read until they are computed."""
    import dask
    import dask.dataframe as dd

    if isinstance(paths, str):
        paths = [paths]
    parts = dask_parts(
        paths, kind=kind, fields=fields, charset=charset, storage_options=storage_options
    )
    empty = DaskPart("", arrow_schema().empty_table(), 0, [], 0)

    def frames(function: Any) -> dask.dataframe.DataFrame:
        meta = function(empty).iloc[:0]
        found = [dask.delayed(function, pure=True)(part) for part in parts]
        if not found:
            return dd.from_pandas(meta, npartitions=1)
        return dd.from_delayed(found, meta=meta, verify_meta=False)

    return DaskTable(frames(_frame), frames(_failures), frames(_summary))
