"""Request and Command: the parameters of the six commands, both ways (spec §5)."""

from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmtcodec import (
    Command,
    Fmt,
    Ok,
    Request,
    SenderCreated,
    SenderList,
)
from fmtcodec.testing import strategies as fs

ONE_OF_EACH: list[tuple[Request[Any], dict[str, str]]] = [
    (Request.get(), {"get": "1"}),
    (
        Request.get(all=True, operators=True, fmt=3, charset="utf-8"),
        {"get": "1", "all": "1", "operators": "1", "fmt": "3", "charset": "utf-8"},
    ),
    (Request.add("ALPHA", cmt="our shop"), {"add": "1", "sender": "ALPHA", "cmt": "our shop"}),
    (Request.add("ALPHA"), {"add": "1", "sender": "ALPHA"}),
    (Request.chg("ALPHA", cmt="new"), {"chg": "1", "sender": "ALPHA", "cmt": "new"}),
    (Request.chg(id=5, cmt=""), {"chg": "1", "id": "5", "cmt": ""}),
    (Request.delete("ALPHA"), {"del": "1", "sender": "ALPHA"}),
    (Request.delete(id=9), {"del": "1", "id": "9"}),
    (Request.send_code("79991234567"), {"send_code": "1", "sender": "79991234567"}),
    (
        Request.check_code("79991234567", "1234"),
        {"check_code": "1", "sender": "79991234567", "code": "1234"},
    ),
    (
        Request.get(login="shop", psw="secret", fmt=0, charset="koi8-r"),
        {"login": "shop", "psw": "secret", "get": "1", "fmt": "0", "charset": "koi8-r"},
    ),
    (
        Request.add("B", apikey="KEY", extra={"mail": "a@b.c", "doc_info": "x"}),
        {"apikey": "KEY", "add": "1", "sender": "B", "mail": "a@b.c", "doc_info": "x"},
    ),
]


@pytest.mark.parametrize(("request_", "params"), ONE_OF_EACH)
def test_to_params_gives_the_api_parameters_and_from_params_reads_them_back(
    request_: Request[Any], params: dict[str, str]
) -> None:
    assert request_.to_params() == params
    assert list(request_.to_params()) == list(params)  # in this order
    assert Request.from_params(params) == request_
    assert Request.from_params(request_.to_params()) == request_


def test_unknown_parameters_survive_in_order_and_verbatim() -> None:
    params = {"get": "1", "zeta": " spaced ", "alpha": "", "mts_reg": "1", "fmt": "2"}
    request = Request.from_params(params)
    assert list(request.extra.items()) == [("zeta", " spaced "), ("alpha", ""), ("mts_reg", "1")]
    assert request.to_params() == {
        "get": "1",
        "fmt": "2",
        "zeta": " spaced ",
        "alpha": "",
        "mts_reg": "1",
    }
    assert Request.from_params(request.to_params()) == request


def test_parameters_are_normalised() -> None:
    request = Request.from_params({"get": "1", "all": "0", "fmt": "3", "charset": "UTF8"})
    assert request.all is False
    assert request.fmt is Fmt.JSON
    assert request.charset == "utf-8"
    assert Request.get(fmt=1, charset="cp1251").charset == "windows-1251"
    assert Request(command="get") == Request(command=Command.GET)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "command: no command flag"),
        ({"fmt": "3", "sender": "A"}, "command: no command flag"),
        ({"get": "1", "add": "1", "sender": "A"}, "add: two commands in one request"),
        ({"get": "0"}, "get: a command flag must be 1, not '0'"),
        ({"del": "yes", "id": "1"}, "del: a command flag must be 1"),
        ({"del": "1"}, "sender: del=1 needs sender or id"),
        ({"chg": "1", "cmt": "c"}, "sender: chg=1 needs sender or id"),
        ({"chg": "1", "sender": "A"}, "cmt: chg=1 needs cmt"),
        ({"del": "1", "sender": "A", "id": "1"}, "id: del=1 takes sender or id, not both"),
        ({"add": "1"}, "sender: add=1 needs sender"),
        ({"add": "1", "sender": ""}, "sender: must not be empty"),
        ({"send_code": "1"}, "sender: send_code=1 needs sender"),
        ({"check_code": "1", "sender": "7"}, "code: check_code=1 needs code"),
        ({"check_code": "1", "sender": "7", "code": ""}, "code: must not be empty"),
        ({"get": "1", "sender": "A"}, "sender: get=1 takes no sender"),
        ({"get": "1", "cmt": ""}, "cmt: get=1 takes no cmt"),
        ({"add": "1", "sender": "A", "all": "1"}, "all: add=1 takes no all"),
        ({"del": "1", "id": "1", "code": "5"}, "code: del=1 takes no code"),
        ({"get": "1", "all": "yes"}, "all: must be 0 or 1"),
        ({"get": "1", "operators": "2"}, "operators: must be 0 or 1"),
        ({"del": "1", "id": "0"}, "id: must be a positive decimal integer"),
        ({"del": "1", "id": "-1"}, "id: must be a positive decimal integer"),
        ({"del": "1", "id": "٣"}, "id: must be a positive decimal integer"),
        ({"del": "1", "id": "9223372036854775808"}, "id: must be at most 2^63-1"),
        ({"del": "1", "id": "99999999999999999999"}, "id: must be a positive decimal integer"),
        ({"get": "1", "fmt": "4"}, "fmt: must be 0, 1, 2 or 3, not '4'"),
        ({"get": "1", "fmt": " 3"}, "fmt: must be 0, 1, 2 or 3"),
        ({"get": "1", "charset": "rot13"}, "charset 'rot13' is not supported"),
        ({"get": "1", "charset": "utf-16"}, "charset 'utf-16' is not supported"),
        ({"get": "1", "login": "a"}, "psw: login and psw go together"),
        ({"get": "1", "psw": "a"}, "login: login and psw go together"),
        ({"get": "1", "login": "a", "psw": "b", "apikey": "k"}, "apikey: give login and psw"),
    ],
)
def test_from_params_refuses_what_the_api_would_naming_the_parameter(
    params: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        Request.from_params(params)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([("get", "1")], "params must be a mapping"),
        ({"get": ["1"]}, "get: parameter names and values must be str"),
        ({"get": "1", "fmt": 3}, "fmt: parameter names and values must be str"),
    ],
)
def test_from_params_refuses_what_is_not_str_to_str(params: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Request.from_params(params)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: Request(command=Command.GET, fmt=7), ValueError, "fmt: must be 0, 1, 2 or 3"),  # type: ignore[arg-type]
        (lambda: Request(command=Command.GET, fmt="3"), TypeError, "fmt: must be an int"),  # type: ignore[arg-type]
        (lambda: Request(command=Command.GET, fmt=True), TypeError, "fmt: must be an int"),  # type: ignore[arg-type]
        (lambda: Request(command=Command.DEL, id=0), ValueError, "id: must be from 1"),
        (lambda: Request(command=Command.DEL, id="5"), TypeError, "id: must be an int"),  # type: ignore[arg-type]
        (lambda: Request(command="fetch"), TypeError, "command: must be a Command"),  # type: ignore[arg-type]
        (lambda: Request(command=Command.ADD, sender=5), TypeError, "sender: must be a str"),  # type: ignore[arg-type]
        (lambda: Request(command=Command.GET, all=1), TypeError, "all: must be a bool"),  # type: ignore[arg-type]
        (lambda: Request.get(charset="latin-1"), ValueError, "charset 'latin-1' is not"),
        (lambda: Request.get(extra={"fmt": "3"}), ValueError, "fmt: a known parameter"),
        (lambda: Request.get(extra={"get": "1"}), ValueError, "get: a known parameter"),
        (lambda: Request.get(extra={"x": 1}), TypeError, "extra: names and values must be str"),  # type: ignore[dict-item]
        (lambda: Request.get(extra=[("x", "1")]), TypeError, "extra: must be a mapping"),  # type: ignore[call-overload]
    ],
)
def test_the_constructor_refuses_too(build: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build()


def test_repr_and_str_never_show_secrets() -> None:
    signed = Request.get(all=True, login="shop", psw="hunter2").with_credentials(
        login="shop", psw="hunter2"
    )
    keyed = Request.delete(id=5, apikey="SECRETKEY")
    for request in (signed, keyed):
        for shown in (repr(request), str(request), f"{request}", f"{request!r}", repr([request])):
            assert "hunter2" not in shown
            assert "SECRETKEY" not in shown
    assert repr(signed) == (
        "Request(command=<Command.GET: 'get'>, all=True, login='shop', psw='***')"
    )
    assert str(keyed) == "Request(command=<Command.DEL: 'del'>, id=5, apikey='***')"
    assert "hunter2" not in repr(signed.__rich_repr__())


def test_copies_with_other_credentials_and_format() -> None:
    request = Request.get(all=True)
    signed = request.with_credentials(login="shop", psw="pw")
    assert signed.to_params() == {"login": "shop", "psw": "pw", "get": "1", "all": "1"}
    assert signed.with_credentials(apikey="K").to_params() == {
        "apikey": "K",
        "get": "1",
        "all": "1",
    }
    assert signed.without_credentials() == request
    assert request.with_format(2, "koi8-r").to_params() == {
        "get": "1",
        "all": "1",
        "fmt": "2",
        "charset": "koi8-r",
    }
    assert request.with_format(2, "koi8-r").with_format(None) == request


def test_what_a_request_implies() -> None:
    assert Request.get().answer_type is SenderList
    assert Request.add("A").answer_type is SenderCreated
    for request in (
        Request.chg("A", cmt=""),
        Request.delete(id=1),
        Request.send_code("7"),
        Request.check_code("7", "1"),
    ):
        assert request.answer_type is Ok
    assert Request.get().effective_fmt is Fmt.TEXT
    assert Request.get().effective_charset == "windows-1251"
    assert Request.get(fmt=3, charset="utf8").effective_fmt is Fmt.JSON
    assert Request.get(fmt=3, charset="utf8").effective_charset == "utf-8"


def test_requests_are_immutable_and_hashable() -> None:
    request = Request.add("A", extra={"mail": "x"})
    with pytest.raises(AttributeError):
        request.sender = "B"  # type: ignore[misc]
    with pytest.raises(TypeError, match="read-only"):
        request.extra["mail"] = "y"  # type: ignore[index]
    assert len({request, Request.add("A", extra={"mail": "x"})}) == 1


def test_command_values_are_the_api_flags() -> None:
    assert [command.value for command in Command] == [
        "get",
        "add",
        "chg",
        "del",
        "send_code",
        "check_code",
    ]


@given(request=fs.requests())
@settings(max_examples=300)
def test_to_params_round_trips_through_from_params(request: Request[Any]) -> None:
    params = request.to_params()
    assert Request.from_params(params) == request
    assert Request.from_params(params).to_params() == params
    assert hash(Request.from_params(params)) == hash(request)
    for secret in ("psw", "apikey"):
        if getattr(request, secret) is not None:
            assert f"{secret}='***'" in repr(request)
            assert repr(request).count(f"{secret}=") == 1


@given(request=st.from_type(Request))
@settings(max_examples=50)
def test_hypothesis_builds_requests_from_the_type(request: Request[Any]) -> None:
    assert Request.from_params(request.to_params()) == request


def test_the_strategy_draws_every_command_signing_and_option() -> None:
    seen: set[str] = set()

    @given(request=fs.requests())
    @settings(max_examples=400, database=None)
    def collect(request: Request[Any]) -> None:
        seen.add(request.command.value)
        seen.update(
            name for name in ("login", "apikey", "fmt", "charset") if getattr(request, name)
        )
        seen.update(name for name in ("all", "operators") if getattr(request, name))
        if request.extra:
            seen.add("extra")
        if request.id is not None:
            seen.add("id")

    collect()
    assert seen >= {
        *(command.value for command in Command),
        "login",
        "apikey",
        "fmt",
        "charset",
        "all",
        "operators",
        "extra",
        "id",
    }


@pytest.mark.parametrize("charset", [None, "windows-1251", "koi8-r", "utf-8"])
def test_to_form_encodes_in_the_charset_the_server_reads_it_in(charset: str | None) -> None:
    request = Request.add("SHOP", cmt="магазин & ко", charset=charset)
    wire = "windows-1251" if charset is None else charset
    form = request.to_form()
    assert form.isascii()
    assert parse_qsl(form.decode("ascii"), encoding=wire) == list(request.to_params().items())
    assert Request.from_params(dict(parse_qsl(form.decode("ascii"), encoding=wire))) == request


def test_to_form_names_the_parameter_its_charset_cannot_hold() -> None:
    with pytest.raises(ValueError, match=r"^parameter 'cmt' holds '€', which koi8-r cannot hold$"):
        Request.add("SHOP", cmt="10 €", charset="koi8-r").to_form()
