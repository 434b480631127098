"""``fmtcodec table``: logged exchanges (HAR, JSON Lines, cassettes, response files) into
one Parquet or JSON Lines table (docs/logs.md), on one core or on a Dask cluster."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ._cli_batch import Progress, progress
from ._cli_common import EXAMPLES_FORMATTER, UsageError, charset_argument, reason
from ._jsonl import FIELDS
from ._logtable import KINDS, TableSummary, expand, output_kind, read_log, write_table
from ._table import TableOutput, open_output

__all__ = ["register", "run"]

_EXAMPLES = """\
examples:
  fmtcodec table traffic.har -o senders.parquet
  fmtcodec table logs/ -o senders.jsonl
  fmtcodec table --field body=response.text --field time=ts api.jsonl -o senders.parquet
  fmtcodec table --engine dask --scheduler tcp://10.0.0.5:8786 logs/ -o senders.parquet

Kinds by name: .har, .jsonl/.ndjson, .yaml/.yml (VCR.py cassettes), .gz of any of them;
any other file holds one response (as convert reads). An exchange that cannot be read is
reported as FILE: PLACE: message and counted; every other one is written. Exit status:
0 all read, 1 some exchange or log failed, 2 a usage error.
"""

_SCHEDULERS = ("processes", "threads", "synchronous")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``table`` to the command line."""
    parser = commands.add_parser(
        "table",
        help="logged exchanges (HAR, JSON Lines, cassettes) into a Parquet or JSON Lines table",
        description="Read the senders.php exchanges of logs into one table: a row per sender"
        " per response, a row per other answer (docs/logs.md).",
        epilog=_EXAMPLES,
        formatter_class=EXAMPLES_FORMATTER,
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="the table: OUT.parquet or OUT.jsonl"
    )
    parser.add_argument(
        "--format",
        choices=("parquet", "jsonl"),
        help="the table's format (default: by OUT's extension)",
    )
    parser.add_argument(
        "--kind", choices=KINDS, help="read every input as this kind (default: by its name)"
    )
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help=f"JSON Lines: where this log keeps a field of the schema ({', '.join(FIELDS)}),"
        " as a dotted path; repeatable",
    )
    parser.add_argument(
        "--charset",
        type=charset_argument,
        metavar="NAME",
        default="utf-8",
        help="the charset of response files (logs carry their requests' charsets)",
    )
    parser.add_argument(
        "--engine",
        choices=("single", "dask"),
        default="single",
        help="single: this process (default); dask: a task per log file on a Dask scheduler",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a dask.distributed scheduler's address (tcp://host:8786),"
        f" or a local scheduler: {', '.join(_SCHEDULERS)} (default: processes)",
    )
    parser.add_argument("inputs", nargs="+", metavar="LOG", help="log files or folders")
    parser.set_defaults(run=run, parser=parser)


def _fields(pairs: Sequence[str]) -> dict[str, str]:
    fields = {}
    for pair in pairs:
        name, equals, path = pair.partition("=")
        if not equals or not path:
            raise UsageError(f"--field {pair}: expected NAME=PATH")
        if name not in FIELDS:
            raise UsageError(f"--field {pair}: the schema's fields are {', '.join(FIELDS)}")
        fields[name] = path
    return fields


def run(args: argparse.Namespace) -> int:
    """Carry out ``fmtcodec table``; the exit status."""
    kind = args.format or output_kind(args.output)
    if kind is None:
        raise UsageError(f"-o {args.output}: name it .parquet or .jsonl, or give --format")
    fields = _fields(args.field)
    if args.scheduler is not None and args.engine != "dask":
        raise UsageError("--scheduler is for --engine dask")
    if kind == "parquet" or args.engine == "dask":
        from ._dask_table import require_scale

        try:
            require_scale()
        except ImportError as exc:
            raise UsageError(str(exc)) from None
    files, problems = expand(args.inputs)
    if not files and not problems:
        # As convert and validate: an empty folder is more likely a wrong path than a log.
        print("fmtcodec table: no logs found to read", file=sys.stderr)
        return 1
    with progress(len(files) + len(problems), unit="log") as bar:
        for problem in problems:
            bar.say(str(problem))
            bar.advance()
        try:
            if args.engine == "dask":
                summary = _dask(args, files, kind, fields, bar)
            else:
                logs = (
                    read_log(path, kind=args.kind, fields=fields, charset=args.charset)
                    for path in files
                )
                summary = write_table(
                    logs,
                    args.output,
                    kind=kind,
                    on_failure=lambda failure: bar.say(str(failure)),
                    on_log=lambda _: bar.advance(),
                )
        except OSError as exc:
            print(f"fmtcodec table: cannot write {args.output}: {reason(exc)}", file=sys.stderr)
            return 1
    failed = summary.failed + len(problems)
    skipped = _count(summary.skipped, "other entry", "other entries")
    print(
        f"fmtcodec table: {_count(summary.exchanges, 'exchange')} from"
        f" {_count(summary.logs, 'log')}, {_count(summary.rows, 'row')} written to"
        f" {args.output}; {failed} failed, {skipped} skipped",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _dask(
    args: argparse.Namespace,
    files: list[str],
    kind: str,
    fields: dict[str, str],
    bar: Progress,
) -> TableSummary:
    from ._dask_table import dask_parts

    parts = dask_parts(files, kind=args.kind, fields=fields, charset=args.charset)
    out = open_output(args.output, kind)
    counts = [0, 0, 0, 0, 0]
    try:
        for part in _computed(parts, args.scheduler or "processes"):
            _add(out, part, counts, bar)
    except BaseException:
        out.abort()
        raise
    out.commit()
    return TableSummary(*counts)


def _add(out: TableOutput, part: Any, counts: list[int], bar: Progress) -> None:
    out.write_arrow(part.table)
    for line in part.failures:
        bar.say(line)
    counts[0] += 1
    counts[1] += part.exchanges
    counts[2] += part.table.num_rows
    counts[3] += len(part.failures)
    counts[4] += part.skipped
    bar.advance()


def _computed(parts: list[Any], scheduler: str) -> Iterator[Any]:
    """The parts in order, as they are done: on a distributed scheduler each is fetched as
    soon as it and those before it are done; a local scheduler does a window of them at a
    time, so that memory holds a few logs' rows, not all of them."""
    import dask

    if scheduler in _SCHEDULERS:
        window = 8
        for start in range(0, len(parts), window):
            yield from dask.compute(*parts[start : start + window], scheduler=scheduler)
        return
    from distributed import Client

    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except OSError as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot connect: {exc}") from None
    with client:
        futures = client.compute(parts)
        for future in futures:
            yield future.result()
