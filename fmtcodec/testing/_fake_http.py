"""The fake senders.php's HTTP side: reading a WSGI request, and serving on loopback.

:func:`read_request` turns a WSGI environ into the method and the raw parameters (bytes,
percent-decoded, not yet decoded as text: that needs the request's own ``charset``), or an
HTTP refusal for what is not a senders.php request at all. :func:`serve` runs any WSGI
application on a threaded stdlib server on a free loopback port.
"""

from __future__ import annotations

import contextlib
import re
import socket
import socketserver
import threading
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from typing import Any, NamedTuple
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from ._fake_rules import ENDPOINT, MAX_BODY_BYTES, MAX_QUERY_BYTES

__all__ = ["Answer", "RawRequest", "read_request", "refusal", "respond", "serve"]

_FORM = "application/x-www-form-urlencoded"
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")
_BROKEN_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


class Answer(NamedTuple):
    """What the fake sends back: an HTTP status, a ``Content-Type`` and the body."""

    status: int
    content_type: str
    body: bytes


class RawRequest(NamedTuple):
    """A request to the endpoint: its method and parameters, query first, then the form body
    (so that, as in PHP, a body parameter wins over a query one of the same name).

    Each parameter is ``(name, value)`` as bytes, percent-decoded. ``bad_encoding`` names the
    first parameter whose percent-encoding is broken (``%zz``, a lone ``%``), or is None.
    """

    method: str
    pairs: list[tuple[bytes, bytes]]
    bad_encoding: str | None


def refusal(status: HTTPStatus, why: str) -> Answer:
    """An HTTP-level refusal: the status, and a plain-text body saying why."""
    text = f"{status.value} {status.phrase}: {why}\n"
    return Answer(status.value, "text/plain; charset=utf-8", text.encode("utf-8"))


def read_request(environ: dict[str, Any]) -> RawRequest | Answer:
    """The method and raw parameters of a WSGI request, or the refusal to answer with."""
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    if environ.get("PATH_INFO") != ENDPOINT:
        return refusal(HTTPStatus.NOT_FOUND, f"the fake answers {ENDPOINT} only")
    if method not in ("GET", "POST"):
        return refusal(HTTPStatus.METHOD_NOT_ALLOWED, "senders.php takes GET or POST")
    # WSGI hands the query string over as latin-1 text of the raw bytes (PEP 3333).
    query = str(environ.get("QUERY_STRING", "")).encode("latin-1", "replace")
    if len(query) > MAX_QUERY_BYTES:
        return refusal(
            HTTPStatus.REQUEST_URI_TOO_LONG,
            f"the query string is over {MAX_QUERY_BYTES} bytes; POST long parameters",
        )
    body = b""
    if method == "POST":
        read = _read_body(environ)
        if isinstance(read, Answer):
            return read
        body = read
    pairs: list[tuple[bytes, bytes]] = []
    bad_encoding: str | None = None
    for part in (query, body):
        for name, value, broken in _split(part):
            pairs.append((name, value))
            if broken and bad_encoding is None:
                bad_encoding = name.decode("latin-1")
    return RawRequest(method, pairs, bad_encoding)


def _read_body(environ: dict[str, Any]) -> bytes | Answer:
    length_text = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not length_text.isdigit():
        return refusal(HTTPStatus.BAD_REQUEST, f"Content-Length {length_text!r} is not a number")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        return refusal(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over {MAX_BODY_BYTES} bytes"
        )
    if length == 0:
        return b""
    media_type = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
    if media_type != _FORM:
        return refusal(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"a POST body must be {_FORM}, not {media_type!r}"
        )
    try:
        body = environ["wsgi.input"].read(length)
    except OSError:  # the client stopped sending: the connection timed out
        body = b""
    if not isinstance(body, bytes) or len(body) != length:
        return refusal(HTTPStatus.BAD_REQUEST, "the body ended before its Content-Length")
    return body


def _split(data: bytes) -> Iterator[tuple[bytes, bytes, bool]]:
    """``name=value&...`` as (name, value, broken) triples, ``+`` read as a space and
    percent-escapes decoded; ``broken`` when a ``%`` starts no valid escape."""
    for part in data.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        name, broken_name = _unquote(name)
        value, broken_value = _unquote(value)
        yield name, value, broken_name or broken_value


def _unquote(text: bytes) -> tuple[bytes, bool]:
    text = text.replace(b"+", b" ")
    return _PERCENT.sub(lambda match: bytes([int(match.group(1), 16)]), text), bool(
        _BROKEN_PERCENT.search(text)
    )


def respond(answer: Answer, start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Send ``answer`` through WSGI's ``start_response``; the body iterable to return."""
    start_response(
        f"{answer.status} {HTTPStatus(answer.status).phrase}",
        [
            ("Content-Type", answer.content_type),
            ("Content-Length", str(len(answer.body))),
        ],
    )
    return [answer.body]


# --- Serving ----------------------------------------------------------------------------

_POLL_SECONDS = 0.1
"""How often the serving loop looks for a shutdown request: the bound on stopping."""
_CONNECTION_TIMEOUT_SECONDS = 5.0
"""A connection that sends nothing for this long is dropped, so no thread hangs on one."""


class _Handler(WSGIRequestHandler):
    timeout = _CONNECTION_TIMEOUT_SECONDS

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test's output is not the place for an access log."""


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per connection; it remembers its open connections so
    that stopping can close them rather than wait for slow clients."""

    # Handler threads are joined when the server closes (after their connections were
    # dropped), so that none outlives the server.
    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Unblock every handler thread still reading from or writing to a client."""
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def serve(
    app: Callable[..., Iterable[bytes]], host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve the WSGI ``app`` on ``host``:``port`` (0: a free port) in a background thread.

    Yields the server's base URL (``http://127.0.0.1:PORT``). On exit the server stops
    taking connections, drops the ones still open and joins its threads.
    """
    server = _Server((host, port))
    server.set_app(app)
    loop = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": _POLL_SECONDS},
        name=f"fmtcodec fake senders.php on {host}:{server.server_port}",
        daemon=True,
    )
    loop.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        stop(server, loop)


def stop(server: _Server, loop: threading.Thread) -> None:
    """Stop ``server`` whose ``serve_forever`` runs in ``loop``, and close it."""
    server.shutdown()
    loop.join()
    server.drop_connections()
    server.server_close()  # joins the handler threads (block_on_close)
