"""Code that must NOT type-check: each line marked ``# error`` is one mypy --strict
reports (tests/test_typing.py checks that exactly those lines fail). Never run."""

from __future__ import annotations

import fmtcodec
from fmtcodec import ApiError, Ok, Request, Sender, SenderCreated, SenderList


def misuses(body: bytes, listing: SenderList, sender: Sender) -> None:
    listing.senders.append(sender)  # error
    sender.operators["mts_step"] = fmtcodec.OperatorStatus(2)  # error
    sender.name = "B"  # error
    print(sender.status.description)  # error
    _ = fmtcodec.decode(body, 3, type=SenderList).id  # error
    fmtcodec.decode(body, 3, type=ApiError)  # error
    _ = fmtcodec.decode(body, 3).senders  # error
    _ = fmtcodec.decode_answer(Request.add("A"), body).senders  # error
    _ = fmtcodec.decode_answer(Request.get(), body).senders[0].status.description  # error
    created: SenderCreated = fmtcodec.decode_answer(Request.delete(id=1), body)  # error
    ok: Ok = fmtcodec.decode_answer(Request.get(), body)  # error
    Request.add()  # error
    Request.chg("A")  # error
    Request.check_code("7")  # error
    text: str = fmtcodec.encode(listing, 0, charset="utf-8")  # error
    raw: bytes = fmtcodec.encode(listing, 0)  # error
    fmtcodec.Request.get(all=True).to_params()["x"] = 1  # error
    SenderList(senders=["A", "B"])  # error
    del created, ok, text, raw
