"""decode and encode: input checks, format detection, and dispatch to the format modules."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import NamedTuple

from . import _fmt1_csv, _fmt2_xml, _fmt3_json
from ._errors import ResponseError
from ._model import ApiError, Fmt, Ok, Response, SenderCreated, SenderList
from ._source import DEFAULT_MAX_SIZE, normalize_charset, prepare
from ._writing import check_response

__all__ = ["Reading", "decode", "detect", "encode", "raise_for_error", "read"]


def _load_fmt0() -> None:
    """Import fmt 0's module on first use, in place of these stand-ins: it imports lark,
    half of what ``import fmtcodec`` cost, and only fmt 0 needs it."""
    from . import _fmt0_text

    _DECODERS[Fmt.TEXT] = _fmt0_text.decode
    _ENCODERS[Fmt.TEXT] = _fmt0_text.encode


def _decode_fmt0(text: str) -> Response:
    _load_fmt0()
    return _DECODERS[Fmt.TEXT](text)


def _encode_fmt0(response: Response) -> str:
    _load_fmt0()
    return _ENCODERS[Fmt.TEXT](response)


_DECODERS: dict[Fmt, Callable[[str], Response]] = {
    Fmt.TEXT: _decode_fmt0,
    Fmt.CSV: _fmt1_csv.decode,
    Fmt.XML: _fmt2_xml.decode,
    Fmt.JSON: _fmt3_json.decode,
}
_ENCODERS: dict[Fmt, Callable[[Response], str]] = {
    Fmt.TEXT: _encode_fmt0,
    Fmt.CSV: _fmt1_csv.encode,
    Fmt.XML: _fmt2_xml.encode,
    Fmt.JSON: _fmt3_json.encode,
}
_TEXT_PREFIXES = ("name = ", "ID = ", "ERROR = ")


_FMTS = {int(fmt): fmt for fmt in Fmt}  # a lookup: calling the enum is slower


def _fmt(fmt: object) -> Fmt:
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise TypeError(f"fmt must be an int from 0 to 3, not {type(fmt).__name__}")
    found = _FMTS.get(fmt)
    if found is None:
        raise ValueError(f"fmt must be 0, 1, 2 or 3, not {fmt}")
    return found


def detect(text: str) -> Fmt:
    """The format of a response's text, by spec §4.2's rules.

    ``<`` starts fmt 2; ``[`` or ``{`` fmt 3; ``name = ``, ``ID = `` or ``ERROR = `` fmt 0;
    anything else is fmt 1 (a bare ``OK`` reads the same in every format).
    """
    start = text.lstrip(" \t\n")[:1]
    if start == "<":
        return Fmt.XML
    if start in ("[", "{"):
        return Fmt.JSON
    if text.startswith(_TEXT_PREFIXES):
        return Fmt.TEXT
    return Fmt.CSV


def _is_bare_ok(text: str) -> bool:
    # spec §4.2: public clients report the server sending a bare OK even with fmt=3.
    return text.rstrip("\n") == "OK"


def decode(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    max_size: int = DEFAULT_MAX_SIZE,
) -> Response:
    """Decode a senders.php response body into the model.

    ``data`` is the body as bytes (decoded strictly with ``charset``: utf-8, windows-1251
    or koi8-r) or as str. ``fmt`` is the format the request asked for, or None to detect
    it. The kind of response is always recognised from the body. Inputs over
    ``max_size`` bytes (characters for str) are refused before any decoding.

    Raises DecodeError when ``data`` is not a valid response; TypeError for an argument
    of the wrong type; ValueError for a fmt outside 0-3.
    """
    return read(data, fmt, charset=charset, max_size=max_size).response


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
    wanted = None if fmt is None else _fmt(fmt)
    if not isinstance(max_size, int) or isinstance(max_size, bool):
        raise TypeError(f"max_size must be an int, not {type(max_size).__name__}")
    charset = normalize_charset(charset)
    if isinstance(data, (bytes, bytearray, memoryview)):
        if bytes(data[:3]) == codecs.BOM_UTF8:
            charset = "utf-8"
        elif wanted in (None, Fmt.XML):
            declared = _fmt2_xml.declared_charset(bytes(data[:1024]))
            if declared is not None:
                charset = declared  # spec §4.9: in XML the declaration governs
    text = prepare(data, charset, max_size)
    used = detect(text) if wanted is None else wanted
    if _is_bare_ok(text):
        return Reading(Ok(), used, charset)
    if used == Fmt.JSON and (utf8 := _utf8(data, charset)) is not None:
        # msgspec reads UTF-8: it gets the body as it came, not the text encoded again.
        return Reading(_fmt3_json.decode(text, utf8), used, charset)
    return Reading(_DECODERS[used](text), used, charset)


def _utf8(data: object, charset: str) -> bytes | None:
    """``data`` if it is exactly the UTF-8 of the text prepare() made of it: no BOM
    dropped, no CRLF made LF."""
    if (
        isinstance(data, bytes)
        and charset == "utf-8"
        and not data.startswith(codecs.BOM_UTF8)
        and b"\r" not in data
    ):
        return data
    return None


def encode(response: Response, fmt: int) -> str:
    """Write a model value as a response body in ``fmt``, in the server's own layout.

    Raises EncodeError when the format cannot carry the value (naming the record and
    why), TypeError when ``response`` is not a model value, ValueError for a bad fmt.
    """
    return _ENCODERS[_fmt(fmt)](check_response(response))


def raise_for_error(response: Response) -> SenderList | SenderCreated | Ok:
    """Return ``response`` unchanged, or raise ResponseError if it is an ApiError."""
    if isinstance(response, ApiError):
        raise ResponseError(response)
    return response
