"""decode and encode: the public calls, which dispatch to one module per format.

decode: the text gate (_source.open_body) gives checked text and its format; a bare OK is
Ok in every format; else that format's decoder reads the text. encode: the model's type
is checked, the format's encoder writes it, and an EncodeError gets the format's number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from . import _fmt0_text, _fmt1_csv, _fmt2_xml, _fmt3_json
from ._errors import EncodeError, ResponseError
from ._model import ApiError, Fmt, Ok, Response, SenderCreated, SenderList
from ._source import DEFAULT_MAX_SIZE, detect, open_body
from ._writing import check_response

__all__ = ["Reading", "decode", "detect", "encode", "raise_for_error", "read"]

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
_FMTS = {int(fmt): fmt for fmt in Fmt}  # a lookup: calling the enum is slower


def _fmt(fmt: object) -> Fmt:
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise TypeError(f"fmt must be an int from 0 to 3, not {type(fmt).__name__}")
    found = _FMTS.get(fmt)
    if found is None:
        raise ValueError(f"fmt must be 0, 1, 2 or 3, not {fmt}")
    return found


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
    body = open_body(data, None if fmt is None else _fmt(fmt), charset, max_size)
    text = body.text
    if text.rstrip("\n").rstrip(" \t") == "OK":
        # spec §4.2: public clients report the server sending a bare OK even with fmt=3;
        # spec §4.16: spaces or tabs may end its line.
        return Reading(Ok(), body.fmt, body.charset)
    return Reading(_DECODERS[body.fmt](text, body.utf8), body.fmt, body.charset)


def encode(response: Response, fmt: int) -> str:
    """Write a model value as a response body in ``fmt``, in the server's own layout.

    Raises EncodeError when the format cannot carry the value (naming the record and
    why), TypeError when ``response`` is not a model value, ValueError for a bad fmt.
    """
    target = _fmt(fmt)
    try:
        return _ENCODERS[target](check_response(response))
    except EncodeError as exc:
        raise EncodeError(exc.reason, fmt=target, path=exc.path) from None


def raise_for_error(response: Response) -> SenderList | SenderCreated | Ok:
    """Return ``response`` unchanged, or raise ResponseError if it is an ApiError."""
    if isinstance(response, ApiError):
        raise ResponseError(response)
    return response
