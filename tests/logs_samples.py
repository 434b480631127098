"""Logs in the layouts real tools write, made here (no tool's code), and the table they
must become.

The HAR follows mitmproxy's HAR export (``save.har``): ``startedDateTime`` in
``isoformat()`` with ``+00:00``, ``queryString``/``headers`` as name-value lists, a
``postData`` with ``mimeType``, ``text`` and ``params`` for a POST, and a body that is
not mostly text (a windows-1251 body is not) stored base64 with ``"encoding": "base64"``.
The browser HAR follows Chrome DevTools' "Save all as HAR": ``Z`` times, ``_initiator``,
``_resourceType``, ``_transferSize``, ``content.compression``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

OPERATORS_BODY = (
    "name = SHOP, mega_step = 2, bee_step = 3, motiv_step = 0, sber_step = 0, winmob_step = 0,"
    " volnamob_step = 0, mts_step = 2, tele2_step = 2, tele2 = 2, ua_reg = 0, ua_int = 0,"
    " mega_int = 0, motiv_int = 0, mts_int = 0, motiv = 0, by_reg = 0, by_int = 0,"
    " tele2_int = 0, sber_int = 0, id = 5"
)


def _pairs(mapping: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": key, "value": value} for key, value in mapping.items()]


def _mitm_entry(
    started: str,
    method: str,
    url: str,
    query: dict[str, str],
    body: bytes,
    content_type: str,
    form: str | None = None,
) -> dict[str, Any]:
    text = body.decode("ascii", "replace")
    binary = not body.isascii()
    content: dict[str, Any] = {
        "size": len(body),
        "compression": 0,
        "mimeType": content_type,
        "text": base64.b64encode(body).decode() if binary else text,
    }
    if binary:
        content["encoding"] = "base64"
    request: dict[str, Any] = {
        "method": method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _pairs({"Host": "smsc.ru", "User-Agent": "python-requests/2.32.3"}),
        "queryString": _pairs(query),
        "headersSize": 120,
        "bodySize": len(form or ""),
    }
    if form is not None:
        request["postData"] = {
            "mimeType": "application/x-www-form-urlencoded",
            "text": form,
            "params": [],  # mitmproxy fills it from the form; the text is what counts
        }
    return {
        "startedDateTime": started,
        "time": 48.2,
        "request": request,
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _pairs({"Content-Type": content_type, "Server": "nginx"}),
            "content": content,
            "redirectURL": "",
            "headersSize": 96,
            "bodySize": len(body),
        },
        "cache": {},
        "timings": {"connect": 12.0, "ssl": 20.1, "send": 0.2, "receive": 0.9, "wait": 15.0},
        "serverIPAddress": "212.24.33.196",
    }


def mitmproxy_har(path: Path) -> Path:
    """Four entries: a GET list in fmt 0 windows-1251 (base64), a POST form ``add`` in
    fmt 3, a request to another page (skipped), and a ``del`` answered with an error."""
    listing = "name = ALPHA, status = 1, id = 7\nname = Рассвет, status = 0, id = 8"
    entries = [
        _mitm_entry(
            "2024-05-01T10:00:00.250000+00:00",
            "GET",
            "https://smsc.ru/sys/senders.php?get=1&all=1&login=shop&psw=secret",
            {"get": "1", "all": "1", "login": "shop", "psw": "secret"},
            listing.encode("windows-1251"),
            "text/plain; charset=windows-1251",
        ),
        _mitm_entry(
            "2024-05-01T10:05:00+00:00",
            "POST",
            "https://smsc.ru/sys/senders.php",
            {},
            b'{\n"sender": 12\n}',
            "application/json; charset=utf-8",
            # sender=Рассвет in windows-1251 percent-escapes, as the API's default charset
            form="add=1&sender=%D0%E0%F1%F1%E2%E5%F2&cmt=shop&fmt=3&login=shop&psw=secret",
        ),
        _mitm_entry(
            "2024-05-01T10:06:00+00:00",
            "GET",
            "https://smsc.ru/favicon.ico",
            {},
            b"\x00\x00\x01\x00",
            "image/x-icon",
        ),
        _mitm_entry(
            "2024-05-01T10:07:00+03:00",
            "GET",
            "https://smsc.ru/sys/senders.php?del=1&id=8&fmt=2&charset=utf-8&apikey=K",
            {"del": "1", "id": "8", "fmt": "2", "charset": "utf-8", "apikey": "K"},
            "<result>\n<error>Имя отправителя не найдено.</error>\n<error_code>3</error_code>\n"
            "</result>".encode(),
            "text/xml; charset=windows-1251",
        ),
    ]
    har = {
        "log": {
            "version": "1.2",
            "creator": {
                "name": "mitmproxy exporthar",
                "version": "0.1",
                "comment": "mitmproxy version 11.0.0",
            },
            "pages": [],
            "entries": entries,
        }
    }
    path.write_text(json.dumps(har, indent=4), encoding="utf-8")
    return path


def chrome_har(path: Path) -> Path:
    """Chrome's layout: an operators=1 list (fmt 0, ASCII: stored as text) and OK."""
    entries = []
    for started, url, body in (
        (
            "2024-05-02T08:00:00.123Z",
            "https://smsc.ru/sys/senders.php?get=1&operators=1&login=shop&psw=secret",
            OPERATORS_BODY,
        ),
        ("2024-05-02T08:01:00.000Z", "https://smsc.ru/sys/senders.php?chg=1&id=5&cmt=x", "OK"),
    ):
        entries.append(
            {
                "_initiator": {"type": "script"},
                "_priority": "High",
                "_resourceType": "xhr",
                "cache": {},
                "connection": "443",
                "pageref": "page_1",
                "request": {
                    "method": "GET",
                    "url": url,
                    "httpVersion": "http/2.0",
                    "headers": _pairs({":authority": "smsc.ru", "accept": "*/*"}),
                    "queryString": [],
                    "cookies": [],
                    "headersSize": -1,
                    "bodySize": 0,
                },
                "response": {
                    "status": 200,
                    "statusText": "",
                    "httpVersion": "http/2.0",
                    "headers": _pairs({"content-type": "text/plain; charset=windows-1251"}),
                    "cookies": [],
                    "content": {
                        "size": len(body),
                        "mimeType": "text/plain",
                        "compression": 0,
                        "text": body,
                    },
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": -1,
                    "_transferSize": len(body) + 90,
                    "_error": None,
                },
                "serverIPAddress": "212.24.33.196",
                "startedDateTime": started,
                "time": 87.1,
                "timings": {
                    "blocked": 1.2,
                    "dns": -1,
                    "ssl": -1,
                    "connect": -1,
                    "send": 0.1,
                    "wait": 80.0,
                    "receive": 5.8,
                    "_blocked_queueing": 0.9,
                },
            }
        )
    har = {
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "pages": [
                {
                    "startedDateTime": "2024-05-02T07:59:59.000Z",
                    "id": "page_1",
                    "title": "https://smsc.ru/",
                    "pageTimings": {},
                }
            ],
            "entries": entries,
        }
    }
    path.write_text(json.dumps(har), encoding="utf-8")
    return path


def jsonl_log(path: Path) -> Path:
    """A service's log: params as an object, a URL, a base64 body, a bad body, a broken
    line, another endpoint."""
    lines = [
        {
            "time": "2024-05-03T09:00:00Z",
            "params": {"get": 1, "fmt": 3, "login": "shop", "psw": "secret"},
            "body": '[{"sender": "ALPHA", "id": 7, "color": "red"}]',
        },
        {
            "time": 1714726860,
            "url": "https://smsc.ru/sys/senders.php?add=1&sender=BETA&fmt=1",
            "body_base64": base64.b64encode(b"0,-5").decode(),
        },
        {"url": "https://smsc.ru/sys/send.php?phones=79001234567", "body": "OK - 1 SMS"},
        {"params": {"get": 1}, "body": "name = BETA, id = "},
        {"params": {"get": 1}, "body": ""},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    text += '\n{"params": {"get": 1}, "body": \n\n'  # a line cut short, then a blank line
    path.write_text(text, encoding="utf-8")
    return path


def _row(source: str, **values: Any) -> dict[str, Any]:
    from fmtcodec.logs import COLUMNS

    row = dict.fromkeys(COLUMNS)
    row["source"] = source
    row.update(values)
    return row


def expected_rows(mitm: str, chrome: str, jsonl: str) -> list[dict[str, Any]]:
    """The documented table of the three logs above, in order (time as ISO text)."""
    from fmtcodec import OPERATOR_KEYS

    shop = dict(zip(OPERATOR_KEYS, [2, 3, 0, 0, 0, 0, 2, 2, 2] + [0] * 10, strict=True))
    return [
        _row(
            mitm,
            entry=0,
            time="2024-05-01T10:00:00.250000+00:00",
            command="get",
            fmt=0,
            charset="windows-1251",
            kind="list",
            record=0,
            sender="ALPHA",
            id=7,
            status=1,
        ),
        _row(
            mitm,
            entry=0,
            time="2024-05-01T10:00:00.250000+00:00",
            command="get",
            fmt=0,
            charset="windows-1251",
            kind="list",
            record=1,
            sender="Рассвет",
            id=8,
            status=0,
        ),
        _row(
            mitm,
            entry=1,
            time="2024-05-01T10:05:00+00:00",
            command="add",
            fmt=3,
            charset="windows-1251",
            request_sender="Рассвет",
            kind="created",
            id=12,
        ),
        _row(
            mitm,
            entry=3,
            time="2024-05-01T07:07:00+00:00",
            command="del",
            fmt=2,
            charset="utf-8",
            request_id=8,
            kind="error",
            error_code=3,
            error_description="Имя отправителя не найдено.",
        ),
        _row(
            chrome,
            entry=0,
            time="2024-05-02T08:00:00.123000+00:00",
            command="get",
            fmt=0,
            charset="windows-1251",
            kind="list",
            record=0,
            sender="SHOP",
            id=5,
            **shop,
        ),
        _row(
            chrome,
            entry=1,
            time="2024-05-02T08:01:00+00:00",
            command="chg",
            fmt=0,
            charset="windows-1251",
            request_id=5,
            kind="ok",
        ),
        _row(
            jsonl,
            entry=1,
            time="2024-05-03T09:00:00+00:00",
            command="get",
            fmt=3,
            charset="windows-1251",
            kind="list",
            record=0,
            sender="ALPHA",
            id=7,
            extra='{"color":"red"}',
        ),
        _row(
            jsonl,
            entry=2,
            time="2024-05-03T09:01:00+00:00",
            command="add",
            fmt=1,
            charset="windows-1251",
            request_sender="BETA",
            kind="error",
            error_code=5,
        ),
        _row(jsonl, entry=5, command="get", fmt=0, charset="windows-1251", kind="list"),
    ]


def expected_failures(jsonl: str) -> list[str]:
    """The report lines of the JSON Lines log's bad exchanges (the HARs have none)."""
    return [
        f"{jsonl}: line 4: senders[0].id: an id must be a positive decimal integer up to"
        " 2^63-1, not '' (at the end of the body)",
        f"{jsonl}: line 6: not a JSON object: Input data was truncated",
    ]
