"""``fmtcodec validate`` in-process: text and JSON reports, --strict, exit statuses."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

import fmtcodec
from fmtcodec import Sender, SenderList, SenderStatus, _cli_batch, _cli_common
from fmtcodec._cli import main
from fmtcodec._cli_validate import Item, Report, check, path_items
from fmtcodec._validation import Problem

ALL = SenderList(
    senders=(
        Sender(name="ALPHA", id=7, status=SenderStatus(1)),
        Sender(name="Рассвет", id=8),
    )
)


def write(path: Path, body: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return path


@pytest.fixture
def fixtures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fixture folder: canonical files in each format, one lenient, one unknown key."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "fx"
    for fmt, extension in ((0, "txt"), (2, "xml"), (3, "json")):
        write(root / "list" / f"fmt{fmt}.{extension}", fmtcodec.encode(ALL, fmt) + "\n")
    write(root / "created.csv", "42")
    write(root / "lenient" / "compact.json", '{"result":"OK"}')
    write(root / "lenient" / "unknown.txt", "name = A, replacement = B, id = 1")
    return root


def test_text_report_all_pass(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "fx"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "fmtcodec validate: 6 passed, 0 failed\n"
    assert captured.err == ""


def test_strict_reports_layout_and_unknown_keys(
    fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--strict", "fx"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "fx/lenient/compact.json:1:2: differs from the canonical layout the encoder writes",
        "fx/lenient/unknown.txt: senders[0] holds the unknown key 'replacement'",
        "fmtcodec validate: 4 passed, 2 failed",
    ]


def test_failing_files_give_line_and_column(
    fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(fixtures / "bad" / "truncated.xml", "<list>\n<sender id='1'>A</sender>\n")
    write(fixtures / "bad" / "two.txt", "name = A, id = 1, id = 2")
    assert main(["validate", "fx/bad", "fx/created.csv"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("fx/bad/truncated.xml:3:1: ")
    assert lines[1].startswith("fx/bad/two.txt:1:24: ")
    assert lines[2] == "fmtcodec validate: 1 passed, 2 failed"


def test_json_report(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(fixtures / "zz" / "bad.json", '[{"sender": "A", "id": 0}]')
    assert main(["validate", "--strict", "--format", "json", "fx"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    assert report["ok"] is False
    assert (report["passed"], report["failed"]) == (4, 3)
    files = {entry["file"]: entry for entry in report["files"]}
    assert list(files) == [
        "fx/created.csv",
        "fx/lenient/compact.json",
        "fx/lenient/unknown.txt",
        "fx/list/fmt0.txt",
        "fx/list/fmt2.xml",
        "fx/list/fmt3.json",
        "fx/zz/bad.json",
    ]
    assert files["fx/created.csv"] == {
        "file": "fx/created.csv",
        "ok": True,
        "fmt": 1,
        "kind": "created",
        "problems": [],
    }
    assert files["fx/list/fmt2.xml"]["fmt"] == 2
    assert files["fx/lenient/compact.json"]["problems"] == [
        {
            "message": "differs from the canonical layout the encoder writes",
            "line": 1,
            "column": 2,
        }
    ]
    assert files["fx/lenient/unknown.txt"]["problems"][0]["line"] is None
    bad = files["fx/zz/bad.json"]
    # Read as fmt 3 for its extension, so the report names the format it failed in.
    assert (bad["ok"], bad["fmt"], bad["kind"]) == (False, 3, None)
    assert bad["problems"][0]["line"] == 1


def test_json_report_all_pass_is_ok(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", "fx/list"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["ok"], report["passed"], report["failed"]) == (True, 3, 0)


def test_fmt_and_charset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # spec §4.2: a fmt 1 name that starts like fmt 0 needs the format named: by --fmt,
    # or by the file's extension.
    path = write(tmp_path / "ambiguous.log", "ID = 5,7")
    assert main(["validate", str(path)]) == 1
    assert main(["validate", "--fmt", "1", str(path)]) == 0
    assert main(["validate", str(write(tmp_path / "ambiguous.csv", "ID = 5,7"))]) == 0
    koi = write(tmp_path / "koi.txt", fmtcodec.encode(ALL, 0).encode("koi8-r"))
    assert main(["validate", str(koi)]) == 1
    assert main(["validate", "--charset", "koi8-r", str(koi)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:1:")
    assert out[-1] == "fmtcodec validate: 1 passed, 0 failed"


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"ERROR = 3 (x")))
    assert main(["validate", "-"]) == 1
    assert capsys.readouterr().out.startswith("<stdin>:1:")


def test_nothing_found_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A CI step whose glob or folder matched nothing must not pass silently.
    (tmp_path / "empty").mkdir()
    assert main(["validate", str(tmp_path / "empty")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "fmtcodec validate: 0 passed, 0 failed\n"
    assert captured.err == "fmtcodec validate: no files found to check\n"
    assert main(["validate", "--format", "json", str(tmp_path / "empty")]) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    assert "fmtcodec validate: error: nothing to check: give at least one PATH" in (
        capsys.readouterr().err
    )
    assert main(["validate", "--format", "xml", "x"]) == 2
    assert main(["validate", "--fmt", "auto", "x"]) == 2
    assert main(["validate", "--charset", "utf-16", "x"]) == 2


def test_unreadable_paths_are_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "fx" / "locked" / "a.txt", "OK")
    write(tmp_path / "fx" / "secret.txt", "OK")
    real_scandir, real_open = os.scandir, open

    def scandir(path: str) -> object:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def fake_open(path: str, *args: object, **kwargs: object) -> object:
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr("builtins.open", fake_open)
    assert main(["validate", "fx", "missing.txt"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "fx/locked: cannot read the directory: Permission denied",
        "fx/secret.txt: cannot read: Permission denied",
        "missing.txt: cannot read: No such file or directory",
        "fmtcodec validate: 0 passed, 3 failed",
    ]


def test_many_files_use_a_pool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cli_batch, "PARALLEL_FROM", 4)
    monkeypatch.setattr(_cli_batch, "cores", lambda: 2)
    for number in range(10):
        write(tmp_path / f"{number}.txt", f"ID = {number}")
    assert main(["validate", "--format", "json", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["passed"], report["failed"]) == (9, 1)
    assert report["files"][0]["problems"][0]["column"] == 6


def test_items_are_the_extension_point(tmp_path: Path) -> None:
    # Another source (recorded cassettes) only has to yield Items: check() does the rest.
    items = [
        Item("cassette.yaml#1", "ID = 5".encode("koi8-r"), 0, "koi8-r"),
        Item("cassette.yaml#2", b"<list/>", None, "utf-8"),
        Item("cassette.yaml#3", b"[", 3, "utf-8"),
    ]
    reports = [check(True, item) for item in items]
    assert reports[0] == Report("cassette.yaml#1", 0, "created", [])
    assert reports[1].problems[0].message.startswith("differs from the canonical layout")
    assert (reports[2].fmt, reports[2].kind, reports[2].problems[0].lineno) == (3, None, 1)
    write(tmp_path / "a.txt", "OK")
    assert list(path_items([str(tmp_path)], 2, "koi8-r")) == [
        Item(str(tmp_path / "a.txt"), b"OK", 2, "koi8-r")
    ]
    assert check(False, _cli_common.Unreadable("x", "gone")) == Report(
        "x", None, None, [Problem(message="gone")]
    )


def test_file_names_that_are_not_utf_8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"bad\xff.txt")  # PEP 383: the byte becomes a lone surrogate
    write(tmp_path / name, "ID = 0")
    assert main(["validate", name]) == 1
    assert capsysbinary.readouterr().out.startswith(b"bad\xff.txt:1:6: ")
    assert main(["validate", "--format", "json", name]) == 1
    out = capsysbinary.readouterr().out
    assert json.loads(out)["files"][0]["file"] == name


def test_empty_bodies_and_the_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "fx" / "empty.txt", "")
    write(tmp_path / "fx" / "empty.json", "")
    write(tmp_path / "fx" / "ok.txt", "OK")
    assert main(["validate", "fx"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "fx/empty.json: the body is empty: a failed capture rather than an answer?"
        " (--allow-empty reads it as the empty list, in fmt 0 and 1)",
        "fx/empty.txt: the body is empty: a failed capture rather than an answer?"
        " (--allow-empty reads it as the empty list, in fmt 0 and 1)",
        "fmtcodec validate: 1 passed, 2 failed",
    ]
    assert main(["validate", "--allow-empty", "fx"]) == 1  # fmt 3 has no empty body
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("fx/empty.json:1:1: ")
    assert lines[1] == "fmtcodec validate: 2 passed, 1 failed"
    assert main(["validate", "--max-size", "1", "fx/ok.txt"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "fx/ok.txt: the file is 2 bytes, over the --max-size limit of 1 byte;"
        " raise --max-size to read it"
    )
