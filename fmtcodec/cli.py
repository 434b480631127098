"""The command line: ``fmtcodec convert`` between the four formats."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .api import decode, encode
from .errors import DecodeError, EncodeError

__all__ = ["main"]

_FORMATS = ("0", "1", "2", "3")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fmtcodec",
        description="Read and write SMSC senders.php responses in fmt 0 (text), 1 (CSV),"
        " 2 (XML) and 3 (JSON).",
    )
    parser.add_argument("--version", action="version", version=f"fmtcodec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    convert = commands.add_parser(
        "convert",
        help="convert a response from one format to another",
        description="Convert a response to another format and write it to standard output.",
        epilog="example: fmtcodec convert --to 3 fixtures/valid/list/basic/0.txt",
    )
    convert.add_argument("--from", dest="source", choices=("auto", *_FORMATS), default="auto")
    convert.add_argument("--to", dest="target", choices=_FORMATS, required=True)
    convert.add_argument("--charset", default="utf-8", help="charset of the input bytes")
    convert.add_argument("file", nargs="?", default="-", help="input file; - or none: stdin")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    name = "<stdin>" if args.file == "-" else args.file
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as stream:
                data = stream.read()
    except OSError as exc:
        print(f"fmtcodec: {name}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        fmt = None if args.source == "auto" else int(args.source)
        response = decode(data, fmt, charset=args.charset)
        text = encode(response, int(args.target))
    except DecodeError as exc:
        print(f"{name}:{exc.lineno}:{exc.colno}: {exc.msg}", file=sys.stderr)
        return 1
    except EncodeError as exc:
        print(f"{name}: cannot write fmt {args.target}: {exc}", file=sys.stderr)
        return 1
    # SPEC 4.1: the command line ends its output with a newline; it writes UTF-8.
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    return 0
