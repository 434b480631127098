"""The benchmark's documents: sender lists in each view and size, and tiny responses.

Everything is generated from a fixed seed, so every run times the same bytes. The lists
are built as models and written by ``fmtcodec.encode``; the floors' encoders must give
the same text (``run.py`` checks it before timing anything).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import fmtcodec
from fmtcodec import (
    ApiError,
    ErrorCode,
    Ok,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)

VIEWS = ("basic", "all", "operators")
SIZES = (1, 5, 20, 100, 3_000, 10_000)
QUICK_SIZES = SIZES[:-1]
FORMATS = (0, 1, 2, 3)
TINY = ("ok", "created", "error")

# Weighted like a real account: most names approved, most operators approved.
_SENDER_STATUSES = [SenderStatus.APPROVED] * 6 + [
    SenderStatus.AWAITING_MODERATION,
    SenderStatus.DISABLED,
]
_OPERATOR_STATUSES = [OperatorStatus.APPROVED] * 10 + list(OperatorStatus)
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CYRILLIC = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯабвгдежзиклмнопрстуфхцчшэюя"


def has_view(fmt: int, view: str) -> bool:
    """fmt 1 has no operators=1 view (spec §2)."""
    return not (fmt == 1 and view == "operators")


def _name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:  # a digital name is a phone number
        return "7" + "".join(rng.choices("0123456789", k=10))
    if roll < 0.20:  # an old, pre-rule name in Cyrillic (spec §4.6)
        return "".join(rng.choices(_CYRILLIC, k=rng.randint(4, 11)))
    head = "".join(rng.choices(_LATIN, k=rng.randint(3, 8)))
    tail = rng.choice(["", "", "", "-24", ".ru", "_SMS", "2"])
    return (head + tail)[:11]


def sender_list(view: str, size: int, seed: int = 5) -> SenderList:
    """A list of ``size`` senders in ``view``, the same every time for the same seed."""
    rng = random.Random(f"{view}/{size}/{seed}")
    senders = []
    next_id = rng.randint(1_000, 90_000)
    for _ in range(size):
        next_id += rng.randint(1, 40)
        status = rng.choice(_SENDER_STATUSES) if view == "all" else None
        operators: dict[str, OperatorStatus] = {}
        if view == "operators":
            operators = {key: rng.choice(_OPERATOR_STATUSES) for key in fmtcodec.OPERATOR_KEYS}
        senders.append(Sender(name=_name(rng), id=next_id, status=status, operators=operators))
    return SenderList(senders=tuple(senders))


def tiny(kind: str) -> Response:
    """One of the one-line responses: ``OK``, a created id, an error."""
    if kind == "ok":
        return Ok()
    if kind == "created":
        return SenderCreated(id=5)
    return ApiError(code=ErrorCode.SENDER_NOT_FOUND, description="Имя отправителя не найдено.")


@dataclass(frozen=True)
class Document:
    """One benchmark case's input: the model and its body in one format, as UTF-8 bytes."""

    fmt: int
    view: str  # a list view, or a tiny kind
    size: int  # records; 0 for a tiny response
    model: Response
    body: bytes

    @property
    def label(self) -> str:
        size = f" {self.size}" if self.size else ""
        return f"fmt{self.fmt} {self.view}{size}"


def documents(sizes: tuple[int, ...] = SIZES) -> list[Document]:
    """Every case: each format, view and size, then the tiny responses of each format."""
    found = []
    for size in sizes:
        for view in VIEWS:
            model = sender_list(view, size)
            for fmt in FORMATS:
                if has_view(fmt, view):
                    body = fmtcodec.encode(model, fmt).encode("utf-8")
                    found.append(Document(fmt, view, size, model, body))
    for kind in TINY:
        response = tiny(kind)
        for fmt in FORMATS:
            body = fmtcodec.encode(response, fmt).encode("utf-8")
            found.append(Document(fmt, kind, 0, response, body))
    return found
