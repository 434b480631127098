"""fmt 1, comma-separated lines: decoded with the stdlib csv reader.

    <sender>,<id>            list, all=0 (one record a line)
    <sender>,<status>,<id>   list, all=1
    <id>                     created
    OK                       ok
    0,-N                     error (no description: spec §4.4)

The operators=1 view and unknown keys have no fmt 1 form, and neither has a name holding a
comma or a newline: the server writes fields raw, unquoted (spec §4.5). The reader's one
quoting rule that a raw name can meet, a name that starts with '"', is honoured both ways.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import chain
from typing import NoReturn

from . import _values
from ._carry import CARRY
from ._errors import DecodeError, EncodeError, content_end, line_start, line_text
from ._limits import CSV_FIELD_CHARS, check_csv_field
from ._model import (
    ERROR_CODES,
    SENDER_STATUSES,
    ApiError,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
)
from ._values import SENDER_TEXT, Invalid, number
from ._writing import PlainList, check_number, check_string, plain_list

__all__ = ["decode", "encode", "stream"]

# What a name must not hold to be written as it is: a comma or a newline has no fmt 1 form,
# and a '"' or a U+FEFF may start it, to be quoted (see _name).
_CARRY = CARRY[1]
_NAME_EXCLUDES = re.compile(f"[{_CARRY.name_excludes}]")
_UNWRITABLE = re.compile(f'[{_CARRY.name_excludes}"\ufeff]')


def _fail(msg: str, text: str, row: int, field: int = 0, path: str | None = None) -> NoReturn:
    """A DecodeError at a field of a row; each row is one line, since no field holds one."""
    start = line_start(text, row)
    line = line_text(text, start)
    # Columns are exact for unquoted fields, which is what the server writes.
    column = sum(len(part) + 1 for part in line.split(",")[:field])
    raise DecodeError.at(msg, text, start + min(column, len(line)), path=path)


_TOO_LONG = f"a field is longer than {CSV_FIELD_CHARS:,} characters, the fmt 1 limit"


def _fail_invalid(error: Invalid, text: str, row: int) -> NoReturn:
    """The DecodeError for ``error``, at its field of the row."""
    _fail(error.msg, text, row, max(error.field, 0), error.path)


# The reader's dialect, built once: csv.reader(..., strict=True) builds one on every
# call, which cost twice what reading a one-line body does.
_STRICT = csv.reader((), strict=True).dialect


def _rows(body: str) -> list[list[str]]:
    # Without a '"' no field spans lines, and the reader gives the same rows from the
    # lines as from a stream (the body holds no CR: spec §4.1), for a third of the cost
    # on a one-line body.
    lines = body.split("\n") if '"' not in body else io.StringIO(body, newline="")
    reader = csv.reader(lines, _STRICT)
    try:
        rows = list(reader)
    except csv.Error as exc:
        _unreadable(exc, body, reader.line_num)
    # The same limit when a program raised the csv module's (spec §4.17): one C-level
    # pass over every field, then the row only when one is too long.
    if len(body) > CSV_FIELD_CHARS and max(map(len, chain.from_iterable(rows))) > CSV_FIELD_CHARS:
        for index, row in enumerate(rows):
            if max(map(len, row), default=0) > CSV_FIELD_CHARS:
                _fail(_TOO_LONG, body, index)
    return rows


def _unreadable(exc: csv.Error, body: str, line_num: int) -> NoReturn:
    """The DecodeError for what the csv reader refused, ``line_num`` lines in."""
    problem = str(exc)
    if "unexpected end of data" in problem:
        raise DecodeError.at("a quoted field is not closed", body, len(body)) from None
    if "field larger than field limit" in problem:
        _fail(_TOO_LONG, body, line_num - 1)
    _fail(f"cannot read the row: {problem}", body, line_num - 1)


def decode(text: str, _utf8: bytes | None = None) -> Response:
    """Decode fmt 1 text (already checked and LF-only) into the model."""
    body = text.rstrip("\n")  # spec §4.1
    if not body:
        return SenderList()  # spec §4.8
    rows = _rows(body)
    if len(rows) == 1:
        row = rows[0]
        if len(row) == 1:
            return _single(row[0], body)
        if len(row) == 2 and row[0] == "0" and row[1].startswith("-"):
            # "0,-N" is an error; a list row could not hold it, as ids are positive.
            try:
                code = number(row[1][1:], "an error code", "code", field=1)
            except Invalid as exc:
                _fail_invalid(exc, body, 0)
            return ApiError(code=ERROR_CODES[code])
    width = len(rows[0])
    if width not in (2, 3):
        _fail(f"a list row has 2 or 3 fields, not {width}", body, 0)
    if _values.FAST_PATHS and '"' not in body:
        # Unquoted, no field holds a comma or a newline: a list as the server writes it
        # is read column by column, anything else by the exact loop below.
        plain = _plain_senders(rows)
        if plain is not None:
            return SenderList(senders=tuple(plain))
    senders = [_sender(row, index, width, body, len(body)) for index, row in enumerate(rows)]
    return SenderList(senders=tuple(senders))


def _sender(row: list[str], index: int, width: int, text: str, end: int) -> Sender:
    """The sender of row ``index`` of a list whose first row has ``width`` fields, or the
    DecodeError placed in ``text[:end]``, the body (made only for an error)."""
    if len(row) != width:
        _fail(
            f"senders[{index}]: a row must have {width} fields like the first, not {len(row)}",
            text[:end],
            index,
            path=f"senders[{index}]",
        )
    name = row[0]
    if "," in name or "\n" in name:
        _fail(
            f"senders[{index}].name: a name holding a comma or a newline has no fmt 1 form",
            text[:end],
            index,
            path=f"senders[{index}].name",
        )
    try:
        sender_id = number(row[-1], "an id", f"senders[{index}].id", 1, width - 1)
        status = None
        if width == 3:
            code = number(row[1], "a status", f"senders[{index}].status", 0, 1)
            status = SENDER_STATUSES[code]
    except Invalid as exc:
        _fail_invalid(exc, text[:end], index)
    return Sender(name=name, id=sender_id, status=status)


def _lines(text: str, end: int, keep_newlines: bool) -> Iterator[str]:
    """The lines of ``text[:end]`` one at a time (a list of them all is a str object a
    line): as ``split("\n")`` gives them, or with their newlines, as a StringIO."""
    start = 0
    while True:
        stop = text.find("\n", start, end)
        if stop < 0:
            yield text[start:end]
            return
        yield text[start : stop + 1 if keep_newlines else stop]
        start = stop + 1


def stream(text: str) -> Iterator[Sender] | None:
    """The senders of a list of several rows in fmt 1 text (checked, LF-only), one by one:
    what :func:`decode` gives, and its error at the same row, after the rows before it.
    None for a body of one row or empty, which :func:`decode` reads.

    A first pass reads every row without keeping any, as decode refuses what the csv
    reader cannot read (an unclosed quote at the end) before looking at any row."""
    end = content_end(text)
    if not end:
        return None
    quoted = text.find('"', 0, end) >= 0  # as _rows: a field may then span lines
    rows, width, too_long = 0, 0, -1
    check_length = end > CSV_FIELD_CHARS  # as _rows: a program may raise the csv limit
    reader = csv.reader(_lines(text, end, quoted), _STRICT)
    try:
        for row in reader:
            if not rows:
                width = len(row)
            if check_length and too_long < 0 and max(map(len, row), default=0) > CSV_FIELD_CHARS:
                too_long = rows
            rows += 1
    except csv.Error as exc:
        _unreadable(exc, text[:end], reader.line_num)
    if too_long >= 0:
        _fail(_TOO_LONG, text[:end], too_long)
    if rows < 2:
        return None
    if width not in (2, 3):
        _fail(f"a list row has 2 or 3 fields, not {width}", text[:end], 0)
    return _stream_rows(text, end, quoted, width)


def _stream_rows(text: str, end: int, quoted: bool, width: int) -> Iterator[Sender]:
    reader = csv.reader(_lines(text, end, quoted), _STRICT)
    for index, row in enumerate(reader):
        yield _sender(row, index, width, text, end)


def _plain_senders(rows: list[list[str]]) -> list[Sender] | None:
    """The senders, if every row is as wide as the first, every id under 19 digits and
    every status a known code as the server writes it; else None."""
    try:
        names, *middle, ids = zip(*rows, strict=True)  # ValueError: a row of another width
        if max(map(len, ids)) > 18:
            return None  # fewer than 19 digits are under 2^63-1: the common case
        digits = "".join(ids)
        if not (digits.isdigit() and digits.isascii()):
            return None
        numbers = list(map(int, ids))  # ValueError: an empty id
    except ValueError:
        return None
    if 0 in numbers:
        return None  # ids are at least 1
    if not middle:
        return [Sender(name=name, id=number) for name, number in zip(names, numbers, strict=True)]
    try:
        statuses = list(map(SENDER_TEXT.__getitem__, middle[0]))
    except KeyError:
        return None
    return [
        Sender(name=name, id=number, status=status)
        for name, status, number in zip(names, statuses, numbers, strict=True)
    ]


def _single(field: str, body: str) -> Response:
    if field == "OK":
        return Ok()
    try:
        return SenderCreated(id=number(field, "an id", "id", 1))
    except Invalid as exc:
        if field.isascii() and field.isdigit():
            # Digits alone are the created shape (spec §2), just not a valid id.
            _fail_invalid(exc, body, 0)
    _fail(f"expected OK, an id, '0,-N' or 'name,id' rows, found {field[:20]!r}", body, 0)


def _name(sender: Sender, index: int) -> str:
    name = check_string(sender.name, f"senders[{index}].name")
    check_csv_field(name, f"senders[{index}].name")  # spec §4.17
    if _NAME_EXCLUDES.search(name):
        raise EncodeError(
            "a name holding a comma or a newline has no fmt 1 form",
            path=f"senders[{index}].name",
        )
    # A raw name starting with U+FEFF would open the body as a BOM, which decoding drops
    # (spec §4.9); quoted, like a name starting with '"', it reads back as it was.
    if name.startswith(('"', "\ufeff")):
        return '"' + name.replace('"', '""') + '"'
    return name


def _row(sender: object, index: int, with_status: bool) -> str:
    path = f"senders[{index}]"
    if not isinstance(sender, Sender):
        raise TypeError(f"{path} must be a Sender, not {type(sender).__name__}")
    if sender.operators and not _CARRY.operators_view:
        raise EncodeError("the operators=1 view has no fmt 1 form", path=f"{path}.operators")
    if sender.extra and _CARRY.unknown_keys is None:
        key = next(iter(sender.extra))
        raise EncodeError("fmt 1 cannot carry unknown keys", path=f"{path}.extra.{key}")
    if (sender.status is not None) != with_status:
        raise EncodeError(
            "in fmt 1 either every sender has a status or none has", path=f"{path}.status"
        )
    sender_id = check_number(sender.id, f"{path}.id", 1)
    if with_status:
        status = check_number(sender.status, f"{path}.status")
        return f"{_name(sender, index)},{status},{sender_id}"
    return f"{_name(sender, index)},{sender_id}"


def _plain_rows(plain: PlainList) -> str:
    """What _row writes for each sender of a checked list (see plain_list)."""
    if plain.statuses is not None:
        rows = zip(plain.names, plain.statuses, plain.ids, strict=True)
        return "\n".join([f"{name},{status},{id_}" for name, status, id_ in rows])
    return "\n".join([f"{name},{id_}" for name, id_ in zip(plain.names, plain.ids, strict=True)])


def encode(response: Response) -> str:
    """Write the model as fmt 1 text, in the server's layout."""
    if isinstance(response, SenderList):
        senders = response.senders
        plain = plain_list(senders)
        if (
            plain is not None
            and plain.operators is None
            and not _UNWRITABLE.search(plain.joined)
            and max(map(len, plain.names)) <= CSV_FIELD_CHARS
        ):
            return _plain_rows(plain)
        with_status = bool(senders) and getattr(senders[0], "status", None) is not None
        return "\n".join([_row(sender, index, with_status) for index, sender in enumerate(senders)])
    if isinstance(response, Ok):
        return "OK"
    if response.extra:
        # spec §4.24: an id or "0,-N" has no room for more; nothing is dropped silently.
        key = next(iter(response.extra))
        raise EncodeError("fmt 1 cannot carry unknown keys", path=f"extra.{key}")
    if isinstance(response, SenderCreated):
        return str(check_number(response.id, "id", 1))
    # An ApiError. spec §4.4: fmt 1 carries no description; this is the one loss the
    # formats permit. spec §4.10 still holds for it: every encoder refuses a forbidden
    # character.
    if response.description is not None:
        check_string(response.description, "description")
    return f"0,-{check_number(response.code, 'code')}"
