"""Wire values shared by the four formats: numbers, codes, and a record's keys.

spec §4.7: ids, statuses and codes are decimal digit strings (or JSON integers) up to
2^63-1, ids at least 1; signs, fractions and exponents are errors; spaces, tabs and newlines
around the digits are not part of the number (spec §4.16).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from ._model import OPERATOR_KEYS, OPERATOR_STATUSES, SENDER_STATUSES, Sender

__all__ = ["MAX_NUMBER", "RecordFields", "build_sender", "parse_number"]

MAX_NUMBER = 2**63 - 1
_OPERATOR_KEYS = frozenset(OPERATOR_KEYS)
_MAX_DIGITS = len(str(MAX_NUMBER))
# spec §4.16: what a server or a proxy may put around a number (padding, a line's trailing
# spaces, XML indentation) is not part of it. A name's or a description's spaces are data.
_PADDING = " \t\n"


def parse_number(value: object, minimum: int = 0) -> int | None:
    """The integer a wire value holds, or None if it is not one spec §4.7 allows."""
    if type(value) is int:
        number = value
    elif type(value) is str and (value := value.strip(_PADDING)).isascii() and value.isdigit():
        # The length check first: int() of a huge digit string is slow, then refused.
        if len(value.lstrip("0")) > _MAX_DIGITS:
            return None
        number = int(value)
    else:
        return None
    return number if minimum <= number <= MAX_NUMBER else None


# The known codes as the server writes them (spec §2), to their members: the fast
# paths' lookup. Anything else (an unknown code, leading zeros...) misses and takes the
# exact path through parse_number.
SENDER_TEXT: dict[str, Any] = {str(code): status for code, status in SENDER_STATUSES.items()}
OPERATOR_TEXT: dict[str, Any] = {str(code): status for code, status in OPERATOR_STATUSES.items()}


def describe_number_error(value: object, what: str, minimum: int = 0) -> str:
    """Why ``value`` is not a valid ``what``, for a DecodeError message."""
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    low = "a positive" if minimum == 1 else "a non-negative"
    return f"{what} must be {low} decimal integer up to 2^63-1, not {shown}"


# (key, value) pairs of one record, in wire order, and a callback that raises a
# DecodeError with a message, located at the pair with the given index (-1: the record),
# naming the model path of the field.
RecordFields = Iterable[tuple[str, Any]]
Fail = Callable[[str, int, str], NoReturn]


def build_sender(name: str, fields: RecordFields, fail: Fail, path: str) -> Sender:
    """A Sender from a record's keys other than its name (spec §4.3, 4.6, 4.11).

    ``id``, ``status`` and the operator keys are parsed; any other key is kept in
    ``extra``, in order, with its value as given. A key given twice is an error.
    """
    seen: set[str] = set()
    sender_id: int | None = None
    status: int | None = None
    operators: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for index, (key, value) in enumerate(fields):
        if key in seen:
            fail(f"{path}: the key {key!r} is given twice", index, path)
        seen.add(key)
        if key == "id":
            sender_id = parse_number(value, 1)
            if sender_id is None:
                where = f"{path}.id"
                fail(f"{where}: " + describe_number_error(value, "an id", 1), index, where)
        elif key == "status":
            status = parse_number(value)
            if status is None:
                where = f"{path}.status"
                fail(f"{where}: " + describe_number_error(value, "a status"), index, where)
            status = SENDER_STATUSES.get(status, status)
        elif key in _OPERATOR_KEYS:
            code = parse_number(value)
            if code is None:
                where = f"{path}.operators.{key}"
                fail(f"{where}: " + describe_number_error(value, "a status"), index, where)
            operators[key] = OPERATOR_STATUSES.get(code, code)
        else:
            extra[key] = value
    if sender_id is None:
        fail(f"{path}: the record has no id", -1, path)
    return Sender(name=name, id=sender_id, status=status, operators=operators, extra=extra)
