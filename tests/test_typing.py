"""The typing promise: client code from the docs passes mypy --strict untouched, and the
mistakes the types exist to catch are caught. One mypy run checks all three files."""

from __future__ import annotations

import re
from pathlib import Path

import mypy.api as mypy_api
import pytest

ROOT = Path(__file__).parent.parent
USAGES = ROOT / "tests" / "typing" / "usages.py"
MISUSES = ROOT / "tests" / "typing" / "misuses.py"
CLIENT = ROOT / "docs" / "examples" / "client.py"


@pytest.fixture(scope="module")
def reported() -> dict[str, set[int]]:
    """The lines mypy --strict reports an error on, by file name."""
    stdout, stderr, _ = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--show-absolute-path",
            str(USAGES),
            str(MISUSES),
            str(CLIENT),
        ]
    )
    assert not stderr, stderr
    lines: dict[str, set[int]] = {}
    for path, number in re.findall(r"^(.+?):(\d+): error:", stdout, re.M):
        lines.setdefault(Path(path).name, set()).add(int(number))
    return lines


def test_the_usages_and_the_example_client_type_check(reported: dict[str, set[int]]) -> None:
    assert reported.get("usages.py", set()) == set()
    assert reported.get("client.py", set()) == set()


def test_every_misuse_is_an_error_and_nothing_else_is(reported: dict[str, set[int]]) -> None:
    marked = {
        number
        for number, line in enumerate(MISUSES.read_text("utf-8").splitlines(), start=1)
        if line.endswith("# error")
    }
    assert len(marked) == 18
    assert reported.get("misuses.py", set()) == marked
