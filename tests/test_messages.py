"""Messages that say what to do: the format read, the charset to name, what the body is.

The exact texts are in the invalid corpus (fixtures/invalid/, run by test_corpus.py); this
module checks what the corpus cannot: the attributes, the command line's wording, the size
limit, and that nothing is claimed that is not so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fmtcodec
from fmtcodec import DecodeError
from fmtcodec._cli import main
from fmtcodec._explain import suggest_charset

RASSVET = "name = Рассвет, status = 1, id = 7\nname = Ромашка и лён, status = 0, id = 8"


def error(
    data: bytes | str,
    fmt: int | None = None,
    *,
    charset: str = "utf-8",
    max_size: int = fmtcodec.DEFAULT_MAX_SIZE,
) -> DecodeError:
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(data, fmt, charset=charset, max_size=max_size)
    return caught.value


@pytest.mark.parametrize(
    ("body", "fmt", "reading"),
    [
        ("name = A, id = x", None, "fmt 0 (text, detected)"),
        ("name = A, id = x", 0, "fmt 0 (text, given)"),
        ("A,x", None, "fmt 1 (CSV, detected)"),
        ("<list><x/></list>", 2, "fmt 2 (XML, given)"),
        ('[{"sender": 5}]', None, "fmt 3 (JSON, detected)"),
        # Refused by the text gate, before any format's reader: still named.
        ("name = \x00", None, "fmt 0 (text, detected)"),
        (b"\xff<list/>", 2, "fmt 2 (XML, given)"),
    ],
)
def test_every_decode_error_names_the_format_it_read(
    body: bytes | str, fmt: int | None, reading: str
) -> None:
    exc = error(body, fmt)
    assert exc.reading == reading
    assert (exc.fmt, exc.detected) == (int(reading[4]), reading.endswith("detected)"))
    assert str(exc).startswith(f"{reading}: {exc.msg} (")
    assert exc.message == f"{reading}: {exc.msg}"


def test_the_charset_the_bytes_are_valid_in_is_suggested() -> None:
    cp1251 = error(RASSVET.encode("windows-1251"))
    assert cp1251.suggested_charset == "windows-1251"
    assert cp1251.msg.endswith(
        "; the body is valid windows-1251 (the API's default charset):"
        " decode with charset='windows-1251'"
    )
    assert error(RASSVET.encode("koi8-r")).suggested_charset == "koi8-r"
    # UTF-8 read as windows-1251 fails only on 0x98 (no such byte there): И is D0 98.
    assert error("name = И, id = 1".encode(), charset="windows-1251").suggested_charset == "utf-8"
    # Valid in no allowed charset: nothing is suggested, nothing is claimed.
    assert suggest_charset(b"\x98\xff", "utf-8") == "koi8-r"  # koi8-r reads every byte
    assert suggest_charset("И".encode() + b"\x98", "koi8-r") is None
    # A charset the body named itself (an XML declaration) is not the caller's to change.
    declared = b'<?xml version="1.0" encoding="windows-1251"?><list>\x98</list>'
    assert error(declared, 2, charset="koi8-r").suggested_charset is None


def test_html_pages_and_proxy_errors_are_called_that() -> None:
    page = error(b"\n  <!DOCTYPE html>\n<html><title>\n 504  Gateway\nTime-out</title>", 3)
    assert page.msg.startswith("the body is an HTML page ('504 Gateway Time-out'), not a ")
    assert (page.lineno, page.colno) == (2, 3)  # where the page starts
    assert error("HTTP/1.1 503 Service Unavailable\r\n").msg.startswith(
        "the body is plain text ('HTTP/1.1 503 Service Unavailable'), not a senders.php"
    )
    # Bodies that merely fail are not taken for pages: their own reason is kept.
    for body, fmt in (("<list><sender id='x'>A</sender></list>", 2), ("Not found,x", 1)):
        assert "the body is" not in error(body, fmt).msg
    assert "the body is" not in error("name = upstream, id = x").msg


def test_the_size_limit_is_placed_where_it_is_crossed() -> None:
    exc = error(b"OK\n" + b"x" * 100, 1, max_size=50)
    assert exc.msg == "the body is 103 bytes, over the limit of 50 (raise max_size to read it)"
    assert (exc.lineno, exc.colno, exc.offset) == (2, 48, 50)
    text = error("ab\n" * 40, 0, max_size=50)
    assert text.msg.startswith("the body is 120 characters, over the limit of 50 ")
    assert (text.lineno, text.colno) == (17, 3)


def test_the_command_line_says_its_own_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("logs.txt").write_bytes(RASSVET.encode("windows-1251"))
    Path("bad.json").write_text("[{x", "utf-8")
    Path("bad.log").write_text("[{x", "utf-8")
    advice = (
        "fmt 0 (text, from the file's extension): byte 0xD0 is not valid utf-8; the body is"
        " valid windows-1251 (the API's default charset): give --charset windows-1251"
    )
    assert main(["convert", "--to", "3", "logs.txt"]) == 1
    assert capsys.readouterr().err == f"logs.txt:1:8: {advice}\n"
    assert main(["inspect", "logs.txt"]) == 1
    assert capsys.readouterr().err == f"logs.txt:1:8: {advice}\n"
    assert main(["validate", "logs.txt"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == f"logs.txt:1:8: {advice}"
    assert main(["convert", "--charset", "cp1251", "--to", "3", "logs.txt"]) == 0
    capsys.readouterr()
    for name, how in (("bad.json", "from the file's extension"), ("bad.log", "detected")):
        assert main(["convert", "--to", "0", name]) == 1
        assert capsys.readouterr().err.startswith(f"{name}:1:3: fmt 3 (JSON, {how}): ")
    assert main(["convert", "--from", "3", "--to", "0", "bad.log"]) == 1
    assert capsys.readouterr().err.startswith("bad.log:1:3: fmt 3 (JSON, given): ")
