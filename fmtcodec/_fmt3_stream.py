"""fmt 3 lists a thousand records at a time: for iter_senders, without the whole model.

msgspec first reads the whole document as a list of raw records (views of the body's
bytes, about 50 bytes a record): that checks its syntax to the end, as decode does before
it reads any record. Then each thousand records are decoded by fmt 3's own decoder, and
handed out. Where a slice fails, the whole body is decoded: that raises decode's own
error (message, position, path), after the records of the slice before the one at
fault (found by halving the slice) have gone out. No record is read by a rule of its
own here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import msgspec

from . import _fmt3_json
from ._errors import DecodeError
from ._model import Sender, SenderList

__all__ = ["stream"]

_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])
_SLICE = 1_000  # records decoded at once: a few hundred KB of model at most
_SPACE = " \t\n"


def stream(text: str, utf8: bytes | None) -> Iterator[Sender] | None:
    """The senders of a list of several records in fmt 3 text (checked, LF-only; ``utf8``
    its UTF-8, if the caller has it), a slice at a time: what ``decode`` gives, and its
    error, after the records before the one at fault. None for any other body (not a
    list, a list of one record or none, a document msgspec refuses): decode reads it."""
    if text[:256].lstrip(_SPACE)[:1] != "[":
        return None  # an object, OK, or 256 spaces before anything: decode's to read
    try:
        records = _RAW_LIST.decode(text if utf8 is None else utf8)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None  # decode gives the error (a document nested too deeply too)
    if len(records) < 2:
        return None
    return _slices(text, utf8, records)


def _slices(text: str, utf8: bytes | None, records: list[msgspec.Raw]) -> Iterator[Sender]:
    for start in range(0, len(records), _SLICE):
        senders = _decoded(records[start : start + _SLICE])
        if senders is None:
            yield from _at_fault(text, utf8, records, start)
            return
        yield from senders


def _decoded(records: Sequence[msgspec.Raw]) -> tuple[Sender, ...] | None:
    """The senders of ``records`` read as a list by fmt 3's decoder; None if it refuses
    them (decode of the whole body then says why, at the right place)."""
    data = b"[" + b",".join(records) + b"]"
    try:
        found = _fmt3_json.decode(data.decode("utf-8"), data)
    except DecodeError:
        return None
    if not isinstance(found, SenderList) or len(found.senders) != len(records):
        return None  # pragma: no cover - a list of records is a list of as many senders
    return found.senders


def _at_fault(
    text: str, utf8: bytes | None, records: list[msgspec.Raw], start: int
) -> Iterator[Sender]:
    """From the slice at ``start`` that failed: the records before the fault, then
    decode's error; or, if the whole body reads after all, its senders from there."""
    try:
        whole = _fmt3_json.decode(text, utf8)
    except DecodeError as exc:
        error = exc
    else:
        assert isinstance(whole, SenderList)  # a list, as msgspec read it
        yield from whole.senders[start:]
        return
    fault = _first_refused(records, start)
    if fault > start:
        yield from _decoded(records[start:fault]) or ()
    raise error


def _first_refused(records: list[msgspec.Raw], start: int) -> int:
    """The first record of the slice at ``start`` that fmt 3's decoder refuses: the
    longest prefix of the slice that it reads, found by halving (a prefix that holds a
    refused record is refused)."""
    low, high = start, min(start + _SLICE, len(records))  # records[start:low] read
    while low < high:
        middle = (low + high + 1) // 2
        if _decoded(records[start:middle]) is None:
            high = middle - 1
        else:
            low = middle
    return low
