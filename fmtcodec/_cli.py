"""The command line: ``fmtcodec convert``, ``validate`` and ``inspect`` (docs/cli.md).

This module builds the parser and turns what can go wrong outside a command's own work
into exit statuses: 2 for a usage error, 130 for Ctrl-C, 141 for a closed output pipe.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__, _cli_convert, _cli_inspect, _cli_validate
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

`fmtcodec COMMAND --help` tells more about each command. Exit status: 0 success,
1 a file failed, 2 a usage error, 130 interrupted (Ctrl-C).
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
    for command in (_cli_convert, _cli_validate, _cli_inspect):
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    try:
        return _main(argv)
    except SystemExit as exc:  # argparse's --help, --version and usage errors
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
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except UsageError as exc:
        args.parser.error(str(exc))
    return status


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
