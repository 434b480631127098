"""The text gate: from the caller's bytes or str to checked text and the format to read it.

Size cap, charset (the caller's, a UTF-8 BOM's or an XML declaration's), strict decoding,
the character policy, CRLF to LF, and format detection. Every format reads the
:class:`Body` that :func:`open_body` returns, so spec §4.1, 4.2, 4.9 and 4.10 hold for all
four alike, and no format looks at bytes or charsets again.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from . import _values
from ._errors import DecodeError, characters_in
from ._model import Fmt

__all__ = [
    "CHARSETS",
    "DEFAULT_MAX_SIZE",
    "FORBIDDEN_IN_DECODED",
    "Body",
    "charset_name",
    "describe_char",
    "detect",
    "open_body",
]

DEFAULT_MAX_SIZE = 64 * 1024 * 1024
"""The default input size cap: 64 MiB (a 10,000-name operators=1 list is about 2 MB)."""

CHARSETS = ("utf-8", "windows-1251", "koi8-r")
"""The charsets the API offers (spec §4.9); their aliases are accepted too."""

# codecs' canonical names of the allow-list; anything else (rot13, base64, utf-7...) is refused.
_ALLOWED = {"utf-8": "utf-8", "cp1251": "windows-1251", "koi8-r": "koi8-r"}
# The allow-list's own names, which need no codecs lookup (a third of a tiny decode's time).
_CANONICAL = {name: name for name in CHARSETS}

# spec §4.10: NUL, C0 controls other than tab and newline, a CR that does not start a CRLF,
# and lone surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]|\r(?!\n)")
# The same characters with a CR among them, for text that cannot hold one: decoded text
# (prepare() leaves it LF-only) and what the encoders write (a CR in the model could not
# come back), and what a JSON escape wrote.
FORBIDDEN_IN_DECODED = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")
_FORBIDDEN_BYTES = bytes(range(0x20)).replace(b"\t", b"").replace(b"\n", b"").replace(b"\r", b"")
_BOM = "\ufeff"
# spec §4.9: an XML declaration's encoding governs an XML body's bytes.
_DECLARATION = re.compile(rb"""\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"'>]*)\1""")
_DECLARATION_TEXT = re.compile(_DECLARATION.pattern.decode("ascii"))  # the same, on text
_TEXT_PREFIXES = ("name = ", "ID = ", "ERROR = ")
# What the first byte of a body must not be for open_body's fused path: the start of a
# UTF-8 BOM, or the white space an XML declaration may follow (spec §4.9); nor may its
# first two bytes open a declaration.
_MAY_BE_MARKED = frozenset((codecs.BOM_UTF8[:1], *(bytes([c]) for c in b" \t\n\r\v\f")))


def charset_name(charset: str, what: str = "charset") -> str:
    """The allow-listed name for ``charset`` (any alias codecs knows, any case), or a
    ValueError naming ``what`` and the charsets offered; TypeError for a non-str."""
    if not isinstance(charset, str):  # first: a list is no key of _CANONICAL either
        raise TypeError(f"{what} must be a str, not {type(charset).__name__}")
    if charset in _CANONICAL:
        return _CANONICAL[charset]
    try:
        name = _ALLOWED.get(codecs.lookup(charset).name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name (found by fuzzing)
        name = None
    if name is None:
        raise ValueError(f"{what} {charset!r} is not supported; use one of {', '.join(CHARSETS)}")
    return name


def describe_char(char: str) -> str:
    """``U+0001`` for a character, as error messages name it."""
    return f"U+{ord(char):04X}"


def _plain_bytes(data: bytes) -> bool:
    """True when ``data`` holds no control byte spec §4.10 forbids and no CR (which the
    text gate must check or turn into LF): one C-level pass, most bodies pass it. find,
    not "in": bytes' "in" costs a short body three times as much."""
    return len(data.translate(None, _FORBIDDEN_BYTES)) == len(data) and data.find(b"\r") < 0


def _clean(text: str) -> bool:
    """True when ``text`` holds nothing spec §4.10 forbids: the C-level test _check_text
    makes first (7 ms for 5 MB, where the regex takes 90 ms)."""
    try:
        raw = text.encode("utf-8")  # refuses lone surrogates
    except UnicodeEncodeError:
        return False
    if len(raw.translate(None, _FORBIDDEN_BYTES)) != len(raw):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


def _check_text(text: str) -> None:
    """Raise a DecodeError at the first character spec §4.10 forbids."""
    if _clean(text):
        return
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        char = bad.group()
        what = "a CR not followed by LF" if char == "\r" else f"the character {describe_char(char)}"
        raise DecodeError.at(f"{what} is not allowed", text, bad.start())


def _decode_bytes(data: bytes, charset: str, chosen: bool = True) -> str:
    """``data`` decoded strictly; a failure names the allowed charset the bytes are valid
    in when the caller ``chosen`` the charset (not a BOM or an XML declaration)."""
    if data.startswith(codecs.BOM_UTF8):
        # spec §4.9: a UTF-8 BOM means UTF-8, whatever the caller said, and is dropped.
        data, charset = data[3:], "utf-8"
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        from ._explain import charset_advice, suggest_charset  # only for a body that fails

        raw = data[: exc.start]
        line_start = raw.rfind(b"\n") + 1
        other = suggest_charset(data, charset) if chosen else None
        advice = "" if other is None else charset_advice(other)
        raise DecodeError(
            f"byte 0x{data[exc.start]:02X} is not valid {charset}{advice}",
            lineno=raw.count(b"\n") + 1,
            colno=characters_in(raw[line_start:], charset) + 1,
            offset=exc.start,
            suggested_charset=other,
        ) from None


class Body(NamedTuple):
    """A response body through the gate: what a format's decoder reads."""

    text: str  # decoded, checked (spec §4.10), LF-only
    fmt: Fmt  # the format asked for, or detected (spec §4.2)
    charset: str  # the charset the bytes were read in ("utf-8" for str input)
    utf8: bytes | None  # the caller's bytes when they are exactly the text's UTF-8


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


def _declared(match: re.Match[bytes] | re.Match[str] | None) -> str | None:
    """The allow-listed charset an XML declaration names (spec §4.9), if there is one."""
    if match is None:
        return None
    name = match.group(2)
    if isinstance(name, bytes):
        name = name.decode("ascii", "replace")
    try:
        return charset_name(name)
    except ValueError:
        offset = match.start(2)
        raise DecodeError(
            f"the declared encoding {name!r} is not one of utf-8, windows-1251, koi8-r",
            lineno=1,
            colno=offset + 1,
            offset=offset,
        ) from None


def open_body(data: object, fmt: Fmt | None, charset: str, max_size: int) -> Body:
    """``data`` through the gate: size-checked, its charset found, decoded strictly,
    characters checked, LF only, and its format (``fmt``, or detected when None)."""
    if (
        type(data) is bytes
        and _values.FAST_PATHS
        and type(max_size) is int
        and type(charset) is str
        and charset in _CANONICAL
        and len(data) <= max_size
        and data[:1] not in _MAY_BE_MARKED
        and data[:2] != b"<?"
    ):
        fused = _fused(data, fmt, charset)
        if fused is not None:
            return fused
    if not isinstance(max_size, int) or isinstance(max_size, bool):
        raise TypeError(f"max_size must be an int, not {type(max_size).__name__}")
    charset = charset_name(charset)  # a caller's mistake: ValueError, not DecodeError
    utf8: bytes | None = None
    if isinstance(data, (bytes, bytearray, memoryview)):
        text, charset, utf8 = _from_bytes(bytes(data), fmt, charset, max_size)
    elif isinstance(data, str):
        if len(data) > max_size:
            raise _too_big(data, charset, max_size)
        text = data[1:] if data.startswith(_BOM) else data
        _check_text(text)
    else:
        raise TypeError(f"data must be bytes or str, not {type(data).__name__}")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    used = detect(text) if fmt is None else fmt
    if used is Fmt.XML and isinstance(data, str):
        _declared(_DECLARATION_TEXT.match(text))  # a str has no bytes, but the name must be known
    return Body(text, used, charset, utf8)


def _fused(data: bytes, fmt: Fmt | None, charset: str) -> Body | None:
    """The common call, fused: bytes named in an offered charset's own name that cannot
    start with a BOM or an XML declaration (an XML body that does not open with one has
    none), so the caller's charset holds. None for what
    this cannot settle (a byte the charset refuses, a control character, a CR): the
    general way finds it again and reports it."""
    try:
        text = data.decode(charset)
    except UnicodeDecodeError:
        return None
    if not _plain_bytes(data):
        return None
    used = detect(text) if fmt is None else fmt
    same = data if charset == "utf-8" else None
    return _NEW_TUPLE(Body, (text, used, charset, same))  # half of Body(...)


def _from_bytes(
    data: bytes, fmt: Fmt | None, charset: str, max_size: int
) -> tuple[str, str, bytes | None]:
    """The text of bytes, checked but for CRs; the charset it was read in; and the bytes
    themselves when they are that text's UTF-8 (lxml and msgspec read UTF-8)."""
    bom = data.startswith(codecs.BOM_UTF8)
    # Read once, on the bytes: a declaration picks their charset (a BOM outranks it).
    declared = (
        _declared(_DECLARATION.match(data[3:1027] if bom else data[:1024]))
        if fmt in (None, Fmt.XML)
        else None
    )
    if bom:
        charset = "utf-8"
    elif declared is not None:
        charset = declared
    if len(data) > max_size:
        raise _too_big(data, charset, max_size)
    text = _decode_bytes(data, charset, chosen=not bom and declared is None)
    if not _plain_bytes(data):
        _check_text(text)
        return text, charset, None
    return text, charset, data if charset == "utf-8" and not bom else None


_NEW_TUPLE = tuple.__new__


def _too_big(data: bytes | str, charset: str, max_size: int) -> DecodeError:
    """The body is over ``max_size``: placed at its first byte (character) past the limit."""
    unit = "characters" if isinstance(data, str) else "bytes"
    msg = (
        f"the body is {len(data)} {unit}, over the limit of {max_size} (raise max_size to read it)"
    )
    if isinstance(data, str):
        return DecodeError.at(msg, data, max_size)
    line_start = data.rfind(b"\n", 0, max_size) + 1
    return DecodeError(
        msg,
        lineno=data.count(b"\n", 0, max_size) + 1,
        colno=characters_in(data[line_start:max_size], charset) + 1,
        offset=max_size,
    )
