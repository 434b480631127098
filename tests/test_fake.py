"""FakeSenders over WSGI: every command in every fmt and charset, the errors, the hooks.

Requests are built by hand (parameters percent-encoded in the charset they name, as a
client must), so these tests do not lean on any client. Each answer is checked twice:
byte for byte against what :func:`fmtcodec.encode` writes for the expected model, and
decoded back with :func:`fmtcodec.decode`.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

import fmtcodec
from fmtcodec import (
    OPERATOR_KEYS,
    ApiError,
    ErrorCode,
    Fmt,
    Ok,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)
from fmtcodec.testing import FakeSenders

ENDPOINT = "/sys/senders.php"
CREDENTIALS = {"login": "fake-login", "psw": "fake-psw"}
PHONE = "79991234567"

START = SenderList(
    senders=(
        Sender(
            name="ALPHA",
            id=1,
            status=SenderStatus(1),
            operators={"mts_step": OperatorStatus(2), "bee_step": OperatorStatus(3)},
        ),
        Sender(
            name="Ромашка", id=2, status=SenderStatus(1)
        ),  # an old name, outside the documented rule
        Sender(name="WAITING", id=3, status=SenderStatus(0)),
        Sender(name=PHONE, id=4, status=SenderStatus(0)),
        Sender(name="OLD", id=5, status=SenderStatus(2)),
    )
)


def operators(**statuses: int) -> dict[str, OperatorStatus]:
    """A full operators view: every key, 0 unless given."""
    given = {key: OperatorStatus(status) for key, status in statuses.items()}
    return {**dict.fromkeys(OPERATOR_KEYS, OperatorStatus.AWAITING_REGISTRATION), **given}


def error(code: ErrorCode) -> ApiError:
    return ApiError(code=code, description=code.description)


ACTIVE = (Sender(name="ALPHA", id=1), Sender(name="Ромашка", id=2))
EVERY = tuple(
    Sender(name=s.name, id=s.id, status=s.status) for s in START.senders
)  # the all=1 view
ACTIVE_OPERATORS = (
    Sender(name="ALPHA", id=1, operators=operators(mts_step=2, bee_step=3)),
    Sender(name="Ромашка", id=2, operators=operators()),
)


def body_of(params: dict[str, str], charset: str | None) -> str:
    """The parameters form-encoded in the charset the request names (windows-1251 when
    it names none, the API's default), as a client must send them."""
    return urllib.parse.urlencode(params, encoding=charset or "windows-1251")


def ask(
    fake: FakeSenders, params: dict[str, str], charset: str | None, method: str = "GET"
) -> httpx.Response:
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://fake") as client:
        encoded = body_of(params, charset)
        if method == "GET":
            return client.get(f"{ENDPOINT}?{encoded}")
        return client.post(
            ENDPOINT,
            content=encoded,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


@dataclass
class Case:
    """One request to a fake in START's state: its parameters (without fmt, charset and
    credentials), the model it must answer, and a check of the state afterwards."""

    name: str
    params: dict[str, str]
    expected: Response
    prepare: Callable[[FakeSenders], None] = lambda fake: None
    after: Callable[[FakeSenders], None] = lambda fake: None
    credentials: dict[str, str] = field(default_factory=lambda: dict(CREDENTIALS))
    fmt1: Response | None = None  # when fmt 1 answers otherwise
    repeats: int = 0  # the same request sent this many times first


SENT_CODE = "<the code send_code sent>"
"""A parameter value the test replaces with the code the fake sent."""


def status_of(fake: FakeSenders, name: str) -> int | None:
    return next((s.status for s in fake.state().senders if s.name == name), None)


def names(fake: FakeSenders) -> list[str]:
    return [s.name for s in fake.state().senders]


def send_code(fake: FakeSenders) -> None:
    """send_code once, through the fake itself (GET, default fmt and charset)."""
    assert ask(fake, {**CREDENTIALS, "send_code": "1", "sender": PHONE}, None).content == b"OK"


def nothing_active(fake: FakeSenders) -> None:
    fake.set_status("ALPHA", SenderStatus.DISABLED)
    fake.set_status("Ромашка", SenderStatus.AWAITING_MODERATION)


def five_adds(fake: FakeSenders) -> None:
    for number in range(5):
        ask(fake, {**CREDENTIALS, "add": "1", "sender": f"N{number}"}, None)


def blocked(fake: FakeSenders) -> None:
    fake.fail_next(ErrorCode.IP_BLOCKED)


def added(fake: FakeSenders) -> None:
    assert status_of(fake, "NEW.NAME-1") == SenderStatus.AWAITING_MODERATION
    assert fake.comment(6) == "для рассылки"


def commented(name: str, cmt: str) -> Callable[[FakeSenders], None]:
    def check(fake: FakeSenders) -> None:
        assert fake.comment(name) == cmt

    return check


def deleted(name: str) -> Callable[[FakeSenders], None]:
    def check(fake: FakeSenders) -> None:
        assert name not in names(fake)
        with pytest.raises(KeyError):
            fake.comment(name)

    return check


def code_waits(fake: FakeSenders) -> None:
    code = fake.sent_code(PHONE)
    assert len(code) == 6 and code.isdigit()


def confirmed(fake: FakeSenders) -> None:
    assert status_of(fake, PHONE) == SenderStatus.APPROVED


def unchanged(fake: FakeSenders) -> None:
    assert [(s.name, s.status) for s in fake.state().senders] == [
        (s.name, s.status) for s in START.senders
    ]


CASES = [
    Case("get", {"get": "1"}, SenderList(senders=ACTIVE), after=unchanged),
    Case("get all", {"get": "1", "all": "1"}, SenderList(senders=EVERY)),
    Case(
        "get operators",
        {"get": "1", "operators": "1"},
        SenderList(senders=ACTIVE_OPERATORS),
        fmt1=error(ErrorCode.BAD_PARAMETERS),  # the view has no fmt 1 form
    ),
    Case(
        "get all operators",
        {"get": "1", "all": "1", "operators": "1"},
        SenderList(
            senders=tuple(
                Sender(
                    name=s.name,
                    id=s.id,
                    status=s.status,
                    operators=operators(mts_step=2, bee_step=3) if s.id == 1 else operators(),
                )
                for s in START.senders
            )
        ),
        fmt1=error(ErrorCode.BAD_PARAMETERS),
    ),
    Case(
        "get by apikey",
        {"get": "1"},
        SenderList(senders=ACTIVE),
        credentials={"apikey": "fake-apikey"},
    ),
    Case("get of nothing", {"get": "1"}, SenderList(senders=()), prepare=nothing_active),
    Case(
        "add",
        {"add": "1", "sender": "NEW.NAME-1", "cmt": "для рассылки"},
        SenderCreated(id=6),
        after=added,
    ),
    Case("add a phone", {"add": "1", "sender": "380501234567"}, SenderCreated(id=6)),
    Case(
        "add a long name",
        {"add": "1", "sender": "TWELVE_CHARS"},
        error(ErrorCode.BAD_PARAMETERS),
        after=unchanged,
    ),
    Case("add cyrillic", {"add": "1", "sender": "Имя"}, error(ErrorCode.BAD_PARAMETERS)),
    Case("add a name it has", {"add": "1", "sender": "ALPHA"}, error(ErrorCode.SAVE_FAILED)),
    Case("add without a name", {"add": "1"}, error(ErrorCode.BAD_PARAMETERS)),
    Case(
        "chg by name",
        {"chg": "1", "sender": "Ромашка", "cmt": "новый"},
        Ok(),
        after=commented("Ромашка", "новый"),
    ),
    Case("chg by id", {"chg": "1", "id": "3", "cmt": "x"}, Ok(), after=commented("WAITING", "x")),
    Case(
        "chg unknown",
        {"chg": "1", "sender": "NOPE", "cmt": "x"},
        error(ErrorCode.SENDER_NOT_FOUND),
    ),
    Case(
        "chg by id and name",
        {"chg": "1", "id": "3", "sender": "WAITING", "cmt": "x"},
        error(ErrorCode.BAD_PARAMETERS),  # one or the other (Request)
        after=commented("WAITING", ""),
    ),
    Case("chg without cmt", {"chg": "1", "sender": "ALPHA"}, error(ErrorCode.BAD_PARAMETERS)),
    Case("del by name", {"del": "1", "sender": "Ромашка"}, Ok(), after=deleted("Ромашка")),
    Case("del by id", {"del": "1", "id": "5"}, Ok(), after=deleted("OLD")),
    Case("del unknown id", {"del": "1", "id": "99"}, error(ErrorCode.SENDER_NOT_FOUND)),
    Case("send_code", {"send_code": "1", "sender": PHONE}, Ok(), after=code_waits),
    Case(
        "send_code again",
        {"send_code": "1", "sender": PHONE},
        error(ErrorCode.CODE_ALREADY_SENT),
        prepare=send_code,
    ),
    Case(
        "send_code to a name",
        {"send_code": "1", "sender": "ALPHA"},
        error(ErrorCode.BAD_NUMBER_FORMAT),
    ),
    Case(
        "send_code unknown",
        {"send_code": "1", "sender": "79990000000"},
        error(ErrorCode.SENDER_NOT_FOUND),
    ),
    Case(
        "check_code right",
        {"check_code": "1", "sender": PHONE, "code": SENT_CODE},
        Ok(),
        prepare=send_code,
        after=confirmed,
    ),
    Case(
        "check_code wrong",
        {"check_code": "1", "sender": PHONE, "code": "000000x"},
        error(ErrorCode.WRONG_CODE),
        prepare=send_code,
        after=code_waits,
    ),
    Case(
        "check_code none sent",
        {"check_code": "1", "sender": PHONE, "code": "123456"},
        error(ErrorCode.WRONG_CODE),
    ),
    Case(
        "wrong psw",
        {"get": "1"},
        error(ErrorCode.AUTH_FAILED),
        credentials={"login": "fake-login", "psw": "wrong"},
    ),
    Case("no credentials", {"get": "1"}, error(ErrorCode.AUTH_FAILED), credentials={}),
    Case(
        "wrong apikey",
        {"get": "1"},
        error(ErrorCode.AUTH_FAILED),
        credentials={**CREDENTIALS, "apikey": "wrong"},  # the key alone is checked
    ),
    Case("no command", {"sender": "ALPHA"}, error(ErrorCode.BAD_PARAMETERS)),
    Case("two commands", {"get": "1", "del": "1", "id": "1"}, error(ErrorCode.BAD_PARAMETERS)),
    Case(
        "fourth identical list",
        {"get": "1", "all": "1"},
        error(ErrorCode.TOO_MANY_REQUESTS),
        repeats=3,
    ),
    Case(
        "sixth add",
        {"add": "1", "sender": "SIXTH"},
        error(ErrorCode.TOO_MANY_REQUESTS),
        prepare=five_adds,
    ),
    Case(
        "scripted error",
        {"del": "1", "id": "1"},
        error(ErrorCode.IP_BLOCKED),
        prepare=blocked,
        after=unchanged,
    ),
]
CASES_BY_NAME = {case.name: case for case in CASES}
FMTS: list[Fmt | None] = [None, *Fmt]
CHARSETS: list[str | None] = [None, "utf-8", "windows-1251", "koi8-r"]


def method_for(fmt: Fmt | None, charset: str | None) -> str:
    """GET or POST, alternating over the fmt x charset grid: each case goes both ways, and
    each fmt and each charset too, in half the tests of every combination."""
    return ("GET", "POST")[(FMTS.index(fmt) + CHARSETS.index(charset)) % 2]


@pytest.mark.parametrize("charset", CHARSETS, ids=lambda c: f"charset={c or 'absent'}")
@pytest.mark.parametrize("fmt", FMTS, ids=lambda f: f"fmt={'absent' if f is None else int(f)}")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_command_in_every_fmt_and_charset(
    case: Case, fmt: Fmt | None, charset: str | None
) -> None:
    method = method_for(fmt, charset)
    fake = FakeSenders(START)
    case.prepare(fake)
    params = {**case.params, **case.credentials}
    if params.get("code") == SENT_CODE:
        params["code"] = fake.sent_code(PHONE)
    if fmt is not None:
        params["fmt"] = str(int(fmt))
    if charset is not None:
        params["charset"] = charset
    for _ in range(case.repeats):
        ask(fake, params, charset, method)
    answer = ask(fake, params, charset, method)

    used_fmt = Fmt.TEXT if fmt is None else fmt
    used_charset = charset or "windows-1251"
    expected = case.fmt1 if case.fmt1 is not None and used_fmt is Fmt.CSV else case.expected
    assert answer.status_code == 200
    # The body is exactly the encoder's, in the charset asked for ...
    assert answer.content == fmtcodec.encode(expected, used_fmt).encode(used_charset)
    # ... the header names windows-1251 whatever the body is in, as the real server does.
    assert answer.headers["content-type"].endswith("; charset=windows-1251")
    decoded = fmtcodec.decode(answer.content, used_fmt, charset=used_charset)
    if used_fmt is Fmt.CSV and isinstance(expected, ApiError):
        expected = ApiError(code=expected.code)  # fmt 1 carries no description (spec §4.4)
    assert decoded == expected
    case.after(fake)
    received = fake.requests[-1]
    assert received.method == method
    assert received.status == 200 and received.body == answer.content
    assert "psw" not in received.params or received.params["psw"] == "***"
    assert "apikey" not in received.params or received.params["apikey"] == "***"


def test_a_listed_body_is_what_the_state_says() -> None:
    fake = FakeSenders(START)
    fake.approve("WAITING")
    fake.set_operator_status("Ромашка", "tele2", OperatorStatus.REJECTED)
    for fmt in (0, 2, 3):
        body = ask(
            fake, {**CREDENTIALS, "get": "1", "all": "1", "operators": "1", "fmt": str(fmt)}, None
        ).content
        listed = fmtcodec.decode(body, fmt, charset="windows-1251")
        state = fake.state()
        assert listed == state
        fake.advance(60)  # past the identical-list limit


def test_the_rate_limits_are_per_minute_on_the_fakes_clock() -> None:
    fake = FakeSenders(START)
    params = {**CREDENTIALS, "get": "1", "fmt": "1"}
    assert [ask(fake, params, None).content for _ in range(4)][-1] == b"0,-9"
    fake.advance(59.9)
    assert ask(fake, params, None).content == b"0,-9"
    fake.advance(0.1)  # a minute after the first
    assert ask(fake, params, None).content == b"ALPHA,1\n\xd0\xee\xec\xe0\xf8\xea\xe0,2"
    # Another view, fmt or charset is another request, with a limit of its own.
    assert ask(fake, {**params, "fmt": "3"}, None).content.startswith(b"[{")
    # Refused requests do not count; five adds a minute do.
    adds = [
        ask(fake, {**CREDENTIALS, "add": "1", "sender": f"N{i}", "fmt": "1"}, None).content
        for i in range(7)
    ]
    assert adds == [b"6", b"7", b"8", b"9", b"10", b"0,-9", b"0,-9"]
    fake.advance(60)
    assert ask(fake, {**CREDENTIALS, "add": "1", "sender": "N7", "fmt": "1"}, None).content == b"11"


def test_a_code_can_be_sent_again_after_eight_hours() -> None:
    fake = FakeSenders(START)
    send_code(fake)
    first = fake.sent_code(PHONE)
    fake.advance(8 * 3600 - 1)
    assert (
        ask(fake, {**CREDENTIALS, "send_code": "1", "sender": PHONE, "fmt": "1"}, None).content
        == b"0,-10"
    )
    fake.advance(1)
    send_code(fake)
    second = fake.sent_code(PHONE)
    assert second != first and second.isdigit() and len(second) == 6
    wrong = {**CREDENTIALS, "check_code": "1", "sender": PHONE, "code": first, "fmt": "1"}
    assert ask(fake, wrong, None).content == b"0,-11"  # the new code replaced the old one
    assert ask(fake, {**wrong, "code": second}, None).content == b"OK"
    with pytest.raises(LookupError, match="no confirmation code is waiting for '79991234567'"):
        fake.sent_code(PHONE)
    assert ask(fake, {**wrong, "code": second}, None).content == b"0,-11"  # used up


def test_codes_are_the_same_for_every_new_fake() -> None:
    codes = []
    for _ in range(2):
        fake = FakeSenders(START)
        send_code(fake)
        codes.append(fake.sent_code(4))
    assert codes[0] == codes[1]


def test_ids_are_never_given_twice() -> None:
    fake = FakeSenders(START)
    assert ask(fake, {**CREDENTIALS, "del": "1", "id": "5"}, None).content == b"OK"
    assert ask(fake, {**CREDENTIALS, "add": "1", "sender": "OLD"}, None).content == b"ID = 6"


def test_fail_next_scripts_errors_in_order_and_leaves_the_state_alone() -> None:
    fake = FakeSenders(START)
    fake.fail_next(ErrorCode.SENDER_NOT_FOUND, times=2)
    fake.fail_next(42, description="что-то новое")
    add = {**CREDENTIALS, "add": "1", "sender": "X", "fmt": "3"}
    bodies = [ask(fake, add, None).content.decode("cp1251") for _ in range(4)]
    standard = ErrorCode.SENDER_NOT_FOUND.description
    assert bodies == [
        f'{{\n"error": "{standard}",\n"error_code": 3\n}}',
        f'{{\n"error": "{standard}",\n"error_code": 3\n}}',
        '{\n"error": "что-то новое",\n"error_code": 42\n}',
        '{\n"sender": 6\n}',
    ]
    assert [r.request is None for r in fake.requests] == [True, True, True, False]
    fake.fail_next(9)
    assert ask(fake, {**CREDENTIALS, "get": "1", "fmt": "1"}, None).content == b"0,-9"


def test_respond_raw_sends_exactly_the_body() -> None:
    fake = FakeSenders(START)
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    fake.respond_raw(page, status=502, times=2)
    fake.respond_raw(b"\xff\xfe", content_type="application/octet-stream")
    for _ in range(2):
        answer = ask(fake, {**CREDENTIALS, "get": "1"}, None)
        assert (answer.status_code, answer.text) == (502, page)
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
    answer = ask(fake, {**CREDENTIALS, "get": "1"}, None)
    assert (answer.status_code, answer.content) == (200, b"\xff\xfe")
    assert ask(fake, {**CREDENTIALS, "get": "1", "fmt": "1"}, None).status_code == 200
    assert [r.response for r in fake.requests][:3] == [None, None, None]


def test_received_requests_mask_credentials_and_keep_the_rest() -> None:
    fake = FakeSenders(START, apikey="k-123")
    chg = {"apikey": "k-123", "chg": "1", "sender": "Ромашка", "cmt": "c", "fmt": "2"}
    ask(fake, chg, None, "POST")
    ask(fake, {**CREDENTIALS, "get": "1", "charset": "koi8-r", "x": "Да"}, "koi8-r")
    first, second = fake.requests
    assert dict(first.params) == {
        "apikey": "***",
        "chg": "1",
        "sender": "Ромашка",
        "cmt": "c",
        "fmt": "2",
    }
    assert first.method == "POST" and first.response == Ok()
    assert first.request is not None and first.request.apikey is None
    assert first.request.sender == "Ромашка" and first.request.cmt == "c"
    assert "k-123" not in repr(fake.requests)
    assert dict(second.params)["psw"] == "***" and dict(second.params)["x"] == "Да"
    assert "fake-psw" not in repr(second)


def test_constructor_and_hooks_refuse_what_the_fake_cannot_hold() -> None:
    with pytest.raises(ValueError, match=r"already has the sender name 'ALPHA'"):
        FakeSenders([Sender(name="ALPHA", id=1), Sender(name="ALPHA", id=2)])
    with pytest.raises(ValueError, match=r"the id 1 is taken by 'ALPHA'"):
        FakeSenders([Sender(name="ALPHA", id=1), Sender(name="BETA", id=1)])
    fake = FakeSenders()
    with pytest.raises(ValueError, match=r"cannot hold 'A,B': .*no fmt 1 form"):
        fake.add_sender("A,B")
    with pytest.raises(ValueError, match=r"cannot hold 'Ω': 'Ω' has no windows-1251 form"):
        fake.add_sender("Ω")
    with pytest.raises(ValueError, match=r"unknown operator keys \['zz'\]; put them in extra"):
        fake.add_sender("B", operators={"zz": 1})
    with pytest.raises(ValueError, match=r"unknown operator key 'zz'"):
        fake.set_operator_status(fake.add_sender("C"), "zz", 1)
    with pytest.raises(KeyError, match="no sender name 'NOPE'"):
        fake.approve("NOPE")
    with pytest.raises(ValueError, match="non-negative int"):
        fake.set_status("C", -1)
    with pytest.raises(ValueError, match="cannot send this error"):
        fake.fail_next(1, description="две\nстроки")
    with pytest.raises(ValueError, match="times must be a positive int"):
        fake.fail_next(1, times=0)
    with pytest.raises(ValueError, match="give both login and psw"):
        FakeSenders(login=None)
    with pytest.raises(ValueError, match="only moves forward"):
        fake.advance(-1)
    with pytest.raises(RuntimeError, match="move that one"):
        FakeSenders(clock=lambda: 0.0).advance(1)
    assert fake.state() == SenderList(
        senders=(Sender(name="C", id=1, status=SenderStatus(1), operators=operators()),)
    )


def test_unknown_keys_are_written_in_the_operators_view_only() -> None:
    fake = FakeSenders([Sender(name="A", id=7, extra={"mega_alt": "ALT"})])
    plain = ask(fake, {**CREDENTIALS, "get": "1", "fmt": "3"}, None).content
    assert plain == b'[{\n"sender": "A",\n"id": 7\n}]'
    view = ask(fake, {**CREDENTIALS, "get": "1", "operators": "1", "fmt": "0"}, None).content
    assert view.endswith(b", sber_int = 0, mega_alt = ALT, id = 7")
    assert fake.add_sender("B") == 8


def test_a_custom_clock_drives_the_limits() -> None:
    now = [1000.0]
    fake = FakeSenders(START, clock=lambda: now[0])
    params = {**CREDENTIALS, "get": "1", "fmt": "1"}
    assert [ask(fake, params, None).content for _ in range(4)][-1] == b"0,-9"
    now[0] += 60
    assert ask(fake, params, None).content.startswith(b"ALPHA,1")


def test_misuse_of_the_hooks_is_a_type_or_value_error() -> None:
    with pytest.raises(TypeError, match=r"senders must be fmtcodec\.Sender values"):
        FakeSenders([{"name": "A", "id": 1}])  # type: ignore[list-item]
    fake = FakeSenders()
    with pytest.raises(TypeError, match="a sender name must be a str, not int"):
        fake.add_sender(7)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="an id must be a positive int, not 0"):
        fake.add_sender("A", id=0)
    with pytest.raises(TypeError, match="by its name or id, not float"):
        fake.approve(1.0)  # type: ignore[arg-type]
    assert fake.add_sender("A", id=10, cmt="c") == 10 and fake.add_sender("B") == 11
    assert fake.comment(10) == "c"
