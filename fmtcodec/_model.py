"""The canonical model: one typed value for every response senders.php can send.

Every wire format decodes into these values and encodes from them (spec §2).
Known codes become enum members, unknown ones members named UNKNOWN (spec §4.3). Every
value is immutable, hashable and equal by value.
"""

# No "from __future__ import annotations": msgspec reads the fields' annotations in the
# module named by __module__, which fmtcodec/__init__.py sets to "fmtcodec"; evaluated
# here, they need no lookup there.
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeAlias

import msgspec
from msgspec.structs import force_setattr
from typing_extensions import TypeVar

from ._frozen import EMPTY, FrozenDict, freeze, freeze_mapping

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
    "SenderWithStatus",
    "describe",
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
    """An IntEnum whose members carry the API page's Russian wording as ``description``.

    Any int constructs a member: a code the API page does not list gives a member named
    ``UNKNOWN`` with that value, ``known`` false and an English ``description`` (spec §4.3:
    unknown codes are kept, not refused), so a client reads ``.description`` of any code
    without first asking whether it is known. Unknown members are built on each call and
    never cached (a hostile list of distinct codes must not grow a table); they compare
    and hash as their int, like every member.
    """

    description: str
    """The API page's wording for the code, or ``"unknown ... N"`` for an unknown code."""
    known: bool
    """Whether the API page lists the code."""
    _unknown_wording: str

    @classmethod
    def _missing_(cls, value: object) -> "_Described | None":
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = int(value)
        member.description = f"{cls._unknown_wording} {int(value)}"
        member.known = False
        return member


def _describe_members(enum_type: type[_Described], wording: str, texts: dict[int, str]) -> None:
    """Give each member of ``enum_type`` its text. Done after the class is made: a member
    value of (code, text) would make ``__new__`` take two arguments, and mypy would then
    refuse ``ErrorCode(3)``."""
    enum_type._unknown_wording = wording
    if set(texts) != {int(member) for member in enum_type}:
        raise AssertionError(f"{enum_type.__name__}: a member without a text, or a stray text")
    for member in enum_type:
        member.description = texts[int(member)]
        member.known = True


class SenderStatus(_Described):
    """The moderation status of a sender name (``all=1``)."""

    AWAITING_MODERATION = 0
    """Awaiting moderation."""
    APPROVED = 1
    """Approved for use."""
    DISABLED = 2
    """Disabled."""


_describe_members(
    SenderStatus,
    "unknown sender status",
    {0: "ожидает модерации", 1: "допущено к использованию", 2: "выключено"},
)


class OperatorStatus(_Described):
    """The registration status of a sender name at one operator (``operators=1``)."""

    AWAITING_REGISTRATION = 0
    """Awaiting registration."""
    SENT_FOR_REGISTRATION = 1
    """Sent for registration."""
    APPROVED = 2
    """Approved by the operator."""
    REJECTED = 3
    """Rejected by the operator."""
    TEMPORARILY_DISABLED = 4
    """Temporarily disabled."""
    INSUFFICIENT_FUNDS = 5
    """Insufficient funds on the account."""
    DOCUMENTS_REQUIRED = 8
    """Supporting documents required."""
    ACTIVATION_FROM_MONTH_START = 9
    """Activation from the start of the month."""
    APPROVED_PENDING_REMOVAL = 255
    """Approved, but marked for removal from registration."""


_describe_members(
    OperatorStatus,
    "unknown operator status",
    {
        0: "ожидает регистрации",
        1: "отправлено на регистрацию",
        2: "допущено оператором",
        3: "не принято оператором",
        4: "временно отключено",
        5: "недостаточно средств на счете",
        8: "необходимы подтверждающие документы",
        9: "активация с начала месяца",
        255: "допущено, но помечено на снятие с регистрации",
    },
)


class ErrorCode(_Described):
    """The error codes of senders.php (send.php gives the same numbers other meanings)."""

    BAD_PARAMETERS = 1
    """Bad parameters."""
    AUTH_FAILED = 2
    """Wrong login or password, or a request from an IP not on the client's allow-list."""
    SENDER_NOT_FOUND = 3
    """Sender name not found."""
    IP_BLOCKED = 4
    """IP address temporarily blocked."""
    SAVE_FAILED = 5
    """Error saving or deleting the sender name."""
    BAD_NUMBER_FORMAT = 7
    """Bad phone number format."""
    CODE_UNDELIVERABLE = 8
    """The confirmation code cannot be delivered to that number."""
    TOO_MANY_REQUESTS = 9
    """Too many requests: over 3 identical list requests or 5 create requests a minute,
    or 15+ concurrent connections on one login."""
    CODE_ALREADY_SENT = 10
    """A code was already sent to that number; retry after 8 hours."""
    WRONG_CODE = 11
    """Wrong confirmation code."""


_describe_members(
    ErrorCode,
    "unknown error code",
    {
        1: "Ошибка в параметрах.",
        2: "Неверный логин или пароль. Также возникает при попытке отправки сообщения с"
        " IP-адреса, не входящего в список разрешенных Клиентом (если такой список был"
        " настроен Клиентом ранее).",
        3: "Имя отправителя не найдено.",
        4: "IP-адрес временно заблокирован.",
        5: "Ошибка сохранения или удаления имени отправителя.",
        7: "Неверный формат номера.",
        8: "Код подтверждения на указанный номер не может быть доставлен.",
        # The API page gives this text as two paragraphs; joined by a space so that every
        # format, fmt 0 included, can carry it (spec §4.4).
        9: "Попытка отправки более трех одинаковых запросов на получение списка доступных"
        " имен отправителей или пяти запросов на создание нового имени отправителя в течение"
        " минуты. Данная ошибка возникает также при попытке отправки пятнадцати и более"
        " запросов одновременно с разных подключений под одним логином (too many concurrent"
        " requests).",
        10: "Код уже был отправлен на указанный номер. Повторная попытка возможна через 8 часов.",
        11: "Неверный код подтверждения.",
    },
)


def describe(code: int) -> str:
    """The wording of any error code: the API page's for a known one, else
    ``"unknown error code N"``. Same as ``ErrorCode(code).description``."""
    return ErrorCode(code).description


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


MAX_NUMBER = 2**63 - 1
"""The largest id, status or code the wire may hold (spec §4.7)."""

# msgspec checks this range when it decodes into the model (fmt 3's typed path, or a
# caller's msgspec.json.decode(..., type=SenderList)); a value built by hand is checked
# by the encoders. Codes are enum members, which msgspec cannot bound: fmt 3 checks them.
_Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_NUMBER)]

# The model's msgspec options. gc=False: a model value holds str, int, enum members and
# read-only mappings of plain data (all that decoding gives), never a cycle, so the
# collector need not track it: a quarter of decoding a list into Senders, and 16 bytes a
# sender (an object of a caller's own in extra must not refer back: CHANGELOG). rename: the
# members as fmt 3 writes them, so that msgspec decodes a fmt 3 body straight into the
# model (spec §2); forbid_unknown_fields: a member the model has no field for is refused
# there, and fmt 3's exact path keeps it in extra instead (spec §4.3).


class Sender(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    gc=False,
    rename={"name": "sender"},
    forbid_unknown_fields=True,
):
    """One sender name of a list.

    ``status`` is set in the ``all=1`` view, ``operators`` (operator key to status) in
    the ``operators=1`` view; the plain view has neither. ``extra`` holds the record's
    keys the model does not know, in order, with their values, so that they are written
    back (spec §4.3).

    The value is immutable and hashable: any mapping given for ``operators`` or ``extra``
    is stored as a read-only copy (lists inside ``extra`` become tuples), and a plain int
    status becomes a member of its enum (``SenderStatus(7)`` for an unknown 7).
    """

    name: str
    id: _Id
    status: SenderStatus | None = None
    operators: Mapping[str, OperatorStatus] = EMPTY
    extra: Mapping[str, Any] = EMPTY

    def __post_init__(self) -> None:
        # One cheap test for what the decoders build (FrozenDicts of members, members):
        # they pass values that need no work, so a list of 10,000 pays one call a record.
        # A FrozenDict is private to fmtcodec, so only the decoders can pass one.
        if (
            self.operators.__class__ is not FrozenDict
            or self.extra.__class__ is not FrozenDict
            or self.status.__class__ is int
        ):
            _normalize_sender(self)


class SenderWithStatus(Sender, frozen=True, kw_only=True):
    """A sender of the ``all=1`` view, whose ``status`` is always there.

    The senders of a list decoded as the answer to a :class:`~fmtcodec.Request` with
    ``all=True`` are of this type, so ``sender.status.description`` needs no check for
    None. It is a :class:`Sender` in every other way; it compares equal only to another
    ``SenderWithStatus``.
    """

    status: SenderStatus


def _normalize_sender(sender: Sender) -> None:
    status = sender.status
    if status.__class__ is int:
        force_setattr(sender, "status", SenderStatus(status))
    operators = sender.operators
    if operators.__class__ is not FrozenDict:
        force_setattr(sender, "operators", _frozen_statuses(operators))
    force_setattr(sender, "extra", freeze(sender.extra) if sender.extra else EMPTY)


def _frozen_statuses(operators: Mapping[str, Any]) -> FrozenDict[str, OperatorStatus]:
    # Values other than ints are kept as given, for the encoders' checks to name.
    return freeze_mapping(
        {
            key: OperatorStatus(value) if value.__class__ is int else value
            for key, value in dict(operators).items()
        }
    )


S_co = TypeVar("S_co", bound=Sender, default=Sender, covariant=True)


class SenderList(msgspec.Struct, Generic[S_co], frozen=True, kw_only=True, gc=False):
    """The answer to ``get=1``: the account's sender names, as a tuple.

    Any iterable of senders may be given; it is stored as a tuple. The type parameter
    says what the senders are: ``SenderList`` (that is, ``SenderList[Sender]``) for a
    list decoded on its own, ``SenderList[SenderWithStatus]`` for the answer to an
    ``all=1`` request.
    """

    senders: tuple[S_co, ...] = ()

    if TYPE_CHECKING:  # what the constructor takes; the field holds a tuple of them

        def __init__(self, *, senders: Iterable[S_co] = ()) -> None: ...

    def __post_init__(self) -> None:
        if self.senders.__class__ is not tuple:
            force_setattr(self, "senders", tuple(self.senders))


class SenderCreated(
    msgspec.Struct, frozen=True, gc=False, rename={"id": "sender"}, forbid_unknown_fields=True
):
    """The answer to ``add=1``: the id the server gave the new name.

    ``extra`` holds the answer's members the model does not know, in order, as
    ``Sender.extra`` does (spec §4.24). ``case SenderCreated(new_id):`` matches it.
    """

    id: _Id
    extra: Mapping[str, Any] = EMPTY

    def __post_init__(self) -> None:
        if self.extra.__class__ is not FrozenDict:
            force_setattr(self, "extra", freeze(self.extra) if self.extra else EMPTY)


class Ok(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """The bare acknowledgement ``OK`` (``chg``, ``del``, ``send_code``, ``check_code``)."""


class ApiError(
    msgspec.Struct,
    frozen=True,
    gc=False,
    rename={"code": "error_code", "description": "error"},
    forbid_unknown_fields=True,
):
    """An error the server answered with.

    ``description`` is ``None`` when the format carried none (fmt 1, or no description
    given: spec §4.4, 4.15). A plain int code becomes an :class:`ErrorCode` member
    (unknown codes too, spec §4.3). ``extra`` holds the error's members the model does not
    know (send.php-style ``id``...), in order, as ``Sender.extra`` does (spec §4.24).
    ``case ApiError(code):`` and ``case ApiError(code, text):`` match it.
    """

    code: ErrorCode
    description: str | None = None
    extra: Mapping[str, Any] = EMPTY

    def __post_init__(self) -> None:
        if self.code.__class__ is int:
            force_setattr(self, "code", ErrorCode(self.code))
        if self.extra.__class__ is not FrozenDict:
            force_setattr(self, "extra", freeze(self.extra) if self.extra else EMPTY)

    @property
    def meaning(self) -> str:
        """The code's standard description from the API page, or ``""`` for an unknown code."""
        # By value: a code built by hand means the same member (spec §4.4).
        known = ERROR_CODES.get(int(self.code))
        return known.description if known is not None else ""


Response: TypeAlias = SenderList | SenderCreated | Ok | ApiError
"""Any value :func:`fmtcodec.decode` returns."""


E = TypeVar("E", bound=_Described)


class _Members(dict[int, E]):
    """The known members by value; ``table[code]`` gives an unknown code's member too
    (``.get`` finds only the known ones). The decoders' lookup: a dict hit is cheaper
    than calling the enum."""

    __slots__ = ("_enum",)

    def __init__(self, enum_type: type[E]) -> None:
        super().__init__((int(member), member) for member in enum_type)
        self._enum = enum_type

    def __missing__(self, code: int) -> E:
        return self._enum(code)


SENDER_STATUSES: _Members[SenderStatus] = _Members(SenderStatus)
OPERATOR_STATUSES: _Members[OperatorStatus] = _Members(OperatorStatus)
ERROR_CODES: _Members[ErrorCode] = _Members(ErrorCode)
