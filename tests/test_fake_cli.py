"""``fmtcodec fake-server``: a real process, stopped by Ctrl-C (SIGINT) and SIGTERM."""

from __future__ import annotations

import _thread
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

import fmtcodec
from fmtcodec import Sender, SenderList, _cli_fake_server
from fmtcodec._cli import main

REPOSITORY = Path(__file__).resolve().parent.parent
BASIC = REPOSITORY / "fixtures" / "valid" / "list" / "basic" / "model.json"


def start(*args: str) -> tuple[subprocess.Popen[str], str, list[str]]:
    """``fmtcodec fake-server ARGS`` in a process of its own; it, its endpoint URL and the
    three lines of its banner."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fmtcodec", "fake-server", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None
    banner = [process.stdout.readline() for _ in range(3)]
    assert banner[0].startswith("fmtcodec fake-server: serving http://127.0.0.1:"), banner
    return process, banner[0].split()[-1], banner


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serves_a_state_file_and_stops_cleanly(stop: signal.Signals) -> None:
    process, endpoint, _ = start(str(BASIC), "--login", "me", "--psw", "secret")
    try:
        assert endpoint.endswith("/sys/senders.php")
        answer = httpx.get(endpoint, params={"login": "me", "psw": "secret", "get": "1"})
        expected = fmtcodec.from_data(json.loads(BASIC.read_text("utf-8")))
        assert fmtcodec.decode(answer.content, 0, charset="windows-1251") == expected
        assert httpx.get(endpoint, params={"apikey": "fake-apikey", "get": "1"}).text.startswith(
            "name = SMSC, id = 1021"
        )
        created = httpx.post(
            endpoint, data={"login": "me", "psw": "secret", "add": "1", "sender": "NEW", "fmt": "3"}
        )
        assert created.content == b'{\n"sender": 1024\n}'
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert err == ""  # no traceback
    assert out == "fmtcodec fake-server: stopped after 3 requests\n"
    host, port = endpoint.removeprefix("http://").split("/")[0].split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=5)


def test_the_banner_names_the_credentials_and_the_rate_limits_use_real_time() -> None:
    process, endpoint, banner = start("--apikey", "none")
    try:
        assert httpx.get(endpoint, params={"apikey": "fake-apikey", "get": "1"}).text.startswith(
            "ERROR = 2 ("
        )
        credentials = {"login": "fake-login", "psw": "fake-psw", "get": "1", "fmt": "1"}
        bodies = [httpx.get(endpoint, params=credentials).content for _ in range(4)]
        assert bodies == [b"", b"", b"", b"0,-9"]  # a real minute has not passed
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (0, "")
    assert banner[1:] == [
        "  0 sender names; login 'fake-login', psw 'fake-psw', apikey 'refused'\n",
        "  Ctrl-C stops it\n",
    ]


def test_in_this_process_until_interrupted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same run as above in this process (where coverage sees it): a helper thread
    # waits for the server, asks it once, and interrupts the main thread as Ctrl-C does.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = tmp_path / "state.json"
    state.write_text(json.dumps(fmtcodec.to_data(SenderList(senders=(Sender(name="A", id=3),)))))
    answers: list[bytes] = []
    returned: list[int] = []

    def client() -> None:
        url = f"http://127.0.0.1:{port}/sys/senders.php"
        try:
            for _ in range(3000):  # until the server is up (or a minute has passed)
                try:
                    answer = httpx.get(url, params={"apikey": "fake-apikey", "get": 1})
                except httpx.ConnectError:
                    time.sleep(0.02)
                else:
                    answers.append(answer.content)
                    break
        finally:
            if not returned:  # never interrupt the suite after main() has come back
                _thread.interrupt_main()

    helper = threading.Thread(target=client)
    helper.start()
    handler = signal.getsignal(signal.SIGTERM)
    try:
        status = main(["fake-server", "--port", str(port), str(state)])
        returned.append(status)
    finally:
        helper.join()
    assert status == 0
    assert answers == [b"name = A, id = 3"]
    assert signal.getsignal(signal.SIGTERM) is handler  # put back
    out = capsys.readouterr().out
    assert out.startswith(
        f"fmtcodec fake-server: serving http://127.0.0.1:{port}/sys/senders.php\n"
    )
    assert out.endswith("\nfmtcodec fake-server: stopped after 1 requests\n")


def test_sigterm_is_left_alone_outside_the_main_thread() -> None:
    found: list[object] = []
    helper = threading.Thread(target=lambda: found.append(_cli_fake_server._stop_on_sigterm()))
    helper.start()
    helper.join()
    assert found == [None]


def test_state_files_it_cannot_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps({"version": 1, "kind": "ok"}), "utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    comma = tmp_path / "comma.json"
    comma.write_text(
        json.dumps(fmtcodec.to_data(SenderList(senders=(Sender(name="A,B", id=1),)))), "utf-8"
    )
    cases = [
        (tmp_path / "absent.json", "absent.json: cannot read: No such file or directory"),
        (ok, "ok.json: not a list in the model's JSON form: holds a 'ok', not a list"),
        (broken, "broken.json: not a list in the model's JSON form: Expecting property name"),
        (comma, "comma.json: the fake cannot hold 'A,B': senders[0].name: a name holding"),
    ]
    for path, message in cases:
        assert main(["fake-server", str(path)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(str(path.parent) + os.sep + message), err


def test_a_port_it_cannot_have(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["fake-server", "--port", str(port)]) == 1
    assert capsys.readouterr().err.startswith(
        f"fmtcodec fake-server: cannot serve on 127.0.0.1:{port}: "
    )


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_a_bad_port_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fake-server", "--port", port]) == 2
    assert "is not a port number (0 to 65535)" in capsys.readouterr().err


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fake-server", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: fmtcodec fake-server")
    assert "\nexamples:\n  fmtcodec fake-server " in out
