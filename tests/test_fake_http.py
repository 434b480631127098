"""FakeSenders over real HTTP and over WSGI adapters: serve(), many threads, hostile input."""

from __future__ import annotations

import io
import itertools
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import requests
from wsgiadapter import WSGIAdapter

import fmtcodec
from fmtcodec import ApiError, ErrorCode, SenderCreated, SenderList
from fmtcodec.testing import FakeSenders

CREDENTIALS = {"login": "fake-login", "psw": "fake-psw"}
ENDPOINT = "/sys/senders.php"


def no_limits() -> FakeSenders:
    """A fake whose clock jumps a minute at each request: no rate limit is ever reached."""
    minutes = itertools.count()
    return FakeSenders(clock=lambda: next(minutes) * 60.0)


@pytest.fixture
def served() -> Iterator[tuple[FakeSenders, str]]:
    fake = FakeSenders()
    fake.add_sender("ALPHA")
    with fake.serve() as url:
        yield fake, url


def raw_http(url: str, request: bytes) -> bytes:
    """Send ``request`` as it is over a socket; everything the server sends back."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_serve_answers_over_loopback_and_is_gone_at_exit() -> None:
    fake = FakeSenders()
    fake.add_sender("ALPHA")
    threads_before = set(threading.enumerate())
    with fake.serve() as url:
        assert url.startswith("http://127.0.0.1:")
        answer = httpx.get(f"{url}{ENDPOINT}", params={**CREDENTIALS, "get": "1", "fmt": "3"})
        assert answer.content == b'[{\n"sender": "ALPHA",\n"id": 1\n}]'
        assert answer.headers["content-type"] == "application/json; charset=windows-1251"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}{ENDPOINT}", params={**CREDENTIALS, "get": "1"})
    assert set(threading.enumerate()) <= threads_before


def test_200_concurrent_requests_from_8_threads() -> None:
    fake = no_limits()
    threads_before = set(threading.enumerate())
    with fake.serve() as url, httpx.Client(base_url=url) as client:

        def call(number: int) -> tuple[int, bytes, int]:
            if number % 2:
                params = {"get": "1", "all": "1", "fmt": str(number % 4)}
            else:
                params = {"add": "1", "sender": f"N{number}", "fmt": "3", "charset": "utf-8"}
            answer = client.post(ENDPOINT, data={**CREDENTIALS, **params})
            return number, answer.content, answer.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(call, range(200)))
    assert set(threading.enumerate()) <= threads_before
    assert [status for _, _, status in results] == [200] * 200
    created: dict[str, int] = {}
    for number, body, _ in results:
        if number % 2:
            listed = fmtcodec.decode(body, number % 4, charset="windows-1251")
            assert isinstance(listed, SenderList)
        else:
            answer = fmtcodec.decode(body, 3)
            assert isinstance(answer, SenderCreated), body
            created[f"N{number}"] = answer.id
    assert sorted(created.values()) == list(range(1, 101))  # no id given twice, none lost
    assert {s.name: s.id for s in fake.state().senders} == created
    assert len(fake.requests) == 200


def test_an_idle_connection_does_not_hold_up_the_exit() -> None:
    fake = FakeSenders()
    threads_before = set(threading.enumerate())
    with fake.serve() as url:
        parts = urllib.parse.urlsplit(url)
        idle = socket.create_connection((parts.hostname, parts.port))
        idle.sendall(b"GET /sys/senders.php?get=1 HTTP/1.1\r\nHost: x\r\n")  # never finished
        # Wait until a handler thread has taken the connection (it is then reading from it).
        with httpx.Client(base_url=url) as client:
            client.get(ENDPOINT, params={**CREDENTIALS, "get": "1"})
    idle.close()
    assert set(threading.enumerate()) <= threads_before


def test_serve_picks_a_free_port_each_time_and_takes_a_given_one() -> None:
    fake = FakeSenders()
    with fake.serve() as first, fake.serve() as second:
        assert first != second
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with fake.serve(port=port) as url:
        assert url == f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}{ENDPOINT}", params={"get": "1"}).content.startswith(b"ERROR = 2")


def test_requests_through_a_wsgi_adapter() -> None:
    fake = FakeSenders()
    session = requests.Session()
    session.mount("http://fake", WSGIAdapter(fake))
    answer = session.post(
        f"http://fake{ENDPOINT}",
        data={**CREDENTIALS, "add": "1", "sender": "ALPHA", "fmt": "2"},
    )
    assert answer.content == b"<sender>\n<id>1</id>\n</sender>"
    answer = session.get(f"http://fake{ENDPOINT}", params={**CREDENTIALS, "get": "1", "all": "1"})
    assert answer.content == b"name = ALPHA, status = 0, id = 1"


# --- Hostile requests: an API error or a 4xx, never a traceback or a hung thread ---------


def api_error(body: bytes, fmt: int = 0, charset: str = "windows-1251") -> ErrorCode | int:
    answer = fmtcodec.decode(body, fmt, charset=charset)
    assert isinstance(answer, ApiError), body
    return answer.code


HOSTILE_PARAMETERS = [
    # (query string, the error code, the fmt and charset the error is written in)
    ("get=1&sender=%zz&fmt=3", ErrorCode.BAD_PARAMETERS, 3, "windows-1251"),
    ("get=1&%=1&fmt=2", ErrorCode.BAD_PARAMETERS, 2, "windows-1251"),
    ("get=1&fmt=%G3", ErrorCode.BAD_PARAMETERS, 0, "windows-1251"),
    ("get=1&charset=nope&fmt=1", ErrorCode.BAD_PARAMETERS, 1, "windows-1251"),
    ("get=1&charset=rot13&fmt=3", ErrorCode.BAD_PARAMETERS, 3, "windows-1251"),
    ("get=1&charset=%00&fmt=3", ErrorCode.BAD_PARAMETERS, 3, "windows-1251"),
    ("get=1&charset=utf-8&sender=%FF%FE&fmt=3", ErrorCode.BAD_PARAMETERS, 3, "utf-8"),
    ("get=1&fmt=9", ErrorCode.BAD_PARAMETERS, 0, "windows-1251"),
    ("get=1&fmt=-1", ErrorCode.BAD_PARAMETERS, 0, "windows-1251"),
    ("add=1&sender=A%00B&fmt=3", ErrorCode.BAD_PARAMETERS, 3, "windows-1251"),
    ("add=1&sender=" + "A" * 15000, ErrorCode.BAD_PARAMETERS, 0, "windows-1251"),
    ("del=1&id=99999999999999999999999999&fmt=3", ErrorCode.BAD_PARAMETERS, 3, "windows-1251"),
    ("del=1&id=0x10&fmt=3", ErrorCode.BAD_PARAMETERS, 3, "windows-1251"),
    ("del=1&id=%D9%A3&fmt=3&charset=utf-8", ErrorCode.BAD_PARAMETERS, 3, "utf-8"),
    ("get=2", ErrorCode.BAD_PARAMETERS, 0, "windows-1251"),
    ("", ErrorCode.BAD_PARAMETERS, 0, "windows-1251"),
    ("&&&=&==", ErrorCode.BAD_PARAMETERS, 0, "windows-1251"),
]


@pytest.mark.parametrize(("query", "code", "fmt", "charset"), HOSTILE_PARAMETERS)
def test_hostile_parameters_get_an_api_error(
    served: tuple[FakeSenders, str],
    query: str,
    code: ErrorCode,
    fmt: int,
    charset: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    fake, url = served
    credentials = urllib.parse.urlencode(CREDENTIALS)
    for answer in (
        httpx.get(f"{url}{ENDPOINT}?{query}&{credentials}"),
        httpx.post(
            f"{url}{ENDPOINT}",
            content=f"{query}&{credentials}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    ):
        assert answer.status_code == 200
        assert api_error(answer.content, fmt, charset) == code
    assert capfd.readouterr().err == ""
    assert fake.state().senders[0].name == "ALPHA"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /sys/senders.php?get=1&sender=" + b"A" * 20000 + b" HTTP/1.0\r\n\r\n", 414),
        (b"GET /sys/senders.php?" + b"A" * 70000 + b" HTTP/1.0\r\n\r\n", 414),
        (b"GET /other.php?get=1 HTTP/1.0\r\n\r\n", 404),
        (b"PUT /sys/senders.php HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 405),
        (b"DELETE /sys/senders.php?get=1 HTTP/1.0\r\n\r\n", 405),
        (b"POST /sys/senders.php HTTP/1.0\r\nContent-Length: 99999999\r\n\r\nget=1", 413),
        (b"POST /sys/senders.php HTTP/1.0\r\nContent-Length: many\r\n\r\nget=1", 400),
        (
            b"POST /sys/senders.php HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 5\r\n\r\nget=1",
            415,
        ),
        (b"BREW /sys/senders.php HTTP/1.0\r\n\r\n", 405),
        (b"GET /sys/senders.php HTTP/1.0\r\n" + b"X-A: b\r\n" * 200 + b"\r\n", 431),
    ],
    ids=[
        "long query",
        "request line over http.server's limit",
        "wrong path",
        "PUT",
        "DELETE",
        "body over the limit",
        "bad Content-Length",
        "multipart",
        "not HTTP",
        "too many headers",
    ],
)
def test_hostile_http_gets_a_4xx(
    served: tuple[FakeSenders, str],
    request_bytes: bytes,
    status: int,
    capfd: pytest.CaptureFixture[str],
) -> None:
    _, url = served
    assert status_of(raw_http(url, request_bytes)) == status
    assert capfd.readouterr().err == ""


def test_a_body_shorter_than_its_content_length_is_a_400() -> None:
    fake = FakeSenders()
    statuses: list[str] = []
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": ENDPOINT,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": "100",
        "wsgi.input": io.BytesIO(b"get=1"),
    }
    body = b"".join(fake(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["400 Bad Request"]
    assert body == b"400 Bad Request: the body ended before its Content-Length\n"
    assert fake.requests[-1].status == 400 and fake.requests[-1].request is None


class _Stalled(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        raise TimeoutError("timed out")


@pytest.mark.parametrize(
    ("length", "body", "status"),
    [("0", io.BytesIO(b""), "200 OK"), ("5", _Stalled(), "400 Bad Request")],
    ids=["empty body", "a client that stops sending"],
)
def test_post_bodies_that_hold_nothing(length: str, body: io.BytesIO, status: str) -> None:
    fake = FakeSenders()
    statuses: list[str] = []
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": ENDPOINT,
        "QUERY_STRING": urllib.parse.urlencode({**CREDENTIALS, "get": "1", "fmt": "3"}),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": length,
        "wsgi.input": body,
    }
    answer = b"".join(fake(environ, lambda status, headers: statuses.append(status)))
    assert statuses == [status]
    assert answer == (
        b"[]"
        if status == "200 OK"
        else b"400 Bad Request: the body ended before its Content-Length\n"
    )


def test_the_last_of_a_repeated_parameter_wins_and_the_body_over_the_query() -> None:
    fake = FakeSenders()
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://fake") as client:
        answer = client.post(
            f"{ENDPOINT}?fmt=3&add=1&sender=QUERY",
            content=urllib.parse.urlencode({**CREDENTIALS, "sender": "FIRST", "fmt": "2"})
            + "&sender=BODY",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.content == b"<sender>\n<id>1</id>\n</sender>"
    assert [s.name for s in fake.state().senders] == ["BODY"]


def test_a_plus_is_a_space_and_escapes_decode_in_the_charset_asked_for() -> None:
    fake = FakeSenders()
    fake.add_sender("Ромашка")
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://fake") as client:
        for charset in ("koi8-r", "utf-8", "windows-1251"):
            name = urllib.parse.quote("Ромашка", encoding=charset)
            credentials = urllib.parse.urlencode(CREDENTIALS)
            answer = client.get(
                f"{ENDPOINT}?chg=1&sender={name}&cmt=a+b%2Bc&charset={charset}&{credentials}"
            )
            assert answer.content == b"OK"
            assert fake.comment("Ромашка") == "a b+c"
