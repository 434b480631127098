"""fmt 2 lists a thousand senders at a time: for iter_senders, without the whole model.

A list as the server writes it, ``<list>``, the ``<sender>`` elements, ``</list>``, is cut
before each ``<sender`` (raw ``<`` is markup in XML: outside a comment, a CDATA section
or a processing instruction, that is a sender's start tag); each thousand pieces, put
back between ``<list>`` and ``</list>``, go through fmt 2's own decoder (the same
hardened parser and checks), and their senders are handed out. A piece is well-formed
XML only if the document is there (the pieces are the document's content, in order,
with no DTD), so what every piece reads, the whole body reads the same way. Where a
slice fails, the whole body is decoded: that raises decode's own error (message,
position, path), after the senders of the pieces before the one at fault (found by
halving the slice); if it reads after all (a ``<sender`` inside a comment or a CDATA
section cut it in two), its senders are handed out from there. Any other body (a
declaration, a comment or spaces before ``<list>``, attributes on it, a DOCTYPE) is
decode's to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import _fmt2_xml
from ._errors import DecodeError
from ._model import Sender, SenderList

__all__ = ["stream"]

_SLICE = 1_000  # pieces decoded at once: a few hundred KB of model at most
_OPEN = "<list>"
_CLOSE = "</list>"
# Where a piece starts: a <sender> element's start tag (or, in a comment, what looks so).
_PIECE = re.compile(r"<sender[ \t\n/>]")


def stream(text: str) -> Iterator[Sender] | None:
    """The senders of a list of several ``<sender>`` elements in fmt 2 text (checked,
    LF-only), a slice at a time: what ``decode`` gives, and its error, after the senders
    before the one at fault. None for any other body, which decode reads."""
    if not text.startswith(_OPEN) or "<!DOCTYPE" in text:
        return None
    end = text.rfind(_CLOSE, len(_OPEN))
    if end < 0 or text[end + len(_CLOSE) :].strip(" \t\n"):
        return None  # no </list> at the end: decode says what is wrong
    first = _PIECE.search(text, len(_OPEN), end)
    if first is None or _PIECE.search(text, first.end(), end) is None:
        return None  # the list holds one sender at most
    return _slices(text, end)


def _starts(text: str, end: int) -> Iterator[int]:
    """Where each piece of the list's content starts (the first at the content's start)."""
    yield len(_OPEN)
    for found in _PIECE.finditer(text, len(_OPEN) + 1, end):
        yield found.start()


def _slices(text: str, end: int) -> Iterator[Sender]:
    starts = _starts(text, end)
    done = 0  # senders handed out
    piece: int | None = next(starts)
    while piece is not None:
        bounds = [piece]
        for piece in starts:  # the next slice starts with the last piece taken here
            bounds.append(piece)
            if len(bounds) > _SLICE:
                break
        else:
            piece = None
            bounds.append(end)
        senders = _decoded(text, bounds[0], bounds[-1])
        if senders is None:
            yield from _at_fault(text, bounds, done)
            return
        done += len(senders)
        yield from senders


def _decoded(text: str, start: int, stop: int) -> tuple[Sender, ...] | None:
    """The senders of the list's content from ``start`` to ``stop``, read by fmt 2's
    decoder as a list; None if it refuses them."""
    try:
        found = _fmt2_xml.decode(f"<list>\n{text[start:stop]}\n</list>")
    except DecodeError:
        return None
    if not isinstance(found, SenderList):  # pragma: no cover - <list> is a list
        return None
    return found.senders


def _at_fault(text: str, bounds: list[int], done: int) -> Iterator[Sender]:
    """From the slice whose pieces start at ``bounds`` (its end last) that failed: the
    senders of the pieces before the fault, then decode's error; or, if the whole body
    reads after all, its senders from the ``done`` ones handed out already."""
    try:
        whole = _fmt2_xml.decode(text)
    except DecodeError as exc:
        error = exc
    else:
        assert isinstance(whole, SenderList)  # a <list>
        yield from whole.senders[done:]
        return
    low, high = 0, len(bounds) - 2  # bounds[:low + 1] read; the fault is at most high
    while low < high:
        middle = (low + high + 1) // 2
        if _decoded(text, bounds[0], bounds[middle]) is None:
            high = middle - 1
        else:
            low = middle
    if low:
        yield from _decoded(text, bounds[0], bounds[low]) or ()
    raise error
