"""No output is ever partial: a full disk, Ctrl-C and `| head -1`, in real processes.

Each test runs the installed program as a user would, for one file and for folders (in
one process and with the pool of workers), and then checks every file in the output: each
is the complete conversion of its input, or the file that was there before; no temporary
file is left behind; nothing is a traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import fmtcodec
from fmtcodec import Sender, SenderList, SenderStatus, _cli_files

LIMIT_KIB = 8  # the file size limit of the "full disk" runs (ulimit -f, in KiB)


def body(records: int, start: int = 1) -> str:
    """A fmt 0 all=1 list of ``records`` senders: about 40 bytes a record, 60 as JSON."""
    senders = tuple(
        Sender(name=f"N{i}", id=i, status=SenderStatus(1)) for i in range(start, start + records)
    )
    return fmtcodec.encode(SenderList(senders=senders), 0)


def as_json(text: str) -> str:
    """What convert --to 3 writes for the fmt 0 ``text``."""
    return fmtcodec.encode(fmtcodec.decode(text, 0), 3) + "\n"


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash, with this interpreter's fmtcodec first on the PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def leftovers(folder: Path) -> list[str]:
    """Temporary files the writer left (its names start with '.' and end in '.part')."""
    return sorted(p.name for p in folder.rglob(".*") if p.name.endswith(".part"))


def assert_complete(out: Path, inputs: Path) -> int:
    """Every file under ``out`` is the whole conversion of its input; how many there are."""
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    for path in files:
        source = inputs / path.relative_to(out).with_suffix(".txt")
        assert path.read_text("utf-8") == as_json(source.read_text("utf-8")), path
    assert leftovers(out) == []
    return len(files)


# --- a full disk: the file size limit (ulimit -f) ----------------------------------------


def test_full_disk_keeps_the_previous_output_of_one_file(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(body(400), "utf-8")  # about 24 KiB of JSON
    previous = as_json(body(3))
    (tmp_path / "out.json").write_text(previous, "utf-8")
    result = shell(f"ulimit -f {LIMIT_KIB}; fmtcodec convert --to 3 big.txt -o out.json", tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "big.txt: cannot write out.json: File too large\n"
        "fmtcodec convert: out.json is left as it was\n"
    )
    assert (tmp_path / "out.json").read_text("utf-8") == previous
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("files", [6, 300], ids=["one process", "pool"])
def test_full_disk_in_a_folder_leaves_no_partial_file(tmp_path: Path, files: int) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    (inputs / "sub").mkdir(parents=True)
    names = [f"sub/{number:03}" if number % 2 else f"{number:03}" for number in range(files)]
    big = set(names[::5])  # every fifth is too big for the limit
    for number, name in enumerate(names):
        records = 400 if name in big else 3
        (inputs / f"{name}.txt").write_text(body(records, number * 1000 + 1), "utf-8")
    # A good output of an earlier run for every input: the big ones' must go.
    for source in inputs.rglob("*.txt"):
        target = out / source.relative_to(inputs).with_suffix(".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(as_json(source.read_text("utf-8")), "utf-8")
    result = shell(f"ulimit -f {LIMIT_KIB}; fmtcodec convert --to 3 in -o out", tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(big) + 1
    assert all(line.endswith(": File too large") for line in lines[:-1])
    assert lines[-1] == (
        f"fmtcodec convert: {files - len(big)} converted, {len(big)} failed"
        f" ({len(big)} outputs of an earlier run removed)"
    )
    assert assert_complete(out, inputs) == files - len(big)
    assert not any((out / f"{name}.json").exists() for name in big)


# --- an interrupt (SIGINT) ---------------------------------------------------------------


def _interrupt_when(process: subprocess.Popen[str], ready: object) -> None:
    """Send SIGINT once ``ready()`` is true (polling; the deadline only guards a hang)."""
    deadline = time.monotonic() + 60
    while not ready():  # type: ignore[operator]
        assert process.poll() is None, "the program ended before it was interrupted"
        assert time.monotonic() < deadline, "the program never got going"
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)


@pytest.mark.parametrize("files", [40, 600], ids=["one process", "pool"])
def test_ctrl_c_in_a_folder_leaves_no_partial_file(tmp_path: Path, files: int) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for number in range(files):
        (inputs / f"{number:04}.txt").write_text(body(150, number * 1000 + 1), "utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "fmtcodec", "convert", "--to", "3", "in", "-o", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        _interrupt_when(process, lambda: out.is_dir() and any(out.glob("[!.]*.json")))
        out_text, err = process.communicate(timeout=60)
    # 130 when stopped; 0 if it had already finished (a machine faster than the polling).
    assert (process.returncode, out_text, err) in ((130, "", ""), (0, "", err))
    assert assert_complete(out, inputs) >= 1


def test_ctrl_c_on_one_file_keeps_the_previous_output(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(body(100_000), "utf-8")  # fmt 0: seconds to read
    previous = as_json(body(3))
    (tmp_path / "out.json").write_text(previous, "utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "fmtcodec", "convert", "--to", "3", "big.txt", "-o", "out.json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        # Interrupted once it has used half a second of CPU: past start-up (about 0.1 s),
        # in the middle of reading the 4 MB (several seconds), before anything is written.
        stat = Path(f"/proc/{process.pid}/stat")
        tick = os.sysconf("SC_CLK_TCK")

        def busy() -> bool:
            user, system = stat.read_text().rsplit(")", 1)[1].split()[11:13]
            return (int(user) + int(system)) / tick >= 0.5

        _interrupt_when(process, busy)
        _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, "")
    assert (tmp_path / "out.json").read_text("utf-8") == previous
    assert leftovers(tmp_path) == []


def test_an_interrupted_write_removes_its_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or a worker's SIGTERM) between two writes of one file: the target is
    untouched and the temporary is gone."""
    target = tmp_path / "out.json"
    target.write_bytes(b"previous\n")
    target.chmod(0o640)
    writes = 0
    real_write = os.write

    def interrupted(fd: int, data: object) -> int:
        nonlocal writes
        writes += 1
        if writes == 2:
            raise KeyboardInterrupt
        return real_write(fd, memoryview(data)[:10])  # type: ignore[arg-type]

    monkeypatch.setattr(os, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _cli_files.write_whole(str(target), b"x" * 100)
    assert target.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    monkeypatch.undo()
    _cli_files.write_whole(str(target), b"new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions


# --- `| head -1`: the reader goes away -----------------------------------------------------


@pytest.mark.parametrize("records", [1, 20_000], ids=["small", "large"])
def test_a_closed_pipe_exits_141_at_any_size(tmp_path: Path, records: int) -> None:
    """Standard output a pipe whose reader is already gone: every write fails."""
    (tmp_path / "in.txt").write_text(body(records), "utf-8")
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "fmtcodec", "convert", "--to", "3", "in.txt"],
            cwd=tmp_path,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (141, "")


def test_head_on_one_file_exits_141(tmp_path: Path) -> None:
    """`| head -1` on output larger than a pipe holds: the write that finds the reader
    gone is a short one, which must not pass for success."""
    (tmp_path / "in.txt").write_text(body(20_000), "utf-8")  # about 1.2 MB of JSON
    result = shell("fmtcodec convert --to 3 in.txt | head -1; echo ${PIPESTATUS[0]}", tmp_path)
    assert (result.stdout, result.stderr) == ("[{\n141\n", "")


def test_head_on_a_folder_report_exits_141(tmp_path: Path) -> None:
    (tmp_path / "fx").mkdir()
    for number in range(1000):  # a failing file each: a report larger than a pipe holds
        (tmp_path / "fx" / f"{number:03}{'-' * 80}.json").write_text("[{x", "utf-8")
    result = shell(
        "fmtcodec validate fx | head -1; echo ${PIPESTATUS[0]}; "
        "fmtcodec validate --format json fx | head -1; echo ${PIPESTATUS[0]}",
        tmp_path,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("fx/000-")
    assert lines[1:] == ["141", "{", "141"]
    assert result.stderr == ""
