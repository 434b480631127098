"""docs/client.md: its client is docs/examples/client.py, and its usage example prints what
the page shows, run against a senders.php on loopback (tests/senders_server.py)."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import pytest
from senders_server import Account, serving

DOCS = Path(__file__).parent.parent / "docs"
PAGE = (DOCS / "client.md").read_text("utf-8")
BLOCKS = re.findall(r"^```(python|text)\n(.*?)^```$", PAGE, re.M | re.S)
# The page's plain python blocks (the >>> ones run as doctests): the client, then its use.
CLIENT, USAGE = [code for kind, code in BLOCKS if kind == "python" and ">>> " not in code]
PRINTED = BLOCKS[-1][1]


def run_usage(endpoint: str) -> str:
    """Run the page's usage example against ``endpoint``; what it printed."""
    sys.path.insert(0, str(DOCS / "examples"))
    try:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(USAGE, "docs/client.md", "exec"), {"endpoint": endpoint})
    finally:
        sys.path.remove(str(DOCS / "examples"))
        sys.modules.pop("client", None)
    return output.getvalue()


def test_the_page_shows_the_example_file() -> None:
    assert (DOCS / "examples" / "client.py").read_text("utf-8") == CLIENT
    assert BLOCKS[-1][0] == "text"


def test_the_usage_example_prints_what_the_page_shows() -> None:
    with serving() as (endpoint, account):
        assert run_usage(endpoint) == PRINTED
    # Every command went out, signed and in the client's format, and came back typed.
    commands = [request.command.value for request in account.seen]
    assert set(commands) == {"get", "add", "chg", "del", "send_code", "check_code"}
    assert {(request.fmt, request.charset) for request in account.seen} == {(3, "utf-8")}


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
@pytest.mark.parametrize("charset", ["utf-8", "windows-1251", "koi8-r"])
def test_the_client_works_in_every_format_and_charset(fmt: int, charset: str) -> None:
    sys.path.insert(0, str(DOCS / "examples"))
    try:
        import client
        import httpx

        with serving() as (endpoint, _), httpx.Client() as http:
            senders = client.SendersClient(
                http, login="shop", psw="secret", url=endpoint, fmt=fmt, charset=charset
            )
            new_id = senders.add("Ромашка", "магазин")
            assert [sender.id for sender in senders.names()] == [new_id]
            assert senders.moderation().senders[0].status.description == "допущено к использованию"
            if fmt != 1:  # fmt 1 has no operators=1 view (spec §2)
                assert senders.operators().senders[0].operators["mts_step"] == 2
            senders.change_comment("Ромашка", "новый")
            senders.delete(new_id)
            assert senders.names() == ()
    finally:
        sys.path.remove(str(DOCS / "examples"))
        sys.modules.pop("client", None)


def test_the_client_retries_what_can_succeed_later_and_only_that() -> None:
    sys.path.insert(0, str(DOCS / "examples"))
    try:
        import client
        import httpx

        import fmtcodec

        with serving(Account(busy=2)) as (endpoint, account), httpx.Client() as http:
            senders = client.SendersClient(
                http, login="shop", psw="secret", url=endpoint, pause=0.001
            )
            assert senders.names() == ()  # two "too many requests", then the answer
            assert len(account.seen) == 3
            account.busy = 3
            with pytest.raises(fmtcodec.TooManyRequestsError):
                senders.names()  # the third try fails too: no fourth
            assert len(account.seen) == 6
            with pytest.raises(fmtcodec.SenderNotFoundError):
                senders.delete(99)
            assert len(account.seen) == 7  # not retryable: one try
    finally:
        sys.path.remove(str(DOCS / "examples"))
        sys.modules.pop("client", None)


def test_the_server_answers_a_refused_request_with_error_1() -> None:
    import httpx

    with serving() as (endpoint, _):
        answer = httpx.get(endpoint, params={"del": "1", "login": "shop", "psw": "secret"})
    assert answer.content.decode("windows-1251") == "ERROR = 1 (sender: del=1 needs sender or id)"
