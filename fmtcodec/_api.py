"""decode and encode: the public calls, which dispatch to one module per format.

decode: a client's common call (bytes: a bare OK, or fmt 3 that msgspec reads by itself)
may be answered before the gate; else the text gate (_source.open_body) gives checked text
and its format; a bare OK is Ok in every format; else that format's decoder reads the
text. encode: the model's type is checked, the format's encoder writes it, and an
EncodeError gets the format's number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar, overload

from . import _fmt0_text, _fmt1_csv, _fmt2_xml, _fmt3_json, _values
from ._errors import DecodeError, EncodeError, ResponseError
from ._explain import explain
from ._model import ApiError, Fmt, Ok, Response, SenderCreated, SenderList
from ._source import CHARSETS, DEFAULT_MAX_SIZE, Body, charset_name, open_body
from ._wire import detect_bytes, detect_text, to_bytes
from ._writing import check_response

__all__ = ["Reading", "can_encode", "decode", "detect", "encode", "raise_for_error", "read"]

# Every decoder reads checked, LF-only text; fmt 2 and 3 also take the caller's bytes
# when they are that text's UTF-8 (lxml and msgspec read UTF-8), the others ignore them.
_DECODERS: dict[Fmt, Callable[[str, bytes | None], Response]] = {
    Fmt.TEXT: _fmt0_text.decode,
    Fmt.CSV: _fmt1_csv.decode,
    Fmt.XML: _fmt2_xml.decode,
    Fmt.JSON: _fmt3_json.decode,
}
_ENCODERS: dict[Fmt, Callable[[Response], str]] = {
    Fmt.TEXT: _fmt0_text.encode,
    Fmt.CSV: _fmt1_csv.encode,
    Fmt.XML: _fmt2_xml.encode,
    Fmt.JSON: _fmt3_json.encode,
}
_A = TypeVar("_A", bound=SenderList | SenderCreated | Ok)
# A lookup, with _fmt's checks for anything but an exact int: calling the enum is slower,
# and a bool or a float would be found (True == 1.0 == 1).
_FMTS = {int(fmt): fmt for fmt in Fmt}
_OK = Ok()  # one value serves every bare OK: model values are immutable
_OK_BODY = b"OK"
_BARE_OK = re.compile(r"OK[ \t]*\n*")
_JSON_OK_BODY = b'{\n"result": "OK"\n}'  # spec §2: fmt 3's OK as the server writes it
_JSON_STARTS = (b"[", b"{")  # spec §4.2: what starts a fmt 3 body, detected
_JSON = Fmt.JSON  # a global: an enum member is slower to reach through its class


def _fmt(fmt: object) -> Fmt:
    """``fmt`` as a member of Fmt, or the caller's TypeError or ValueError."""
    if fmt.__class__ is int and fmt in _FMTS:  # the common call, by lookup alone
        return _FMTS[fmt]
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise TypeError(f"fmt must be an int from 0 to 3, not {type(fmt).__name__}")
    found = _FMTS.get(fmt)
    if found is None:
        raise ValueError(f"fmt must be 0, 1, 2 or 3, not {fmt}")
    return found


@overload
def decode(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
    type: None = None,
) -> Response: ...


@overload
def decode(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
    type: type[_A],
) -> _A: ...


def decode(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
    type: Any = None,
) -> Any:
    """Decode a senders.php response body into the model.

    ``data`` is the body as bytes (decoded strictly with ``charset``: utf-8, windows-1251
    or koi8-r) or as str. ``fmt`` is the format the request asked for, or None to detect
    it. The kind of response is always recognised from the body. Inputs over
    ``max_size`` bytes (characters for str) are refused before any decoding.

    With ``type`` (SenderList, SenderList[SenderWithStatus], SenderCreated or Ok) the
    result is of exactly that type: an error body raises its ResponseError subclass, and
    a valid body of another kind a DecodeError naming both kinds.

    Raises DecodeError when ``data`` is not a valid response; TypeError for an argument
    of the wrong type; ValueError for a fmt outside 0-3 or an unsupported charset.
    """
    if fmt is not None:
        fmt = _fmt(fmt)
    response: Response | None = None
    if (
        data.__class__ is bytes
        and _values.FAST_PATHS
        and charset in CHARSETS
        and max_size.__class__ is int
        and len(data) <= max_size
    ):
        # The fast path of a client's common call, bytes in an offered charset's own
        # name under the size limit: a bare OK (spec §4.2: in any format), or a fmt 3
        # body msgspec reads by itself (_fmt3_json.from_bytes). It gives what the gate
        # and the decoder would give, or None (tests/test_fast_paths.py).
        if data == _OK_BODY:
            response = _OK
        elif fmt is _JSON or (fmt is None and data[:1] in _JSON_STARTS):
            if data == _JSON_OK_BODY:  # the answer to chg, del, send_code and check_code
                response = _OK
            elif charset == "utf-8" or data.isascii():
                response = _fmt3_json.from_bytes(data)
    if response is None:
        body: Body | None = None
        try:
            body = open_body(data, fmt, charset, max_size)
            response = _response(body)
        except DecodeError as exc:
            raise _explained(exc, data, fmt, charset, body) from None
    if type is None:
        return response
    from ._answers import expect  # it imports this module

    return expect(response, type)


class Reading(NamedTuple):
    """What :func:`read` found: the response, its format and the charset it was read in."""

    response: Response
    fmt: Fmt
    charset: str


def read(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
) -> Reading:
    """:func:`decode`, also telling the format (given or detected) and the charset used.

    The charset is the one an XML declaration named, if it named one (spec §4.9), or
    ``"utf-8"`` for a body that started with a UTF-8 BOM.
    """
    wanted = None
    if fmt is not None:
        wanted = _fmt(fmt)
    body: Body | None = None
    try:
        body = open_body(data, wanted, charset, max_size)
        return Reading(_response(body), body.fmt, body.charset)
    except DecodeError as exc:
        raise _explained(exc, data, wanted, charset, body) from None


def _explained(
    exc: DecodeError, data: bytes | str, wanted: Fmt | None, charset: str, body: Body | None
) -> DecodeError:
    """``exc`` saying how the body was read, and what it is if it is no answer at all
    (spec §4.21). ``body`` is what the gate made of ``data``, if it got that far."""
    raw = data if isinstance(data, str) else bytes(data)
    if body is not None:
        used, charset = body.fmt, body.charset
    else:  # refused by the gate, perhaps before detection: detect on what it has
        charset = charset_name(charset)  # open_body checked it before it refused
        detected = detect_text(raw) if isinstance(raw, str) else detect_bytes(raw)
        used = wanted if wanted is not None else detected
    return explain(exc, raw, used, wanted is None, charset)


def _response(body: Body) -> Response:
    """The response a body through the gate holds: its format's decoder reads it."""
    text = body.text
    if text.startswith("OK") and _BARE_OK.fullmatch(text):  # no copy of a huge body
        # spec §4.2: public clients report the server sending a bare OK even with fmt=3;
        # spec §4.16: spaces or tabs may end its line.
        return _OK
    return _DECODERS[body.fmt](text, body.utf8)


@overload
def encode(response: Response, fmt: int, *, charset: None = None) -> str: ...


@overload
def encode(response: Response, fmt: int, *, charset: str) -> bytes: ...


def encode(response: Response, fmt: int, *, charset: str | None = None) -> str | bytes:
    """Write a model value as a response body in ``fmt``, in the server's own layout.

    Returns text, or with ``charset`` (``utf-8``, ``windows-1251``, ``koi8-r`` or an
    alias) the body's bytes in it: what a server sends for a request naming that charset.

    Raises EncodeError when the format or the charset cannot carry the value (naming the
    record and why), TypeError when ``response`` is not a model value, ValueError for a
    bad fmt or an unsupported charset.
    """
    target = _fmt(fmt)
    name = None if charset is None else charset_name(charset)
    try:
        text = _ENCODERS[target](check_response(response))
    except EncodeError as exc:
        raise EncodeError(exc.reason, fmt=target, path=exc.path) from None
    return text if name is None else to_bytes(text, response, name, target)


def can_encode(response: Response, fmt: int, *, charset: str | None = None) -> bool:
    """Whether :func:`encode` can write ``response`` in ``fmt`` (and ``charset``): the
    same checks, so never a different verdict; it costs one encode. TypeError and
    ValueError for the caller's mistakes, as encode raises them."""
    try:
        encode(response, fmt, charset=charset)
    except EncodeError:
        return False
    return True


def detect(data: bytes | str) -> Fmt:
    """The format of a response body, by spec §4.2's rules, from its bytes (in any of
    the offered charsets) or its text.

    ``<`` starts fmt 2; ``[`` or ``{`` fmt 3; ``name = ``, ``ID = `` or ``ERROR = `` fmt 0;
    anything else is fmt 1 (a bare ``OK`` reads the same in every format). Leading
    spaces and newlines and a UTF-8 BOM are skipped.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        return detect_bytes(bytes(data))
    if isinstance(data, str):
        return detect_text(data)
    raise TypeError(f"data must be bytes or str, not {type(data).__name__}")


def raise_for_error(response: Response) -> SenderList | SenderCreated | Ok:
    """Return ``response`` unchanged, or raise it as a ResponseError if it is an
    ApiError (its code's subclass, such as SenderNotFoundError for code 3)."""
    if isinstance(response, ApiError):
        raise ResponseError.for_error(response)
    return response
