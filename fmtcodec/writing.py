"""Checks every encoder makes before it writes a value (SPEC 4.3, 4.5, 4.7, 4.10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .errors import EncodeError
from .model import (
    OPERATOR_KEYS,
    ApiError,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
)
from .values import MAX_NUMBER

__all__ = [
    "check_number",
    "check_response",
    "check_string",
    "sender_parts",
    "standard_description",
]

# The same characters the decoders refuse (source._FORBIDDEN), CR included: decoded text
# never holds a CR, so a model that does could not come back.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")
_OPERATOR_KEYS = frozenset(OPERATOR_KEYS)


def check_string(value: object, fmt: int, path: str) -> str:
    """``value`` if it is a str every format may hold; else TypeError or EncodeError."""
    if type(value) is not str:
        if not isinstance(value, str):
            raise TypeError(f"{path} must be a str, not {type(value).__name__}")
        value = str(value)
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        char = bad.group()
        raise EncodeError(
            f"the character U+{ord(char):04X} is not allowed in any format", fmt=fmt, path=path
        )
    return value


def check_number(value: object, fmt: int, path: str, minimum: int = 0) -> int:
    """``value`` as a plain int if it is one SPEC 4.7 allows; else TypeError or EncodeError."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{path} must be an int, not {type(value).__name__}")
    if not minimum <= value <= MAX_NUMBER:
        low = "1" if minimum == 1 else "0"
        raise EncodeError(f"{value} is outside {low}..2^63-1", fmt=fmt, path=path)
    return int(value)


def standard_description(error: ApiError, fmt: int) -> str:
    """The error's description, or its code's seed wording when it has none (SPEC 4.4)."""
    if error.description is None:
        return error.meaning
    return check_string(error.description, fmt, "description")


def check_response(response: object) -> Response:
    """``response`` if it is a model value; TypeError otherwise."""
    if not isinstance(response, (SenderList, SenderCreated, Ok, ApiError)):
        raise TypeError(
            "response must be a SenderList, SenderCreated, Ok or ApiError,"
            f" not {type(response).__name__}"
        )
    return response


def sender_parts(
    sender: object, index: int, fmt: int, order: tuple[str, ...] = OPERATOR_KEYS
) -> Iterator[tuple[str, Any, str, bool]]:
    """A sender's keys after its name, in wire order, as (key, value, path, known).

    Known keys come with their values checked as plain ints; unknown ones (``extra``)
    with their values as given, for the format to check.
    The order is SPEC section 2's: status, the operator keys present (in ``order``:
    fmt 3 has its own), the unknown keys, then id.
    """
    path = f"senders[{index}]"
    if not isinstance(sender, Sender):
        raise TypeError(f"{path} must be a Sender, not {type(sender).__name__}")
    if sender.status is not None:
        yield "status", check_number(sender.status, fmt, f"{path}.status"), f"{path}.status", True
    operators = sender.operators
    unknown = [key for key in operators if key not in _OPERATOR_KEYS]
    if unknown:
        raise EncodeError(
            f"{unknown[0]!r} is not an operator key; keep unknown keys in extra",
            fmt=fmt,
            path=f"{path}.operators",
        )
    for key in order:
        if key in operators:
            where = f"{path}.operators.{key}"
            yield key, check_number(operators[key], fmt, where), where, True
    for key, value in sender.extra.items():
        if not isinstance(key, str):
            raise TypeError(f"{path}.extra keys must be str, not {type(key).__name__}")
        where = f"{path}.extra.{key}"
        if key in _OPERATOR_KEYS or key in ("id", "status"):
            raise EncodeError(f"the unknown key {key!r} is a known key", fmt=fmt, path=where)
        yield key, value, where, False
    yield "id", check_number(sender.id, fmt, f"{path}.id", 1), f"{path}.id", True
