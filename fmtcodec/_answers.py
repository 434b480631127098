"""Typed answers: a decoded response checked against the kind a request expects.

``decode(data, fmt, type=SenderList)`` and ``decode_answer(request, data)`` end here: an
ApiError becomes its ResponseError subclass, a response of another kind a DecodeError
naming both kinds, and the senders of an ``all=1`` answer SenderWithStatus values.
"""

from __future__ import annotations

import typing
from typing import Any, TypeVar

from ._api import decode
from ._errors import DecodeError, ResponseError
from ._model import (
    ApiError,
    Ok,
    Response,
    SenderCreated,
    SenderList,
    SenderWithStatus,
)
from ._request import Answer, Request
from ._source import DEFAULT_MAX_SIZE

__all__ = ["decode_answer", "expect"]

A = TypeVar("A", bound=Answer)

_KINDS: dict[type, str] = {
    SenderList: "a list of sender names",
    SenderCreated: "the id of a created name",
    Ok: "OK",
    ApiError: "an error",
}


def _kind(value: Response) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def expect(response: Response, wanted: Any) -> Any:
    """``response`` as a value of ``wanted`` (SenderList, SenderList[SenderWithStatus],
    SenderCreated or Ok); the API's error raised as a ResponseError; a DecodeError
    naming both kinds for a valid response of another kind."""
    origin = typing.get_origin(wanted) or wanted
    if origin not in (SenderList, SenderCreated, Ok):
        raise TypeError(
            "type must be SenderList, SenderList[SenderWithStatus], SenderCreated or Ok,"
            f" not {wanted!r}"
        )
    if isinstance(response, ApiError):
        raise ResponseError.for_error(response)
    if not isinstance(response, origin):
        # A valid body of the wrong kind: the answer to another command (spec §1).
        raise DecodeError(
            f"expected {_KINDS[origin]}, found {_kind(response)}", lineno=1, colno=1, offset=0
        )
    if origin is SenderList and typing.get_args(wanted) == (SenderWithStatus,):
        return with_statuses(response)
    return response


def with_statuses(listing: SenderList) -> SenderList[SenderWithStatus]:
    """``listing`` with every sender a SenderWithStatus; a DecodeError naming the first
    sender without a status (a list that is not the answer to an all=1 request)."""
    senders = []
    for index, sender in enumerate(listing.senders):
        if sender.status is None:
            raise DecodeError(
                f"senders[{index}] has no status, which an all=1 answer gives every name",
                lineno=1,
                colno=1,
                offset=0,
                path=f"senders[{index}].status",
            )
        senders.append(
            SenderWithStatus(
                name=sender.name,
                id=sender.id,
                status=sender.status,
                operators=sender.operators,
                extra=sender.extra,
            )
        )
    return SenderList(senders=tuple(senders))


def decode_answer(request: Request[A], data: bytes | str, *, max_size: int = DEFAULT_MAX_SIZE) -> A:
    """``data``, the body the server sent in answer to ``request``, as the answer's type.

    The format and charset are the request's (``effective_fmt``, ``effective_charset``:
    fmt 0 and windows-1251 when it named none). Returns a SenderList for ``get`` (of
    SenderWithStatus values when the request asked ``all=True``), a SenderCreated for
    ``add`` and Ok for the rest. Raises the API's error as its
    :class:`~fmtcodec.ResponseError` subclass, and DecodeError for a body that is not a
    valid response or is the answer to another command.
    """
    if not isinstance(request, Request):
        raise TypeError(f"request must be a Request, not {type(request).__name__}")
    response = decode(
        data, request.effective_fmt, charset=request.effective_charset, max_size=max_size
    )
    wanted: Any = request.answer_type
    if request.all:
        wanted = SenderList[SenderWithStatus]
    answer: A = expect(response, wanted)
    return answer
