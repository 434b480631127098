"""The canonical model: one typed value for every response senders.php can send.

Every wire format decodes into these values and encodes from them (spec §2).
Known codes become enum members; unknown ones stay plain ints (spec §4.3).
"""

from __future__ import annotations

import enum
from typing import Any, TypeAlias

import msgspec

__all__ = [
    "OPERATOR_KEYS",
    "ApiError",
    "ErrorCode",
    "Fmt",
    "Ok",
    "OperatorStatus",
    "Response",
    "Sender",
    "SenderCreated",
    "SenderList",
    "SenderStatus",
]


class Fmt(enum.IntEnum):
    """The wire formats, by the value of the API's ``fmt`` parameter."""

    TEXT = 0
    """``key = value, ...`` lines (the API's default)."""
    CSV = 1
    """Comma-separated lines."""
    XML = 2
    """XML."""
    JSON = 3
    """JSON."""


class _Described(enum.IntEnum):
    """An IntEnum whose members carry the API page's Russian wording as ``description``."""

    description: str

    def __new__(cls, value: int, description: str) -> _Described:
        member = int.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member


class SenderStatus(_Described):
    """The moderation status of a sender name (``all=1``)."""

    AWAITING_MODERATION = 0, "ожидает модерации"
    """Awaiting moderation."""
    APPROVED = 1, "допущено к использованию"
    """Approved for use."""
    DISABLED = 2, "выключено"
    """Disabled."""


class OperatorStatus(_Described):
    """The registration status of a sender name at one operator (``operators=1``)."""

    AWAITING_REGISTRATION = 0, "ожидает регистрации"
    """Awaiting registration."""
    SENT_FOR_REGISTRATION = 1, "отправлено на регистрацию"
    """Sent for registration."""
    APPROVED = 2, "допущено оператором"
    """Approved by the operator."""
    REJECTED = 3, "не принято оператором"
    """Rejected by the operator."""
    TEMPORARILY_DISABLED = 4, "временно отключено"
    """Temporarily disabled."""
    INSUFFICIENT_FUNDS = 5, "недостаточно средств на счете"
    """Insufficient funds on the account."""
    DOCUMENTS_REQUIRED = 8, "необходимы подтверждающие документы"
    """Supporting documents required."""
    ACTIVATION_FROM_MONTH_START = 9, "активация с начала месяца"
    """Activation from the start of the month."""
    APPROVED_PENDING_REMOVAL = 255, "допущено, но помечено на снятие с регистрации"
    """Approved, but marked for removal from registration."""


class ErrorCode(_Described):
    """The error codes of senders.php (send.php gives the same numbers other meanings)."""

    BAD_PARAMETERS = 1, "Ошибка в параметрах."
    """Bad parameters."""
    AUTH_FAILED = (
        2,
        "Неверный логин или пароль. Также возникает при попытке отправки сообщения с IP-адреса,"
        " не входящего в список разрешенных Клиентом (если такой список был настроен Клиентом"
        " ранее).",
    )
    """Wrong login or password, or a request from an IP not on the client's allow-list."""
    SENDER_NOT_FOUND = 3, "Имя отправителя не найдено."
    """Sender name not found."""
    IP_BLOCKED = 4, "IP-адрес временно заблокирован."
    """IP address temporarily blocked."""
    SAVE_FAILED = 5, "Ошибка сохранения или удаления имени отправителя."
    """Error saving or deleting the sender name."""
    BAD_NUMBER_FORMAT = 7, "Неверный формат номера."
    """Bad phone number format."""
    CODE_UNDELIVERABLE = 8, "Код подтверждения на указанный номер не может быть доставлен."
    """The confirmation code cannot be delivered to that number."""
    TOO_MANY_REQUESTS = (
        9,
        # The API page gives this text as two paragraphs; joined by a space so that every
        # format, fmt 0 included, can carry it (spec §4.4).
        "Попытка отправки более трех одинаковых запросов на получение списка доступных имен"
        " отправителей или пяти запросов на создание нового имени отправителя в течение минуты."
        " Данная ошибка возникает также при попытке отправки пятнадцати и более запросов"
        " одновременно с разных подключений под одним логином (too many concurrent requests).",
    )
    """Too many requests: over 3 identical list requests or 5 create requests a minute,
    or 15+ concurrent connections on one login."""
    CODE_ALREADY_SENT = (
        10,
        "Код уже был отправлен на указанный номер. Повторная попытка возможна через 8 часов.",
    )
    """A code was already sent to that number; retry after 8 hours."""
    WRONG_CODE = 11, "Неверный код подтверждения."
    """Wrong confirmation code."""


OPERATOR_KEYS: tuple[str, ...] = (
    # The order of fmt 0 and fmt 2 (spec §2); fmt 3 has its own (see fmt3_json).
    "mega_step",
    "bee_step",
    "motiv_step",
    "sber_step",
    "winmob_step",
    "volnamob_step",
    "mts_step",
    "tele2_step",
    "tele2",
    "ua_reg",
    "ua_int",
    "mega_int",
    "motiv_int",
    "mts_int",
    "motiv",
    "by_reg",
    "by_int",
    "tele2_int",
    "sber_int",
)
"""The 19 operator keys of the ``operators=1`` view, in the order of fmt 0 and fmt 2."""


class Sender(msgspec.Struct, frozen=True, kw_only=True):
    """One sender name of a list.

    ``status`` is set in the ``all=1`` view, ``operators`` (operator key to status) in
    the ``operators=1`` view; the plain view has neither. ``extra`` holds the record's
    keys the model does not know, in order, with their values, so that they are written
    back (spec §4.3). Treat the mappings as read-only.
    """

    name: str
    id: int
    status: SenderStatus | int | None = None
    operators: dict[str, OperatorStatus | int] = msgspec.field(default_factory=dict)
    extra: dict[str, Any] = msgspec.field(default_factory=dict)


class SenderList(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to ``get=1``: the account's sender names."""

    senders: list[Sender] = msgspec.field(default_factory=list)


class SenderCreated(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to ``add=1``: the id the server gave the new name."""

    id: int


class Ok(msgspec.Struct, frozen=True, kw_only=True):
    """The bare acknowledgement ``OK`` (``chg``, ``del``, ``send_code``, ``check_code``)."""


class ApiError(msgspec.Struct, frozen=True, kw_only=True):
    """An error the server answered with.

    ``description`` is ``None`` when the format carried none (fmt 1, spec §4.4).
    """

    code: ErrorCode | int
    description: str | None = None

    @property
    def meaning(self) -> str:
        """The code's standard description from the API page, or ``""`` for an unknown code."""
        # By value: ApiError(code=5) built by hand means ErrorCode.SAVE_FAILED too (spec §4.4).
        known = ERROR_CODES.get(int(self.code))
        return known.description if known is not None else ""


Response: TypeAlias = SenderList | SenderCreated | Ok | ApiError
"""Any value :func:`fmtcodec.decode` returns."""


def _lookup(enum_type: type[_Described]) -> dict[int, Any]:
    return {int(member): member for member in enum_type}


SENDER_STATUSES: dict[int, SenderStatus] = _lookup(SenderStatus)
OPERATOR_STATUSES: dict[int, OperatorStatus] = _lookup(OperatorStatus)
ERROR_CODES: dict[int, ErrorCode] = _lookup(ErrorCode)
