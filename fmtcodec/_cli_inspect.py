"""``fmtcodec inspect``: one response in words a person reads, or as versioned JSON."""

from __future__ import annotations

import argparse
import enum
import json
import sys
from typing import Any

from ._api import read
from ._cli_common import (
    EXAMPLES_FORMATTER,
    FORMATS,
    STDIN,
    InputRules,
    add_input_options,
    charset_argument,
    decode_failure,
    format_of,
    kind_of,
    label_of,
    read_input,
    reason,
    write_stdout,
)
from ._errors import DecodeError
from ._model import (
    ApiError,
    ErrorCode,
    Fmt,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)
from ._modeljson import to_data

__all__ = ["describe", "inspection_data", "register"]

_EXAMPLES = """\
examples:
  fmtcodec inspect response.txt
  fmtcodec inspect --charset windows-1251 logs/2024-05-01/senders.xml
  fmtcodec inspect --json reply.json > model.json
  curl -s "$URL" | fmtcodec inspect -

--json prints the model (schema version 2, docs/cli.md) with the format and charset read.
"""

_EXTENSION = "from the file's extension"
_FORMAT_NAMES = {Fmt.TEXT: "text", Fmt.CSV: "CSV", Fmt.XML: "XML", Fmt.JSON: "JSON"}

# spec §3: who each operator key prefix is, and what each suffix means.
_OPERATORS = {
    "mega": "MegaFon",
    "bee": "Beeline",
    "mts": "MTS",
    "tele2": "Tele2",
    "motiv": "Motiv",
    "sber": "SberMobile",
    "winmob": "Win Mobile",
    "volnamob": "Volna Mobile",
    "ua": "Ukraine",
    "by": "Belarus",
}
_TARIFFS = {
    "step": "paid name",
    "": "free-names tariff",
    "int": "substitution by a common name",
    "reg": "national tariff",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``inspect`` to the command line."""
    parser = commands.add_parser(
        "inspect",
        help="show what a response says",
        description="Show a response's format, kind and content in words, or as JSON.",
        epilog=_EXAMPLES,
        formatter_class=EXAMPLES_FORMATTER,
    )
    parser.add_argument("--fmt", choices=FORMATS, help="the file's format (default: detect it)")
    parser.add_argument(
        "--charset",
        type=charset_argument,
        metavar="NAME",
        default="utf-8",
        help="the charset of the file: utf-8 (default), windows-1251 or koi8-r",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the model as JSON (schema version 2)"
    )
    add_input_options(parser)
    parser.add_argument("file", metavar="FILE", help="the response; - reads standard input")
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Carry out ``fmtcodec inspect``; the exit status."""
    label = label_of(args.file)
    rules = InputRules(args.max_size, args.allow_empty)
    try:
        data, size = read_input(args.file, rules.max_size)
    except OSError as exc:
        print(f"{label}: cannot read: {reason(exc)}", file=sys.stderr)
        return 1
    problem = rules.problem(data, size)
    if problem is not None:
        print(f"{label}: {problem}", file=sys.stderr)
        return 1
    given = None if args.fmt is None else int(args.fmt)
    fmt = format_of(args.file, given)
    try:
        reading = read(data, fmt, charset=args.charset, max_size=rules.max_size)
    except DecodeError as exc:
        print(decode_failure(label, exc, given is None and fmt is not None), file=sys.stderr)
        return 1
    if args.json:
        document = inspection_data(reading.response, reading.fmt, reading.charset)
        text = json.dumps(document, ensure_ascii=False, indent=2)
    else:
        origin = "given" if given is not None else "detected" if fmt is None else _EXTENSION
        text = describe(reading.response, reading.fmt, reading.charset, origin)
        if args.file != STDIN:
            text = f"file: {args.file}\n{text}"
    write_stdout((text + "\n").encode("utf-8", "surrogateescape"))  # a non-UTF-8 file name
    return 0


def inspection_data(response: Response, fmt: Fmt, charset: str) -> dict[str, Any]:
    """The ``--json`` document: the model data (schema version 2) with fmt and charset.

    It stays model data: :func:`fmtcodec._modeljson.from_data` reads it back.
    """
    data = to_data(response)
    return {"version": data.pop("version"), "fmt": int(fmt), "charset": charset, **data}


def describe(response: Response, fmt: Fmt, charset: str, origin: str = "detected") -> str:
    """A response in words: format, charset and kind, then its content."""
    lines = [
        f"format: fmt {int(fmt)} ({_FORMAT_NAMES[fmt]}), {origin}",
        f"charset: {charset}",
    ]
    if isinstance(response, SenderList):
        lines += _list_lines(response)
    elif isinstance(response, SenderCreated):
        lines.append("kind: created (a new sender name)")
        lines.append(f"id: {response.id}")
    elif isinstance(response, ApiError):
        lines += _error_lines(response)
    else:
        lines.append("kind: ok (the request succeeded)")
    return "\n".join(lines)


def _list_lines(response: SenderList) -> list[str]:
    senders = response.senders
    if any(sender.operators for sender in senders):
        view = ", operators=1 view"
    elif any(sender.status is not None for sender in senders):
        view = ", all=1 view"
    else:
        view = ""
    count = f"{len(senders)} sender name{'' if len(senders) == 1 else 's'}"
    lines = [f"kind: {kind_of(response)} of {count}{view}"]
    for sender in senders:
        lines += _sender_lines(sender)
    return lines


def _sender_lines(sender: Sender) -> list[str]:
    lines = ["", f"{sender.name}  (id {sender.id})"]
    if sender.status is not None:
        lines.append(f"  status: {_status(sender.status, SenderStatus)}")
    if sender.operators:
        lines.append("  operators:")
        width = max(len(key) for key in sender.operators)
        names = {key: _operator(key) for key in sender.operators}
        name_width = max(len(name) for name in names.values())
        for key, status in sender.operators.items():
            lines.append(
                f"    {key:<{width}}  {names[key]:<{name_width}}  {_status(status, OperatorStatus)}"
            )
    if sender.extra:
        lines.append("  unknown keys (kept):")
        for key, value in sender.extra.items():
            lines.append(f"    {key} = {json.dumps(value, ensure_ascii=False)}")
    return lines


def _error_lines(error: ApiError) -> list[str]:
    code = error.code
    meaning = (
        f"{_english(code)} ({code.description})"
        if isinstance(code, ErrorCode) and code.known
        else "not a code senders.php documents"
    )
    if error.description is None:
        description = "(none: fmt 1 carries no description)"
    else:
        description = error.description
    return ["kind: error", f"code: {int(code)} {meaning}", f"description: {description}"]


def _status(value: int, table: type[SenderStatus] | type[OperatorStatus]) -> str:
    if isinstance(value, table) and value.known:
        return f"{int(value)} {_english(value)} ({value.description})"
    return f"{int(value)} (an unknown status)"


def _english(member: enum.Enum) -> str:
    return member.name.lower().replace("_", " ")


def _operator(key: str) -> str:
    """``mega_step`` -> "MegaFon, paid name"; an unknown key -> ""."""
    prefix, _, suffix = key.partition("_")
    name = _OPERATORS.get(prefix)
    tariff = _TARIFFS.get(suffix)
    if name is None or tariff is None:
        return ""
    if suffix == "int" and prefix in ("ua", "by"):
        tariff = "international tariff"  # spec §3: _int means this for Ukraine and Belarus
    return f"{name}, {tariff}"
