"""Every hostile or malformed input ends in DecodeError: fast, in bounded memory, reading nothing.

The corpus is tests/hostile_cases.py; the threat model and the figures are in docs/security.md.
Each case runs for every format it applies to, with the format named and left to detection,
as bytes and as str. For each run: the error is a DecodeError with a one-line message and a
position inside the document; the decode costs no more CPU time than a generous multiple
of reading a valid body of the same size in the same format (so an amplification, a
quadratic or exponential path, fails, while a busy machine does not); the peak of Python
allocations stays under a small multiple of the input size; and a case that names a file
never gets the file read, opened, or handed to the XML resolver.

No test here reads the wall clock: issue 4's absolute budget (50 ms a case) is measured by
``python benchmarks/hostile.py``, outside the suite.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hostile_cases import (
    CASES,
    HARMLESS,
    LATE_ERRORS,
    MB,
    Body,
    Case,
    Harmless,
    long_line,
    xml_text_node,
)
from lxml import etree

import fmtcodec
from fmtcodec import ApiError, DecodeError, EncodeError, Fmt, _fmt0_text, _fmt2_xml
from fmtcodec._api import read

# A hostile decode may cost this many times the CPU time of reading a valid body of its size
# in its format, plus a fixed allowance (CPU seconds) for small bodies. Generous: the
# reference takes C-level fast paths that a coverage tracer does not slow, the refusals
# are Python; an amplification costs orders of magnitude more.
CPU_FACTOR = 25
CPU_ALLOWANCE = 0.050
REFERENCE_SIZE = 64 * 1024
# Peak Python allocations while decoding, over the input's size in bytes: the decoded text,
# one working copy and the parser's own strings (csv's StringIO holds 4 bytes a character).
T = TypeVar("T")
MEMORY_FACTOR = 8
MEMORY_SLACK = 2 * 1024 * 1024


# --- running one case ---------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One case, one wire format, the format given or detected, bytes or str."""

    case: Case | Harmless
    wire: int
    given: int | None
    kind: str  # "bytes" or "str"

    @property
    def id(self) -> str:
        given = "detect" if self.given is None else f"fmt{self.given}"
        return f"{self.case.name} [{given}, {self.kind}]"

    def body(self, uri: str) -> Body:
        body = self.case.bodies[self.wire](uri)
        if self.kind == "bytes" and isinstance(body, str):
            return body.encode(_codec(self.case.charset))
        if self.kind == "str" and isinstance(body, bytes):
            return body.decode(_codec(self.case.charset))
        return body


def _codec(charset: str) -> str:
    # A case that names a refused charset is given as str; its bytes are utf-8.
    return charset if charset in fmtcodec.CHARSETS else "utf-8"


def _runs(cases: list[Case] | list[Harmless]) -> list[Run]:
    runs = []
    for case in cases:
        for wire in sorted(case.bodies):
            givens: list[int | None] = [wire, None] if case.detect else [wire]
            runs += [Run(case, wire, given, kind) for given in givens for kind in case.kinds]
    return runs


RUNS = _runs(CASES)
HARMLESS_RUNS = _runs(HARMLESS)


def _decode(run: Run, body: Body) -> fmtcodec.Response:
    return fmtcodec.decode(body, run.given, charset=run.case.charset, max_size=run.case.max_size)


def _outcome(run: Run, body: Body) -> fmtcodec.Response | DecodeError:
    try:
        return _decode(run, body)
    except DecodeError as exc:
        return exc


def _best_time(decode: Callable[[], object], limit: float = 0.0, tries: int = 3) -> float:
    """The best of ``tries`` decodes in CPU seconds of this process (stopping at one under
    ``limit``). CPU time, unlike the wall clock, does not count the time other processes
    held the core, so a busy machine does not inflate it."""
    best = float("inf")
    # As timeit does: a collection of the test session's whole heap is not the decoder's.
    gc.disable()
    try:
        for _ in range(tries):
            start = time.process_time()
            with contextlib.suppress(DecodeError):
                decode()
            best = min(best, time.process_time() - start)
            if best < limit:
                break
    finally:
        gc.enable()
    return best


def _valid_body(fmt: int, size: int) -> bytes:
    """A valid list of at least ``size`` bytes in ``fmt``."""
    count = size // 20 + 1
    senders = tuple(fmtcodec.Sender(name=f"NAME{i}", id=i + 1) for i in range(count))
    return fmtcodec.encode(fmtcodec.SenderList(senders=senders), fmt).encode("utf-8")


_REFERENCE_BODIES: dict[int, bytes] = {}


def _seconds_per_byte(fmt: int) -> float:
    """CPU seconds a byte of reading a valid list in ``fmt``, measured now."""
    body = _REFERENCE_BODIES.get(fmt)
    if body is None:
        body = _REFERENCE_BODIES[fmt] = _valid_body(fmt, REFERENCE_SIZE)
    return _best_time(lambda: fmtcodec.decode(body, fmt)) / len(body)


_SECONDS_PER_BYTE: dict[int, float] = {}


def assert_costs_about_reading(decode: Callable[[], object], fmt: int, size: int) -> None:
    """``decode`` costs at most CPU_FACTOR times reading ``size`` valid bytes of ``fmt``,
    plus CPU_ALLOWANCE. The reference is measured once a process; when the bound is
    exceeded it is measured again, so that a failure compares two measures of the moment."""
    if fmt not in _SECONDS_PER_BYTE:
        _SECONDS_PER_BYTE[fmt] = _seconds_per_byte(fmt)

    def bound() -> float:
        return CPU_FACTOR * _SECONDS_PER_BYTE[fmt] * size + CPU_ALLOWANCE

    elapsed = _best_time(decode, bound())
    if elapsed >= bound():
        _SECONDS_PER_BYTE[fmt] = _seconds_per_byte(fmt)
        elapsed = _best_time(decode, bound())
    assert elapsed < bound(), (
        f"{elapsed * 1000:.1f} ms of CPU, over {bound() * 1000:.1f} ms "
        f"({CPU_FACTOR} times reading {size} valid bytes of fmt {fmt}, plus the allowance)"
    )


def _peak_memory(run: Run, body: Body) -> int:
    tracemalloc.start()
    try:
        _outcome(run, body)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _size(body: Body) -> int:
    return len(body) if isinstance(body, bytes) else len(body.encode("utf-8", "surrogatepass"))


def check_position(exc: DecodeError, body: Body) -> None:
    """A one-line message that ends with its position, and the position inside the body."""
    message = str(exc)
    assert len(message.splitlines()) == 1  # spec §4.12
    where = "at end of input" if exc.at_end else f"at line {exc.lineno}, column {exc.colno}"
    assert message.endswith(f"({where})"), message
    lines: list[str] | list[bytes]
    if isinstance(body, str):
        lines = body.replace("\r\n", "\n").split("\n")
    else:
        lines = body.replace(b"\r\n", b"\n").split(b"\n")
    assert 1 <= exc.lineno <= len(lines), (exc.lineno, len(lines))
    # Columns count characters, never more than the line's bytes or characters.
    assert 1 <= exc.colno <= len(lines[exc.lineno - 1]) + 1, (exc.colno, message)
    assert 0 <= exc.offset <= len(body)


# --- files an input may name ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A file with a unique secret in it, and a named pipe, for the inputs to name."""

    secret: str
    file: Path
    fifo: Path

    @property
    def file_uri(self) -> str:
        return self.file.as_uri()

    @property
    def fifo_uri(self) -> str:
        return self.fifo.as_uri()


@pytest.fixture
def target(tmp_path: Path) -> Target:
    secret = f"SECRET-{uuid.uuid4().hex}"
    file = tmp_path / "secret.txt"
    file.write_text(secret + "\n", encoding="utf-8")
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)
    return Target(secret, file, fifo)


@pytest.fixture
def resolver_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every load lxml hands to fmtcodec's resolver (which refuses them all)."""
    calls: list[str] = []
    refuse = _fmt2_xml._RefuseLoads.resolve

    def spy(self: Any, system_url: str, public_id: str, context: Any) -> Any:
        calls.append(system_url or public_id)
        return refuse(self, system_url, public_id, context)

    monkeypatch.setattr(_fmt2_xml._RefuseLoads, "resolve", spy)
    return calls


def _never_opened(fifo: Path, work: Callable[[], T]) -> T:
    """Run ``work`` and return what it returned; fail if it opened ``fifo`` (opening a FIFO
    to read blocks for a writer). An exception ``work`` raised is raised here."""
    done = threading.Event()
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    finished = done.wait(timeout=10)
    if not finished:
        # Let the blocked reader go, so that the thread ends, then fail.
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb", closefd=True):
            pass
        thread.join(timeout=10)
    assert finished, f"{fifo} was opened"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def _target(run: Run, request: pytest.FixtureRequest) -> Target | None:
    """The file and pipe, made only for a case that names them (a tmp_path costs ms)."""
    return request.getfixturevalue("target") if run.case.names_file else None


def _uri(target: Target | None) -> str:
    return target.file_uri if target is not None else "file:///nonexistent"


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    # Build the fmt 0 Lark parser (~10 ms, once per process) and the thread's lxml
    # parser before anything is timed.
    _fmt0_text.parser()
    fmtcodec.decode("<result>OK</result>", 2)
    fmtcodec.decode('{"result": "OK"}', 3)


# --- the corpus -----------------------------------------------------------------------------


def test_corpus_size() -> None:
    """Issue 4 asks for at least 60 cases; each runs in every format it applies to."""
    assert len(CASES) >= 60
    assert len({case.name for case in CASES + HARMLESS}) == len(CASES) + len(HARMLESS)
    assert {run.wire for run in RUNS} == {0, 1, 2, 3}


@pytest.mark.parametrize("run", RUNS, ids=[run.id for run in RUNS])
def test_hostile_input_is_a_decode_error(
    run: Run, request: pytest.FixtureRequest, resolver_calls: list[str]
) -> None:
    target = _target(run, request)
    body = run.body(_uri(target))
    outcome = _outcome(run, body)  # also the warm-up for the timing below
    assert isinstance(outcome, DecodeError), f"decoded to {outcome!r}"
    check_position(outcome, body)
    assert target is None or target.secret not in str(outcome)
    assert resolver_calls == []

    assert_costs_about_reading(lambda: _decode(run, body), run.wire, _size(body))

    peak = _peak_memory(run, body)
    factor = run.case.memory_factor if isinstance(run.case, Case) else MEMORY_FACTOR
    assert peak < factor * _size(body) + MEMORY_SLACK, f"{peak} bytes"


@pytest.mark.parametrize("run", HARMLESS_RUNS, ids=[run.id for run in HARMLESS_RUNS])
def test_harmless_input_decodes(
    run: Run, request: pytest.FixtureRequest, resolver_calls: list[str]
) -> None:
    target = _target(run, request)
    body = run.body(_uri(target))
    assert isinstance(run.case, Harmless)
    result = _decode(run, body)
    assert result == run.case.expected
    assert target is None or target.secret not in repr(result)
    assert resolver_calls == []
    assert_costs_about_reading(lambda: _decode(run, body), run.wire, _size(body))


FILE_RUNS = [run for run in RUNS + HARMLESS_RUNS if run.case.names_file]


@pytest.mark.parametrize("run", FILE_RUNS, ids=[run.id for run in FILE_RUNS])
def test_named_pipe_is_never_opened(run: Run, target: Target) -> None:
    body = run.body(target.fifo_uri)
    outcome = _never_opened(target.fifo, lambda: _outcome(run, body))
    if isinstance(run.case, Harmless):
        assert outcome == run.case.expected
    else:
        assert isinstance(outcome, DecodeError), f"decoded to {outcome!r}"
        check_position(outcome, body)


XML_FILE_CASES = [case for case in CASES + HARMLESS if case.names_file]


@pytest.mark.parametrize("case", XML_FILE_CASES, ids=[case.name for case in XML_FILE_CASES])
def test_parser_settings_alone_read_nothing(
    case: Case | Harmless, target: Target, resolver_calls: list[str]
) -> None:
    """The second line of defence: lxml with fmtcodec's settings, without the DOCTYPE check."""

    def parse(uri: str) -> bytes:
        body = case.bodies[2](uri)
        assert isinstance(body, str)  # the cases' XML bodies are text
        try:
            root = etree.fromstring(body.encode("utf-8"), _fmt2_xml._parser())
        except etree.XMLSyntaxError as exc:
            return str(exc).encode("utf-8")
        tree: bytes = etree.tostring(root)
        return tree

    assert target.secret.encode() not in parse(target.file_uri)
    assert resolver_calls == []
    _never_opened(target.fifo, lambda: parse(target.fifo_uri))
    assert resolver_calls == []


# --- memory over many decodes --------------------------------------------------------------


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


REPEATED = [
    run
    for run in RUNS
    if run.kind == "bytes"
    and run.given is not None
    and (run.case.name, run.wire)
    in {
        ("billion laughs", 2),
        ("external general entity", 2),
        ("undefined entity", 2),
        ("duplicate member in a record", 3),
        ("escaped lone surrogate", 3),
        ("a duplicate key", 0),
        ("an unclosed quote", 1),
        ("an overlong slash", 0),
        ("nginx 502 page", 2),
    }
]


@pytest.mark.parametrize("run", REPEATED, ids=[run.id for run in REPEATED])
def test_thousand_decodes_do_not_grow_memory(run: Run, request: pytest.FixtureRequest) -> None:
    body = run.body(_uri(_target(run, request)))
    for _ in range(50):  # let caches and free lists settle
        _outcome(run, body)
    # A leak grows the memory in every round; the other work of a busy process (the test
    # runner, another test's garbage) may grow it in one. So a round that stays under the
    # bound passes, and three rounds that all grow fail.
    # A leak of 100 bytes a decode would show as 100 KB of Python memory; of 1 KB a
    # decode, as 1 MB of RSS.
    growths = []
    for _ in range(3):
        rss_grown, grown = _growth_over_thousand_decodes(run, body)
        if grown < 16 * 1024 and rss_grown < 1024 * 1024:
            return
        growths.append((grown, rss_grown))
    pytest.fail(f"every round grew: (Python bytes, RSS bytes) {growths}")


def _growth_over_thousand_decodes(run: Run, body: Body) -> tuple[int, int]:
    """The RSS and the Python memory (tracemalloc) a thousand decodes of ``body`` leave."""
    gc.collect()
    # The RSS also sees what libxml2 and msgspec allocate outside Python's allocator.
    rss_before = _rss()
    for _ in range(1000):
        _outcome(run, body)
    gc.collect()
    rss_grown = _rss() - rss_before
    tracemalloc.start()
    try:
        for _ in range(50):  # lxml keeps the last errors: a bounded ~20 KB
            _outcome(run, body)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(1000):
            _outcome(run, body)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return rss_grown, grown


def test_a_text_node_over_libxml2s_limit_is_refused() -> None:
    """11 MB of name: libxml2 refuses it without XML_PARSE_HUGE (huge_tree=False).

    Kept out of the corpus so that the corpus stays fast: scanning 11 MB takes 40-55 ms
    (docs/security.md).
    """
    body = xml_text_node()
    with pytest.raises(DecodeError, match="Text node too long") as info:
        fmtcodec.decode(body, 2)
    check_position(info.value, body)


@pytest.mark.parametrize("fmt", range(4))
def test_five_megabyte_lines(fmt: int) -> None:
    """A 5 MB line in each format: a DecodeError, in bounded memory, and in CPU time
    linear in the line (five times the 1 MB line's, with room to spare).
    """
    small, large = long_line(fmt, MB).encode(), long_line(fmt, 5 * MB).encode()
    with pytest.raises(DecodeError) as info:
        fmtcodec.decode(large, fmt)
    check_position(info.value, large)
    tracemalloc.start()
    try:
        with contextlib.suppress(DecodeError):
            fmtcodec.decode(large, fmt)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_FACTOR * len(large) + MEMORY_SLACK, f"{peak} bytes"
    one = _best_time(lambda: fmtcodec.decode(small, fmt))
    five = _best_time(lambda: fmtcodec.decode(large, fmt))
    # Linear would be 5 times, quadratic 25: the rest is room for a busy machine.
    assert five < 10 * one + 0.050, f"{five * 1000:.1f} ms against {one * 1000:.1f} ms"


# --- one bad record after many good ones ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(LATE_ERRORS))
def test_a_late_error_costs_what_reading_costs(name: str) -> None:
    """Linear, not amplified: refusing four times the records costs about four times as
    much (not 16), and refusing costs a small multiple of reading the records without it.

    (5,000 records, 1,200 in fmt 0: Lark reads about a megabyte a second, valid or not.
    The multiple is 10 because the valid lists take C-level fast paths that a coverage
    tracer does not slow, while the exact paths that find the error are Python.)
    """
    fmt, valid, hostile = LATE_ERRORS[name]
    records = 1_200 if fmt == 0 else 5_000
    good, bad, more = valid(records), hostile(records), hostile(4 * records)
    fmtcodec.decode(good, fmt)
    with pytest.raises(DecodeError) as info:
        fmtcodec.decode(bad, fmt)
    check_position(info.value, bad)
    assert info.value.offset > len(bad) * 0.9 or fmt == 0  # the error is found at the end
    reading = _best_time(lambda: fmtcodec.decode(good, fmt))
    refusing = _best_time(lambda: fmtcodec.decode(bad, fmt))
    refusing_more = _best_time(lambda: fmtcodec.decode(more, fmt))
    assert refusing < 10 * reading + 0.020, f"{refusing * 1000:.1f} ms, {reading * 1000:.1f} ms"
    assert refusing_more < 8 * refusing + 0.020, f"{refusing_more * 1000:.1f} ms"


# --- truncation at every byte ---------------------------------------------------------------

OPERATORS = {
    key: fmtcodec.OperatorStatus(number % 3) for number, key in enumerate(fmtcodec.OPERATOR_KEYS)
}
VALID_MODELS: list[fmtcodec.Response] = [
    fmtcodec.SenderList(
        senders=(
            fmtcodec.Sender(name="ALPHA", id=12),
            fmtcodec.Sender(name="Имя, с запятой", id=345),
        )
    ),
    fmtcodec.SenderList(
        senders=(
            fmtcodec.Sender(name="ALPHA", id=12, status=fmtcodec.SenderStatus(1)),
            fmtcodec.Sender(name="Бета", id=3456, status=fmtcodec.SenderStatus(0)),
        )
    ),
    fmtcodec.SenderList(
        senders=(fmtcodec.Sender(name="ОПЕРАТОР", id=77, operators=OPERATORS, extra={"x": "y"}),)
    ),
    fmtcodec.SenderCreated(id=123456),
    fmtcodec.ApiError(code=fmtcodec.ErrorCode(3), description="Имя отправителя не найдено."),
    fmtcodec.Ok(),
]


def _documents() -> Iterator[tuple[str, int, bytes]]:
    for index, model in enumerate(VALID_MODELS):
        for fmt in range(4):
            try:
                text = fmtcodec.encode(model, fmt)
            except EncodeError:
                continue  # e.g. the operators=1 view in fmt 1
            yield f"{type(model).__name__}{index}-fmt{fmt}", fmt, text.encode("utf-8")


DOCUMENTS = list(_documents())


@pytest.mark.parametrize(
    ("fmt", "document"), [d[1:] for d in DOCUMENTS], ids=[d[0] for d in DOCUMENTS]
)
def test_truncated_at_every_byte(fmt: int, document: bytes) -> None:
    whole = fmtcodec.decode(document, fmt)
    for end in range(len(document)):
        prefix = document[:end]
        for given in (fmt, None):
            try:
                result = fmtcodec.decode(prefix, given)
            except DecodeError as exc:
                check_position(exc, prefix)
                continue
            # fmt 0 and 1 have no end marker: a body cut at a line's end, or inside the last
            # number, reads as a shorter list or a smaller id. XML and JSON always know.
            used = Fmt(given) if given is not None else read(prefix).fmt
            assert used in (Fmt.TEXT, Fmt.CSV), (end, result)
            assert result != whole
            again = fmtcodec.decode(fmtcodec.encode(result, used), used)
            if isinstance(result, ApiError) and result.description is None:
                # "ERROR = 3" (spec §4.15) is written with its standard description (§4.4).
                result = ApiError(code=result.code, description=result.meaning)
            assert again == result


# --- what the fuzzer found (fuzz/README.md), replayed as the harness checks it ------------

FUZZ_FINDINGS = [
    # "{2}sEnder": lxml took the key as a namespaced name, so fmt 2 wrote XML it cannot read.
    (3, b'[{\n"sender": "A",\n"{2}sEnder": "B",\n"id": 2\n}]'),
]


@pytest.mark.parametrize(("fmt", "body"), FUZZ_FINDINGS)
def test_fuzzer_findings_round_trip(fmt: int, body: bytes) -> None:
    """What decodes re-encodes in every format that takes it and reads back equal."""
    model = fmtcodec.decode(body, fmt)
    for target in range(4):
        try:
            text = fmtcodec.encode(model, target)
        except EncodeError:
            assert target != fmt
            continue
        assert fmtcodec.decode(text, target) == model


# --- wrong argument types ---------------------------------------------------------------------

TYPE_ERRORS: list[tuple[str, dict[str, Any]]] = [
    ("data None", {"data": None}),
    ("data int", {"data": 5}),
    ("data list", {"data": [b"OK"]}),
    ("data dict", {"data": {"result": "OK"}}),
    ("fmt str", {"fmt": "0"}),
    ("fmt float", {"fmt": 0.0}),
    ("fmt bool", {"fmt": True}),
    ("fmt bytes", {"fmt": b"0"}),
    ("charset None", {"charset": None}),
    ("charset bytes", {"charset": b"utf-8"}),
    ("charset int", {"charset": 1251}),
    ("max_size str", {"max_size": "100"}),
    ("max_size float", {"max_size": 100.0}),
    ("max_size bool", {"max_size": True}),
    ("max_size None", {"max_size": None}),
]


@pytest.mark.parametrize("arguments", [t[1] for t in TYPE_ERRORS], ids=[t[0] for t in TYPE_ERRORS])
def test_wrong_argument_type_is_a_type_error(arguments: dict[str, Any]) -> None:
    call: dict[str, Any] = {"data": b"OK", "fmt": 0, **arguments}
    with pytest.raises(TypeError):
        fmtcodec.decode(call.pop("data"), call.pop("fmt"), **call)


def test_a_file_object_is_a_type_error(tmp_path: Path) -> None:
    path = tmp_path / "body"
    path.write_bytes(b"OK")
    with path.open("rb") as file, pytest.raises(TypeError):
        fmtcodec.decode(file, 0)  # type: ignore[call-overload]


def test_fmt_out_of_range_is_a_value_error_not_a_decode_error() -> None:
    # decode's documented contract: a bad fmt is the caller's mistake, not the body's.
    with pytest.raises(ValueError, match="fmt must be") as info:
        fmtcodec.decode(b"OK", 4)
    assert not isinstance(info.value, DecodeError)


@pytest.mark.parametrize(
    "data", [bytearray(b"ID = 5"), memoryview(b"ID = 5")], ids=["bytearray", "memoryview"]
)
def test_bytes_like_input_is_accepted(data: bytes) -> None:
    assert fmtcodec.decode(data, 0) == fmtcodec.SenderCreated(id=5)


# --- what the charset cannot tell ---------------------------------------------------------------


def test_a_wrong_single_byte_charset_is_undetectable() -> None:
    """spec §4.9: koi8-r decodes every byte, so utf-8 read as koi8-r is mojibake, not an error.

    The caller names the charset; the library never guesses (docs/security.md).
    """
    body = "name = Имя, id = 1".encode()
    assert fmtcodec.decode(body, 0).senders[0].name == "Имя"  # type: ignore[union-attr]
    wrong = fmtcodec.decode(body, 0, charset="koi8-r")
    assert wrong.senders[0].name == body[7:-8].decode("koi8-r") != "Имя"  # type: ignore[union-attr]


def test_the_size_cap_is_checked_before_decoding() -> None:
    """An input over max_size is refused without being decoded, as bytes and as str."""
    body = b"\xff" * 2001  # not UTF-8: decoding it would give another error
    with pytest.raises(DecodeError, match="over the limit of 2000"):
        fmtcodec.decode(body, 0, max_size=2000)
    with pytest.raises(DecodeError, match="over the limit of 2000"):
        fmtcodec.decode("\x00" * 2001, 0, max_size=2000)
    assert fmtcodec.decode(b"OK", 0, max_size=2) == fmtcodec.Ok()
