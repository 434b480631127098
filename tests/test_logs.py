"""fmtcodec.logs: logs in real tools' layouts become the documented table; nothing is lost."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from logs_samples import chrome_har, expected_failures, expected_rows, jsonl_log, mitmproxy_har

import fmtcodec
from fmtcodec import logs


@pytest.fixture
def samples(tmp_path: Path) -> tuple[str, str, str]:
    return (
        str(mitmproxy_har(tmp_path / "mitm.har")),
        str(chrome_har(tmp_path / "chrome.har")),
        str(jsonl_log(tmp_path / "service.jsonl")),
    )


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    time = row["time"]
    return {**row, "time": None if time is None else time.isoformat()}


def test_readers_give_the_documented_rows(samples: tuple[str, str, str]) -> None:
    exchanges = [exchange for path in samples for exchange in logs.read_log(path)]
    rows = [_iso(row) for row in logs.rows(exchanges)]
    assert rows == expected_rows(*samples)
    failures = [str(e.error) for e in exchanges if e.error is not None]
    assert failures == expected_failures(samples[2])


def test_every_entry_is_a_row_a_failure_or_a_skip(samples: tuple[str, str, str]) -> None:
    mitm, chrome, jsonl = (logs.read_log(path) for path in samples)
    for log, entries in ((mitm, 4), (chrome, 2)):
        exchanges = list(log)
        assert len(exchanges) + log.skipped == entries
        assert all(e.entry is not None for e in exchanges)
    exchanges = list(jsonl)
    assert jsonl.skipped == 1  # send.php
    assert [e.entry for e in exchanges] == [1, 2, 4, 5, 6]  # the blank line 7 is no entry


def test_requests_lose_their_credentials(samples: tuple[str, str, str]) -> None:
    for path in samples:
        for exchange in logs.read_log(path):
            request = exchange.request
            if request is None:  # the line cut short: no request to read
                assert exchange.error is not None
                continue
            assert (request.login, request.psw, request.apikey) == (None, None, None)
    text = Path(samples[0]).read_text("utf-8")
    assert "secret" in text  # the log had them


def test_form_body_in_windows_1251_and_form_params(tmp_path: Path) -> None:
    exchanges = list(logs.read_har(mitmproxy_har(tmp_path / "a.har")))
    added = exchanges[1]
    assert added.request is not None and added.request.sender == "Рассвет"
    assert added.request.cmt == "shop"
    # A tool that kept only the parsed params (HAR 1.2 allows text or params).
    har = json.loads((tmp_path / "a.har").read_text("utf-8"))
    post = har["log"]["entries"][1]["request"]["postData"]
    del post["text"]
    post["params"] = [
        {"name": "add", "value": "1"},
        {"name": "sender", "value": "Рассвет"},
        {"name": "fmt", "value": "3"},
    ]
    (tmp_path / "b.har").write_text(json.dumps(har), "utf-8")
    again = list(logs.read_har(tmp_path / "b.har"))[1]
    assert again.request is not None and again.request.sender == "Рассвет"
    assert again.response == fmtcodec.SenderCreated(id=12)


def _har(tmp_path: Path, *entries: dict[str, Any]) -> Path:
    path = tmp_path / "x.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": list(entries)}}), "utf-8")
    return path


def _entry(
    url: str, content: dict[str, Any] | None, status: int = 200, **more: Any
) -> dict[str, Any]:
    response: dict[str, Any] = {"status": status}
    if content is not None:
        response["content"] = content
    return {"request": {"method": "GET", "url": url}, "response": response, **more}


URL = "https://smsc.ru/sys/senders.php?get=1&fmt=3"


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (_entry(URL, None, status=0), "entry 0: no response was recorded"),
        (
            _entry(URL, {"mimeType": "x"}, status=502),
            "entry 0: HTTP status 502, no body was recorded",
        ),
        (
            _entry(URL, {"text": "@@", "encoding": "base64"}),
            "entry 0: response.content.text is not valid base64",
        ),
        (
            _entry(URL, {"text": "x", "encoding": "gzip"}),
            "entry 0: response.content.encoding 'gzip' is not supported",
        ),
        (_entry(URL, {"text": "<html>"}, status=502), "entry 0: HTTP status 502: "),
        (
            _entry(URL, {"text": '{"sender": 5}'}),
            "entry 0: the request was get=1, which cannot be answered with SenderCreated",
        ),
        (_entry("https://smsc.ru/sys/senders.php?fmt=3", {"text": "OK"}), "entry 0: the request: "),
        (
            _entry(URL, {"text": "[]"}, startedDateTime="yesterday"),
            "entry 0: startedDateTime 'yesterday' is not an ISO 8601 time",
        ),
        ({"request": {}}, "entry 0: the entry has no request.url"),
    ],
)
def test_a_bad_entry_is_a_located_failure(
    tmp_path: Path, entry: dict[str, Any], reason: str
) -> None:
    path = _har(tmp_path, entry, _entry(URL, {"text": "[]"}))
    found = list(logs.read_har(path))
    assert len(found) == 2
    error = found[0].error
    assert error is not None and str(error).startswith(f"{path}: {reason}"), str(error)
    assert found[1].response == fmtcodec.SenderList()  # the next entry is read


def test_a_body_that_does_not_decode_keeps_its_decode_error(tmp_path: Path) -> None:
    path = _har(tmp_path, _entry(URL, {"text": '[{"sender": "A", "id": 0}]'}))
    (exchange,) = logs.read_har(path)
    assert exchange.error is not None and isinstance(exchange.error.error, fmtcodec.DecodeError)
    assert exchange.error.place == "entry 0" and exchange.error.error.path == "senders[0].id"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            b'{"log": {"entries": [{"request": {"url": "' + URL.encode() + b'"}}, {"req',
            "not valid JSON after entry 0: ",
        ),
        (b"[1, 2]", "not a HAR file: it has no log.entries list"),
        (b"", "not valid JSON at its start: "),
    ],
)
def test_a_broken_file_is_one_failure(tmp_path: Path, text: bytes, reason: str) -> None:
    path = tmp_path / "broken.har"
    path.write_bytes(text)
    found = list(logs.read_har(path))
    assert str(found[-1].error).startswith(f"{path}: {reason}")
    assert found[-1].entry is None


def test_an_empty_har_has_no_exchange_and_no_failure(tmp_path: Path) -> None:
    assert list(logs.read_har(_har(tmp_path))) == []


def test_a_missing_file_is_a_failure(tmp_path: Path) -> None:
    for kind in logs.KINDS:
        (found,) = logs.read_log(tmp_path / "none", kind=kind)
        assert found.error is not None and "cannot read: No such file" in str(found.error)


def test_gzipped_logs(tmp_path: Path) -> None:
    plain = mitmproxy_har(tmp_path / "a.har")
    packed = tmp_path / "a.har.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert logs.kind_of_log(str(packed)) == "har"
    first = [(e.entry, e.response) for e in logs.read_log(plain)]
    assert [(e.entry, e.response) for e in logs.read_log(packed)] == first


def test_jsonl_field_mapping(tmp_path: Path) -> None:
    path = tmp_path / "mapped.jsonl"
    line = {
        "ts": "2024-05-03T12:00:00+03:00",
        "request": {"query": {"get": "1", "all": "1"}},
        "response": {
            "raw": base64.b64encode("name = Рассвет, status = 2, id = 9".encode("cp1251")).decode()
        },
    }
    path.write_text(json.dumps(line) + "\n", "utf-8")
    fields = {"time": "ts", "params": "request.query", "body_base64": "response.raw"}
    (exchange,) = logs.read_jsonl(path, fields=fields)
    assert exchange.time is not None and exchange.time.isoformat() == "2024-05-03T09:00:00+00:00"
    assert exchange.response == fmtcodec.SenderList(
        senders=(fmtcodec.Sender(name="Рассвет", id=9, status=fmtcodec.SenderStatus.DISABLED),)
    )
    with pytest.raises(ValueError, match="unknown JSON Lines field 'bodi'"):
        logs.read_jsonl(path, fields={"bodi": "x"})


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[1]", "not a JSON object"),
        ('{"body": "OK"}', "no request: neither url nor params is given"),
        (
            '{"params": {"chg": 1, "id": 5, "cmt": "c"}, "x": 1}',
            "no body: neither body nor body_base64 is a string",
        ),
        (
            '{"params": {"chg": 1, "id": 5, "cmt": "c"}, "body_base64": "!!"}',
            "body_base64 is not valid base64",
        ),
        (
            '{"params": {"chg": [1]}, "body": "OK"}',
            "the request: params.chg is not text, a whole number",
        ),
        (
            '{"params": {"chg": 1, "id": 5, "cmt": "c"}, "body": "OK", "time": "noon"}',
            "time: 'noon' is not an ISO 8601 time",
        ),
        ('{"url": 5, "body": "OK"}', "url is not text"),
    ],
)
def test_a_bad_jsonl_line_is_a_located_failure(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + '\n{"params": {"chg": 1, "id": 5, "cmt": "c"}, "body": "OK"}\n', "utf-8")
    bad, good = logs.read_jsonl(path)
    assert str(bad.error).startswith(f"{path}: line 1: {reason}"), str(bad.error)
    assert good.response == fmtcodec.Ok()


def test_cassettes_and_response_files(tmp_path: Path) -> None:
    cassette = tmp_path / "c.yaml"
    cassette.write_text(
        """interactions:
- request:
    body: get=1&all=1&fmt=3&login=u&psw=p
    headers: {Content-Type: [application/x-www-form-urlencoded]}
    method: POST
    uri: https://smsc.ru/sys/senders.php
  response:
    body: {string: '[{"sender": "ALPHA", "status": 1, "id": 7}]'}
    headers: {}
    status: {code: 200, message: OK}
- request: {body: null, headers: {}, method: GET, uri: 'https://example.com/'}
  response: {body: {string: hi}, headers: {}, status: {code: 200, message: OK}}
- request: {body: null, headers: {}, method: GET, uri: 'https://smsc.ru/sys/senders.php?del=1&id=x'}
  response: {body: {string: OK}, headers: {}, status: {code: 200, message: OK}}
- {request: {}}
version: 1
""",
        "utf-8",
    )
    log = logs.read_log(cassette)
    good, bad_request, broken = log
    assert log.skipped == 1
    assert good.request is not None and good.request.all and good.request.login is None
    assert good.response == fmtcodec.SenderList(
        senders=(fmtcodec.Sender(name="ALPHA", id=7, status=fmtcodec.SenderStatus.APPROVED),)
    )
    assert str(bad_request.error).startswith(f"{cassette}: interaction 2: the request: ")
    assert str(broken.error) == f"{cassette}: interaction 3: the field 'response' is missing"
    response = tmp_path / "r.txt"
    response.write_bytes("name = Рассвет, id = 3".encode("koi8-r"))
    (one,) = logs.read_log(response, charset="koi8-r")
    assert one.request is None and one.entry is None and one.fmt == fmtcodec.Fmt.TEXT
    assert one.response == fmtcodec.SenderList(senders=(fmtcodec.Sender(name="Рассвет", id=3),))
    response.write_bytes(b"name = A, id = -1")
    (bad,) = logs.read_log(response)
    assert str(bad.error).startswith(f"{response}: senders[0].id: an id must be")


def test_write_table_parquet_and_jsonl(samples: tuple[str, str, str], tmp_path: Path) -> None:
    failures: list[str] = []
    wanted = expected_rows(*samples)
    for name in ("t.parquet", "t.jsonl"):
        out = tmp_path / name
        summary = logs.write_table(
            (logs.read_log(path) for path in samples),
            str(out),
            on_failure=lambda e: failures.append(str(e)),
        )
        assert summary == logs.TableSummary(logs=3, exchanges=8, rows=9, failed=2, skipped=2)
        if name.endswith(".parquet"):
            table = pq.read_table(out)
            assert table.schema == logs.arrow_schema()
            assert table.schema.metadata[b"fmtcodec.schema"] == b"1"
            found = [_iso(row) for row in table.to_pylist()]
        else:
            found = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
            for row in found:  # RFC 3339 as msgspec writes it: Z, no trailing zeros
                if row["time"] is not None:
                    row["time"] = datetime.fromisoformat(row["time"]).isoformat()
        assert found == wanted
    assert failures == expected_failures(samples[2]) * 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["mitm.har", "chrome.har", "service.jsonl", "t.parquet", "t.jsonl"]
    )


def test_a_stopped_export_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "t.parquet"

    def boom(_: logs.ExchangeError) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        logs.write_table(
            [logs.read_log(jsonl_log(tmp_path / "s.jsonl"))], str(out), on_failure=boom
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.jsonl"]


def test_to_arrow_matches_the_schema(samples: tuple[str, str, str]) -> None:
    table = logs.to_arrow(logs.read_log(samples[1]))
    assert table.schema == logs.arrow_schema() and table.num_rows == 2
    assert logs.to_arrow([]).num_rows == 0


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (
            "get=1&sender=%98",
            "the parameter 'sender' is not valid windows-1251 after percent-decoding",
        ),
        ("get=1&charset=utf-8&sender=%FF", "the parameter 'sender' is not valid utf-8"),
        ("get=1&charset=latin-9", "charset"),
    ],
)
def test_percent_escapes_are_read_in_the_request_charset(
    tmp_path: Path, query: str, reason: str
) -> None:
    path = _har(tmp_path, _entry(f"https://smsc.ru/sys/senders.php?{query}", {"text": ""}))
    (found,) = logs.read_har(path)
    assert str(found.error).startswith(f"{path}: entry 0: the request: "), str(found.error)
    assert reason in str(found.error)


def test_kinds_and_streams(tmp_path: Path) -> None:
    path = mitmproxy_har(tmp_path / "a.har")
    with pytest.raises(ValueError, match="unknown kind of log 'pcap'"):
        logs.read_log(path, kind="pcap")
    with path.open("rb") as stream:
        log = logs.read_log(stream, kind="har", name="upload.har")
        assert repr(log) == "<fmtcodec.logs.Log 'upload.har'>"
        assert [e.source for e in log] == ["upload.har"] * 3
    with path.open("rb") as stream:
        (refused,) = logs.read_log(stream, kind="vcr")
    assert str(refused.error) == f"{path}: a VCR.py cassette is read from a local path"
    assert logs.kind_of_log("a.NDJSON") == "jsonl" and logs.kind_of_log("a.yml.gz") == "vcr"
    assert logs.kind_of_log("reply.json") == "response"
