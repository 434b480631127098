"""Checks every encoder makes before it writes a value (spec §4.3, 4.5, 4.7, 4.10)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, repeat
from operator import eq, itemgetter, methodcaller
from typing import Any, NamedTuple

from . import _values
from ._errors import EncodeError
from ._model import (
    OPERATOR_KEYS,
    ApiError,
    Ok,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)
from ._source import FORBIDDEN_IN_DECODED, describe_char
from ._values import MAX_NUMBER

__all__ = [
    "PlainList",
    "check_number",
    "check_response",
    "check_string",
    "plain_list",
    "sender_parts",
    "standard_description",
]

_OPERATOR_KEYS = frozenset(OPERATOR_KEYS)
_SENDER, _STR, _INT = {Sender}, {str}, {int}
_STATUS_TYPES: frozenset[type] = frozenset({int, SenderStatus})
_OPERATOR_TYPES: frozenset[type] = frozenset({int, OperatorStatus})
_OPERATORS_IN_ORDER = itemgetter(*OPERATOR_KEYS)
_KEYS = methodcaller("keys")
# Every code spec §3 knows is under 256: looking its text up costs a fifth of
# formatting an IntEnum member.
_CODE_TEXT = tuple(str(code) for code in range(256))


def check_string(value: object, path: str) -> str:
    """``value`` if it is a str every format may hold; else TypeError or EncodeError."""
    if type(value) is not str:
        if not isinstance(value, str):
            raise TypeError(f"{path} must be a str, not {type(value).__name__}")
        value = str(value)
    bad = FORBIDDEN_IN_DECODED.search(value)
    if bad is not None:
        char = bad.group()
        raise EncodeError(
            f"the character {describe_char(char)} is not allowed in any format", path=path
        )
    return value


def check_number(value: object, path: str, minimum: int = 0) -> int:
    """``value`` as a plain int if it is one spec §4.7 allows; else TypeError or EncodeError."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{path} must be an int, not {type(value).__name__}")
    if not minimum <= value <= MAX_NUMBER:
        low = "1" if minimum == 1 else "0"
        raise EncodeError(f"{value} is outside {low}..2^63-1", path=path)
    return int(value)


def standard_description(error: ApiError) -> str:
    """The error's description, or its code's standard one (the API page's, spec §4.4)."""
    if error.description is None:
        return error.meaning
    return check_string(error.description, "description")


def check_response(response: object) -> Response:
    """``response`` if it is a model value; TypeError otherwise."""
    if not isinstance(response, (SenderList, SenderCreated, Ok, ApiError)):
        raise TypeError(
            "response must be a SenderList, SenderCreated, Ok or ApiError,"
            f" not {type(response).__name__}"
        )
    return response


class PlainList(NamedTuple):
    """A list in one of spec §2's views whose every value passed the checks the
    exact path makes: its columns, for an encoder to write in one go."""

    names: list[str]
    joined: str  # the names run together, for a format's own checks of them
    ids: list[int]
    statuses: list[str] | None  # all=1: each status as text
    operators: dict[str, list[str]] | None  # operators=1: each key's column, as text


def plain_list(senders: Any) -> PlainList | None:
    """The columns of a non-empty list of Senders all in the basic, the all=1 or the
    operators=1 view, with no unknown keys, whose names check_string accepts, whose ids
    check_number accepts and whose codes are at most 255; else None. Values must be of
    exactly these types: a bool or an int subclass takes the exact path.

    The checks run column by column, at C speed; an encoder given None writes the list
    the exact way, sender by sender, which gives the same text or raises the error.
    """
    if (
        not _values.FAST_PATHS
        or type(senders) is not tuple
        or not senders
        or set(map(type, senders)) != _SENDER
    ):
        return None
    names: list[str] = [sender.name for sender in senders]
    ids: list[int] = [sender.id for sender in senders]
    if set(map(type, names)) != _STR or set(map(type, ids)) != _INT:
        return None
    joined = "".join(names)
    if (
        not 1 <= min(ids) <= max(ids) <= MAX_NUMBER
        or (not joined.isprintable() and FORBIDDEN_IN_DECODED.search(joined))
        # A list, not a generator: any() then runs a third faster.
        or any([sender.extra for sender in senders])  # noqa: C419
    ):
        return None
    statuses: list[Any] = [sender.status for sender in senders]
    operators: list[dict[str, Any]] = [sender.operators for sender in senders]
    with_status = statuses.count(None) != len(senders)
    with_operators = any(operators)
    if with_status and (with_operators or not _codes(statuses, _STATUS_TYPES)):
        return None
    columns: dict[str, list[str]] | None = None
    if with_operators:
        # keys() of any Mapping, not dict.keys: a read-only mapping is a Mapping too.
        if not all(map(eq, map(_KEYS, operators), repeat(_OPERATOR_KEYS))):
            return None
        by_key = list(zip(*map(_OPERATORS_IN_ORDER, operators), strict=True))
        if not _codes(list(chain.from_iterable(by_key)), _OPERATOR_TYPES):
            return None
        columns = {
            key: list(map(_CODE_TEXT.__getitem__, column))
            for key, column in zip(OPERATOR_KEYS, by_key, strict=True)
        }
    texts = list(map(_CODE_TEXT.__getitem__, statuses)) if with_status else None
    return PlainList(names, joined, ids, texts, columns)


def _codes(codes: list[Any], types: frozenset[type]) -> bool:
    """Whether every code is of one of ``types`` and has a text in _CODE_TEXT."""
    return set(map(type, codes)) <= types and 0 <= min(codes) <= max(codes) < len(_CODE_TEXT)


def sender_parts(
    sender: object, index: int, order: tuple[str, ...] = OPERATOR_KEYS
) -> Iterator[tuple[str, Any, str, bool]]:
    """A sender's keys after its name, in wire order, as (key, value, path, known).

    Known keys come with their values checked as plain ints; unknown ones (``extra``)
    with their values as given, for the format to check.
    The order is spec §2's: status, the operator keys present (in ``order``:
    fmt 3 has its own), the unknown keys, then id.
    """
    path = f"senders[{index}]"
    if not isinstance(sender, Sender):
        raise TypeError(f"{path} must be a Sender, not {type(sender).__name__}")
    if sender.status is not None:
        yield "status", check_number(sender.status, f"{path}.status"), f"{path}.status", True
    operators = sender.operators
    unknown = [key for key in operators if key not in _OPERATOR_KEYS]
    if unknown:
        raise EncodeError(
            f"{unknown[0]!r} is not an operator key; keep unknown keys in extra",
            path=f"{path}.operators",
        )
    for key in order:
        if key in operators:
            where = f"{path}.operators.{key}"
            yield key, check_number(operators[key], where), where, True
    for key, value in sender.extra.items():
        if not isinstance(key, str):
            raise TypeError(f"{path}.extra keys must be str, not {type(key).__name__}")
        where = f"{path}.extra.{key}"
        if key in _OPERATOR_KEYS or key in ("id", "status"):
            raise EncodeError(f"the unknown key {key!r} is a known key", path=where)
        yield key, value, where, False
    yield "id", check_number(sender.id, f"{path}.id", 1), f"{path}.id", True
