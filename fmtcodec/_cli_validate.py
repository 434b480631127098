"""``fmtcodec validate``: check that recorded responses decode and survive a round trip.

The check itself is :func:`fmtcodec._validation.validate`, which test suites call directly.
This module gathers the items to check (each a label, a body, a format and a charset)
from the command's sources, checks them, and reports as text or JSON.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from ._cassettes import CassetteError, CassetteResponse, read_cassette
from ._cli_batch import mapped
from ._cli_common import (
    DEFAULT_RULES,
    EXAMPLES_FORMATTER,
    FORMATS,
    InputRules,
    Unreadable,
    UsageError,
    add_input_options,
    charset_argument,
    cli_message,
    files_under,
    format_of,
    kind_of,
    label_of,
    read_input,
    reason,
    write_stdout,
)
from ._source import DEFAULT_MAX_SIZE
from ._validation import Problem, validate

__all__ = [
    "REPORT_VERSION",
    "Item",
    "Report",
    "cassette_items",
    "check",
    "path_items",
    "register",
]

REPORT_VERSION = 1
"""The version of the ``--format json`` report's schema (docs/cli.md)."""

_EXAMPLES = """\
examples:
  fmtcodec validate tests/fixtures/                  every file under the folder
  fmtcodec validate --fmt 3 --charset windows-1251 replies/*.json
  fmtcodec validate --strict --format json fixtures/ > report.json
  fmtcodec validate --cassette tests/cassettes/senders.yaml

Each file must decode, re-encode in its own format and decode back to the same response.
--strict also requires exactly the encoder's layout (one final newline allowed) and no
unknown keys. A --cassette's responses are read with the fmt and charset each recorded
request asked for (default 0 and windows-1251), and must be a kind its command can get.
Exit status: 0 when every file passes, 1 otherwise (also when no file was
found), 2 for a usage error.
"""


class Item(NamedTuple):
    """One body to check: the label reports use, its bytes, its format and charset.

    ``recorded`` is set for a response from a cassette, checked with what its request
    asked for (:meth:`~fmtcodec._cassettes.CassetteResponse.validate`).
    """

    label: str
    body: bytes
    fmt: int | None
    charset: str
    recorded: CassetteResponse | None = None
    from_extension: bool = False
    """Whether ``fmt`` is the file's extension's, not given with --fmt."""


class Report(NamedTuple):
    """The outcome for one item: its format and kind when it decoded, and its problems."""

    label: str
    fmt: int | None
    kind: str | None
    problems: list[Problem]


def path_items(
    paths: Sequence[str], fmt: int | None, charset: str, rules: InputRules = DEFAULT_RULES
) -> Iterator[Item | Unreadable]:
    """The files named by ``paths`` (folders walked recursively) as items to check, each
    read as ``fmt``, else as its extension says, else detected."""
    for entry in files_under(paths):
        if isinstance(entry, Unreadable):
            yield entry
            continue
        label = label_of(entry[0])
        try:
            body, size = read_input(entry[0], rules.max_size)
        except OSError as exc:
            yield Unreadable(label, f"cannot read: {reason(exc)}")
            continue
        problem = rules.problem(body, size)
        if problem is not None:
            yield Unreadable(label, problem)
            continue
        read_as = format_of(entry[0], fmt)
        yield Item(label, body, read_as, charset, from_extension=read_as != fmt)


def cassette_items(
    paths: Sequence[str], rules: InputRules = DEFAULT_RULES
) -> Iterator[Item | Unreadable]:
    """The senders.php responses of the VCR.py cassettes at ``paths`` as items to check."""
    for path in paths:
        try:
            found = read_cassette(path)
        except OSError as exc:
            yield Unreadable(path, f"cannot read: {reason(exc)}")
            continue
        except (CassetteError, ImportError) as exc:
            yield Unreadable(path, str(exc).removeprefix(f"{path}:").lstrip())
            continue
        if not found:
            yield Unreadable(path, "the cassette holds no senders.php response")
        for recorded in found:
            label = f"{path}#{recorded.index}"
            problem = rules.problem(recorded.body, len(recorded.body))
            if problem is not None:
                yield Unreadable(label, problem)
                continue
            yield Item(label, recorded.body, recorded.fmt, recorded.charset, recorded)


def check(strict: bool, item: Item | Unreadable, max_size: int = DEFAULT_MAX_SIZE) -> Report:
    """Check one item with :func:`fmtcodec._validation.validate`."""
    if isinstance(item, Unreadable):
        return Report(item.label, None, None, [Problem(message=item.reason)])
    if item.recorded is not None:
        result = item.recorded.validate(strict=strict)
    else:
        result = validate(
            item.body, item.fmt, charset=item.charset, strict=strict, max_size=max_size
        )
    problems = [
        Problem(
            message=cli_message(problem.message, item.from_extension),
            lineno=problem.lineno,
            colno=problem.colno,
        )
        for problem in result.problems
    ]
    return Report(
        label=item.label,
        fmt=None if result.fmt is None else int(result.fmt),
        kind=None if result.response is None else kind_of(result.response),
        problems=problems,
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate`` to the command line."""
    parser = commands.add_parser(
        "validate",
        help="check recorded responses (test fixtures, logs)",
        description="Check that each file is a senders.php response that survives a round"
        " trip through its own format.",
        epilog=_EXAMPLES,
        formatter_class=EXAMPLES_FORMATTER,
    )
    parser.add_argument(
        "--fmt", choices=FORMATS, help="the format of every file (default: detect each)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also require the encoder's exact layout and no unknown keys",
    )
    parser.add_argument(
        "--charset",
        type=charset_argument,
        metavar="NAME",
        default="utf-8",
        help="the charset of the files: utf-8 (default), windows-1251 or koi8-r",
    )
    parser.add_argument(
        "--format",
        dest="report",
        choices=("text", "json"),
        default="text",
        help="the report: text lines (default) or one JSON document",
    )
    parser.add_argument(
        "--cassette",
        action="append",
        default=[],
        metavar="FILE",
        help="a VCR.py cassette: check its senders.php responses (repeatable; needs PyYAML,"
        " pip install 'fmtcodec[vcr]')",
    )
    add_input_options(parser)
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (walked recursively); - reads standard input",
    )
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Carry out ``fmtcodec validate``; the exit status."""
    fmt = None if args.fmt is None else int(args.fmt)
    # Each source yields items to check; a source of another kind slots in here.
    rules = InputRules(args.max_size, args.allow_empty)
    sources: list[Iterable[Item | Unreadable]] = []
    if args.paths:
        sources.append(path_items(args.paths, fmt, args.charset, rules))
    if args.cassette:
        sources.append(cassette_items(args.cassette, rules))
    if not sources:
        raise UsageError("nothing to check: give at least one PATH or --cassette FILE")
    items = list(itertools.chain.from_iterable(sources))
    checking = functools.partial(check, args.strict, max_size=rules.max_size)
    with mapped(checking, items) as (results, _):
        reports = list(results)
    failed = sum(1 for report in reports if report.problems)
    if args.report == "json":
        # A file name that is not UTF-8 holds lone surrogates (PEP 383): in JSON they
        # become \udcXX escapes, which any JSON reader takes.
        write_stdout(_json_report(reports, failed).encode("utf-8", "backslashreplace"))
    else:
        # In text, such a name is written back as the bytes it has on disk.
        write_stdout(_text_report(reports, failed).encode("utf-8", "surrogateescape"))
    if not reports:
        print("fmtcodec validate: no files found to check", file=sys.stderr)
    return 0 if reports and not failed else 1


def _text_report(reports: list[Report], failed: int) -> str:
    lines = [
        f"{report.label}:{problem.lineno}:{problem.colno}: {problem.message}"
        if problem.lineno is not None
        else f"{report.label}: {problem.message}"
        for report in reports
        for problem in report.problems
    ]
    lines.append(f"fmtcodec validate: {len(reports) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def _json_report(reports: list[Report], failed: int) -> str:
    document: dict[str, Any] = {
        "version": REPORT_VERSION,
        "ok": bool(reports) and not failed,
        "passed": len(reports) - failed,
        "failed": failed,
        "files": [
            {
                "file": report.label,
                "ok": not report.problems,
                "fmt": report.fmt,
                "kind": report.kind,
                "problems": [
                    {"message": problem.message, "line": problem.lineno, "column": problem.colno}
                    for problem in report.problems
                ],
            }
            for report in reports
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
