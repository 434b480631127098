"""docs/cli.md's console examples, run in order in one empty folder, print what they show."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).parent.parent / "docs" / "cli.md"
MARK = "@@fmtcodec-doc-example@@"


def examples() -> list[tuple[str, str]]:
    """Each ``$ command`` of the doc's console blocks, with the output shown under it."""
    found: list[tuple[str, str]] = []
    for block in re.findall(r"^```console\n(.*?)^```$", DOC.read_text("utf-8"), re.M | re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output))
    return found


def test_the_doc_has_examples_of_every_command() -> None:
    commands = " ".join(command for command, _ in examples())
    for needed in ("fmtcodec convert", "fmtcodec validate", "fmtcodec inspect", "--format json"):
        assert needed in commands


def test_console_examples_print_what_they_show(tmp_path: Path) -> None:
    cases = examples()
    # One shell runs them all, so that `echo $?` sees the command before it; a marker
    # line (printed without touching $?) separates their outputs.
    script = "".join(
        f'__status=$?; echo "{MARK}"; (exit $__status)\n{{ {command}\n}} 2>&1\n'
        for command, _ in cases
    )
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "80",  # argparse wraps usage lines to the terminal's width
        "LC_ALL": "C.UTF-8",
    }
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outputs = result.stdout.split(MARK + "\n")[1:]
    assert len(outputs) == len(cases), result.stderr
    for (command, shown), printed in zip(cases, outputs, strict=True):
        assert printed == shown, f"$ {command}"


def test_the_throughput_generator_makes_what_convert_reads(tmp_path: Path) -> None:
    throughput = DOC.read_text("utf-8").split("## Throughput", 1)[1]
    generator = re.search(r"^```python\n(.*?)^```$", throughput, re.M | re.S)
    assert generator is not None
    (tmp_path / "make_responses.py").write_text(generator.group(1), encoding="utf-8")
    subprocess.run([sys.executable, "make_responses.py", "1200", "logs"], cwd=tmp_path, check=True)
    assert len(list((tmp_path / "logs").rglob("*"))) == 1202  # two folders of files
    # 1,200 files: over PARALLEL_FROM, so a real pool of workers converts them.
    convert = ["convert", "--charset", "windows-1251", "--to", "3", "logs", "-o", "out"]
    result = subprocess.run(
        [sys.executable, "-m", "fmtcodec", *convert],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "fmtcodec convert: 1200 converted, 0 failed\n")
