"""One logged senders.php exchange, what the readers of logs yield, and how a body is read.

Every reader (HAR, JSON Lines, VCR.py cassettes, response files) ends in :func:`decoded`
or :func:`failed`: the request's parameters become a :class:`~fmtcodec.Request` with the
credentials dropped, and the body is read in the format and charset that request asked
for (spec §5, §4.22). Whatever goes wrong becomes an :class:`ExchangeError` naming the file and
the place in it; it never stops the read of the other exchanges.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import msgspec

from ._api import read
from ._errors import DecodeError
from ._model import ApiError, Fmt, Response
from ._request import Command, Request

__all__ = [
    "DEFAULT_CHARSET",
    "Deferred",
    "Exchange",
    "ExchangeError",
    "decode_failed",
    "decoded",
    "decoded_now",
    "deferring",
    "failed",
    "params_of",
    "request_for",
    "request_of",
    "utc_time",
]

DEFAULT_CHARSET = "windows-1251"
"""The charset senders.php speaks when a request names none (spec §1)."""


class ExchangeError(ValueError):
    """A logged exchange that could not be read: where it is and why.

    ``source`` is the log (a path or URL), ``place`` the exchange's place in it
    (``entry 3``, ``line 17``, ``interaction 2``; ``""`` for a file holding one response)
    and ``reason`` what went wrong. ``error`` is the :class:`~fmtcodec.DecodeError` when
    the body itself did not decode (its line and column are in the body).
    """

    def __init__(
        self, source: str, place: str, reason: str, error: DecodeError | None = None
    ) -> None:
        self.source = source
        self.place = place
        self.reason = reason
        self.error = error
        super().__init__(f"{source}: {place}: {reason}" if place else f"{source}: {reason}")


class Exchange(msgspec.Struct, frozen=True, kw_only=True):
    """One senders.php exchange read from a log: where, when, what was asked, the answer.

    ``source`` is the log and ``entry`` the exchange's place in it: the index in the HAR's
    ``log.entries`` and in a cassette's ``interactions`` (from 0), the line of a JSON Lines
    file (from 1), None for a file holding one response. ``time`` is when the request was
    made, if the log says (always timezone-aware). ``request`` is what was asked, without
    ``login``, ``psw`` and ``apikey`` (None for a bare response file). ``fmt`` and
    ``charset`` are what the body was read in. Exactly one of ``response`` and ``error``
    is set.
    """

    source: str
    entry: int | None
    place: str
    time: datetime | None = None
    request: Request | None = None
    fmt: Fmt | None = None
    charset: str | None = None
    response: Response | None = None
    error: ExchangeError | None = None


class Deferred(Exchange, frozen=True, kw_only=True):
    """A list exchange whose body is left undecoded (neither ``response`` nor ``error``
    set): only the export of a table gets these, when it asked for them (``deferring``),
    to read a huge list body one sender at a time (_logtable)."""

    body: bytes | str
    status: int | None = None


deferring: ContextVar[int | None] = ContextVar("fmtcodec_deferring", default=None)
"""From what body size :func:`decoded` leaves a list body to the caller as
a :class:`Deferred` exchange; None (the default): never."""


def params_of(query: str, form: str | None = None) -> dict[str, str]:
    """The parameters of a query string and a form-encoded body, the body's winning as in
    PHP's ``$_REQUEST`` (senders.php is a PHP page).

    Percent-escapes are bytes in the charset the request names (``charset``, else
    windows-1251: spec §1), so the pairs are split first and decoded once that is known.
    Raises ValueError for bytes that are not text in that charset.
    """
    pairs = parse_qsl(query, keep_blank_values=True, encoding="latin-1")
    if form:
        pairs += parse_qsl(form, keep_blank_values=True, encoding="latin-1")
    raw = dict(pairs)
    charset = _charset_of(raw.get("charset"))
    params: dict[str, str] = {}
    for key, value in raw.items():
        try:
            params[_text(key, charset)] = _text(value, charset)
        except UnicodeError:
            raise ValueError(
                f"the parameter {key!r} is not valid {charset} after percent-decoding"
            ) from None
    return params


def _charset_of(value: str | None) -> str:
    from ._source import charset_name

    if value is None or not value.strip():
        return DEFAULT_CHARSET
    try:
        return charset_name(value.strip())
    except ValueError:
        return DEFAULT_CHARSET  # Request.from_params reports the unsupported name


def _text(value: str, charset: str) -> str:
    # latin-1 text is the escaped bytes one to one; ASCII needs no second decode.
    return value if value.isascii() else value.encode("latin-1").decode(charset)


def utc_time(value: str) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime (one without an offset is taken as UTC),
    or None when ``value`` is not one."""
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    if found.tzinfo is None:
        return found.replace(tzinfo=UTC)
    return found.astimezone(UTC)


def request_of(params: Mapping[str, str]) -> Request:
    """The request, credentials dropped; ValueError naming a parameter the API refuses."""
    return Request.from_params(params).without_credentials()


def request_for(query: str, form: str | None = None) -> Request:
    """:func:`request_of` the parameters of a query string and form body (params_of).

    A log repeats the same few requests (a client polling ``get=1``): the last thousand
    distinct ones are remembered, which halves the cost of a logged exchange. Requests
    are frozen, so sharing one is safe.
    """
    found = _request_for(query, form)
    if isinstance(found, str):
        raise ValueError(found)
    return found


@functools.lru_cache(maxsize=1024)
def _request_for(query: str, form: str | None) -> Request | str:
    try:
        return request_of(params_of(query, form))
    except ValueError as exc:
        return str(exc)  # remembered too: the same bad request fails the same way


def decoded(
    source: str,
    entry: int | None,
    place: str,
    time: datetime | None,
    request: Request,
    body: bytes | str,
    status: int | None = None,
) -> Exchange:
    """The exchange with ``body`` read as ``request`` asked (or the error saying why not).

    A body whose kind the request's command cannot get (``add=1`` answered with a list)
    is an error too. ``status`` is the HTTP status, named in the error when it is not 2xx.
    """
    fmt, charset = request.effective_fmt, request.effective_charset
    defer_from = deferring.get()
    if defer_from is not None and len(body) >= defer_from and request.command is Command.GET:
        return Deferred(
            source=source,
            entry=entry,
            place=place,
            time=time,
            request=request,
            fmt=fmt,
            charset=charset,
            body=body,
            status=status,
        )
    return decoded_now(source, entry, place, time, request, body, status)


def decoded_now(
    source: str,
    entry: int | None,
    place: str,
    time: datetime | None,
    request: Request,
    body: bytes | str,
    status: int | None = None,
) -> Exchange:
    """:func:`decoded`, never deferred."""
    fmt, charset = request.effective_fmt, request.effective_charset
    try:
        reading = read(body, fmt, charset=charset)
    except DecodeError as exc:
        return decode_failed(source, entry, place, time, request, exc, status)
    response = reading.response
    if not isinstance(response, (request.answer_type, ApiError)):
        reason = (
            f"the request was {request.command.value}=1, which cannot be answered with"
            f" {type(response).__name__}"
        )
        return failed(source, entry, place, time, _with_status(reason, status), None, request)
    return Exchange(
        source=source,
        entry=entry,
        place=place,
        time=time,
        request=request,
        fmt=reading.fmt,
        charset=charset,
        response=response,
    )


def decode_failed(
    source: str,
    entry: int | None,
    place: str,
    time: datetime | None,
    request: Request,
    exc: DecodeError,
    status: int | None = None,
) -> Exchange:
    """The exchange whose body did not decode, with the error and where it is."""
    reason = f"{exc.msg} ({_where(exc)})"
    return failed(source, entry, place, time, _with_status(reason, status), exc, request)


def _where(exc: DecodeError) -> str:
    if exc.at_end:
        return "at the end of the body"
    return f"body line {exc.lineno}, column {exc.colno}"


def _with_status(reason: str, status: int | None) -> str:
    if status is None or 200 <= status < 300:
        return reason
    return f"HTTP status {status}: {reason}"


def failed(
    source: str,
    entry: int | None,
    place: str,
    time: datetime | None,
    reason: str,
    error: DecodeError | None = None,
    request: Request | None = None,
) -> Exchange:
    """The exchange at ``place`` that could not be read, and why."""
    return Exchange(
        source=source,
        entry=entry,
        place=place,
        time=time,
        request=request,
        error=ExchangeError(source, place, reason, error),
    )
