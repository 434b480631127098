"""Requests to senders.php: the six commands and their parameters (spec §5), both ways.

A :class:`Request` is what a client sends and what a fake server or a log reader reads
back: :meth:`Request.to_params` gives the query or form parameters, and
:meth:`Request.from_params` parses them, refusing what the API would refuse. A request
is typed by its answer (``Request[SenderCreated]`` for ``add``), so decoding the answer
to it gives that type with no narrowing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Generic, Literal, overload
from urllib.parse import urlencode

import msgspec
from msgspec.structs import force_setattr, replace
from typing_extensions import TypeVar

from ._frozen import EMPTY, FrozenDict
from ._model import Fmt, Ok, Sender, SenderCreated, SenderList, SenderWithStatus
from ._source import charset_name

__all__ = ["Answer", "Command", "Request"]


class Command(enum.Enum):
    """The six commands of senders.php; the value is the flag parameter set to ``1``."""

    GET = "get"
    """List the account's sender names (answer: a list)."""
    ADD = "add"
    """Create a sender name (answer: its id)."""
    CHG = "chg"
    """Change a name's comment (answer: OK)."""
    DEL = "del"
    """Delete a name (answer: OK)."""
    SEND_CODE = "send_code"
    """Send a confirmation code to a digital name, a phone number (answer: OK)."""
    CHECK_CODE = "check_code"
    """Confirm a digital name with the code its phone received (answer: OK)."""


# Which of the command's own parameters each command takes (spec §5); "sender|id" means
# one of the two. Anything else set on a request of that command is refused.
_TAKES: dict[Command, frozenset[str]] = {
    Command.GET: frozenset({"all", "operators"}),
    Command.ADD: frozenset({"sender", "cmt"}),
    Command.CHG: frozenset({"sender", "id", "cmt"}),
    Command.DEL: frozenset({"sender", "id"}),
    Command.SEND_CODE: frozenset({"sender"}),
    Command.CHECK_CODE: frozenset({"sender", "code"}),
}
_NEEDS: dict[Command, tuple[str, ...]] = {
    Command.GET: (),
    Command.ADD: ("sender",),
    Command.CHG: ("sender|id", "cmt"),
    Command.DEL: ("sender|id",),
    Command.SEND_CODE: ("sender",),
    Command.CHECK_CODE: ("sender", "code"),
}
_FLAGS = {command.value: command for command in Command}
_OWN = ("sender", "id", "cmt", "code", "all", "operators")
_COMMON = ("fmt", "charset", "login", "psw", "apikey")
_KNOWN = frozenset(_FLAGS) | frozenset(_OWN) | frozenset(_COMMON)
_SECRETS = ("psw", "apikey")
_MASK = "***"

Answer = SenderList | SenderCreated | Ok
"""What a request's successful answer can be."""

A_co = TypeVar("A_co", bound=Answer, default=Answer, covariant=True)


class Request(msgspec.Struct, Generic[A_co], frozen=True, kw_only=True):
    """One request to senders.php: a command, its parameters, format and credentials.

    Immutable and hashable. The constructor checks what the API would refuse and raises
    ValueError naming the parameter: a missing ``sender`` (or ``id``), a parameter the
    command does not take, half a login, an unknown ``charset``. ``fmt`` becomes a
    :class:`~fmtcodec.Fmt`, ``charset`` its canonical name (``"UTF8"`` becomes
    ``"utf-8"``), ``extra`` (every other parameter, in order) a read-only mapping.

    The type parameter is the answer's type: the constructors :meth:`get`, :meth:`add`,
    :meth:`chg`, :meth:`delete`, :meth:`send_code` and :meth:`check_code` set it, so
    ``fmtcodec.decode_answer(request, body)`` is typed exactly. ``repr`` and ``str``
    show ``psw`` and ``apikey`` as ``***``.
    """

    command: Command
    sender: str | None = None
    id: int | None = None
    cmt: str | None = None
    code: str | None = None
    all: bool = False
    operators: bool = False
    fmt: Fmt | None = None
    charset: str | None = None
    login: str | None = None
    psw: str | None = None
    apikey: str | None = None
    extra: Mapping[str, str] = EMPTY

    DEFAULT_CHARSET: ClassVar[str] = "windows-1251"
    """The charset the server answers in when a request names none (spec §5)."""

    def __post_init__(self) -> None:
        _check(self)

    # -- the convenience constructors, one per command ----------------------------------

    @overload
    @classmethod
    def get(
        cls,
        *,
        all: Literal[True],
        operators: bool = False,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[SenderList[SenderWithStatus]]: ...

    @overload
    @classmethod
    def get(
        cls,
        *,
        all: bool = False,
        operators: bool = False,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[SenderList[Sender]]: ...

    @classmethod
    def get(
        cls,
        *,
        all: bool = False,
        operators: bool = False,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[Any]:
        """``get=1``: the account's names; ``all=True`` adds each one's moderation status
        (and types the senders of the answer as :class:`~fmtcodec.SenderWithStatus`),
        ``operators=True`` its status at each operator."""
        return Request(
            command=Command.GET,
            all=all,
            operators=operators,
            **_common(fmt, charset, login, psw, apikey, extra),
        )

    @classmethod
    def add(
        cls,
        sender: str,
        *,
        cmt: str | None = None,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[SenderCreated]:
        """``add=1``: create the name ``sender``, with an optional comment ``cmt``."""
        return Request(
            command=Command.ADD,
            sender=sender,
            cmt=cmt,
            **_common(fmt, charset, login, psw, apikey, extra),
        )

    @classmethod
    def chg(
        cls,
        sender: str | None = None,
        *,
        id: int | None = None,
        cmt: str,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[Ok]:
        """``chg=1``: set the comment of the name given by ``sender`` or by ``id``."""
        return Request(
            command=Command.CHG,
            sender=sender,
            id=id,
            cmt=cmt,
            **_common(fmt, charset, login, psw, apikey, extra),
        )

    @classmethod
    def delete(
        cls,
        sender: str | None = None,
        *,
        id: int | None = None,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[Ok]:
        """``del=1``: delete the name given by ``sender`` or by ``id`` (``del`` is a
        Python keyword, hence the longer name)."""
        return Request(
            command=Command.DEL,
            sender=sender,
            id=id,
            **_common(fmt, charset, login, psw, apikey, extra),
        )

    @classmethod
    def send_code(
        cls,
        sender: str,
        *,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[Ok]:
        """``send_code=1``: send a confirmation code to the digital name (phone number)
        ``sender``."""
        return Request(
            command=Command.SEND_CODE,
            sender=sender,
            **_common(fmt, charset, login, psw, apikey, extra),
        )

    @classmethod
    def check_code(
        cls,
        sender: str,
        code: str,
        *,
        fmt: int | None = None,
        charset: str | None = None,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        extra: Mapping[str, str] = EMPTY,
    ) -> Request[Ok]:
        """``check_code=1``: confirm the digital name ``sender`` with the ``code`` its
        phone received."""
        return Request(
            command=Command.CHECK_CODE,
            sender=sender,
            code=code,
            **_common(fmt, charset, login, psw, apikey, extra),
        )

    # -- copies with other settings -----------------------------------------------------

    def with_credentials(
        self, *, login: str | None = None, psw: str | None = None, apikey: str | None = None
    ) -> Request[A_co]:
        """This request signed with ``login`` and ``psw``, or with ``apikey`` (in place of
        any credentials it had)."""
        return replace(self, login=login, psw=psw, apikey=apikey)

    def with_format(self, fmt: int | None, charset: str | None = None) -> Request[A_co]:
        """This request asking for ``fmt`` and ``charset`` (None: leave the parameter out,
        so that the server answers fmt 0 in windows-1251)."""
        return replace(self, fmt=fmt, charset=charset)

    def without_credentials(self) -> Request[A_co]:
        """This request with ``login``, ``psw`` and ``apikey`` dropped: for logs and for
        comparing requests whoever signed them."""
        return replace(self, login=None, psw=None, apikey=None)

    # -- what the request implies ---------------------------------------------------------

    @property
    def answer_type(self) -> type[SenderList] | type[SenderCreated] | type[Ok]:
        """The type of a successful answer: SenderList for get, SenderCreated for add, Ok
        for the rest."""
        if self.command is Command.GET:
            return SenderList
        if self.command is Command.ADD:
            return SenderCreated
        return Ok

    @property
    def effective_fmt(self) -> Fmt:
        """The format the server answers in: ``fmt``, or fmt 0 when the request names none."""
        return Fmt.TEXT if self.fmt is None else self.fmt

    @property
    def effective_charset(self) -> str:
        """The charset the server answers in: ``charset``, or windows-1251 when the
        request names none."""
        return self.DEFAULT_CHARSET if self.charset is None else self.charset

    # -- the wire -------------------------------------------------------------------------

    def to_params(self) -> dict[str, str]:
        """The query or form parameters, in the order login, psw, apikey, the command
        flag, the command's own parameters, fmt, charset, then ``extra``."""
        params: dict[str, str] = {}
        for name in ("login", "psw", "apikey"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        params[self.command.value] = "1"
        if self.all:
            params["all"] = "1"
        if self.operators:
            params["operators"] = "1"
        if self.sender is not None:
            params["sender"] = self.sender
        if self.id is not None:
            params["id"] = str(self.id)
        if self.cmt is not None:
            params["cmt"] = self.cmt
        if self.code is not None:
            params["code"] = self.code
        if self.fmt is not None:
            params["fmt"] = str(int(self.fmt))
        if self.charset is not None:
            params["charset"] = self.charset
        params.update(self.extra)
        return params

    FORM_CONTENT_TYPE: ClassVar[str] = "application/x-www-form-urlencoded"
    """The ``Content-Type`` of :meth:`to_form`'s body."""

    def to_form(self) -> bytes:
        """:meth:`to_params` form-encoded for a POST body (or, decoded as ASCII, a query
        string), non-ASCII characters percent-encoded in the request's charset.

        senders.php reads the parameters in the charset the request names (windows-1251
        when it names none, spec §4.20), so a form encoded in UTF-8 whatever the charset,
        as HTTP clients do by default, reaches it garbled.
        Raises ValueError naming the parameter that holds a character the charset cannot.
        """
        charset = self.effective_charset
        params = self.to_params()
        for name, value in params.items():
            try:
                value.encode(charset)
            except UnicodeEncodeError as error:
                char = value[error.start : error.end]
                raise ValueError(
                    f"parameter {name!r} holds {char!r}, which {charset} cannot hold"
                ) from None
        return urlencode(params, encoding=charset).encode("ascii")

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Request[Answer]:
        """The request these query or form parameters make; ValueError naming the
        parameter when the API would refuse them (no command, two commands, a flag other
        than ``1``, a missing or stray parameter, a bad ``id``, ``fmt`` or ``charset``).

        Parameters the model does not know go to ``extra``, in order, verbatim, so that
        ``to_params`` gives them back. ``params`` maps names to single str values (for a
        query string: ``dict(urllib.parse.parse_qsl(query))``).
        """
        if not isinstance(params, Mapping):
            raise TypeError(f"params must be a mapping, not {type(params).__name__}")
        commands: list[Command] = []
        fields: dict[str, Any] = {}
        extra: dict[str, str] = {}
        for name, value in params.items():
            if not isinstance(name, str) or not isinstance(value, str):
                shown = name if isinstance(name, str) else repr(name)
                raise TypeError(
                    f"{shown}: parameter names and values must be str,"
                    f" not {type(name).__name__} and {type(value).__name__}"
                )
            if name in _FLAGS:
                if value != "1":
                    raise ValueError(f"{name}: a command flag must be 1, not {value!r}")
                commands.append(_FLAGS[name])
            elif name in _KNOWN:
                fields[name] = _parse_known(name, value)
            else:
                extra[name] = value
        if not commands:
            flags = ", ".join(f"{flag}=1" for flag in _FLAGS)
            raise ValueError(f"command: no command flag; give one of {flags}")
        if len(commands) > 1:
            given = " and ".join(f"{command.value}=1" for command in commands)
            raise ValueError(f"{commands[1].value}: two commands in one request ({given})")
        return Request(command=commands[0], extra=extra, **fields)

    # -- never show a secret ----------------------------------------------------------------

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self._shown())
        return f"{type(self).__name__}({shown})"

    __str__ = __repr__

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        return list(self._shown())

    def _shown(self) -> Iterator[tuple[str, Any]]:
        """The fields that differ from their defaults, secrets masked."""
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if name == "command" or value != _DEFAULTS[name]:
                yield name, (_MASK if name in _SECRETS and value is not None else value)


_DEFAULTS: dict[str, Any] = dict(
    zip(
        Request.__struct_fields__[-len(Request.__struct_defaults__) :],
        Request.__struct_defaults__,
        strict=True,
    )
)


def _common(
    fmt: int | None,
    charset: str | None,
    login: str | None,
    psw: str | None,
    apikey: str | None,
    extra: Mapping[str, str],
) -> dict[str, Any]:
    return {
        "fmt": fmt,
        "charset": charset,
        "login": login,
        "psw": psw,
        "apikey": apikey,
        "extra": extra,
    }


def _parse_id(value: str) -> int:
    # spec §4.7: ids are positive decimal integers up to 2^63-1.
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or int(value) == 0:
        raise ValueError(f"id: must be a positive decimal integer, not {value!r}")
    number = int(value)
    if number > 2**63 - 1:
        raise ValueError(f"id: must be at most 2^63-1, not {value}")
    return number


def _parse_known(name: str, value: str) -> Any:
    """A known parameter's value, as Request holds it (the flags aside)."""
    if name in ("all", "operators"):
        if value not in ("0", "1"):
            raise ValueError(f"{name}: must be 0 or 1, not {value!r}")
        return value == "1"
    if name == "id":
        return _parse_id(value)
    if name == "fmt":
        return _parse_fmt(value)
    return value


def _parse_fmt(value: str) -> Fmt:
    if value not in ("0", "1", "2", "3"):
        raise ValueError(f"fmt: must be 0, 1, 2 or 3, not {value!r}")
    return Fmt(int(value))


def _check(request: Request[Any]) -> None:
    """Normalise ``request`` in place (it is being built) and refuse what the API would."""
    command = request.command
    if not isinstance(command, Command):
        if isinstance(command, str) and command in _FLAGS:
            command = _FLAGS[command]
            force_setattr(request, "command", command)
        else:
            raise TypeError(f"command: must be a Command, not {command!r}")
    _check_types(request)
    if request.id is not None:
        if not isinstance(request.id, int) or isinstance(request.id, bool):
            raise TypeError(f"id: must be an int, not {type(request.id).__name__}")
        if not 1 <= request.id <= 2**63 - 1:
            raise ValueError(f"id: must be from 1 to 2^63-1, not {request.id}")
    if request.fmt is not None and request.fmt.__class__ is not Fmt:
        fmt = request.fmt
        if not isinstance(fmt, int) or isinstance(fmt, bool):
            raise TypeError(f"fmt: must be an int from 0 to 3, not {type(fmt).__name__}")
        if fmt not in (0, 1, 2, 3):
            raise ValueError(f"fmt: must be 0, 1, 2 or 3, not {fmt}")
        force_setattr(request, "fmt", Fmt(fmt))
    if request.charset is not None:
        force_setattr(request, "charset", charset_name(request.charset, "charset"))
    _check_parameters(request, command)
    _check_credentials(request)
    _freeze_extra(request)


def _check_types(request: Request[Any]) -> None:
    """The text parameters are str or None, the two view flags bools."""
    for name in ("sender", "cmt", "code", "charset", "login", "psw", "apikey"):
        value = getattr(request, name)
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name}: must be a str, not {type(value).__name__}")
    for name in ("all", "operators"):
        if not isinstance(getattr(request, name), bool):
            raise TypeError(f"{name}: must be a bool, not {type(getattr(request, name)).__name__}")


def _check_parameters(request: Request[Any], command: Command) -> None:
    takes = _TAKES[command]
    for name in _OWN:
        value = getattr(request, name)
        if value not in (None, False) and name not in takes:
            raise ValueError(f"{name}: {command.value}=1 takes no {name}")
    for need in _NEEDS[command]:
        if need == "sender|id":
            if request.sender is None and request.id is None:
                raise ValueError(f"sender: {command.value}=1 needs sender or id")
            if request.sender is not None and request.id is not None:
                raise ValueError(f"id: {command.value}=1 takes sender or id, not both")
        elif getattr(request, need) is None:
            raise ValueError(f"{need}: {command.value}=1 needs {need}")
    for name in ("sender", "code"):
        if getattr(request, name) == "":
            raise ValueError(f"{name}: must not be empty")


def _check_credentials(request: Request[Any]) -> None:
    # spec §5: login + psw, or apikey. None at all is allowed: a client may sign later.
    if (request.login is None) != (request.psw is None):
        missing = "psw" if request.psw is None else "login"
        raise ValueError(f"{missing}: login and psw go together")
    if request.apikey is not None and request.login is not None:
        raise ValueError("apikey: give login and psw, or apikey, not both")


def _freeze_extra(request: Request[Any]) -> None:
    extra = request.extra
    if not isinstance(extra, Mapping):
        raise TypeError(f"extra: must be a mapping, not {type(extra).__name__}")
    for name, value in extra.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"extra: names and values must be str, not {name!r}: {value!r}")
        if name in _KNOWN:
            raise ValueError(f"{name}: a known parameter cannot go in extra")
    if extra.__class__ is not FrozenDict:
        force_setattr(request, "extra", FrozenDict(extra) if extra else EMPTY)
