"""From the caller's bytes or str to checked text: size cap, charset, characters, newlines.

Every format reads what :func:`prepare` returns, so the rules of spec §4.1, 4.9 and 4.10
hold for all four alike.
"""

from __future__ import annotations

import codecs
import re

from ._errors import DecodeError

__all__ = ["CHARSETS", "DEFAULT_MAX_SIZE", "check_text", "normalize_charset", "prepare"]

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


def normalize_charset(charset: str) -> str:
    """The allow-listed name for ``charset`` (any alias), or a DecodeError."""
    if not isinstance(charset, str):
        raise TypeError(f"charset must be a str, not {type(charset).__name__}")
    if charset in _CANONICAL:
        return _CANONICAL[charset]
    try:
        name = _ALLOWED.get(codecs.lookup(charset).name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name (found by fuzzing)
        name = None
    if name is None:
        raise DecodeError(
            f"charset {charset!r} is not supported; use one of {', '.join(CHARSETS)}",
            lineno=1,
            colno=1,
            offset=0,
        )
    return name


def describe_char(char: str) -> str:
    """``U+0001`` for a character, as error messages name it."""
    return f"U+{ord(char):04X}"


def _clean(text: str) -> bool:
    """True when ``text`` holds nothing spec §4.10 forbids: the C-level test check_text
    makes first (7 ms for 5 MB, where the regex takes 90 ms)."""
    try:
        raw = text.encode("utf-8")  # refuses lone surrogates
    except UnicodeEncodeError:
        return False
    if len(raw.translate(None, _FORBIDDEN_BYTES)) != len(raw):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


def check_text(text: str) -> None:
    """Raise a DecodeError at the first character spec §4.10 forbids."""
    if _clean(text):
        return
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        char = bad.group()
        what = "a CR not followed by LF" if char == "\r" else f"the character {describe_char(char)}"
        raise DecodeError.at(f"{what} is not allowed", text, bad.start())


def _decode_bytes(data: bytes, charset: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        # spec §4.9: a UTF-8 BOM means UTF-8, whatever the caller said, and is dropped.
        data, charset = data[3:], "utf-8"
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        raw = data[: exc.start]
        line_start = raw.rfind(b"\n") + 1
        raise DecodeError(
            f"byte 0x{data[exc.start]:02X} is not valid {charset}",
            lineno=raw.count(b"\n") + 1,
            colno=len(raw[line_start:].decode(charset, "replace")) + 1,
            offset=exc.start,
        ) from None


def prepare(data: bytes | str, charset: str, max_size: int) -> str:
    """The text of ``data``: size-checked, decoded strictly, characters checked, LF only."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > max_size:
            raise _too_big(len(data), "bytes", max_size)
        # A fast C-level test first: most bodies hold no control characters at all.
        if len(data.translate(None, _FORBIDDEN_BYTES)) != len(data) or b"\r" in data:
            text = _decode_bytes(data, charset)
            check_text(text)
        else:
            text = _decode_bytes(data, charset)
    elif isinstance(data, str):
        if len(data) > max_size:
            raise _too_big(len(data), "characters", max_size)
        text = data[1:] if data.startswith(_BOM) else data
        check_text(text)
    else:
        raise TypeError(f"data must be bytes or str, not {type(data).__name__}")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def _too_big(size: int, unit: str, max_size: int) -> DecodeError:
    return DecodeError(
        f"the input is {size} {unit}, over the limit of {max_size} (raise max_size to read it)",
        lineno=1,
        colno=1,
        offset=max_size,
    )
