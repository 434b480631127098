"""Client code straight from the docs: must pass mypy --strict with no cast, assert or
ignore (tests/test_typing.py). Never run, only type-checked."""

from __future__ import annotations

from types import MappingProxyType

import fmtcodec
from fmtcodec import (
    ApiError,
    ErrorCode,
    Ok,
    OperatorStatus,
    Request,
    ResponseError,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    SenderWithStatus,
)


def enums_construct_from_ints() -> str:
    return (
        ErrorCode(3).description
        + SenderStatus(1).description
        + OperatorStatus(255).description
        + fmtcodec.describe(42)
    )


def statuses_after_all_need_no_narrowing(body: bytes) -> list[str]:
    listing = fmtcodec.decode_answer(Request.get(all=True, fmt=3, charset="utf-8"), body)
    return [sender.status.description for sender in listing.senders]


def operators_need_no_narrowing(body: bytes) -> list[str]:
    listing = fmtcodec.decode_answer(Request.get(operators=True), body)
    return [status.description for s in listing.senders for status in s.operators.values()]


def typed_decode(body: bytes) -> int:
    created: SenderCreated = fmtcodec.decode(body, 3, type=SenderCreated)
    listing = fmtcodec.decode(body, 3, type=SenderList)
    with_status = fmtcodec.decode(body, 1, type=SenderList[SenderWithStatus])
    ok: Ok = fmtcodec.decode(body, 0, type=Ok)
    del ok
    return created.id + len(listing.senders) + int(with_status.senders[0].status)


def answer_types(body: bytes) -> int:
    new_id: int = fmtcodec.decode_answer(Request.add("SHOP", cmt="x"), body).id
    done: Ok = fmtcodec.decode_answer(Request.delete(id=new_id), body)
    del done
    plain: tuple[Sender, ...] = fmtcodec.decode_answer(Request.get(), body).senders
    return new_id + len(plain)


def matching(response: fmtcodec.Response) -> str:
    match response:
        case SenderCreated(new_id):
            return f"created {new_id}"
        case ApiError(ErrorCode.SENDER_NOT_FOUND, text):
            return f"not found: {text}"
        case ApiError(code):
            return code.description
        case SenderList(senders=senders):
            return ", ".join(sender.name for sender in senders)
        case Ok():
            return "OK"
    return ""


def building_values() -> set[object]:
    statuses: dict[str, OperatorStatus] = {"mts_step": OperatorStatus.APPROVED}
    sender = Sender(name="A", id=1, operators=statuses)
    other = Sender(name="B", id=2, operators=MappingProxyType(statuses), extra={"x": "y"})
    listing = SenderList(senders=(sender, other))
    from_a_list = SenderList(senders=[sender, other])  # any iterable; stored as a tuple
    return {sender, listing, from_a_list, SenderCreated(7), ApiError(ErrorCode(3)), Ok()}


def requests_both_ways(params: dict[str, str]) -> dict[str, str]:
    request = Request.from_params(params)
    signed = request.with_credentials(apikey="KEY").with_format(3, "utf-8")
    return signed.without_credentials().to_params()


def errors(response: fmtcodec.Response) -> tuple[str, bool]:
    try:
        fmtcodec.raise_for_error(response)
    except fmtcodec.TooManyRequestsError as error:
        return error.description, error.retryable
    except ResponseError as error:
        return error.code.description, error.retryable
    return "", False


def wire(listing: SenderList) -> bytes:
    if fmtcodec.can_encode(listing, 0, charset="koi8-r") and fmtcodec.detect(b"OK") == 1:
        return fmtcodec.encode(listing, 0, charset="koi8-r")
    text: str = fmtcodec.encode(listing, 0)
    return text.encode()


def typed_senders(body: bytes) -> str:
    listing = fmtcodec.decode(body, 3, type=SenderList[Sender])
    first: Sender = listing.senders[0]
    return first.name
