"""The command line: ``fmtcodec convert``, ``validate``, ``inspect``, ``table`` and
``fake-server`` (docs/cli.md, docs/testing.md).

This module builds the parser and turns what can go wrong outside a command's own work
into exit statuses: 2 for a usage error, 130 for Ctrl-C, 141 for a closed output pipe.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__, _cli_convert, _cli_fake_server, _cli_inspect, _cli_table, _cli_validate
from ._cli_common import EXAMPLES_FORMATTER, OutputError, UsageError

__all__ = ["EXIT_INTERRUPTED", "EXIT_PIPE_CLOSED", "EXIT_USAGE", "main"]

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, what a shell reports for a program stopped by Ctrl-C."""
EXIT_PIPE_CLOSED = 141
"""128 + SIGPIPE, what a shell reports for ``... | head`` closing early."""

_EXAMPLES = """\
examples:
  fmtcodec convert --to 3 response.txt
  fmtcodec convert --charset windows-1251 --to 3 logs/ -o json/
  fmtcodec validate --strict tests/fixtures/
  fmtcodec inspect response.xml
  fmtcodec table traffic.har api.jsonl -o senders.parquet
  fmtcodec fake-server --port 8765 state.json

`fmtcodec COMMAND --help` tells more about each command. Options and inputs may come in
any order. Exit status: 0 success, 1 a file failed (or none was found), 2 a usage error,
130 interrupted (Ctrl-C), 141 the reader of standard output went away (`| head`).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fmtcodec",
        description="Read, check and convert SMSC senders.php responses in fmt 0 (text),"
        " 1 (CSV), 2 (XML) and 3 (JSON).",
        epilog=_EXAMPLES,
        formatter_class=EXAMPLES_FORMATTER,
    )
    parser.add_argument("--version", action="version", version=f"fmtcodec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (_cli_convert, _cli_validate, _cli_inspect, _cli_table, _cli_fake_server):
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    try:
        status = _main(argv)
        sys.stdout.flush()  # here, where a closed pipe is still ours to report
        return status
    except SystemExit as exc:  # argparse's --help, --version and usage errors
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_PIPE_CLOSED
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE_CLOSED
    except OutputError as exc:  # a full disk, say
        _silence_stdout()
        print(f"fmtcodec: cannot write to standard output: {exc}", file=sys.stderr)
        return 1


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        # Bare `fmtcodec`: what it can do, not just "a command is required".
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    args = _parse(parser, arguments)
    try:
        status: int = args.run(args)
    except UsageError as exc:
        args.parser.error(str(exc))
    return status


def _parse(parser: argparse.ArgumentParser, arguments: list[str]) -> argparse.Namespace:
    """The command's arguments, its options and inputs in any order (``convert a.txt -o
    out.json b.txt`` as well as ``convert -o out a.txt b.txt``)."""
    commands = _commands(parser)
    command = commands.get(arguments[0])
    if command is None:  # an option of fmtcodec itself, or not a command: argparse says
        return parser.parse_args(arguments)
    try:
        args = command.parse_intermixed_args(arguments[1:])
    except TypeError:  # a command whose arguments cannot be intermixed (nested commands)
        args = command.parse_args(arguments[1:])
    args.command = arguments[0]
    return args


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}  # pragma: no cover - the parser always has its commands


def _silence_stdout() -> None:
    # The reader went away (``| head``): point standard output at /dev/null, so that the
    # interpreter's final flush does not fail again and print "Exception ignored".
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # replaced (as by a test) or closed
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
