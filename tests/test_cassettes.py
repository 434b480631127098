"""fmtcodec._cassettes: VCR.py cassettes, one recorded here by VCR.py itself."""

from __future__ import annotations

import gzip
import http.server
import json
import pickle
import sys
import threading
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import vcr

import fmtcodec
from fmtcodec import (
    ApiError,
    ErrorCode,
    Fmt,
    Ok,
    OperatorStatus,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)
from fmtcodec import _cassettes as cassettes
from fmtcodec._cassettes import (
    CassetteError,
    CassetteResponse,
    read_cassette,
    validate_cassette,
)
from fmtcodec._cli import main
from fmtcodec._cli_validate import Item, cassette_items

PLAIN = SenderList(
    senders=(
        Sender(name="ALPHA", id=1),
        Sender(name="Бета", id=2),
    )
)
ALL = SenderList(
    senders=(
        Sender(name="ALPHA", id=1, status=SenderStatus.APPROVED),
        Sender(
            name="Гамма", id=3, status=SenderStatus(7)
        ),  # an unknown status is kept (spec §4.3),
    )
)
OPERATORS = SenderList(
    senders=(
        Sender(
            name="Дельта",
            id=4,
            operators=dict.fromkeys(fmtcodec.OPERATOR_KEYS, OperatorStatus.APPROVED),
        ),
    )
)
NOT_FOUND = ApiError(code=ErrorCode.SENDER_NOT_FOUND, description=ErrorCode(3).description)


def _answer(params: dict[str, str]) -> fmtcodec.Response:
    """What senders.php would answer, by spec §1."""
    if params.get("sender") == "missing":
        return NOT_FOUND
    if "get" in params:
        return OPERATORS if "operators" in params else ALL if "all" in params else PLAIN
    return SenderCreated(id=42) if "add" in params else Ok()


class _SmscHandler(http.server.BaseHTTPRequestHandler):
    def _reply(self) -> None:
        split = urlsplit(self.path)
        params = dict(parse_qsl(split.query))
        length = int(self.headers.get("Content-Length") or 0)
        params.update(parse_qsl(self.rfile.read(length).decode("ascii")))
        if split.path.endswith("balance.php"):
            body = b'{\n"balance": "10.00"\n}'
        else:
            text = fmtcodec.encode(_answer(params), int(params.get("fmt", "0")))
            body = text.encode(params.get("charset", "windows-1251"))
        self.send_response(200)
        # What the real server says whatever was asked (spec §1).
        self.send_header("Content-Type", "text/plain; charset=windows-1251")
        if "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _reply
    do_POST = _reply

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@pytest.fixture
def smsc() -> Iterator[str]:
    """A loopback server answering like senders.php; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SmscHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sys/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _fetch(url: str, form: str | None = None, **headers: str) -> bytes:
    request = urllib.request.Request(url, form.encode() if form else None, headers)
    with urllib.request.urlopen(request, timeout=10) as reply:
        body: bytes = reply.read()
        return body


def test_a_cassette_recorded_by_vcrpy(smsc: str, tmp_path: Path) -> None:
    path = tmp_path / "senders.yaml"
    with vcr.VCR(record_mode="once").use_cassette(str(path)):
        _fetch(smsc + "senders.php?get=1&login=me&psw=secret")
        _fetch(smsc + "senders.php?get=1&all=1&fmt=1&charset=koi8-r")
        _fetch(smsc + "senders.php?get=1&operators=1&fmt=2&charset=utf-8")
        _fetch(smsc + "balance.php?fmt=3")
        _fetch(smsc + "senders.php", "add=1&sender=NEW&fmt=3")
        _fetch(smsc + "senders.php", "del=1&sender=missing&fmt=3&charset=windows-1251")
        _fetch(smsc + "senders.php?fmt=0", "del=1&sender=missing&fmt=1")
        _fetch(
            smsc + "senders.php?chg=1&sender=B&fmt=2&charset=utf-8", **{"Accept-Encoding": "gzip"}
        )
    text = path.read_text(encoding="utf-8")
    assert text.count("!!binary") >= 4  # windows-1251, koi8-r and gzip bodies are base64
    assert "add=1&sender=NEW&fmt=3" in text  # the form body, as plain text

    found = read_cassette(path)
    assert [(r.index, r.method, r.command, r.view, r.fmt, r.charset, r.status) for r in found] == [
        (0, "GET", "get", None, Fmt.TEXT, "windows-1251", 200),
        (1, "GET", "get", "all", Fmt.CSV, "koi8-r", 200),
        (2, "GET", "get", "operators", Fmt.XML, "utf-8", 200),
        (4, "POST", "add", None, Fmt.JSON, "windows-1251", 200),
        (5, "POST", "del", None, Fmt.JSON, "windows-1251", 200),
        (6, "POST", "del", None, Fmt.CSV, "windows-1251", 200),  # the form's fmt wins
        (7, "GET", "chg", None, Fmt.XML, "utf-8", 200),
    ]
    assert found[0].label == "#0 GET senders.php?get=1 fmt=0 charset=windows-1251"
    assert found[1].label == "#1 GET senders.php?get=1&all=1 fmt=1 charset=koi8-r"
    assert all("secret" not in r.label for r in found)
    assert found[0].body == fmtcodec.encode(PLAIN, 0).encode("cp1251")
    assert found[5].body == b"0,-3"
    assert found[6].body == b"<result>OK</result>"  # gunzipped

    checked = validate_cassette(path, strict=True)
    assert [recorded for recorded, _ in checked] == found
    assert [result.problems for _, result in checked] == [[]] * 7
    assert [result.response for _, result in checked] == [
        PLAIN,
        ALL,
        OPERATORS,
        SenderCreated(id=42),
        NOT_FOUND,
        ApiError(code=ErrorCode.SENDER_NOT_FOUND),
        Ok(),
    ]


def _cassette(tmp_path: Path, *interactions: str, name: str = "cassette.yaml") -> Path:
    """A version 1 cassette; each interaction is YAML for one list item, without the dash."""
    items = "".join(
        "- " + "\n  ".join(interaction.strip("\n").split("\n")) + "\n"
        for interaction in interactions
    )
    path = tmp_path / name
    path.write_text(f"interactions:\n{items}version: 1\n", encoding="utf-8")
    return path


def _interaction(uri: str, body: str, request_body: str = "null", headers: str = "{}") -> str:
    return f"""
request:
  body: {request_body}
  headers: {headers}
  method: GET
  uri: {uri}
response:
  body:
    string: {body}
  headers: {{}}
  status:
    code: 200
    message: OK
"""


def test_plain_string_bodies_and_the_default_charset(tmp_path: Path) -> None:
    path = _cassette(
        tmp_path,
        _interaction("https://smsc.ru/sys/senders.php?get=1", "'name = Бета, id = 2'"),
        _interaction("https://smsc.ru/sys/send.php?fmt=3", "'{}'"),
    )
    [recorded] = read_cassette(path)
    # VCR.py wrote the body as text, so it was UTF-8; the request named no charset, so the
    # server meant windows-1251: the body does not decode as what the client asked for.
    assert recorded.body == "name = Бета, id = 2".encode()
    assert recorded.charset == "windows-1251"
    [(_, result)] = validate_cassette(path)
    assert result.response is not None  # windows-1251 reads any byte
    assert result.response != SenderList(senders=(Sender(name="Бета", id=2),))


def test_old_python_tags_are_read_safely(tmp_path: Path) -> None:
    path = _cassette(
        tmp_path,
        _interaction(
            "!!python/unicode 'http://smsc.ru/sys/senders.php'",
            "!!python/str 'OK'",
            request_body="!!python/object/new:_io.BytesIO {state: !!python/tuple"
            " [!!binary 'Y2hnPTEmZm10PTI=', 0, null]}",
        ),
        _interaction(
            "http://smsc.ru/sys/senders.php",
            "!!python/bytes 'SUQgPSA1'",
            request_body="!!python/object/apply:builtins.iter {args: [[!!binary 'YWRk', '=1']]}",
        ),
    )
    first, second = read_cassette(path)
    assert (first.command, first.fmt, first.body) == ("chg", Fmt.XML, b"OK")
    assert (second.command, second.fmt, second.body) == ("add", Fmt.TEXT, b"ID = 5")


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['echo unsafe']",
        "!!python/name:os.system ''",
        "!!python/object/new:builtins.bytearray [3]",
    ],
)
def test_other_python_tags_are_refused(tmp_path: Path, tag: str) -> None:
    path = _cassette(tmp_path, _interaction("http://smsc.ru/sys/senders.php", tag))
    with pytest.raises(CassetteError, match=r"cassette\.yaml:9:15: not a readable cassette:"):
        read_cassette(path)


def test_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("interactions:\n- request: [\n", encoding="utf-8")
    with pytest.raises(CassetteError, match=r"^.*broken\.yaml:3:1: not a readable cassette: "):
        read_cassette(path)
    path.write_text("interactions: {}\n", encoding="utf-8")
    with pytest.raises(CassetteError, match=r"broken\.yaml: not a VCR\.py cassette \(it has no"):
        read_cassette(path)
    path.write_text("- request: {host: smsc.ru}\n  response: {}\n", encoding="utf-8")
    with pytest.raises(CassetteError, match=r"before VCR\.py 1\.0; migrate it with"):
        read_cassette(path)
    path.write_text("interactions:\n- request: {method: GET}\n  response: {}\n", encoding="utf-8")
    with pytest.raises(CassetteError, match=r"interaction 0: the field 'uri' is missing$"):
        read_cassette(path)
    path.write_text("interactions:\n- request: {uri: 5}\n  response: {}\n", encoding="utf-8")
    with pytest.raises(CassetteError, match=r"interaction 0: the request's uri is not a string$"):
        read_cassette(path)
    path = _cassette(
        tmp_path,
        _interaction(
            "http://smsc.ru/sys/senders.php",
            "!!python/object/new:_io.BytesIO {state: [5]}",
        ),
    )
    with pytest.raises(CassetteError, match=r"not a readable cassette: a body of type int$"):
        read_cassette(path)
    path = _cassette(tmp_path, _interaction("http://smsc.ru/sys/senders.php", "[1]"))
    with pytest.raises(CassetteError, match=r"interaction 0: a body of type list$"):
        read_cassette(path)
    with pytest.raises(FileNotFoundError):
        read_cassette(tmp_path / "absent.yaml")


def _encoded(tmp_path: Path, coding: str, body: bytes) -> Path:
    path = _cassette(
        tmp_path,
        _interaction(
            "http://smsc.ru/sys/senders.php?del=1&fmt=1", f"!!binary '{_base64(body)}'"
        ).replace(
            "  headers: {}\n  status", f"  headers: {{Content-Encoding: [{coding}]}}\n  status"
        ),
    )
    assert coding in path.read_text(encoding="utf-8")
    return path


def _base64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def test_compressed_bodies(tmp_path: Path) -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    cases = {
        "gzip": gzip.compress(b"0,-9"),
        "x-gzip": gzip.compress(b"0,-9"),
        "deflate": zlib.compress(b"0,-9"),
        "'identity, deflate'": raw.compress(b"0,-9") + raw.flush(),
        "'gzip, gzip'": gzip.compress(gzip.compress(b"0,-9")),
    }
    for coding, body in cases.items():
        [recorded] = read_cassette(_encoded(tmp_path, coding, body))
        assert recorded.body == b"0,-9", coding
    with pytest.raises(CassetteError, match=r"Content-Encoding 'br' is not supported; record"):
        read_cassette(_encoded(tmp_path, "br", b"\x00"))
    with pytest.raises(CassetteError, match=r"interaction 0: "):
        read_cassette(_encoded(tmp_path, "gzip", b"not gzip"))


def _recorded(query: str, body: bytes, **fields: object) -> CassetteResponse:
    return CassetteResponse(
        **{
            "index": 0,
            "label": query,
            "method": "GET",
            "uri": "http://smsc.ru/sys/senders.php?" + query,
            "command": None,
            "view": None,
            "fmt": Fmt.TEXT,
            "charset": "utf-8",
            "status": 200,
            "body": body,
            **fields,
        }  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("command", "body", "kind"),
    [
        ("get", b"ID = 5", "SenderCreated"),
        ("add", b"OK", "Ok"),
        ("chg", b"", "SenderList"),
        ("check_code", b"ID = 5", "SenderCreated"),
    ],
)
def test_the_kind_must_fit_the_command(command: str, body: bytes, kind: str) -> None:
    result = _recorded("", body, command=command).validate()
    assert [p.message for p in result.problems] == [
        f"the request was {command}=1, which cannot be answered with {kind}"
    ]
    assert result.response is not None


@pytest.mark.parametrize("command", ["get", "add", "chg", "del", "send_code", "check_code"])
def test_every_command_may_get_an_error(command: str) -> None:
    assert _recorded("", b"ERROR = 9 (x)", command=command).validate().ok


def test_a_list_must_be_in_the_view_asked_for() -> None:
    plain = fmtcodec.encode(PLAIN, 0).encode()
    with_status = fmtcodec.encode(ALL, 0).encode()
    assert _recorded("", plain, command="get").validate().ok
    assert _recorded("", with_status, command="get", view="all").validate().ok
    assert _recorded("", fmtcodec.encode(OPERATORS, 0).encode(), command="get", view="operators")
    problems = {
        (None, with_status): "senders[0] has a status or operator statuses, though the request"
        " asked for neither (and 1 more)",
        ("all", plain): "senders[0] has no status, though the request asked for all=1 (and 1 more)",
        ("operators", with_status): "senders[0] has no operator statuses, though the request"
        " asked for operators=1 (and 1 more)",
        ("all", b"name = A, status = 1, id = 1\nname = B, id = 2"): "senders[1] has no status,"
        " though the request asked for all=1",
    }
    for (view, body), message in problems.items():
        result = _recorded("", body, command="get", view=view).validate()
        assert [p.message for p in result.problems] == [message]
        assert result.response is not None


def test_no_command_checks_the_body_alone() -> None:
    assert _recorded("", b"ID = 5").validate().ok
    result = _recorded("", b"ID = 0").validate()
    assert result.response is None
    assert len(result.problems) == 1


def test_what_each_request_asks_for(tmp_path: Path) -> None:
    form = "{Content-Type: [application/x-www-form-urlencoded; charset=utf-8]}"
    path = _cassette(
        tmp_path,
        # get=0 is not a command; the first command set is taken.
        _interaction("'http://h/senders.php?get=0&del=1&add=1&fmt=%203'", "OK"),
        # the form body overrides the query, as in PHP's $_REQUEST.
        _interaction("'http://h/senders.php?fmt=3&charset=utf-8'", "OK", "get=1&fmt=2", form),
        # a multipart body is not read.
        _interaction(
            "'http://h/senders.php?fmt=1'",
            "OK",
            "'get=1&fmt=2'",
            "{Content-Type: [multipart/form-data; boundary=x]}",
        ),
        # a fmt outside 0-3 means: detect it; both views: check the kind only.
        _interaction("'http://h/senders.php?get=1&all=1&operators=1&fmt=9&charset=KOI8-R'", "OK"),
        _interaction("'http://h/api/senders.php.bak?get=1'", "OK"),
        # no headers recorded: the body is read as a form.
        _interaction("'http://h/senders.php'", "OK", "'send_code=1&fmt=1'", "null"),
    )
    found = read_cassette(path)
    assert [(r.command, r.view, r.fmt, r.charset) for r in found] == [
        ("del", None, Fmt.JSON, "windows-1251"),
        ("get", None, Fmt.XML, "utf-8"),
        (None, None, Fmt.CSV, "windows-1251"),
        ("get", None, None, "KOI8-R"),
        ("send_code", None, Fmt.CSV, "windows-1251"),
    ]
    assert found[2].label == "#2 GET senders.php?(no command) fmt=1 charset=windows-1251"
    assert found[3].label == "#3 GET senders.php?get=1 fmt=auto charset=KOI8-R"
    results = [result for _, result in validate_cassette(path)]
    assert [result.ok for result in results] == [True, False, True, False, True]
    assert results[3].fmt is Fmt.CSV  # detected


def test_an_unsupported_charset_is_a_problem_of_the_response(tmp_path: Path) -> None:
    path = _cassette(tmp_path, _interaction("'http://h/senders.php?charset=latin1'", "OK"))
    [(recorded, result)] = validate_cassette(path)
    assert recorded.charset == "latin1"
    assert [p.message for p in result.problems] == [
        "charset 'latin1' is not supported; use one of utf-8, windows-1251, koi8-r"
    ]


def test_without_pyyaml_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _cassette(tmp_path, _interaction("http://h/senders.php", "OK"))
    cassettes._loader.cache_clear()
    monkeypatch.setitem(sys.modules, "yaml", None)
    try:
        with pytest.raises(ImportError, match=r"needs PyYAML: pip install 'fmtcodec\[vcr\]'$"):
            read_cassette(path)
    finally:
        cassettes._loader.cache_clear()
    monkeypatch.undo()
    assert len(read_cassette(path)) == 1


def test_fmtcodec_validate_cassette(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _cassette(
        tmp_path,
        _interaction("'http://h/senders.php?get=1&all=1&fmt=3'", "'[]'"),
        _interaction("'http://h/senders.php?add=1'", "!!binary 'SUQgPSA1'"),
        name="good.yaml",
    )
    assert main(["validate", "--cassette", str(good)]) == 0
    assert capsys.readouterr().out == "fmtcodec validate: 2 passed, 0 failed\n"

    wrong = _cassette(
        tmp_path,
        _interaction("'http://h/senders.php?get=1&fmt=3&charset=utf-8'", "'{}'"),
        _interaction("'http://h/senders.php?del=1&fmt=0'", "'ID = 5'"),
        _interaction("'http://h/senders.php?get=1&fmt=2'", "'<list/>'"),
        name="wrong.yaml",
    )
    other = _cassette(tmp_path, _interaction("'http://h/send.php'", "OK"), name="other.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("interactions: [\n", encoding="utf-8")
    paths = [wrong, other, broken, tmp_path / "absent.yaml", good]
    assert main(["validate", "--strict", *(f"--cassette={path}" for path in paths)]) == 1
    lines = capsys.readouterr().out.replace(str(tmp_path) + "/", "").splitlines()
    assert lines[0].startswith("wrong.yaml#0:1:1: ")  # the decoder's message
    assert lines[1:3] == [
        "wrong.yaml#1: the request was del=1, which cannot be answered with SenderCreated",
        "wrong.yaml#2:1:6: differs from the canonical layout the encoder writes",
    ]
    assert lines[3] == "other.yaml: the cassette holds no senders.php response"
    assert lines[4].startswith("broken.yaml: 2:1: not a readable cassette: ")
    assert lines[5:] == [
        "absent.yaml: cannot read: No such file or directory",
        "fmtcodec validate: 2 passed, 6 failed",
    ]

    assert main(["validate", "--format", "json", "--cassette", str(good)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(f["file"], f["fmt"], f["kind"]) for f in report["files"]] == [
        (f"{good}#0", 3, "list"),
        (f"{good}#1", 0, "created"),
    ]


def test_cassette_items_travel_to_worker_processes(tmp_path: Path) -> None:
    # fmtcodec validate checks many items in a process pool: they must pickle.
    path = _cassette(tmp_path, _interaction("'http://h/senders.php?get=1'", "'name = A, id = 1'"))
    items = list(cassette_items([str(path)]))
    assert pickle.loads(pickle.dumps(items)) == items
    assert isinstance(items[0], Item)
    assert items[0].recorded is not None
    assert items[0].recorded.command == "get"
