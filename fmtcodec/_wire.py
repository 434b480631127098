"""The bytes end of the wire: a body's text in a charset, and a format told from bytes.

The three charsets the API offers (spec §4.9) hold different characters: windows-1251 and
koi8-r have no room for most of Unicode. A character the charset cannot hold is an
EncodeError that names the model field holding it, like every other value a format
cannot carry.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Any

from ._errors import EncodeError
from ._model import ApiError, Fmt, Response, SenderList
from ._source import describe_char, detect

__all__ = ["detect_bytes", "to_bytes"]

_BOM_TEXT = "\ufeff"
_TEXT_PREFIXES = (b"name = ", b"ID = ", b"ERROR = ")


def to_bytes(text: str, response: Response, charset: str, fmt: Fmt) -> bytes:
    """``text``, the body encode() wrote for ``response``, in ``charset`` (a canonical
    name); EncodeError naming the field of the first character it cannot hold."""
    try:
        return text.encode(charset)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        path = _field_holding(response, charset) or None
        raise EncodeError(
            f"the character {describe_char(char)} ({char!r}) cannot be written in {charset}",
            fmt=fmt,
            path=path,
        ) from None


def _field_holding(response: Response, charset: str) -> str:
    """The path of the first string of ``response`` that ``charset`` cannot hold."""
    for path, value in _strings(response):
        try:
            value.encode(charset)
        except UnicodeEncodeError:
            return path
    # Only the standard wording of an error without a description is left: the
    # encoders write it, and it is Russian, which every offered charset holds.
    return "description" if isinstance(response, ApiError) else ""


def _strings(response: Response) -> Iterator[tuple[str, str]]:
    if isinstance(response, SenderList):
        for index, sender in enumerate(response.senders):
            yield f"senders[{index}].name", sender.name
            for key, value in sender.extra.items():
                yield f"senders[{index}].extra", key
                yield from _nested(f"senders[{index}].extra.{key}", value)
    elif isinstance(response, ApiError) and response.description is not None:
        yield "description", response.description


def _nested(path: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _nested(f"{path}.{key}", item)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _nested(f"{path}[{index}]", item)


def detect_bytes(data: bytes) -> Fmt:
    """:func:`~fmtcodec.detect` for a body's bytes in any offered charset: the rules only
    look at ASCII (spec §4.2), which all three charsets write alike."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    start = data.lstrip(b" \t\r\n")[:1]
    if start == b"<":
        return Fmt.XML
    if start in (b"[", b"{"):
        return Fmt.JSON
    if data.startswith(_TEXT_PREFIXES):
        return Fmt.TEXT
    return Fmt.CSV


def detect_text(text: str) -> Fmt:
    """:func:`~fmtcodec.detect` for text, CRLF and a leading BOM allowed."""
    if text.startswith(_BOM_TEXT):
        text = text[1:]
    return detect(text.replace("\r\n", "\n") if "\r" in text[:1024] else text)
