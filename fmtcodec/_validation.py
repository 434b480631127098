"""The fixture check: a body decodes, re-encodes in its own format, and decodes back the same.

``fmtcodec validate`` and ``fmtcodec.testing.assert_roundtrip`` both stand on
:func:`validate`, so a suite and the command line judge a fixture alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from ._api import encode, read
from ._errors import DecodeError, EncodeError, line_and_column
from ._model import ApiError, Fmt, Ok, Response, SenderCreated, SenderList
from ._source import DEFAULT_MAX_SIZE, charset_name

__all__ = ["Problem", "Validation", "diff", "validate"]


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One reason a body failed the check; ``lineno``/``colno`` where it has a place."""

    message: str
    lineno: int | None = None
    colno: int | None = None


class Validation(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of :func:`validate`: the format and response read, and any problems."""

    fmt: Fmt | None
    response: Response | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when the body passed."""
        return not self.problems


def diff(expected: Response, actual: Response) -> list[str]:
    """Where two responses differ, one ``path: expected != actual`` line each."""
    if type(expected) is not type(actual):
        return [f"kind: {type(expected).__name__} != {type(actual).__name__}"]
    if isinstance(expected, SenderList) and isinstance(actual, SenderList):
        lines = []
        if len(expected.senders) != len(actual.senders):
            lines.append(f"senders: {len(expected.senders)} != {len(actual.senders)} records")
        for index, (one, other) in enumerate(zip(expected.senders, actual.senders, strict=False)):
            for field in ("name", "id", "status"):
                if getattr(one, field) != getattr(other, field):
                    lines.append(
                        f"senders[{index}].{field}: "
                        f"{getattr(one, field)!r} != {getattr(other, field)!r}"
                    )
            for field in ("operators", "extra"):
                lines += _diff_mapping(
                    f"senders[{index}].{field}", getattr(one, field), getattr(other, field)
                )
        return lines
    lines = [
        f"{field}: {getattr(expected, field)!r} != {getattr(actual, field)!r}"
        for field in expected.__struct_fields__
        if field != "extra" and getattr(expected, field) != getattr(actual, field)
    ]
    if isinstance(expected, (ApiError, SenderCreated)) and isinstance(
        actual, (ApiError, SenderCreated)
    ):
        lines += _diff_mapping("extra", expected.extra, actual.extra)
    return lines


def _diff_mapping(path: str, one: Mapping[str, Any], other: Mapping[str, Any]) -> list[str]:
    missing = object()
    return [
        f"{path}.{key}: {_shown(one.get(key, missing), missing)}"
        f" != {_shown(other.get(key, missing), missing)}"
        for key in dict.fromkeys([*one, *other])
        if one.get(key, missing) != other.get(key, missing)
    ]


def _shown(value: object, missing: object) -> str:
    return "(absent)" if value is missing else repr(value)


def validate(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    strict: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
) -> Validation:
    """Check that ``data`` decodes, re-encodes in its own format, and decodes back equal.

    With ``strict``, the body must also be exactly what the encoder writes (a final
    newline allowed, spec §4.1) and hold no unknown keys. An error without a description
    (always so in fmt 1) is written back with its code's standard one (spec §4.4), which
    is not counted as a change. Never raises for a bad body: the problems are
    in the result.
    """
    try:
        charset_name(charset)
    except ValueError as exc:  # a recording's charset (a cassette's) is part of what is checked
        return Validation(
            fmt=None if fmt is None else Fmt(fmt),
            response=None,
            problems=[Problem(message=str(exc))],
        )
    try:
        reading = read(data, fmt, charset=charset, max_size=max_size)
    except DecodeError as exc:
        return Validation(
            fmt=None if exc.fmt is None else Fmt(exc.fmt),
            response=None,
            problems=[Problem(message=exc.message, lineno=exc.lineno, colno=exc.colno)],
        )
    response, used = reading.response, reading.fmt
    problems: list[Problem] = []
    try:
        written = encode(response, used)
    except EncodeError as exc:
        problems.append(Problem(message=f"decodes, but cannot be written back: {exc}"))
        return Validation(fmt=used, response=response, problems=problems)
    try:
        again = read(written, used).response
    except DecodeError as exc:  # pragma: no cover - would be an encoder bug
        problems.append(Problem(message=f"the re-encoded body does not decode: {exc}"))
        return Validation(fmt=used, response=response, problems=problems)
    if (
        isinstance(response, ApiError)
        and response.description is None
        and isinstance(again, ApiError)
        and again.description == response.meaning
    ):
        # spec §4.4, 4.15: an error without a description is written with its code's
        # standard one, which reads back as written: no change the body made.
        again = msgspec.structs.replace(again, description=None)
    for line in diff(response, again):
        problems.append(Problem(message=f"changes on a round trip through fmt {int(used)}: {line}"))
    if strict:
        problems += _strict_problems(data, written, reading.charset, response)
    return Validation(fmt=used, response=response, problems=problems)


def _strict_problems(
    data: bytes | str, written: str, charset: str, response: Response
) -> list[Problem]:
    problems = []
    text = data if isinstance(data, str) else bytes(data).decode(charset, "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    # spec §4.2: the server writes a bare OK under every fmt, so it is a layout of its own.
    bare_ok = isinstance(response, Ok) and text in ("OK", "OK\n")
    if text not in (written, written + "\n") and not bare_ok:
        position = next(
            (i for i, (a, b) in enumerate(zip(text, written, strict=False)) if a != b),
            min(len(text), len(written)),
        )
        line, column = line_and_column(text, position)
        problems.append(
            Problem(
                message="differs from the canonical layout the encoder writes",
                lineno=line,
                colno=column,
            )
        )
    if isinstance(response, SenderList):
        for index, sender in enumerate(response.senders):
            for key in sender.extra:
                problems.append(Problem(message=f"senders[{index}] holds the unknown key {key!r}"))
    elif isinstance(response, (ApiError, SenderCreated)):
        for key in response.extra:  # spec §4.24
            problems.append(Problem(message=f"the answer holds the unknown key {key!r}"))
    return problems
