"""FakeSenders: an in-memory senders.php with an account's state, for client test suites.

The fake reads each request with :class:`fmtcodec.Request`, answers it from its state by
the rules of :mod:`._fake_rules` (the API page's, and the fake's own where the page is
silent), and writes the answer with :func:`fmtcodec.encode` in the fmt and charset the
request asked for, so every body is the server's own layout (spec §2). The HTTP side is
:mod:`._fake_http`; docs/testing.md shows the three ways to reach a fake.
"""

from __future__ import annotations

import codecs
import contextlib
import random
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from fmtcodec import (
    CHARSETS,
    OPERATOR_KEYS,
    ApiError,
    Command,
    EncodeError,
    ErrorCode,
    Fmt,
    Ok,
    OperatorStatus,
    Request,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    encode,
)

from . import _fake_http
from ._fake_http import Answer, RawRequest
from ._fake_rules import (
    ACTIVE_STATUS,
    ADDED_STATUS,
    CODE_DIGITS,
    CODE_RESEND_SECONDS,
    CONFIRMED_STATUS,
    CREATES_PER_WINDOW,
    DEFAULT_APIKEY,
    DEFAULT_CHARSET,
    DEFAULT_LOGIN,
    DEFAULT_PSW,
    DIGITAL_NAME,
    DUPLICATE_NAME_ERROR,
    IDENTICAL_LISTS_PER_WINDOW,
    MASK,
    NEW_NAME,
    NO_CODE_SENT_ERROR,
    NON_DIGITAL_CODE_ERROR,
    OPERATORS_IN_FMT1_ERROR,
    RATE_WINDOW_SECONDS,
    SECRET_PARAMETERS,
    UNSET_OPERATOR_STATUS,
    content_type,
)

__all__ = ["FakeSenders", "Received"]

_CREDENTIALS = ("login", "psw", "apikey")
_FMT_VALUES = {str(int(fmt)): fmt for fmt in Fmt}
# Every spelling codecs knows for an allowed charset, by codecs' own name (spec §4.9).
_CHARSET_NAMES = {codecs.lookup(name).name: name for name in CHARSETS}


class Received(NamedTuple):
    """One request the fake received, and what it answered.

    ``params`` are the parameters as text (query, then form body; the last of a name wins,
    as in PHP), with ``psw`` and ``apikey`` shown as ``***``. ``request`` is the parsed
    request without its credentials, or None when the fake could not read one (an HTTP
    refusal, parameters it could not decode, or a scripted answer). ``response`` is the
    model the body was written from, or None for an HTTP refusal or a raw body.
    """

    method: str
    params: Mapping[str, str]
    request: Request[Any] | None
    response: Response | None
    status: int
    body: bytes


class _Name:
    """One sender name of the account, as the fake keeps it (mutable, behind the lock)."""

    __slots__ = ("cmt", "extra", "id", "name", "operators", "status")

    def __init__(
        self,
        name: str,
        id: int,
        status: SenderStatus,
        operators: Mapping[str, OperatorStatus],
        extra: Mapping[str, Any],
        cmt: str,
    ) -> None:
        self.name = name
        self.id = id
        self.status = status
        self.operators: dict[str, OperatorStatus] = dict.fromkeys(
            OPERATOR_KEYS, UNSET_OPERATOR_STATUS
        )
        self.operators.update(operators)
        self.extra = dict(extra)
        self.cmt = cmt

    def view(self, *, status: bool, operators: bool) -> Sender:
        """This name as a list record of the view asked for."""
        return Sender(
            name=self.name,
            id=self.id,
            status=self.status if status else None,
            operators=dict(self.operators) if operators else {},
            # The API page mentions keys beyond the model's only in the operators view.
            extra=dict(self.extra) if operators else {},
        )


class _Scripted(NamedTuple):
    """A test's scripted answer for one coming request: an error, or a raw body."""

    error: ApiError | None
    raw: Answer | None


class _ManualClock:
    """The default clock: it stands still until the test moves it with ``advance``."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeSenders:
    """An in-memory senders.php: one account's sender names and the credentials it takes.

    ``senders`` is the starting state: a :class:`~fmtcodec.SenderList` (for example one read
    from a model JSON file with :func:`fmtcodec.from_data`) or any iterable of
    :class:`~fmtcodec.Sender`; a sender without a status is approved. ``login`` + ``psw``
    and ``apikey`` are the credentials the fake accepts (None turns that way in off).
    ``clock`` gives the time in seconds for the rate limits and the code-resend wait; by
    default the fake's own clock, which stands still until :meth:`advance` moves it.

    The fake is a WSGI application (``httpx.WSGITransport(app=fake)``), and
    :meth:`serve` runs it on a loopback port. It is safe to use from many threads.
    """

    def __init__(
        self,
        senders: SenderList | Iterable[Sender] = (),
        *,
        login: str | None = DEFAULT_LOGIN,
        psw: str | None = DEFAULT_PSW,
        apikey: str | None = DEFAULT_APIKEY,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if (login is None) != (psw is None):
            raise ValueError("give both login and psw, or neither")
        self._login = login
        self._psw = psw
        self._apikey = apikey
        self._clock: Callable[[], float] = _ManualClock() if clock is None else clock
        self._lock = threading.RLock()
        self._names: dict[int, _Name] = {}
        self._ids: dict[str, int] = {}  # name to id, for the lookups by name
        self._next_id = 1
        self._scripted: deque[_Scripted] = deque()
        self._received: list[Received] = []
        self._lists: dict[tuple[tuple[str, str], ...], deque[float]] = {}
        self._creates: deque[float] = deque()
        self._codes: dict[str, str] = {}
        self._code_sent_at: dict[str, float] = {}
        # The same codes for every new fake: recordings (VCR.py cassettes) stay stable.
        self._random = random.Random(0)
        listed = senders.senders if isinstance(senders, SenderList) else senders
        for sender in listed:
            if not isinstance(sender, Sender):
                raise TypeError(f"senders must be fmtcodec.Sender values, not {type(sender)}")
            status = ACTIVE_STATUS if sender.status is None else sender.status
            self._put(
                sender.name,
                status,
                sender.operators,
                sender.extra,
                "",
                wanted_id=sender.id,
                check=False,
            )
        _check_writable(list(self._names.values()))

    # --- The state, read and changed directly by a test ---------------------------------

    def state(self) -> SenderList:
        """Every name of the account with its id, status and operator statuses (and the
        unknown keys it was given), in the order they were added."""
        with self._lock:
            return SenderList(
                senders=tuple(
                    Sender(
                        name=record.name,
                        id=record.id,
                        status=record.status,
                        operators=dict(record.operators),
                        extra=dict(record.extra),
                    )
                    for record in self._names.values()
                )
            )

    def add_sender(
        self,
        name: str,
        *,
        status: SenderStatus | int = ACTIVE_STATUS,
        operators: Mapping[str, OperatorStatus | int] | None = None,
        extra: Mapping[str, Any] | None = None,
        cmt: str = "",
        id: int | None = None,
    ) -> int:
        """Put a name in the account directly (approved unless ``status`` says otherwise);
        its id (the next free one unless ``id`` is given).

        Unlike the API's ``add``, any name is taken (old names break the documented rule),
        but it must be one every format and charset can write: ValueError otherwise, and
        for a name or id the account has.
        """
        with self._lock:
            return self._put(name, status, operators or {}, extra or {}, cmt, wanted_id=id)

    def set_status(self, sender: str | int, status: SenderStatus | int) -> None:
        """Set the moderation status of a name (by name or id); KeyError if there is none."""
        with self._lock:
            self._named(sender).status = _member(status, SenderStatus)

    def approve(self, sender: str | int) -> None:
        """Approve a name for use (status 1), as the moderators would."""
        self.set_status(sender, SenderStatus.APPROVED)

    def set_operator_status(
        self, sender: str | int, operator: str, status: OperatorStatus | int
    ) -> None:
        """Set a name's registration status at one operator (a key of OPERATOR_KEYS)."""
        if operator not in OPERATOR_KEYS:
            raise ValueError(f"unknown operator key {operator!r}; one of {OPERATOR_KEYS}")
        with self._lock:
            self._named(sender).operators[operator] = _member(status, OperatorStatus)

    def comment(self, sender: str | int) -> str:
        """The comment a name was given by ``add`` or ``chg`` (``""`` if none)."""
        with self._lock:
            return self._named(sender).cmt

    # --- Scripted answers ---------------------------------------------------------------

    def fail_next(
        self, code: ErrorCode | int, *, times: int = 1, description: str | None = None
    ) -> None:
        """Answer the next ``times`` requests with error ``code`` (its standard description
        unless ``description`` is given), in the fmt and charset each asked for, without
        acting on them. Scripted answers are used in the order they were scripted."""
        error_code = _member(code, ErrorCode)
        if description is None:
            description = ApiError(error_code).meaning  # "" for a code the API page lacks
        error = ApiError(error_code, description)
        _check_writable_error(error)
        self._script(times, _Scripted(error, None))

    def respond_raw(
        self,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests with exactly this body (``str`` is sent as
        UTF-8), HTTP ``status`` and ``Content-Type``: a broken proxy's page, say."""
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        self._script(times, _Scripted(None, Answer(status, content_type, data)))

    def _script(self, times: int, scripted: _Scripted) -> None:
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a positive int, not {times!r}")
        with self._lock:
            self._scripted.extend([scripted] * times)

    # --- What happened ------------------------------------------------------------------

    @property
    def requests(self) -> tuple[Received, ...]:
        """Every request received so far, oldest first, credentials masked."""
        with self._lock:
            return tuple(self._received)

    def sent_code(self, sender: str | int) -> str:
        """The confirmation code ``send_code`` "sent" to a digital name and that
        ``check_code`` waits for; LookupError if none is waiting."""
        with self._lock:
            name = self._named(sender).name
            if name not in self._codes:
                raise LookupError(f"no confirmation code is waiting for {name!r}")
            return self._codes[name]

    def advance(self, seconds: float) -> None:
        """Move the fake's own clock forward (for the rate limits and the 8-hour wait)."""
        if not isinstance(self._clock, _ManualClock):
            raise RuntimeError("this fake reads the clock it was given: move that one")
        if not seconds >= 0:
            raise ValueError(f"the clock only moves forward, not by {seconds!r} seconds")
        with self._lock:
            self._clock.now += seconds

    # --- Reaching it --------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """The WSGI application: answer one HTTP request to ``/sys/senders.php``."""
        raw = _fake_http.read_request(environ)
        with self._lock:
            if isinstance(raw, Answer):  # refused before any parameter was read
                method = str(environ.get("REQUEST_METHOD", "GET"))
                self._record(method, MappingProxyType({}), None, None, raw)
                answer = raw
            else:
                answer = self._answer(raw)
        return _fake_http.respond(answer, start_response)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve the fake over real HTTP on ``host``:``port`` (0: a free port), in
        background threads; yields the base URL, ``http://127.0.0.1:PORT``, whose
        ``/sys/senders.php`` is the endpoint. At exit the server is gone."""
        with _fake_http.serve(self, host, port) as url:
            yield url

    # --- Answering ----------------------------------------------------------------------

    def _answer(self, raw: RawRequest) -> Answer:
        """The answer to one request (called with the lock held), recorded."""
        params_bytes = dict(raw.pairs)  # the last of a name wins, as in PHP
        fmt, charset = _answer_format(params_bytes)
        params, undecodable = _decoded(params_bytes, charset)
        shown = MappingProxyType(
            {name: MASK if name in SECRET_PARAMETERS else value for name, value in params.items()}
        )
        request: Request[Any] | None = None
        if self._scripted:
            scripted = self._scripted.popleft()
            if scripted.raw is not None:
                self._record(raw.method, shown, None, None, scripted.raw)
                return scripted.raw
            response: Response = scripted.error  # type: ignore[assignment]
        elif raw.bad_encoding is not None or undecodable is not None:
            response = _error(ErrorCode.BAD_PARAMETERS)
        elif not self._authorized(params):
            response = _error(ErrorCode.AUTH_FAILED)
        else:
            try:
                request = Request.from_params(params)
            except ValueError:
                response = _error(ErrorCode.BAD_PARAMETERS)
            else:
                fmt, charset = request.effective_fmt, request.effective_charset
                response = self._perform(request, params)
        answer = Answer(200, content_type(fmt), encode(response, fmt).encode(charset))
        self._record(
            raw.method,
            shown,
            None if request is None else request.without_credentials(),
            response,
            answer,
        )
        return answer

    def _record(
        self,
        method: str,
        params: Mapping[str, str],
        request: Request[Any] | None,
        response: Response | None,
        answer: Answer,
    ) -> None:
        self._received.append(
            Received(method, params, request, response, answer.status, answer.body)
        )

    def _authorized(self, params: Mapping[str, str]) -> bool:
        # An apikey stands in for login and psw (the API page), so it alone is checked.
        if "apikey" in params:
            return self._apikey is not None and params["apikey"] == self._apikey
        return (
            self._login is not None
            and params.get("login") == self._login
            and params.get("psw") == self._psw
        )

    def _perform(self, request: Request[Any], params: Mapping[str, str]) -> Response:
        """Act on a readable, authorized request: the response the API gives."""
        now = self._clock()
        command = request.command
        if command is Command.GET:
            return self._get(request, params, now)
        if command is Command.ADD:
            return self._add(request, now)
        record = self._target(request)
        if record is None:
            return _error(ErrorCode.SENDER_NOT_FOUND)
        if command is Command.CHG:
            record.cmt = request.cmt or ""  # Request makes chg carry a cmt
            return Ok()
        if command is Command.DEL:
            del self._names[record.id], self._ids[record.name]
            self._codes.pop(record.name, None)
            return Ok()
        if not DIGITAL_NAME.fullmatch(record.name):
            return _error(NON_DIGITAL_CODE_ERROR)
        if command is Command.SEND_CODE:
            return self._send_code(record, now)
        return self._check_code(request, record)  # Request makes check_code carry a code

    def _get(self, request: Request[Any], params: Mapping[str, str], now: float) -> Response:
        identical = tuple(sorted((k, v) for k, v in params.items() if k not in _CREDENTIALS))
        recent = _window(self._lists.setdefault(identical, deque()), now)
        if len(recent) >= IDENTICAL_LISTS_PER_WINDOW:
            return _error(ErrorCode.TOO_MANY_REQUESTS)
        if request.operators and request.effective_fmt is Fmt.CSV:
            return _error(OPERATORS_IN_FMT1_ERROR)
        recent.append(now)
        return self._list(all_names=request.all, operators=request.operators)

    def _send_code(self, record: _Name, now: float) -> Response:
        sent_at = self._code_sent_at.get(record.name)
        if sent_at is not None and now - sent_at < CODE_RESEND_SECONDS:
            return _error(ErrorCode.CODE_ALREADY_SENT)
        self._code_sent_at[record.name] = now
        self._codes[record.name] = f"{self._random.randrange(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        return Ok()

    def _check_code(self, request: Request[Any], record: _Name) -> Response:
        if record.name not in self._codes:
            return _error(NO_CODE_SENT_ERROR)
        if request.code != self._codes[record.name]:
            return _error(ErrorCode.WRONG_CODE)
        del self._codes[record.name]
        record.status = CONFIRMED_STATUS
        return Ok()

    def _list(self, *, all_names: bool, operators: bool) -> SenderList:
        return SenderList(
            senders=tuple(
                record.view(status=all_names, operators=operators)
                for record in self._names.values()
                if all_names or record.status == ACTIVE_STATUS
            )
        )

    def _add(self, request: Request[Any], now: float) -> Response:
        recent = _window(self._creates, now)
        if len(recent) >= CREATES_PER_WINDOW:
            return _error(ErrorCode.TOO_MANY_REQUESTS)
        name = request.sender
        if name is None or not NEW_NAME.fullmatch(name):
            return _error(ErrorCode.BAD_PARAMETERS)
        if name in self._ids:
            return _error(DUPLICATE_NAME_ERROR)
        recent.append(now)
        new_id = self._put(name, ADDED_STATUS, {}, {}, request.cmt or "", wanted_id=None)
        return SenderCreated(id=new_id)

    def _target(self, request: Request[Any]) -> _Name | None:
        """The name a chg/del/send_code/check_code request is about, by id or by name
        (Request takes one or the other)."""
        if request.id is not None:
            return self._names.get(request.id)
        return self._names.get(self._ids.get(request.sender or "", 0))

    def _named(self, sender: str | int) -> _Name:
        if isinstance(sender, str):
            record = self._names.get(self._ids.get(sender, 0))
        elif isinstance(sender, int) and not isinstance(sender, bool):
            record = self._names.get(sender)
        else:
            raise TypeError(f"name a sender by its name or id, not {type(sender).__name__}")
        if record is None:
            raise KeyError(f"the account has no sender name {sender!r}")
        return record

    def _put(
        self,
        name: str,
        status: SenderStatus | int,
        operators: Mapping[str, OperatorStatus | int],
        extra: Mapping[str, Any],
        cmt: str,
        *,
        wanted_id: int | None,
        check: bool = True,
    ) -> int:
        """Add a name to the state (lock held); its id. ``check=False`` leaves the check
        that every format can write it to the caller (the constructor checks all at once)."""
        if not isinstance(name, str):
            raise TypeError(f"a sender name must be a str, not {type(name).__name__}")
        if name in self._ids:
            raise ValueError(f"the account already has the sender name {name!r}")
        new_id = self._next_id if wanted_id is None else wanted_id
        if isinstance(new_id, bool) or not isinstance(new_id, int) or new_id < 1:
            raise ValueError(f"an id must be a positive int, not {new_id!r}")
        if new_id in self._names:
            raise ValueError(f"the id {new_id} is taken by {self._names[new_id].name!r}")
        unknown = set(operators) - set(OPERATOR_KEYS)
        if unknown:
            raise ValueError(f"unknown operator keys {sorted(unknown)}; put them in extra")
        record = _Name(
            name,
            new_id,
            _member(status, SenderStatus),
            {key: _member(value, OperatorStatus) for key, value in operators.items()},
            extra,
            cmt,
        )
        if check:
            _check_writable([record])
        self._names[new_id] = record
        self._ids[name] = new_id
        # Ids are never given twice, not even those of deleted names.
        self._next_id = max(self._next_id, new_id + 1)
        return new_id


_Code = TypeVar("_Code", SenderStatus, OperatorStatus, ErrorCode)


def _member(value: int, kind: type[_Code]) -> _Code:
    """``value`` as a member of the code table ``kind`` (unknown values are members too)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a {kind.__name__} must be a non-negative int, not {value!r}")
    return kind(value)


def _error(code: ErrorCode) -> ApiError:
    return ApiError(code=code, description=code.description)


def _window(times: deque[float], now: float) -> deque[float]:
    """``times`` without those older than the rate window (oldest first)."""
    while times and now - times[0] >= RATE_WINDOW_SECONDS:
        times.popleft()
    return times


def _answer_format(params: Mapping[bytes, bytes]) -> tuple[Fmt, str]:
    """The fmt and charset to answer in before the request is parsed: the ones it asked
    for if readable, else the API's defaults (fmt 0, windows-1251)."""
    fmt = _FMT_VALUES.get(params.get(b"fmt", b"0").decode("latin-1"), Fmt.TEXT)
    charset = DEFAULT_CHARSET
    asked = params.get(b"charset")
    if asked is not None:
        with contextlib.suppress(LookupError, ValueError, UnicodeDecodeError):
            charset = _CHARSET_NAMES.get(codecs.lookup(asked.decode("ascii")).name, charset)
    return fmt, charset


def _decoded(params: Mapping[bytes, bytes], charset: str) -> tuple[dict[str, str], str | None]:
    """The parameters as text in ``charset`` (the request's own, spec §4.20), and the first
    name that does not decode (its value is then shown with U+FFFD for the bad bytes)."""
    text: dict[str, str] = {}
    undecodable: str | None = None
    for name, value in params.items():
        try:
            key = name.decode(charset)
            text[key] = value.decode(charset)
        except UnicodeDecodeError:
            key = name.decode(charset, "replace")
            text[key] = value.decode(charset, "replace")
            undecodable = undecodable or key
    return text, undecodable


def _check_writable_error(error: ApiError) -> None:
    """Refuse a scripted error some fmt or charset could not carry (a newline in fmt 0's
    description, a character koi8-r lacks)."""
    for fmt in Fmt:
        try:
            text = encode(error, fmt)
        except EncodeError as exc:
            raise ValueError(f"the fake cannot send this error: {exc}") from None
        _check_charsets(text, "the fake cannot send this error")


def _check_charsets(text: str, refusal: str) -> None:
    """ValueError starting ``refusal`` if a charset cannot carry every character of ``text``."""
    for charset in CHARSETS:
        try:
            text.encode(charset)
        except UnicodeEncodeError as exc:
            raise ValueError(f"{refusal}: {text[exc.start]!r} has no {charset} form") from None


def _check_writable(records: list[_Name]) -> None:
    """Refuse names the fake could not answer with in some fmt, view or charset: the fake
    promises that every body it sends is :func:`fmtcodec.encode`'s output. The names are
    written together (a state file of 10,000 names costs eleven encodes, not 110,000);
    only when that fails are they written one by one, to name the first that cannot be."""
    if not _writable(records):
        for record in records:
            _writable([record], refusal=f"the fake cannot hold {record.name!r}")


def _writable(records: list[_Name], refusal: str | None = None) -> bool:
    """Whether every view of ``records`` can be written in every fmt and charset; with a
    ``refusal``, a ValueError starting with it in place of False."""
    for fmt in Fmt:
        for status, operators in ((False, False), (True, False), (False, True)):
            if operators and fmt is Fmt.CSV:
                continue  # the fake answers error 1 there (OPERATORS_IN_FMT1_ERROR)
            listed = SenderList(
                senders=tuple(record.view(status=status, operators=operators) for record in records)
            )
            try:
                text = encode(listed, fmt)
                if refusal is None:
                    for charset in CHARSETS:
                        text.encode(charset)
                else:
                    _check_charsets(text, refusal)
            except EncodeError as exc:
                if refusal is None:
                    return False
                raise ValueError(f"{refusal}: {exc}") from None
            except UnicodeEncodeError:
                return False
    return True
