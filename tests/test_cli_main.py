"""The program as a whole: help, version, exit statuses, Ctrl-C, closed pipes, real processes."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

import fmtcodec
from fmtcodec import _cli, _cli_batch, _cli_convert, _cli_inspect
from fmtcodec._cli import main


def write(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def run(*args: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "fmtcodec", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        **kwargs,
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"fmtcodec {fmtcodec.__version__}\n"


@pytest.mark.parametrize("command", [[], ["convert"], ["validate"], ["inspect"]])
def test_help_has_examples(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: fmtcodec {' '.join(command)}".rstrip())
    assert "\nexamples:\n  fmtcodec " in out


@pytest.mark.parametrize("argv", [["frobnicate"], ["convert", "--to", "3", "--bogus"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "error:" in capsys.readouterr().err


def test_bare_fmtcodec_prints_the_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("usage: fmtcodec [-h] [--version] COMMAND ...\n")
    assert "\nexamples:\n" in captured.err
    assert "141 the reader of standard output went away" in " ".join(captured.err.split())


def test_options_and_inputs_in_any_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = write(tmp_path / "a.txt", "OK"), write(tmp_path / "b.txt", "ID = 5")
    out = tmp_path / "out"
    assert main(["convert", str(a), "-o", str(out), str(b), "--to", "3"]) == 0
    assert (out / "a.json").read_text() == '{\n"result": "OK"\n}\n'
    assert (out / "b.json").read_text() == '{\n"sender": 5\n}\n'
    assert main(["validate", str(a), "--strict", str(b)]) == 0
    assert main(["inspect", str(b), "--json"]) == 0
    assert capsys.readouterr().out.endswith('"kind": "created",\n  "id": 5,\n  "extra": {}\n}\n')


def test_ctrl_c_exits_130_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(path: str, max_size: int) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli_convert, "read_input", interrupted)
    assert main(["convert", "--to", "3", str(tmp_path / "x")]) == 130
    assert capsys.readouterr() == ("", "")


def test_ctrl_c_during_a_pool_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_cli_batch, "PARALLEL_FROM", 4)
    monkeypatch.setattr(_cli_batch, "cores", lambda: 2)

    def interrupted(self: _cli_batch.Progress) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli_batch.Progress, "advance", interrupted)
    for number in range(8):
        write(tmp_path / "in" / f"{number}.txt", "OK")
    assert main(["convert", "--to", "3", str(tmp_path / "in"), "-o", str(tmp_path / "o")]) == 130
    assert capsys.readouterr() == ("", "")


def test_ctrl_c_in_a_real_process() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fmtcodec", "convert", "--to", "3"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Wait until the program sleeps reading its standard input, a pipe: past start-up,
    # inside main(). /proc/PID/wchan names the kernel function it sleeps in (pipe_read,
    # anon_pipe_read, pipe_wait... by kernel version); start-up reads no pipe.
    deadline = time.monotonic() + 60
    wchan = Path(f"/proc/{process.pid}/wchan")
    while "pipe" not in wchan.read_text():
        assert time.monotonic() < deadline, "the program never read standard input"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (130, b"", b"")


def test_workers_ignore_ctrl_c() -> None:
    before = signal.getsignal(signal.SIGINT)
    try:
        _cli_batch._ignore_interrupts()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_closed_pipe_exits_141_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def closed(data: bytes) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(_cli_inspect, "write_stdout", closed)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by monkeypatch
    assert main(["inspect", "--allow-empty", "-"]) == 141
    assert capsys.readouterr() == ("", "")
    sys.stdin.close()


def test_a_failing_stdout_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Full(io.BytesIO):
        def flush(self) -> None:
            raise OSError(28, "No space left on device")

    class Stdout:
        buffer: io.BytesIO = Full()

    class Closed(io.BytesIO):
        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Stdout())
    path = write(tmp_path / "a.txt", "OK")
    assert main(["convert", "--to", "3", str(path)]) == 1
    assert capsys.readouterr().err == (
        "fmtcodec: cannot write to standard output: No space left on device\n"
    )
    Stdout.buffer = Closed()
    assert main(["convert", "--to", "3", str(path)]) == 141
    assert capsys.readouterr().err == ""


def test_silenced_stdout_goes_to_devnull(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open(tmp_path / "out", "w") as stream:
        monkeypatch.setattr(sys, "stdout", stream)
        _cli._silence_stdout()
        os.write(stream.fileno(), b"lost")
    assert (tmp_path / "out").read_bytes() == b""


def test_a_command_exiting_with_a_message_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def exits(args: object) -> int:
        sys.exit("gave up")

    monkeypatch.setattr(_cli_inspect, "run", exits)
    assert main(["inspect", "x"]) == 2


def test_python_m_is_the_same_program(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps to the terminal's width
    assert main(["convert", "--help"]) == 0
    result = run("convert", "--help")
    assert result.returncode == 0
    assert result.stdout == capsys.readouterr().out


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("fmtcodec")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stdout) == (0, f"fmtcodec {fmtcodec.__version__}\n")


def test_folder_with_a_failing_file_in_a_real_process(tmp_path: Path) -> None:
    write(tmp_path / "logs" / "a" / "one.txt", "name = A, status = 1, id = 7")
    write(tmp_path / "logs" / "b.xml", "<result>\n<result>OK</result>\n</result>")
    write(tmp_path / "logs" / "c.json", '{"sender": 5}')
    result = run("convert", "--to", "0", "logs", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    # Standard error is a pipe here: failure lines and the summary, no progress bar.
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("logs/b.xml:2:1: ")
    assert lines[1] == "fmtcodec convert: 2 converted, 1 failed"
    assert "\r" not in result.stderr
    assert (tmp_path / "out" / "a" / "one.txt").read_text() == "name = A, status = 1, id = 7\n"
    assert (tmp_path / "out" / "c.txt").read_text() == "ID = 5\n"


def test_windows_1251_in_koi8_r_out_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_bytes("name = Рассвет, id = 1".encode("windows-1251"))
    args = ["convert", "--charset", "windows-1251", "--out-charset", "koi8-r", "--to", "2"]
    result = subprocess.run(
        [sys.executable, "-m", "fmtcodec", *args, str(tmp_path / "in.txt")],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    expected = '<list>\n<sender id="1">Рассвет</sender>\n</list>\n'
    assert result.stdout == expected.encode("koi8-r")


def test_validate_in_a_real_process(tmp_path: Path) -> None:
    write(tmp_path / "fx" / "ok.json", '{\n"sender": 5\n}\n')
    write(tmp_path / "fx" / "compact.json", '{"sender":5}')
    assert run("validate", "fx", cwd=tmp_path).returncode == 0
    result = run("validate", "--strict", "--format", "json", "fx", cwd=tmp_path)
    assert result.returncode == 1
    assert '"failed": 1' in result.stdout and result.stderr == ""


def test_bad_input_never_shows_a_traceback(tmp_path: Path) -> None:
    write(tmp_path / "bad.xml", '<!DOCTYPE x [<!ENTITY a "b">]><list/>')
    for args in (
        ["inspect", "."],
        ["convert", "--to", "3", "bad.xml", "missing", "-o", "out"],
        ["convert", "--charset", "base64", "--to", "3", "bad.xml"],
    ):
        result = run(*args, cwd=tmp_path)
        assert result.returncode in (1, 2), args
        assert "Traceback" not in result.stderr, args
        assert result.stderr.strip() or result.stdout.strip(), args


def test_full_disk_in_a_real_process(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "OK")
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "fmtcodec", "inspect", str(tmp_path / "a.txt")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == "fmtcodec: cannot write to standard output: No space left on device\n"


def test_closed_pipe_in_a_real_process(tmp_path: Path) -> None:
    body = "\n".join(f"name = N{number}, status = 1, id = {number + 1}" for number in range(9000))
    write(tmp_path / "big.txt", body)
    with subprocess.Popen(
        [sys.executable, "-m", "fmtcodec", "convert", "--to", "3", str(tmp_path / "big.txt")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # as `| head` does, long before the program writes
        err = process.stderr.read()
        assert process.wait(timeout=60) == 141
    assert err == b""


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    for number in range(5):
        write(tmp_path / "in" / f"{number}.txt", "OK")
    controller, terminal = pty.openpty()
    # A terminal 80 columns wide: a new pty has none, and tqdm draws nothing in 0 columns.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "fmtcodec", "convert", "--to", "3", "in", "-o", "out"],
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=terminal,
        )
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the program closed its end
                break
            if not chunk:
                break
            seen += chunk
        assert process.wait(timeout=60) == 0
    finally:
        os.close(controller)
    assert b"0/5" in seen and b"file/s" in seen
    assert seen.endswith(b"fmtcodec convert: 5 converted, 0 failed\r\n")
