"""iter_senders: a list's senders one at a time, so that a huge body is never held as a model.

A list of several lines in fmt 0 (Lark, record by record) or fmt 1 (the csv reader, row
by row) streams: memory is the body (its bytes and its text) and a constant, whatever the
number of senders. fmt 2 and fmt 3 are read a thousand records at a time by their own
decoders (_fmt2_stream: a list as the server writes it, cut before each <sender>;
_fmt3_stream: after msgspec spanned every record). Every other body goes through
``decode``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import _fmt0_text, _fmt1_csv, _fmt2_stream, _fmt3_stream
from ._answers import expect
from ._api import _explained, _fmt, _response
from ._errors import DecodeError
from ._model import Fmt, Sender, SenderList
from ._source import DEFAULT_MAX_SIZE, Body, open_body

__all__ = ["iter_senders", "list_senders"]

# Each format's stream: an iterator for a list of several records, or None for a body it
# leaves to decode (empty, one line, OK, created, an error; in fmt 2 another layout).
_STREAMS: dict[Fmt, Callable[[Body], Iterator[Sender] | None]] = {
    Fmt.TEXT: lambda body: _fmt0_text.stream(body.text),
    Fmt.CSV: lambda body: _fmt1_csv.stream(body.text),
    Fmt.XML: lambda body: _fmt2_stream.stream(body.text),
    Fmt.JSON: lambda body: _fmt3_stream.stream(body.text, body.utf8),
}


def iter_senders(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
) -> Iterator[Sender]:
    """The senders of a list body, one at a time: ``decode(data, fmt, type=SenderList)``'s
    senders, without holding them all.

    The arguments are :func:`decode`'s, and are checked, with the body's size, charset and
    characters, when this is called. ``list(iter_senders(data, fmt))`` equals
    ``decode(data, fmt).senders``; a body ``decode`` refuses raises the same DecodeError
    (message and position), at the same sender: the senders before it have been handed
    out by then, so a consumer that must have all or nothing collects them first. An
    error body raises its ResponseError subclass, and an OK or a created answer the
    DecodeError ``decode(data, fmt, type=SenderList)`` raises.

    In fmt 0 and fmt 1 a list streams: the memory used is the body's bytes and text and a
    constant, however many senders it holds. fmt 2 and fmt 3 are read a thousand records
    at a time: fmt 2 a list that starts as the server writes it (``<list>``, then the
    senders; another is decoded whole, then handed out), fmt 3 after msgspec
    has found where each record is (about 50 bytes a record on top of the body).
    """
    wanted = None if fmt is None else _fmt(fmt)
    body = _opened(data, wanted, charset, max_size)
    return _senders(body, data, wanted, charset)


def list_senders(
    data: bytes | str, fmt: Fmt, charset: str, max_size: int = DEFAULT_MAX_SIZE
) -> Iterator[Sender] | None:
    """The senders of a list that streams (fmt 0, 1 or 3, several records), one at a
    time, with decode's errors; None for any other body, which only decode reads whole.
    The text gate's and a first pass's DecodeError (fmt 1's unreadable rows) are raised
    here."""
    body = _opened(data, fmt, charset, max_size)
    return _streamed(body, data, fmt, charset)


def _opened(data: bytes | str, wanted: Fmt | None, charset: str, max_size: int) -> Body:
    """The body through decode's text gate, failing with decode's error."""
    try:
        return open_body(data, wanted, charset, max_size)
    except DecodeError as exc:
        raise _explained(exc, data, wanted, charset, None) from None


def _streamed(
    body: Body, data: bytes | str, wanted: Fmt | None, charset: str
) -> Iterator[Sender] | None:
    # A list of several lines is never a bare OK, which decode answers before the
    # format's decoder: the readers leave bodies of one line to decode.
    try:
        senders = _STREAMS[body.fmt](body)
    except DecodeError as exc:
        raise _explained(exc, data, wanted, charset, body) from None
    return None if senders is None else _explaining(senders, body, data, wanted, charset)


def _explaining(
    senders: Iterator[Sender], body: Body, data: bytes | str, wanted: Fmt | None, charset: str
) -> Iterator[Sender]:
    """``senders``, an error on the way saying what decode's would (how the body was
    read, what it is)."""
    try:
        yield from senders
    except DecodeError as exc:
        raise _explained(exc, data, wanted, charset, body) from None


def _senders(body: Body, data: bytes | str, wanted: Fmt | None, charset: str) -> Iterator[Sender]:
    streamed = _streamed(body, data, wanted, charset)
    if streamed is not None:
        yield from streamed
        return
    try:
        response = _response(body)
    except DecodeError as exc:
        raise _explained(exc, data, wanted, charset, body) from None
    listing: SenderList = expect(response, SenderList)  # outside: decode does not explain it
    yield from listing.senders
