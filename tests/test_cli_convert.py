"""``fmtcodec convert`` in-process: standard streams, files, folders, charsets, failures."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

import fmtcodec
from fmtcodec import (
    ApiError,
    ErrorCode,
    Ok,
    OperatorStatus,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    _cli_batch,
    _cli_common,
)
from fmtcodec._cli import main

LIST = SenderList(
    senders=(
        Sender(name="ALPHA", id=7, status=SenderStatus(1)),
        Sender(name="Бета", id=8, status=SenderStatus(0)),
    )
)
OPERATORS = SenderList(
    senders=(
        Sender(
            name="OPS",
            id=3,
            operators={
                "mega_step": OperatorStatus(2),
                "mts_step": OperatorStatus(3),
                "tele2": OperatorStatus(255),
            },
        ),
    )
)


def write(path: Path, body: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return path


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(data))
    monkeypatch.setattr(sys, "stdin", stdin)


def mixed_tree(root: Path) -> None:
    """A folder with each format, a nested folder, a hidden file, and no bad file."""
    write(root / "a.txt", fmtcodec.encode(LIST, 0))
    write(root / "b.csv", fmtcodec.encode(SenderCreated(id=5), 1))
    write(root / "deep" / "er" / "c.xml", fmtcodec.encode(OPERATORS, 2))
    write(
        root / "deep" / "d.json", fmtcodec.encode(ApiError(code=ErrorCode(3), description="нет"), 3)
    )
    write(root / "deep" / "ok.log", "OK")
    write(root / ".hidden.txt", "not a response")
    write(root / ".git" / "HEAD", "ref: refs/heads/main")


def test_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    feed_stdin(monkeypatch, fmtcodec.encode(LIST, 0).encode("utf-8"))
    assert main(["convert", "--to", "3"]) == 0
    captured = capsysbinary.readouterr()
    # spec §4.1: exactly one final newline; UTF-8 by default.
    assert captured.out == (fmtcodec.encode(LIST, 3) + "\n").encode("utf-8")
    assert captured.err == b""


def test_dash_is_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    feed_stdin(monkeypatch, b"ID = 9")
    assert main(["convert", "--to", "1", "-"]) == 0
    assert capsys.readouterr().out == "9\n"


def test_file_to_stdout_every_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for source in (0, 2, 3):
        path = write(tmp_path / f"in{source}", fmtcodec.encode(OPERATORS, source))
        for target in (0, 2, 3):
            assert main(["convert", "--to", str(target), str(path)]) == 0
            assert capsys.readouterr().out == fmtcodec.encode(OPERATORS, target) + "\n"


def test_from_names_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # spec §4.2: a fmt 1 name starting with "ID = " reads as fmt 0 unless the format is
    # given, by --from or by the file's extension.
    path = write(tmp_path / "ambiguous.log", "ID = 5,7")
    assert main(["convert", "--to", "3", str(path)]) == 1
    assert capsys.readouterr().err.startswith(f"{path}:1:")
    assert main(["convert", "--from", "1", "--to", "0", str(path)]) == 0
    assert capsys.readouterr().out == "name = ID = 5, id = 7\n"
    csv = write(tmp_path / "ambiguous.CSV", "ID = 5,7")
    assert main(["convert", "--to", "0", str(csv)]) == 0
    assert capsys.readouterr().out == "name = ID = 5, id = 7\n"
    assert main(["convert", "--from", "0", "--to", "1", str(csv)]) == 1  # --from wins


def test_dash_output_is_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "a.txt", "ID = 4")
    assert main(["convert", "--to", "3", str(source), "-o", "-"]) == 0
    assert capsys.readouterr().out == '{\n"sender": 4\n}\n'
    assert main(["convert", "--to", "3", str(tmp_path), "-o", "-"]) == 2
    assert "need an output folder: -o DIR" in capsys.readouterr().err


def test_single_file_to_output_file_and_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "reply.xml", fmtcodec.encode(LIST, 2))
    assert main(["convert", "--to", "0", str(source), "-o", str(tmp_path / "out.txt")]) == 0
    assert (tmp_path / "out.txt").read_text("utf-8") == fmtcodec.encode(LIST, 0) + "\n"
    # An existing folder, or a path ending in a separator, takes the file by its name.
    (tmp_path / "existing").mkdir()
    assert main(["convert", "--to", "3", str(source), "-o", str(tmp_path / "existing")]) == 0
    assert (tmp_path / "existing" / "reply.json").is_file()
    assert main(["convert", "--to", "1", str(source), "-o", f"{tmp_path / 'new'}{os.sep}"]) == 0
    assert (tmp_path / "new" / "reply.csv").read_text("utf-8") == fmtcodec.encode(LIST, 1) + "\n"
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_single_file_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["convert", "--to", "3", str(missing)]) == 1
    assert capsys.readouterr().err == f"{missing}: cannot read: No such file or directory\n"
    bad = write(tmp_path / "bad.txt", "name = A, id = x")
    assert main(["convert", "--to", "3", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"{bad}:1:16: fmt 0 (text, from the file's extension): senders[0].id: ")
    operators = write(tmp_path / "ops.txt", fmtcodec.encode(OPERATORS, 0))
    assert main(["convert", "--to", "1", str(operators)]) == 1
    assert capsys.readouterr().err.startswith(f"{operators}: cannot be written in fmt 1: ")
    target = tmp_path / "is-a-folder.json"
    target.mkdir()
    assert main(["convert", "--to", "3", str(operators), "-o", str(target / "x" / "y")]) == 0
    (tmp_path / "plain").write_text("")
    blocked = str(tmp_path / "plain" / "under-a-file.json")
    assert main(["convert", "--to", "3", str(operators), "-o", blocked]) == 1
    assert capsys.readouterr().err.startswith(f"{operators}: cannot write {blocked}: ")


def test_write_error_on_existing_folder_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path / "a.txt", "OK")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    # "-o taken" is an existing folder: the output goes inside it.
    assert main(["convert", "--to", "3", "a.txt", "-o", "taken"]) == 0
    assert (tmp_path / "taken" / "a.json").read_text() == '{\n"result": "OK"\n}\n'
    assert source.exists()
    (tmp_path / "taken" / "a.json").unlink()
    (tmp_path / "taken" / "a.json").mkdir()
    assert main(["convert", "--to", "3", "a.txt", "-o", "taken"]) == 1
    assert capsys.readouterr().err.startswith("a.txt: cannot write taken/a.json: ")


def test_charsets_in_and_out(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    source = write(tmp_path / "cp.txt", fmtcodec.encode(LIST, 0).encode("windows-1251"))
    assert main(["convert", "--charset", "windows-1251", "--to", "3", str(source)]) == 0
    assert capsysbinary.readouterr().out == (fmtcodec.encode(LIST, 3) + "\n").encode()
    args = ["convert", "--charset", "cp1251", "--out-charset", "koi8-r", "--to", "2", str(source)]
    assert main(args) == 0
    assert capsysbinary.readouterr().out == (fmtcodec.encode(LIST, 2) + "\n").encode("koi8-r")
    # Read as UTF-8, the windows-1251 bytes are refused with their position.
    assert main(["convert", "--to", "3", str(source)]) == 1
    err = capsysbinary.readouterr().err
    assert err.startswith(
        f"{source}:2:8: fmt 0 (text, from the file's extension): byte 0xC1".encode()
    )


def test_character_the_output_charset_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "smile.txt", "name = A\u263a, id = 1")
    assert main(["convert", "--out-charset", "windows-1251", "--to", "3", str(source)]) == 1
    assert capsys.readouterr().err == (
        f"{source}: the character U+263A cannot be written in windows-1251"
        " (line 2, column 13 of the fmt 3 output)\n"
    )


def test_folder_mirrors_tree_with_target_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed_tree(tmp_path / "logs")
    assert main(["convert", "--to", "3", str(tmp_path / "logs"), "-o", str(tmp_path / "out")]) == 0
    written = sorted(
        str(path.relative_to(tmp_path / "out")) for path in (tmp_path / "out").rglob("*")
    )
    assert written == [
        "a.json",
        "b.json",
        "deep",
        "deep/d.json",
        "deep/er",
        "deep/er/c.json",
        "deep/ok.json",
    ]
    expected: dict[str, fmtcodec.Response] = {
        "a.json": LIST,
        "b.json": SenderCreated(id=5),
        "deep/er/c.json": OPERATORS,
        "deep/d.json": ApiError(code=ErrorCode(3), description="нет"),
        "deep/ok.json": Ok(),
    }
    for name, value in expected.items():
        assert (tmp_path / "out" / name).read_text("utf-8") == fmtcodec.encode(value, 3) + "\n"
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "fmtcodec convert: 5 converted, 0 failed\n"


def test_failing_file_among_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logs = tmp_path / "logs"
    mixed_tree(logs)
    write(logs / "deep" / "bad.xml", "<list>\n<sender id='1'>A</sender>\n")
    write(logs / "deep" / "ops.txt", fmtcodec.encode(OPERATORS, 0))
    out = tmp_path / "out"
    assert main(["convert", "--to", "1", str(logs), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4
    assert err[0].startswith(f"{logs / 'deep' / 'bad.xml'}:3:1: ")
    assert err[1].startswith(f"{logs / 'deep' / 'er' / 'c.xml'}: cannot be written in fmt 1: ")
    assert err[2].startswith(f"{logs / 'deep' / 'ops.txt'}: cannot be written in fmt 1: ")
    assert err[3] == "fmtcodec convert: 4 converted, 3 failed"
    assert (out / "deep" / "ok.csv").read_text() == "OK\n"
    assert not (out / "deep" / "bad.csv").exists()


def test_fail_fast_stops_at_the_first_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logs = tmp_path / "logs"
    for name in ("1.txt", "2.txt", "4.txt"):
        write(logs / name, "OK")
    write(logs / "3.txt", "ID = x")
    assert main(["convert", "--fail-fast", "--to", "3", str(logs), "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{logs / '3.txt'}:1:6: ")
    assert err[1] == "fmtcodec convert: 2 converted, 1 failed, 1 not tried (--fail-fast)"
    assert not (tmp_path / "o" / "4.json").exists()


def test_several_inputs_and_collisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "x" / "a.txt", "ID = 1")
    write(tmp_path / "x" / "a.xml", "<sender>\n<id>2</id>\n</sender>")
    write(tmp_path / "b.txt", "ID = 3")
    assert main(["convert", "--to", "3", "x", "b.txt", "missing.txt", "-o", "out"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "x/a.xml: not converted: out/a.json is the output of x/a.txt",
        "missing.txt: cannot read: No such file or directory",
        "fmtcodec convert: 2 converted, 2 failed",
    ]
    assert Path("out/a.json").read_text() == '{\n"sender": 1\n}\n'
    assert Path("out/b.json").read_text() == '{\n"sender": 3\n}\n'


def test_output_inside_input_is_skipped_and_inputs_are_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "logs" / "a.txt", "ID = 1")
    write(tmp_path / "logs" / "a.json", '{"sender": 2}')
    write(tmp_path / "logs" / "b.txt", "ID = 3")
    # Into the input folder itself: a.json converts in place; a.txt would overwrite it.
    assert main(["convert", "--to", "3", "logs", "-o", "logs"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "logs/a.txt: not converted: logs/a.json is the output of logs/a.json",
        "fmtcodec convert: 2 converted, 1 failed",
    ]
    assert Path("logs/a.json").read_text() == '{\n"sender": 2\n}\n'
    # Into a folder inside the input: a second run does not read its own output.
    write(tmp_path / "more" / "c.txt", "ID = 4")
    write(tmp_path / "more" / "d.json", '{"sender": 5}')
    assert main(["convert", "--to", "0", "more", "-o", "more/text"]) == 0
    assert main(["convert", "--to", "0", "more", "-o", "more/text"]) == 0
    assert sorted(os.listdir("more/text")) == ["c.txt", "d.txt"]
    assert capsys.readouterr().err == "fmtcodec convert: 2 converted, 0 failed\n" * 2


def test_fifos_are_not_walked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "in" / "a.txt", "OK")
    os.mkfifo(tmp_path / "in" / "pipe")  # opening it would block forever
    assert main(["convert", "--to", "3", str(tmp_path / "in"), "-o", str(tmp_path / "o")]) == 0
    assert capsys.readouterr().err == "fmtcodec convert: 1 converted, 0 failed\n"


def test_unreadable_folder_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root in CI, where permissions do not stop reads: fail the calls instead.
    logs = tmp_path / "logs"
    write(logs / "locked" / "a.txt", "OK")
    write(logs / "secret.txt", "OK")
    write(logs / "fine.txt", "OK")
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
    assert main(["convert", "--to", "3", str(logs), "-o", str(tmp_path / "o")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{logs / 'locked'}: cannot read the directory: Permission denied",
        f"{logs / 'secret.txt'}: cannot read: Permission denied",
        "fmtcodec convert: 1 converted, 2 failed",
    ]


def test_output_folder_that_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "in" / "sub" / "a.txt", "OK")
    write(tmp_path / "in" / "sub" / "b.txt", "OK")
    write(tmp_path / "in" / "c.txt", "OK")
    write(tmp_path / "o" / "sub", "a file where a folder should be")
    assert main(["convert", "--to", "3", str(tmp_path / "in"), "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.splitlines()
    target = tmp_path / "o" / "sub" / "a.json"
    assert err[0].startswith(f"{tmp_path / 'in' / 'sub' / 'a.txt'}: cannot write {target}: ")
    assert err[2] == "fmtcodec convert: 1 converted, 2 failed"


def test_write_failure_in_a_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "in" / "a.txt", "OK")
    (tmp_path / "o" / "a.json").mkdir(parents=True)
    assert main(["convert", "--to", "3", str(tmp_path / "in"), "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{tmp_path / 'in' / 'a.txt'}: cannot write {tmp_path / 'o'}")
    assert err[0].endswith(": Is a directory")


def test_empty_folder_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # As validate: a misspelt or empty folder must not pass a CI step.
    (tmp_path / "empty").mkdir()
    assert main(["convert", "--to", "3", str(tmp_path / "empty"), "-o", str(tmp_path / "o")]) == 1
    assert capsys.readouterr().err == "fmtcodec convert: no files found to convert\n"
    assert main(["validate", str(tmp_path / "empty")]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "b.txt"], "several inputs or a folder need an output folder: -o DIR"),
        (["a.txt", "-", "-o", "o"], "standard input (-) can only be the single input"),
        (["a.txt", "b.txt", "-o", "a.txt"], "-o a.txt: not a folder"),
        (["-o", "folder"], "-o names a folder, but standard input has no file name to use"),
        (["--charset", "rot13", "a.txt"], "argument --charset: 'rot13' is not supported"),
        (["--out-charset", "latin-1", "a.txt"], "argument --out-charset: 'latin-1' is not"),
        (["--from", "4", "a.txt"], "argument --from: invalid choice: '4'"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", "OK")
    write(tmp_path / "b.txt", "OK")
    (tmp_path / "folder").mkdir()
    assert main(["convert", "--to", "3", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: fmtcodec convert")
    assert f"fmtcodec convert: error: {message}" in err


def test_to_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "x"]) == 2
    assert "the following arguments are required: --to" in capsys.readouterr().err


def test_many_files_use_a_pool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cli_batch, "PARALLEL_FROM", 4)
    monkeypatch.setattr(_cli_batch, "cores", lambda: 2)
    for number in range(12):
        write(tmp_path / "in" / f"{number:02d}.txt", f"ID = {number + 1}")
    write(tmp_path / "in" / "05.txt", "ID = 0")
    assert main(["convert", "--to", "2", str(tmp_path / "in"), "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{tmp_path / 'in' / '05.txt'}:1:6: ")
    assert err[1] == "fmtcodec convert: 11 converted, 1 failed"
    assert (tmp_path / "o" / "11.xml").read_text() == "<sender>\n<id>12</id>\n</sender>\n"
    # --fail-fast stops the pool; off Linux the platform's start method is used.
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.chdir(tmp_path)
    assert main(["convert", "--fail-fast", "--to", "2", "in", "-o", "o2"]) == 1
    assert "1 failed" in capsys.readouterr().err


def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mixed_tree(tmp_path / "in")
    write(tmp_path / "in" / "bad.txt", "ID = 0")
    args = ["convert", "--to", "3", str(tmp_path / "in"), "-o", str(tmp_path / "o")]
    assert main(args) == 1
    assert "\r" not in capsys.readouterr().err
    monkeypatch.setattr(_cli_batch, "_is_terminal", lambda: True)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "\r" in err and "0/6" in err and "file/s" in err
    # Failure lines are written above the bar, whole.
    assert f"\r{tmp_path / 'in' / 'bad.txt'}:1:6: " in err
    assert err.endswith("fmtcodec convert: 5 converted, 1 failed\n")


def test_is_terminal_tolerates_odd_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    assert _cli_batch._is_terminal() is False
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stderr", closed)
    assert _cli_batch._is_terminal() is False


def test_an_output_that_would_overwrite_another_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "x" / "a.txt", "ID = 1")
    write(tmp_path / "x" / "a.json", '{"sender": 2}')
    assert main(["convert", "--to", "3", "x/a.txt", "x/a.json", "-o", "x"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "x/a.txt: not converted: x/a.json would overwrite an input",
        "fmtcodec convert: 1 converted, 1 failed",
    ]
    # With --fail-fast, a problem found before starting stops everything.
    assert main(["convert", "--fail-fast", "--to", "3", "x/a.txt", "x/a.json", "-o", "x"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "x/a.txt: not converted: x/a.json would overwrite an input",
        "fmtcodec convert: 0 converted, 1 failed, 1 not tried (--fail-fast)",
    ]


def test_reading_stops_one_byte_past_the_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "big.txt", "ID = 123456")
    assert _cli_common.read_input(str(path), 4) == (b"ID = ", 11)
    feed_stdin(monkeypatch, b"0123456789")
    assert _cli_common.read_input("-", 4) == (b"01234", None)
    write(tmp_path / "huge.txt", "name = A, id = 1\n" * 5000)
    data, size = _cli_common.read_input(str(tmp_path / "huge.txt"), 70000)
    assert (len(data), size) == (70001, 85000)


def test_fail_fast_with_a_pool_counts_what_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files the workers had begun when the failure came finish and are counted: the
    summary's counts are the files in the output folder."""
    monkeypatch.setattr(_cli_batch, "PARALLEL_FROM", 4)
    monkeypatch.setattr(_cli_batch, "cores", lambda: 2)
    for number in range(600):
        write(tmp_path / "in" / f"{number:03d}.txt", f"ID = {number + 1}")
    write(tmp_path / "in" / "020.txt", "ID = 0")
    out = tmp_path / "o"
    assert main(["convert", "--fail-fast", "--to", "3", str(tmp_path / "in"), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{tmp_path / 'in' / '020.txt'}:1:6: ")
    written = len(list(out.iterdir()))
    assert err[-1] == (
        f"fmtcodec convert: {written} converted, {len(err) - 1} failed,"
        f" {600 - written - (len(err) - 1)} not tried (--fail-fast)"
    )
    assert 20 <= written < 599


def test_a_failing_input_loses_its_stale_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "in" / "a.txt", "ID = 1")
    write(tmp_path / "in" / "b.txt", "ID = 2")
    assert main(["convert", "--to", "3", "in", "-o", "out"]) == 0
    capsys.readouterr()
    write(tmp_path / "in" / "b.txt", "ID = x")  # a capture that went wrong this time
    assert main(["convert", "--to", "3", "in", "-o", "out"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("in/b.txt:1:")
    assert err[1] == "fmtcodec convert: 1 converted, 1 failed (1 output of an earlier run removed)"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json"]
    # Converted onto itself (same format, -o the input folder): a failing input stays.
    write(tmp_path / "in" / "c.json", "{")
    assert main(["convert", "--to", "3", "in", "-o", "in"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-2].startswith("in/c.json:1:2: ")
    assert err[-2].endswith(" (the input is its own output, and is left as it is)")
    assert Path("in/c.json").read_text() == "{"
    # One file with -o: the file the user named is left as it was, and the run says so.
    assert main(["convert", "--to", "3", "in/b.txt", "-o", "out/a.json"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "fmtcodec convert: out/a.json is left as it was"
    )
    assert Path("out/a.json").read_text() == '{\n"sender": 1\n}\n'


def test_an_empty_body_is_a_failure_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty capture is more often a failure than an account with no names."""
    monkeypatch.chdir(tmp_path)
    for name, body in (("a.json", ""), ("b.txt", ""), ("c.log", "\r\n\n")):
        write(tmp_path / name, body)
    empty = "the body is empty: a failed capture rather than an answer? (--allow-empty reads"
    assert main(["convert", "--to", "3", "a.json"]) == 1
    assert capsys.readouterr().err == f"a.json: {empty} it as the empty list, in fmt 0 and 1)\n"
    assert main(["convert", "--to", "3", "c.log"]) == 1
    assert capsys.readouterr().err.startswith("c.log: the body is only blank lines: ")
    assert main(["convert", "--allow-empty", "--to", "3", "b.txt"]) == 0
    assert main(["convert", "--allow-empty", "--to", "3", "c.log"]) == 0
    assert capsys.readouterr().out == "[]\n[]\n"
    # A .json file is read as fmt 3, where the empty body is no response at all.
    assert main(["convert", "--allow-empty", "--to", "0", "a.json"]) == 1
    assert capsys.readouterr().err.startswith("a.json:1:1: ")
    feed_stdin(monkeypatch, b"")
    assert main(["convert", "--to", "3"]) == 1
    assert capsys.readouterr().err.startswith(f"<stdin>: {empty}")


def test_max_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "in.txt", "ID = 123456")  # 11 bytes
    assert main(["convert", "--max-size", "10", "--to", "3", "in.txt"]) == 1
    assert capsys.readouterr().err == (
        "in.txt: the file is 11 bytes, over the --max-size limit of 10 bytes;"
        " raise --max-size to read it\n"
    )
    assert main(["convert", "--max-size", "11", "--to", "3", "in.txt"]) == 0
    feed_stdin(monkeypatch, b"x" * 2000)
    assert main(["convert", "--max-size", "1k", "--to", "3"]) == 1
    assert capsys.readouterr().err == (
        "<stdin>: the input is over the --max-size limit of 1 KiB (1024 bytes);"
        " raise --max-size to read it\n"
    )
    assert main(["convert", "--max-size", "64MiB", "--to", "3", "in.txt"]) == 0
    for bad in ("0", "-5", "1.5M", "lots", "1T"):
        assert main(["convert", "--max-size", bad, "--to", "3", "in.txt"]) == 2
        assert f"argument --max-size: '{bad}' is not a size" in capsys.readouterr().err
