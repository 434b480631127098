"""A small senders.php on loopback, for the client examples' tests.

It reads each request with Request.from_params, keeps an account's names in memory and
answers with fmtcodec.encode in the request's format and charset, as the real server
would (spec §5). It binds 127.0.0.1 on a free port and stops when its ``with`` ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import fmtcodec
from fmtcodec import (
    ApiError,
    Command,
    ErrorCode,
    Ok,
    OperatorStatus,
    Request,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)

LOGIN, PSW, APIKEY = "shop", "secret", "KEY-123"
CODE = "4321"  # the code every phone "receives"


@dataclass
class Account:
    """The account's names, and what the server should do next."""

    names: dict[int, Sender] = field(default_factory=dict)
    next_id: int = 1
    codes_sent: set[str] = field(default_factory=set)
    busy: int = 0  # answer error 9 to this many requests first
    seen: list[Request[Any]] = field(default_factory=list)

    def answer(self, request: Request[Any]) -> Response:
        self.seen.append(request.without_credentials())
        if self.busy:
            self.busy -= 1
            return ApiError(ErrorCode.TOO_MANY_REQUESTS)
        signed = (request.login, request.psw) == (LOGIN, PSW) or request.apikey == APIKEY
        if not signed:
            return ApiError(ErrorCode.AUTH_FAILED, "Неверный логин или пароль.")
        return _COMMANDS[request.command](self, request)

    def get(self, request: Request[Any]) -> Response:
        senders = [
            Sender(
                name=sender.name,
                id=sender.id,
                status=sender.status if request.all else None,
                operators=sender.operators if request.operators else {},
            )
            for sender in self.names.values()
            if request.all or sender.status == SenderStatus.APPROVED
        ]
        return SenderList(senders=tuple(senders))

    def add(self, request: Request[Any]) -> Response:
        assert request.sender is not None  # from_params refused add=1 without it
        if self.find(request.sender) is not None:
            return ApiError(ErrorCode.SAVE_FAILED)
        # Letters only pass moderation at once; anything else waits for it.
        return SenderCreated(self.create(request.sender, request.cmt, request.sender.isalpha()))

    def create(self, name: str, cmt: str | None, approved: bool) -> int:
        sender = Sender(
            name=name,
            id=self.next_id,
            status=SenderStatus.APPROVED if approved else SenderStatus.AWAITING_MODERATION,
            operators={"mts_step": OperatorStatus(2), "tele2": OperatorStatus(0)},
            extra={"cmt": cmt or ""},
        )
        self.names[sender.id] = sender
        self.next_id += 1
        return sender.id

    def chg(self, request: Request[Any]) -> Response:
        found = self.find(request.sender, request.id)
        if found is None:
            return ApiError(ErrorCode.SENDER_NOT_FOUND)
        self.names[found.id] = Sender(
            name=found.name,
            id=found.id,
            status=found.status,
            operators=found.operators,
            extra={"cmt": request.cmt or ""},
        )
        return Ok()

    def delete(self, request: Request[Any]) -> Response:
        found = self.find(request.sender, request.id)
        if found is None:
            return ApiError(ErrorCode.SENDER_NOT_FOUND)
        del self.names[found.id]
        return Ok()

    def send_code(self, request: Request[Any]) -> Response:
        phone = request.sender or ""
        if not phone.isdigit():
            return ApiError(ErrorCode.BAD_NUMBER_FORMAT)
        if phone in self.codes_sent:
            return ApiError(ErrorCode.CODE_ALREADY_SENT)
        self.codes_sent.add(phone)
        return Ok()

    def check_code(self, request: Request[Any]) -> Response:
        phone = request.sender or ""
        if phone not in self.codes_sent or request.code != CODE:
            return ApiError(ErrorCode.WRONG_CODE)
        self.create(phone, None, approved=True)  # a confirmed phone becomes a digital name
        return Ok()

    def find(self, name: str | None, sender_id: int | None = None) -> Sender | None:
        for sender in self.names.values():
            if sender.name == name or sender.id == sender_id:
                return sender
        return None


_COMMANDS = {
    Command.GET: Account.get,
    Command.ADD: Account.add,
    Command.CHG: Account.chg,
    Command.DEL: Account.delete,
    Command.SEND_CODE: Account.send_code,
    Command.CHECK_CODE: Account.check_code,
}


def _params(handler: BaseHTTPRequestHandler) -> Mapping[str, str]:
    query = urlsplit(handler.path).query
    if handler.command == "POST":
        length = int(handler.headers.get("Content-Length") or 0)
        query = handler.rfile.read(length).decode("ascii")
    # senders.php reads the parameters in the charset the request names (spec §4.20):
    # find that name first (it is ASCII), then read every parameter in it.
    named = dict(parse_qsl(query, keep_blank_values=True, encoding="latin-1"))
    charset = named.get("charset") or Request.DEFAULT_CHARSET
    return dict(parse_qsl(query, keep_blank_values=True, encoding=charset))


def _handler(account: Account, lock: threading.Lock) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.answer()

        def answer(self) -> None:
            if urlsplit(self.path).path != "/sys/senders.php":
                self.send_error(404)
                return
            params = _params(self)
            try:
                request = Request.from_params(params)
            except ValueError as exc:
                # The API answers a request it refuses with error 1, in fmt 0.
                response: Response = ApiError(ErrorCode.BAD_PARAMETERS, str(exc))
                fmt, charset = 0, "windows-1251"
            else:
                with lock:
                    response = account.answer(request)
                fmt, charset = request.effective_fmt, request.effective_charset
            body = fmtcodec.encode(response, fmt, charset=charset)
            self.send_response(200)
            self.send_header("Content-Type", f"text/plain; charset={charset}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the tests check the answers

    return Handler


@contextmanager
def serving(account: Account | None = None) -> Iterator[tuple[str, Account]]:
    """A server on a free loopback port: yields its senders.php URL and its account."""
    account = Account() if account is None else account
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(account, threading.Lock()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/sys/senders.php", account
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
