"""The client of docs/client.md (docs/examples/client.py) against the fake, in all three
ways: WSGI, ``fake.serve()``, and the pytest plugin's fixtures; every command in every fmt
and charset, with the error paths and the retries."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import fmtcodec
from fmtcodec import ErrorCode, OperatorStatus, SenderStatus
from fmtcodec.testing import FakeSenders

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "client.py"
FMTS = [0, 1, 2, 3]
CHARSETS = ["utf-8", "windows-1251", "koi8-r"]
PHONE = "79991234567"


def load_client() -> ModuleType:
    """docs/examples/client.py as a module of its own (not copied: the file itself)."""
    spec = importlib.util.spec_from_file_location("docs_examples_client", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLIENT = load_client()


@contextmanager
def over_wsgi(fake: FakeSenders) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(transport=httpx.WSGITransport(app=fake)) as http:
        yield http, "http://fake/sys/senders.php"


@contextmanager
def over_loopback(fake: FakeSenders) -> Iterator[tuple[httpx.Client, str]]:
    with fake.serve() as url, httpx.Client() as http:
        yield http, f"{url}/sys/senders.php"


def client_for(http: httpx.Client, url: str, fmt: int, charset: str, **options: Any) -> Any:
    return CLIENT.SendersClient(
        http,
        login="fake-login",
        psw="fake-psw",
        url=url,
        fmt=fmt,
        charset=charset,
        pause=0.001,
        **options,
    )


def every_command(fake: FakeSenders, senders: Any, fmt: int) -> None:
    """The client's every method against ``fake``, and the errors each can meet."""
    # senders.php reads the parameters in the charset asked for: the client encodes its
    # form in it, so a non-ASCII comment comes through in every charset.
    comment = "магазин"
    new_id = senders.add("SHOP-24", comment)
    assert fake.comment(new_id) == comment
    assert senders.names() == ()  # awaiting moderation: not active yet
    fake.approve("SHOP-24")
    fake.advance(60)  # the identical-list limit is three a minute
    assert [(s.name, s.id) for s in senders.names()] == [("SHOP-24", new_id)]
    moderation = senders.moderation()
    assert [s.status for s in moderation.senders] == [SenderStatus.APPROVED]
    fake.set_operator_status("SHOP-24", "mts_step", OperatorStatus.APPROVED)
    if fmt == 1:  # the operators=1 view has no fmt 1 form: the fake answers error 1
        with pytest.raises(fmtcodec.BadParametersError):
            senders.operators()
    else:
        (listed,) = senders.operators().senders
        assert listed.operators["mts_step"] is OperatorStatus.APPROVED
        assert listed.operators["bee_step"] is OperatorStatus.AWAITING_REGISTRATION
    senders.change_comment("SHOP-24", comment.upper())
    assert fake.comment("SHOP-24") == comment.upper()

    phone_id = senders.add(PHONE)
    senders.send_code(PHONE)
    with pytest.raises(fmtcodec.CodeAlreadySentError):
        senders.send_code(PHONE)
    with pytest.raises(fmtcodec.WrongCodeError):
        senders.check_code(PHONE, "not-it")
    senders.check_code(PHONE, fake.sent_code(PHONE))
    fake.advance(60)
    assert [s.id for s in senders.names()] == [new_id, phone_id]  # confirmed: approved

    with pytest.raises(fmtcodec.BadNumberFormatError):
        senders.send_code("SHOP-24")
    with pytest.raises(fmtcodec.SaveFailedError):
        senders.add("SHOP-24")
    with pytest.raises(fmtcodec.BadParametersError):
        senders.add("ИМЯ")
    senders.delete(new_id)
    with pytest.raises(fmtcodec.SenderNotFoundError):
        senders.delete(new_id)
    with pytest.raises(fmtcodec.SenderNotFoundError):
        senders.change_comment("SHOP-24", "x")
    fake.advance(60)
    assert [s.name for s in senders.names()] == [PHONE]

    # Retries: the client tries again after a retryable error, and gives up after two.
    fake.fail_next(ErrorCode.TOO_MANY_REQUESTS, times=2)
    fake.advance(60)
    assert [s.name for s in senders.names()] == [PHONE]
    fake.fail_next(ErrorCode.IP_BLOCKED, times=3)
    with pytest.raises(fmtcodec.IPBlockedError):
        senders.names()
    fake.fail_next(ErrorCode.SENDER_NOT_FOUND, times=2)  # not retryable: one try a call
    for _ in range(2):
        with pytest.raises(fmtcodec.SenderNotFoundError):
            senders.names()
    fake.advance(60)
    assert [s.name for s in senders.names()] == [PHONE]
    fake.respond_raw("<html><h1>502 Bad Gateway</h1></html>", status=502)
    with pytest.raises(httpx.HTTPStatusError):
        senders.names()

    # Every request went out signed and in the client's format; none showed the password.
    for received in fake.requests:
        assert received.params["psw"] == "***"
        assert (received.params["fmt"], received.params["charset"]) == (
            str(fmt),
            senders._charset,
        )


def wrong_password(fake: FakeSenders, http: httpx.Client, url: str, fmt: int, cs: str) -> None:
    stranger = CLIENT.SendersClient(
        http, login="fake-login", psw="wrong", url=url, fmt=fmt, charset=cs
    )
    with pytest.raises(fmtcodec.AuthenticationError):
        stranger.names()


WAYS: dict[str, Callable[[FakeSenders], Any]] = {"wsgi": over_wsgi, "loopback": over_loopback}


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("fmt", FMTS)
@pytest.mark.parametrize("way", sorted(WAYS))
def test_the_docs_client_against_the_fake(way: str, fmt: int, charset: str) -> None:
    fake = FakeSenders()
    with WAYS[way](fake) as (http, url):
        every_command(fake, client_for(http, url, fmt, charset), fmt)
        wrong_password(fake, http, url, fmt, charset)


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("fmt", FMTS)
def test_the_docs_client_through_the_pytest_fixtures(
    fake_senders: FakeSenders, fake_senders_url: str, fmt: int, charset: str
) -> None:
    url = f"{fake_senders_url}/sys/senders.php"
    with httpx.Client() as http:
        every_command(fake_senders, client_for(http, url, fmt, charset), fmt)
        wrong_password(fake_senders, http, url, fmt, charset)


def test_the_fake_reads_the_docs_clients_parameters_in_the_charset_it_names() -> None:
    # The comment reaches the fake as sent in every charset, POST body and query alike.
    for charset in ("koi8-r", "windows-1251", "utf-8"):
        fake = FakeSenders()
        with over_wsgi(fake) as (http, url):
            client_for(http, url, 3, charset).add("SHOP", "магазин")
        assert fake.comment("SHOP") == "магазин"
        request = fmtcodec.Request.chg(sender="SHOP", cmt="ёлка").with_format(3, charset)
        signed = request.with_credentials(login="fake-login", psw="fake-psw")
        with over_wsgi(fake) as (http, url):
            answer = http.get(f"{url}?{signed.to_form().decode('ascii')}")
        assert fmtcodec.decode_answer(signed, answer.content) == fmtcodec.Ok()
        assert fake.comment("SHOP") == "ёлка"
