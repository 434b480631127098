"""docs/testing.md's "A fake senders.php": its test files pass, its commands print what it
shows, and its table of decisions is the code's (``_fake_rules.DECISIONS``)."""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fmtcodec._cli import main
from fmtcodec.testing._fake_rules import DECISIONS

pytest_plugins = ["pytester"]

REPOSITORY = Path(__file__).resolve().parent.parent
DOC = REPOSITORY / "docs" / "testing.md"
SECTION = DOC.read_text("utf-8").split("\n## A fake senders.php\n", 1)[1].split("\n## ", 1)[0]


def shell_blocks() -> list[tuple[str, str]]:
    """Each ``$ command`` of the section's ``sh`` blocks, with the output shown under it."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", SECTION, re.S):
        for chunk in block.split("$ ")[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output))
    return found


def test_the_decisions_table_is_the_codes() -> None:
    table = SECTION.split("| situation | what the fake does |\n|---|---|\n", 1)[1]
    rows = [line for line in table.split("\n\n", 1)[0].split("\n") if line]
    assert rows == [f"| {situation} | {answer} |" for situation, answer in DECISIONS]


def test_the_test_files_pass_and_the_cassette_validates(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = re.findall(r"<!-- fake test file: (\S+) -->\n```python\n(.*?)```", SECTION, re.S)
    assert [name for name, _ in files] == [
        "tests/test_client_against_fake.py",
        "tests/test_record_from_fake.py",
    ]
    (pytester.path / "tests" / "cassettes").mkdir(parents=True)
    for name, code in files:
        (pytester.path / name).write_text(code, "utf-8")
    # A process of its own, as a client's suite runs: the plugin comes from its entry point.
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider", "-W", "error", "tests")
    result.assert_outcomes(passed=6)
    monkeypatch.chdir(pytester.path)
    (command, shown), _ = shell_blocks()
    assert command.startswith("fmtcodec validate ")
    capsys.readouterr()  # pytester's report
    assert main(shlex.split(command)[1:]) == 0
    assert capsys.readouterr().out == shown
    recorded = (pytester.path / "tests" / "cassettes" / "fake.yaml").read_text("utf-8")
    assert "fake-psw" not in recorded and "psw=" not in recorded


def test_the_fake_server_prints_what_the_doc_shows() -> None:
    _, (command, shown) = shell_blocks()
    argv = shlex.split(command.replace("--port 8765", "--port 0"))
    assert argv[:2] == ["fmtcodec", "fake-server"]
    process = subprocess.Popen(
        [sys.executable, "-m", "fmtcodec", *argv[1:]],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    banner = "".join(process.stdout.readline() for _ in range(3))
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (0, "")
    assert re.sub(r":\d+/", ":8765/", banner) == shown
