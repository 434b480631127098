"""A complete client of senders.php over httpx: its transport, then a few lines a command.

fmtcodec builds the parameters (Request), checks that the answer fits the command and
types it (decode_answer), and raises the API's errors as exceptions (ResponseError and a
subclass per code). Checked by ``mypy --strict`` in CI.
"""

from __future__ import annotations

import time
from typing import TypeVar

import httpx

import fmtcodec
from fmtcodec import Answer, Request, Sender, SenderList, SenderWithStatus

A = TypeVar("A", bound=Answer)


class SendersClient:
    """The sender names of one SMSC account."""

    URL = "https://smsc.ru/sys/senders.php"

    def __init__(
        self,
        http: httpx.Client,
        *,
        login: str,
        psw: str,
        url: str = URL,
        fmt: int = 3,
        charset: str = "utf-8",
        retries: int = 2,
        pause: float = 1.0,
    ) -> None:
        self._http = http
        self._login, self._psw = login, psw
        self._url, self._fmt, self._charset = url, fmt, charset
        self._retries, self._pause = retries, pause

    def call(self, request: Request[A]) -> A:
        """Send ``request`` signed, in this client's format; its answer, typed.

        Raises the API's error (fmtcodec.ResponseError), retrying first when the error
        says a later try can help (a blocked IP, too many requests).
        """
        signed = request.with_credentials(login=self._login, psw=self._psw)
        signed = signed.with_format(self._fmt, self._charset)
        for attempt in range(self._retries + 1):
            response = self._http.post(
                self._url,
                content=signed.to_form(),  # in the request's charset, as senders.php reads it
                headers={"Content-Type": Request.FORM_CONTENT_TYPE},
            )
            response.raise_for_status()
            try:
                return fmtcodec.decode_answer(signed, response.content)
            except fmtcodec.ResponseError as error:
                if not error.retryable or attempt == self._retries:
                    raise
                time.sleep(self._pause * 2**attempt)
        raise AssertionError("unreachable: the loop returns or raises")

    # One method a command: the request, and what to keep of the answer.

    def names(self) -> tuple[Sender, ...]:
        """The names in use (get=1)."""
        return self.call(Request.get()).senders

    def moderation(self) -> SenderList[SenderWithStatus]:
        """Every name with its moderation status (get=1, all=1)."""
        return self.call(Request.get(all=True))

    def operators(self) -> SenderList:
        """Every name in use with its status at each operator (get=1, operators=1)."""
        return self.call(Request.get(operators=True))

    def add(self, name: str, comment: str | None = None) -> int:
        """Create a name (add=1); its id."""
        return self.call(Request.add(name, cmt=comment)).id

    def change_comment(self, name: str, comment: str) -> None:
        """Set a name's comment (chg=1)."""
        self.call(Request.chg(name, cmt=comment))

    def delete(self, sender_id: int) -> None:
        """Delete a name by its id (del=1)."""
        self.call(Request.delete(id=sender_id))

    def send_code(self, phone: str) -> None:
        """Send a confirmation code to a phone number, a digital name (send_code=1)."""
        self.call(Request.send_code(phone))

    def check_code(self, phone: str, code: str) -> None:
        """Confirm a phone number with the code it received (check_code=1)."""
        self.call(Request.check_code(phone, code))
