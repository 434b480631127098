"""Mutation checks: the tests fail when what they test is broken.

    python tests/mutants.py             # every mutant (a minute or two)
    python tests/mutants.py NAME ...    # some of them; --list names them

Each mutant breaks one promise of fmtcodec on purpose and names the tests that guard it.
The script runs those tests in a fresh pytest with ``FMTCODEC_MUTANT=NAME`` and a
``sitecustomize`` module on the path that applies the mutant in every Python process (the
tests' own, and the programs they start), and expects the tests to fail. A mutant whose
tests still pass "survives": its tests cannot see what they claim to check, and the script
exits 1. Not part of the suite (it runs the suite's tests many times); run it after changing
a guarded test. docs/testing.md lists what it covers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ENVIRONMENT = "FMTCODEC_MUTANT"


@dataclass(frozen=True)
class Mutant:
    """A way to break fmtcodec, and the tests that must then fail."""

    name: str
    breaks: str
    apply: Callable[[], None]
    tests: tuple[str, ...]


def _wrap_decode(around: Callable[[Callable[..., Any], Any, tuple[Any, ...], Any], Any]) -> None:
    """Replace fmtcodec.decode (as the tests reach it) by ``around(real, data, args, kwargs)``."""
    import fmtcodec

    real = fmtcodec.decode

    def decode(data: Any, *args: Any, **kwargs: Any) -> Any:
        return around(real, data, args, kwargs)

    fmtcodec.decode = decode


def _replace(name: str, new: Any) -> None:
    """Put ``new`` in place of fmtcodec's ``name`` in every module that imported it."""
    import fmtcodec._cli  # noqa: F401 - every command module, and what they import

    modules = [m for key, m in sys.modules.items() if key.split(".")[0] == "fmtcodec"]
    old = next(getattr(m, name) for m in modules if hasattr(m, name))
    for module in modules:
        if getattr(module, name, None) is old:
            setattr(module, name, new)


def _write_in_place() -> None:
    """Outputs written straight into the target, as open() and write() do."""

    def write_whole(path: str, data: bytes) -> None:
        with open(path, "wb") as stream:
            stream.write(data)

    _replace("write_whole", write_whole)


def _stale_kept() -> None:
    """A failed input's output of an earlier run is left in the output folder."""
    _replace("remove_stale", lambda path: (False, None))


def _short_write_unchecked() -> None:
    """Standard output written with one write, whatever it took."""

    def write_stdout(data: bytes) -> None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    _replace("write_stdout", write_stdout)


def _no_extension() -> None:
    """The file's extension does not pick its format."""
    _replace("format_of", lambda path, given: given)


def _empty_accepted() -> None:
    """An empty body passes the input rules."""
    from fmtcodec._cli_common import InputRules

    problem = InputRules.problem

    def lenient(self: Any, data: bytes, size: int | None) -> str | None:
        return problem(self, data or b"OK", size)

    InputRules.problem = lenient  # type: ignore[method-assign]


def _decode_raises() -> None:
    def around(real: Any, data: Any, args: Any, kwargs: Any) -> Any:
        raise RuntimeError("mutant: decode raises")

    _wrap_decode(around)


def _slow_refusal() -> None:
    """A refusal that costs about a microsecond a byte more: an amplification."""
    from fmtcodec import DecodeError

    def around(real: Any, data: Any, args: Any, kwargs: Any) -> Any:
        try:
            return real(data, *args, **kwargs)
        except DecodeError:
            for _ in range(40 * len(data)):
                pass
            raise

    _wrap_decode(around)


def _greedy_refusal() -> None:
    """A refusal that holds 16 copies of the input at its peak."""
    from fmtcodec import DecodeError

    def around(real: Any, data: Any, args: Any, kwargs: Any) -> Any:
        try:
            return real(data, *args, **kwargs)
        except DecodeError:
            hoard = [bytes(len(data) + 1) for _ in range(16)]
            del hoard
            raise

    _wrap_decode(around)


def _no_position() -> None:
    """Every DecodeError says it is at line 1, column 1."""
    from fmtcodec import DecodeError

    def around(real: Any, data: Any, args: Any, kwargs: Any) -> Any:
        try:
            return real(data, *args, **kwargs)
        except DecodeError as exc:
            raise DecodeError(exc.msg, lineno=1, colno=1, offset=0) from None

    _wrap_decode(around)


def _final_newline() -> None:
    """encode ends every body with a newline (the server writes none, spec §2)."""
    import fmtcodec

    real = fmtcodec.encode

    def encode(response: Any, fmt: int) -> str:
        return real(response, fmt) + "\n"

    fmtcodec.encode = encode  # type: ignore[assignment]


def _fake_unmasked() -> None:
    """The fake's log of received requests shows psw and apikey as they came."""
    from fmtcodec.testing import _fake

    setattr(_fake, "SECRET_PARAMETERS", frozenset())  # noqa: B010 - the name is _fake's import, not its own


def _fake_ids_reused() -> None:
    """The fake gives a new name the id after the highest it holds, so a deleted name's id
    comes back."""
    from fmtcodec.testing import _fake

    real = _fake.FakeSenders._put

    def put(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._next_id = max(self._names, default=0) + 1
        return real(self, *args, **kwargs)

    _fake.FakeSenders._put = put  # type: ignore[method-assign]


def _fake_left_serving() -> None:
    """fake.serve() returns at exit without stopping its server."""
    from fmtcodec.testing import _fake_http

    _fake_http.stop = lambda server, loop: None


def _format_unsaid() -> None:
    """Decode errors do not say which format they read the body as."""
    _replace("explain", lambda exc, data, fmt, detected, charset: exc)


def _no_charset_advice() -> None:
    """A charset failure names no charset the bytes are valid in."""
    import fmtcodec._explain

    fmtcodec._explain.suggest_charset = lambda data, charset: None


MUTANTS = [
    Mutant(
        "decode-raises",
        "decode raises an unexpected exception (the named-pipe test ran it in a thread)",
        _decode_raises,
        ("tests/test_hostile.py", "-k", "named_pipe"),
    ),
    Mutant(
        "slow-refusal",
        "refusing an input costs a microsecond a byte more than it should",
        _slow_refusal,
        ("tests/test_hostile.py", "-k", "decode_error and fmt3 and MB"),
    ),
    Mutant(
        "greedy-refusal",
        "refusing an input holds 16 copies of it",
        _greedy_refusal,
        ("tests/test_hostile.py", "-k", "decode_error"),
    ),
    Mutant(
        "no-position",
        "every decode error is placed at line 1, column 1",
        _no_position,
        ("tests/test_corpus.py", "-k", "invalid"),
    ),
    Mutant(
        "final-newline",
        "encode writes a newline after the last line",
        _final_newline,
        ("tests/test_corpus.py", "-k", "encode"),
    ),
    Mutant(
        "write-in-place",
        "convert writes its outputs in place (a full disk or Ctrl-C leaves them cut off)",
        _write_in_place,
        ("tests/test_cli_output.py", "-k", "full_disk or interrupted"),
    ),
    Mutant(
        "stale-kept",
        "a failed input's old output stays in the output folder",
        _stale_kept,
        ("tests/test_cli_output.py", "tests/test_cli_convert.py", "-k", "stale or full_disk"),
    ),
    Mutant(
        "short-write-unchecked",
        "a short write to standard output passes for a whole one (`| head -1` exits 0)",
        _short_write_unchecked,
        ("tests/test_cli_output.py", "-k", "head"),
    ),
    Mutant(
        "no-extension",
        "a .json or .csv file's format is detected, not taken from its extension",
        _no_extension,
        ("tests/test_cli_convert.py", "-k", "names_the_format or empty"),
    ),
    Mutant(
        "fake-unmasked",
        "the fake's received requests show the password and the API key",
        _fake_unmasked,
        ("tests/test_fake.py", "-k", "received or every_command"),
    ),
    Mutant(
        "fake-ids-reused",
        "the fake gives a deleted name's id to the next new name",
        _fake_ids_reused,
        ("tests/test_fake.py", "-k", "never_given_twice"),
    ),
    Mutant(
        "fake-left-serving",
        "fake.serve() leaves its server running after the with block",
        _fake_left_serving,
        ("tests/test_fake_http.py", "-k", "gone_at_exit or idle"),
    ),
    Mutant(
        "format-unsaid",
        "decode errors do not name the format the body was read as",
        _format_unsaid,
        ("tests/test_messages.py", "tests/test_corpus.py", "-k", "format or invalid"),
    ),
    Mutant(
        "no-charset-advice",
        "bytes valid in another allowed charset get no advice",
        _no_charset_advice,
        ("tests/test_messages.py", "-k", "charset"),
    ),
    Mutant(
        "empty-accepted",
        "an empty body converts to the empty list without --allow-empty",
        _empty_accepted,
        ("tests/test_cli_convert.py", "tests/test_cli_validate.py", "-k", "empty"),
    ),
]


_SITECUSTOMIZE = f"""
import os, sys
if os.environ.get({ENVIRONMENT!r}):
    sys.path.insert(0, {str(HERE)!r})
    import mutants
    mutants.apply(os.environ[{ENVIRONMENT!r}])
"""


def apply(name: str) -> None:
    """Apply the mutant ``name`` in this process (from the generated sitecustomize)."""
    {mutant.name: mutant for mutant in MUTANTS}[name].apply()


def run(mutant: Mutant) -> bool:
    """True when the mutant's tests fail, as they must."""
    with tempfile.TemporaryDirectory() as site:
        Path(site, "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
        return _run(mutant, site)


def _run(mutant: Mutant, site: str) -> bool:
    environment = {**os.environ, ENVIRONMENT: mutant.name, "PYTHONPATH": site}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:xdist"]
    command += [
        "-p",
        "no:randomly",
        "-p",
        "no:cov",
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
    ]
    result = subprocess.run(
        [*command, *mutant.tests],
        cwd=HERE.parent,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"{mutant.name}: pytest exited {result.returncode}\n{result.stdout}")
    return result.returncode == 1


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        for mutant in MUTANTS:
            print(f"{mutant.name}: {mutant.breaks}")
        return 0
    chosen = [mutant for mutant in MUTANTS if not argv or mutant.name in argv]
    survivors = 0
    for mutant in chosen:
        caught = run(mutant)
        survivors += not caught
        print(f"{'caught' if caught else 'SURVIVED'}  {mutant.name}: {mutant.breaks}", flush=True)
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
