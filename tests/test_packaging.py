"""What ships: fmt 0's grammar is free of terminal collisions, and the wheel decodes fmt 0
with the grammar it carries (hatchling's force-include), not the checkout's."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import lark

from fmtcodec import _fmt0_text

ROOT = Path(__file__).resolve().parent.parent
PIP = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]


def test_the_grammar_compiles_under_lark_strict() -> None:
    # strict=True (it needs interegular) refuses terminals whose languages overlap and
    # shift/reduce conflicts, which Lark otherwise resolves silently by priority.
    grammar = _fmt0_text.GRAMMAR_PATH.read_text(encoding="utf-8")
    parser = lark.Lark(grammar, parser="lalr", lexer="contextual", strict=True)
    assert parser.parse("name = A, id = 1")


def test_an_installed_wheel_decodes_fmt0_with_its_own_grammar(tmp_path: Path) -> None:
    subprocess.run(
        [
            *PIP,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("fmtcodec-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
    )
    # The wheel first on the path, this environment's dependencies after it; run from
    # elsewhere, so that neither the checkout nor its grammars/ can be found.
    path = os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])
    code = (
        "import fmtcodec, sys; from fmtcodec import _fmt0_text;"
        f" assert fmtcodec.__file__.startswith({str(site)!r}), fmtcodec.__file__;"
        f" assert str(_fmt0_text.GRAMMAR_PATH).startswith({str(site)!r});"
        " print(fmtcodec.decode(b'name = A, status = 1, id = 7', 0))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": path},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "name='A'" in found.stdout and "id=7" in found.stdout
