"""Wire values shared by the four formats: numbers, codes, and a record's keys.

spec §4.7: ids, statuses and codes are decimal digit strings (or JSON integers) up to
2^63-1, ids at least 1; signs, fractions and exponents are errors; spaces, tabs and newlines
around the digits are not part of the number (spec §4.16).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from ._frozen import EMPTY, freeze, freeze_mapping
from ._model import MAX_NUMBER, OPERATOR_KEYS, OPERATOR_STATUSES, SENDER_STATUSES, Sender

__all__ = [
    "FAST_PATHS",
    "MAX_NUMBER",
    "OPERATOR_TEXT",
    "SENDER_TEXT",
    "Invalid",
    "build_sender",
    "number",
    "parse_number",
]

FAST_PATHS = True
"""Whether the fast paths run (docs/architecture.md). Each gives exactly what the exact
path gives, or steps aside; tests switch them off to prove it."""

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


class Invalid(ValueError):
    """A wire value the model cannot take, not yet placed in the text.

    ``msg`` is the message (starting with ``path``, the model's field), ``field`` the
    index of the record's (key, value) pair it is about (-1: the whole value or record).
    Each format turns it into a DecodeError at that place, as only it knows the text.
    """

    def __init__(self, msg: str, path: str | None, field: int = -1) -> None:
        super().__init__(msg)
        self.msg = msg
        self.path = path
        self.field = field


def number(value: object, what: str, path: str, minimum: int = 0, field: int = -1) -> int:
    """The integer ``value`` holds (spec §4.7), or Invalid saying why it holds none."""
    parsed = parse_number(value, minimum)
    if parsed is None:
        shown = repr(value)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        low = "a positive" if minimum == 1 else "a non-negative"
        msg = f"{path}: {what} must be {low} decimal integer up to 2^63-1, not {shown}"
        raise Invalid(msg, path, field)
    return parsed


# The known codes as the server writes them (spec §2), to their members: the fast
# paths' lookup. Anything else (an unknown code, leading zeros...) misses and takes the
# exact path through parse_number.
SENDER_TEXT: dict[str, Any] = {str(code): status for code, status in SENDER_STATUSES.items()}
OPERATOR_TEXT: dict[str, Any] = {str(code): status for code, status in OPERATOR_STATUSES.items()}


def _code(value: Any, text: dict[str, Any], table: Mapping[int, Any]) -> Any:
    """A status code's member in ``table`` (an UNKNOWN member for a code not in it), or
    None for a value that is no code (spec §4.7). ``text``: the known codes as the server
    writes them, a lookup that spares parse_number."""
    found = text.get(value)
    if found is None and (code := parse_number(value)) is not None:
        found = table[code]
    return found


def build_sender(
    name: str, fields: Sequence[tuple[str, Any]], index: int, name_key: str | None = None
) -> Sender:
    """Sender ``index`` of a list from its name and its other (key, value) pairs in wire
    order (spec §4.3, 4.6, 4.11), or Invalid naming the first pair at fault.

    ``id``, ``status`` and the operator keys are parsed; any other key is kept in
    ``extra``, in order, with its value as given. A key given twice is an error, and so
    is ``name_key``, the key the format gives the name, among the pairs.
    """
    values = dict(fields)
    fault = len(values) != len(fields) or name_key in values  # a key given twice
    sender_id = parse_number(values.pop("id", None), 1)
    status = values.pop("status", None)  # a number field is never None
    if status is not None:
        status = _code(status, SENDER_TEXT, SENDER_STATUSES)
        fault = fault or status is None
    operators: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if values:
        for key, value in values.items():
            if key in _OPERATOR_KEYS:
                operators[key] = _code(value, OPERATOR_TEXT, OPERATOR_STATUSES)
            else:
                extra[key] = value
        # In OPERATOR_KEYS' order whatever the document's (spec §4.23): the same
        # model from every format and every path.
        operators = {key: operators[key] for key in OPERATOR_KEYS if key in operators}
        fault = fault or None in operators.values()
    if fault or sender_id is None:
        _first_fault(fields, index, name_key)
    return Sender(
        name=name,
        id=sender_id,
        status=status,
        operators=freeze_mapping(operators),
        extra=freeze(extra) if extra else EMPTY,  # a JSON list in extra becomes a tuple
    )


def _first_fault(fields: Sequence[tuple[str, Any]], index: int, name_key: str | None) -> NoReturn:
    """The Invalid for the first pair, in wire order, that build_sender cannot take."""
    path = f"senders[{index}]"
    seen: set[str | None] = {name_key}
    for at, (key, value) in enumerate(fields):
        if key in seen:
            raise Invalid(f"{path}: the key {key!r} is given twice", path, at)
        seen.add(key)
        if key == "id":
            number(value, "an id", f"{path}.id", 1, at)
        elif key == "status":
            number(value, "a status", f"{path}.status", 0, at)
        elif key in _OPERATOR_KEYS:
            number(value, "a status", f"{path}.operators.{key}", 0, at)
    raise Invalid(f"{path}: the record has no id", path)
