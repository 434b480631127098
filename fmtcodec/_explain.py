"""What a DecodeError says beyond its bare reason, so that it tells what to do.

- The format the body was read as, and whether it was given or detected: a body read in
  the wrong format fails with reasons that make sense only in that format.
- A body that is no senders.php answer at all, but an HTML page or a proxy's plain-text
  error (a gateway that failed in the API's place), is called that, rather than failing
  on its first ``<`` or word.
- Bytes that are not valid in the charset they were read in, but are in another allowed
  one, get that charset named: forgetting windows-1251, the API's default, is the common
  mistake (spec §4.9 still never guesses: the caller decides).

Everything here runs only once decoding has failed: valid bodies never pay for it.
"""

from __future__ import annotations

import re

from ._errors import DecodeError
from ._model import Fmt

__all__ = ["charset_advice", "cli_charset_advice", "explain", "suggest_charset"]

# The allow-list in the order to suggest it: the API's default first (spec §1).
_SUGGESTED = ("windows-1251", "utf-8", "koi8-r")
# The letters of Russian text most often seen: bytes read in the right Cyrillic charset
# give mostly these; read in the wrong one, letters of every frequency.
_FREQUENT = frozenset("оеаинтсрвлОЕАИНТСРВЛ")
_SAMPLE = 65_536  # characters enough to tell two charsets apart

_HTML = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|h1|center)\b", re.I | re.S
)
_TITLE = re.compile(r"<(title|h1)\b[^>]*>\s*([^<]{1,120}?)\s*</\1", re.I)
# "502 Bad Gateway", "HTTP/1.1 503 Service Unavailable": a status line for a body.
_STATUS = re.compile(r"(?:HTTP/\d(?:\.\d)? )?[1-5]\d\d [A-Za-z]")
_PROXY_WORDS = re.compile(
    r"bad gateway|service (?:temporarily )?unavailable|gateway time-?out|too many requests"
    r"|internal server error|upstream connect|access denied|request time-?out"
    r"|connection (?:refused|reset|timed out)",
    re.I,
)


def explain(
    exc: DecodeError, data: bytes | str, fmt: Fmt, detected: bool, charset: str
) -> DecodeError:
    """``exc`` saying it read the body as ``fmt`` (``detected`` or given), or, for a body
    that is an HTML page or a proxy's plain-text error, saying that instead."""
    text = data if isinstance(data, str) else data.decode(charset, "replace")
    what = _not_an_answer(text)
    if what is None:
        return exc.read_as(fmt, detected)
    message, offset = what
    found = DecodeError.at(message, text.replace("\r\n", "\n"), offset)
    return found.read_as(fmt, detected)


def _not_an_answer(text: str) -> tuple[str, int] | None:
    """What the body is when it is an HTML page or a proxy's error, and where it starts."""
    page = _HTML.match(text)
    if page is not None:
        title = _TITLE.search(text, 0, _SAMPLE)
        named = f" ({' '.join(title.group(2).split())!r})" if title else ""
        start = text.rindex("<", 0, page.end())  # the page's first tag
        return (
            f"the body is an HTML page{named}, not a senders.php response:"
            " a web server or proxy answered in the API's place",
            start,
        )
    body = text.strip()
    if (
        body
        and len(body) <= 500
        and body.count("\n") < 5
        and " = " not in body
        # A status line alone says it; a gateway's words only where no fmt 1 row could be.
        and (_STATUS.match(body) or ("," not in body and _PROXY_WORDS.search(body)))
    ):
        line = body.split("\n", 1)[0][:80]
        return (
            f"the body is plain text ({line!r}), not a senders.php response:"
            " a proxy's or web server's error in the API's place",
            text.index(body[0]),
        )
    return None


def suggest_charset(data: bytes, charset: str) -> str | None:
    """An allowed charset other than ``charset`` in which ``data`` is valid, the likelier
    first (by the share of common Russian letters), or None."""
    valid = []
    for candidate in _SUGGESTED:
        if candidate == charset:
            continue
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        valid.append((_russian_score(text[:_SAMPLE]), -_SUGGESTED.index(candidate), candidate))
    return max(valid)[2] if valid else None


def _russian_score(text: str) -> float:
    letters = [char for char in text if "\u0400" <= char <= "\u04ff"]
    return sum(char in _FREQUENT for char in letters) / len(letters) if letters else 0.0


def _default(charset: str) -> str:
    return " (the API's default charset)" if charset == "windows-1251" else ""


def charset_advice(charset: str) -> str:
    """The advice a library caller gets with a charset failure (``charset=``)."""
    return f"; the body is valid {charset}{_default(charset)}: decode with charset={charset!r}"


def cli_charset_advice(charset: str) -> str:
    """The same advice for the command line (``--charset``)."""
    return f"; the body is valid {charset}{_default(charset)}: give --charset {charset}"
