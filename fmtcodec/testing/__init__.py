"""Helpers for the test suites of projects that depend on fmtcodec.

Importable without pytest or Hypothesis: the assertions raise plain ``AssertionError``.
The strategies (``fmtcodec.testing.strategies``) need the ``hypothesis`` extra and the
cassette reader (``read_cassette``) the ``vcr`` extra. ``FakeSenders`` is a fake
senders.php to test a client against. See docs/testing.md.

>>> from fmtcodec.testing import assert_roundtrip, assert_same_response
>>> assert_roundtrip(b"ID = 7")
SenderCreated(id=7, extra={})
>>> assert_same_response(b"0,-3", '{"error": "not found", "error_code": 3}', fmt_a=1)
ApiError(code=<ErrorCode.SENDER_NOT_FOUND: 3>, description=None, extra={})
"""

from __future__ import annotations

import msgspec

from .._api import detect, encode, read
from .._cassettes import CassetteError, CassetteResponse, read_cassette, validate_cassette
from .._errors import DecodeError, EncodeError
from .._model import ApiError, Fmt, Response
from .._validation import Problem, Validation, diff, validate
from ._corpus import Case, valid_cases
from ._fake import FakeSenders, Received

__all__ = [
    "Case",
    "CassetteError",
    "CassetteResponse",
    "FakeSenders",
    "Problem",
    "Received",
    "Validation",
    "assert_roundtrip",
    "assert_same_response",
    "diff",
    "read_cassette",
    "valid_cases",
    "validate",
    "validate_cassette",
]


def assert_roundtrip(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    strict: bool = False,
) -> Response:
    """Assert that ``data`` decodes, re-encodes in its format and decodes back the same.

    The check is :func:`fmtcodec._validation.validate`, the one ``fmtcodec validate`` runs.
    ``fmt`` None detects the format; ``charset`` reads bytes. With ``strict``, ``data`` must
    also be exactly what the encoder writes (a final newline allowed) and hold no unknown
    keys. Returns the decoded model.

    Raises AssertionError naming the format and, for each problem, the record and field
    with both values, or where the body stopped decoding; TypeError or ValueError for a
    bad argument.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this one
    result = validate(data, fmt, charset=charset, strict=strict)
    if result.ok and result.response is not None:
        return result.response
    used = result.fmt if result.fmt is not None else _detected(data, charset)
    where = "a response" if used is None else f"fmt {int(used)}"
    if result.response is None:
        lines = ["the body does not decode:"]  # each problem names the format it read
    else:
        lines = [f"the {where} body fails the {'strict ' if strict else ''}round trip check:"]
    for problem in result.problems:
        place = "" if problem.lineno is None else f"line {problem.lineno}, column {problem.colno}: "
        lines.append(f"  {place}{problem.message}")
    if strict and result.response is not None and result.fmt is not None:
        lines += _layout_difference(data, result.fmt, charset, result.response)
    raise AssertionError("\n".join(lines))


def _layout_difference(data: bytes | str, fmt: Fmt, charset: str, response: Response) -> list[str]:
    """The first line where ``data`` differs from the canonical body, both ways round."""
    try:
        written = encode(response, fmt).split("\n")
    except EncodeError:  # validate() has reported it already
        return []
    used = read(data, fmt, charset=charset).charset
    text = data if isinstance(data, str) else bytes(data).decode(used, "replace")
    got = text.removeprefix("\ufeff").removesuffix("\n").split("\n")
    for number, (line, canonical) in enumerate(zip(got, written, strict=False), start=1):
        if line != canonical:
            return [
                f"  line {number} of the body: {line!r}",
                f"  the encoder writes: {canonical!r}",
            ]
    if len(got) != len(written):
        return [f"  the body has {len(got)} lines, the encoder writes {len(written)}"]
    return []


def _detected(data: bytes | str, charset: str) -> Fmt | None:
    """The format detection picks for ``data``, for messages; None if it cannot be read."""
    try:
        text = data if isinstance(data, str) else bytes(data).decode(charset, "replace")
    except LookupError:
        return None
    return detect(text)


def assert_same_response(
    a: bytes | str,
    b: bytes | str,
    *,
    fmt_a: int | None = None,
    fmt_b: int | None = None,
    charset_a: str = "utf-8",
    charset_b: str = "utf-8",
) -> Response:
    """Assert that two bodies, in the same format or not, are the same response.

    ``fmt_a``/``fmt_b`` None detect each body's format; ``charset_a``/``charset_b`` read
    bytes. An error without a description (fmt 1 carries none, spec §4.4) matches any
    description of the same code. Returns the model ``a`` decodes to.

    Raises AssertionError listing the fields that differ (``a``'s value first), or naming
    the body that does not decode and where; TypeError or ValueError for a bad argument.
    """
    __tracebackhide__ = True
    first, first_fmt = _decoded("a", a, fmt_a, charset_a)
    second, second_fmt = _decoded("b", b, fmt_b, charset_b)
    compared = first
    if isinstance(first, ApiError) and isinstance(second, ApiError):
        # spec §4.4: fmt 1 carries no description, so a missing one matches any.
        if first.description is None:
            compared = msgspec.structs.replace(first, description=second.description)
        elif second.description is None:
            second = msgspec.structs.replace(second, description=first.description)
    differences = diff(compared, second)
    if differences:
        raise AssertionError(
            f"a (fmt {int(first_fmt)}) and b (fmt {int(second_fmt)}) are different responses:\n"
            + "\n".join(f"  {line}" for line in differences)
        )
    return first


def _decoded(which: str, data: bytes | str, fmt: int | None, charset: str) -> tuple[Response, Fmt]:
    __tracebackhide__ = True
    try:
        reading = read(data, fmt, charset=charset)
    except DecodeError as exc:
        raise AssertionError(f"{which} does not decode: {exc}") from None
    return reading.response, reading.fmt
