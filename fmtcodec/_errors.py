"""The exceptions fmtcodec raises, split by whose fault they are."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ._model import ApiError, ErrorCode

__all__ = [
    "RESPONSE_ERRORS",
    "AuthenticationError",
    "BadNumberFormatError",
    "BadParametersError",
    "CodeAlreadySentError",
    "CodeUndeliverableError",
    "DecodeError",
    "EncodeError",
    "IPBlockedError",
    "ResponseError",
    "SaveFailedError",
    "SenderNotFoundError",
    "TooManyRequestsError",
    "WrongCodeError",
    "one_line",
]


_FORMAT_NAMES = ("text", "CSV", "XML", "JSON")


class DecodeError(ValueError):
    """The input is not a valid senders.php response.

    ``msg`` is the bare reason; ``lineno`` and ``colno`` (1-based) and ``offset`` (0-based,
    in characters of the decoded text with CRLF read as LF, or in bytes when the bytes could
    not be decoded) say where; ``at_end`` is true when the input ended too early; ``path``
    names the model field (``senders[2].id``) where one applies. ``fmt`` is the format the
    body was read as (0-3) and ``detected`` whether it was detected rather than given;
    ``suggested_charset`` is set when the bytes are not valid in the charset they were read
    in but are in another allowed one. The message is "fmt F (NAME, detected|given): msg"
    and ends "(at line L, column C)" or "(at end of input)".
    """

    def __init__(
        self,
        msg: str,
        *,
        lineno: int,
        colno: int,
        offset: int,
        at_end: bool = False,
        path: str | None = None,
        fmt: int | None = None,
        detected: bool = False,
        suggested_charset: str | None = None,
    ) -> None:
        msg = one_line(msg)
        self.msg = msg
        self.lineno = lineno
        self.colno = colno
        self.offset = offset
        self.at_end = at_end
        self.path = path
        self.fmt = fmt
        self.detected = detected
        self.suggested_charset = suggested_charset
        where = "at end of input" if at_end else f"at line {lineno}, column {colno}"
        super().__init__(f"{self.message} ({where})")

    @property
    def reading(self) -> str | None:
        """How the body was read: ``fmt 3 (JSON, detected)``; None when not known."""
        if self.fmt is None:
            return None
        how = "detected" if self.detected else "given"
        return f"fmt {self.fmt} ({_FORMAT_NAMES[self.fmt]}, {how})"

    @property
    def message(self) -> str:
        """The message without its position: how the body was read, and the reason."""
        return self.msg if self.reading is None else f"{self.reading}: {self.msg}"

    def read_as(self, fmt: int, detected: bool, msg: str | None = None) -> DecodeError:
        """The same error, saying the format the body was read as (and ``msg`` if given)."""
        return DecodeError(
            self.msg if msg is None else msg,
            lineno=self.lineno,
            colno=self.colno,
            offset=self.offset,
            at_end=self.at_end,
            path=self.path,
            fmt=int(fmt),
            detected=detected,
            suggested_charset=self.suggested_charset,
        )

    @classmethod
    def at(cls, msg: str, text: str, offset: int, *, path: str | None = None) -> DecodeError:
        """The error at ``offset`` of ``text``; an offset past the end means end of input."""
        offset = max(0, min(offset, len(text)))
        lineno, colno = line_and_column(text, offset)
        return cls(
            msg,
            lineno=lineno,
            colno=colno,
            offset=offset,
            at_end=offset >= len(text),
            path=path,
        )


# What str.splitlines() breaks a line at, as Python's repr writes it: a message quoting a
# value (libxml2 quotes attribute values whole) stays one line (spec §4.12).
_LINE_BREAKS = {ord(char): repr(char)[1:-1] for char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(msg: str) -> str:
    """``msg`` with every line break escaped (``\\n``, ``\\x85``, ``\\u2028``...)."""
    return msg.translate(_LINE_BREAKS)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` (0 to ``len(text)``) in ``text``."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def characters_in(data: bytes, charset: str = "utf-8") -> int:
    """How many characters ``data`` holds: turns a byte offset into a character offset.

    A character cut at the end (a byte offset inside it) is not counted.
    """
    return len(data.decode(charset, "ignore"))


def content_end(text: str) -> int:
    """``len(text.rstrip("\n"))`` without the copy of the whole text that rstrip makes
    (spec §4.1: trailing newlines are accepted): where a body's content ends."""
    if not text.endswith("\n"):
        return len(text)
    tail = text[-64:]
    kept = tail.rstrip("\n")
    if kept or len(tail) == len(text):
        return len(text) - len(tail) + len(kept)
    return len(text.rstrip("\n"))  # 64 newlines or more at the end: rare enough to copy


def line_start(text: str, row: int) -> int:
    """Where 0-based line ``row`` of ``text`` starts (the last line's start past the end)."""
    start = 0
    for _ in range(row):
        next_line = text.find("\n", start)
        if next_line < 0:
            break
        start = next_line + 1
    return start


def line_text(text: str, start: int) -> str:
    """The line of ``text`` that starts at ``start``, without its newline."""
    end = text.find("\n", start)
    return text[start : len(text) if end < 0 else end]


class EncodeError(ValueError):
    """The target format cannot carry this response.

    ``path`` names the record or field (``senders[3].name``), ``fmt`` the target format
    and ``reason`` why it cannot be written.
    """

    def __init__(self, reason: str, *, fmt: int | None = None, path: str | None = None) -> None:
        where = f"{path}: " if path else ""
        # The format modules raise it without fmt; encode() adds the one it was asked for.
        target = "" if fmt is None else f" (fmt {int(fmt)})"
        super().__init__(f"{where}{reason}{target}")
        self.reason = reason
        self.fmt = fmt
        self.path = path


class ResponseError(Exception):
    """The server answered with an error: raised by :func:`fmtcodec.raise_for_error`,
    by :func:`fmtcodec.decode` given ``type=`` and by :func:`fmtcodec.decode_answer`.

    Each error code the API page lists has a subclass (``SenderNotFoundError`` for 3...,
    the table in docs/client.md); an unknown code raises ResponseError itself, so
    ``except fmtcodec.ResponseError`` catches them all. ``error`` is the decoded
    :class:`~fmtcodec.ApiError`; ``code`` its :class:`~fmtcodec.ErrorCode`;
    ``description`` the server's text, or the code's standard wording when the format
    carried none (fmt 1); ``retryable`` tells whether the same request may succeed later
    (codes 4 and 9: a blocked IP, too many requests).
    """

    code_value: ClassVar[int | None] = None
    """The code the class stands for (None: any code, ResponseError itself)."""
    retryable: ClassVar[bool] = False
    """Whether sending the same request again later can help."""

    def __init__(self, error: ApiError) -> None:
        text = error.description if error.description is not None else error.meaning
        super().__init__(f"error {int(error.code)}: {text}" if text else f"error {int(error.code)}")
        self.error = error
        self.code: ErrorCode = error.code
        self.description: str = (
            error.description if error.description is not None else error.code.description
        )

    @staticmethod
    def for_error(error: ApiError) -> ResponseError:
        """The exception for ``error``: its code's subclass, or ResponseError for a code
        the API page does not list."""
        return _BY_CODE.get(int(error.code), ResponseError)(error)


class BadParametersError(ResponseError):
    """Error 1: the request's parameters are wrong."""

    code_value = 1


class AuthenticationError(ResponseError):
    """Error 2: wrong login or password (or apikey), or an IP not on the allow-list."""

    code_value = 2


class SenderNotFoundError(ResponseError):
    """Error 3: no such sender name."""

    code_value = 3


class IPBlockedError(ResponseError):
    """Error 4: the IP address is blocked for a while; retryable."""

    code_value = 4
    retryable = True


class SaveFailedError(ResponseError):
    """Error 5: the server could not save or delete the sender name."""

    code_value = 5


class BadNumberFormatError(ResponseError):
    """Error 7: the phone number (a digital name) is malformed."""

    code_value = 7


class CodeUndeliverableError(ResponseError):
    """Error 8: the confirmation code cannot be delivered to that number."""

    code_value = 8


class TooManyRequestsError(ResponseError):
    """Error 9: too many identical or concurrent requests; retryable after a minute."""

    code_value = 9
    retryable = True


class CodeAlreadySentError(ResponseError):
    """Error 10: a code was already sent to that number (the server says: retry in 8
    hours, which is past any client's retry loop, so not marked retryable)."""

    code_value = 10


class WrongCodeError(ResponseError):
    """Error 11: the confirmation code is wrong."""

    code_value = 11


RESPONSE_ERRORS: tuple[type[ResponseError], ...] = (
    BadParametersError,
    AuthenticationError,
    SenderNotFoundError,
    IPBlockedError,
    SaveFailedError,
    BadNumberFormatError,
    CodeUndeliverableError,
    TooManyRequestsError,
    CodeAlreadySentError,
    WrongCodeError,
)
"""One ResponseError subclass per error code the API page lists, in code order."""

_BY_CODE: dict[int, type[ResponseError]] = {
    cls.code_value: cls for cls in RESPONSE_ERRORS if cls.code_value is not None
}
