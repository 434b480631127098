"""Decoding and encoding from many threads at once gives what one thread gives (issue 4,
item 5): the lazily built Lark parser of fmt 0 (built once, under a lock, even when its
first use races), lxml's parsers (one per thread: docs/security.md), msgspec and csv.
"""

from __future__ import annotations

import functools
import random
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import lark
import pytest

from fmtcodec import (
    ApiError,
    DecodeError,
    EncodeError,
    ErrorCode,
    Ok,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    _fmt0_text,
    _fmt2_xml,
    decode,
    encode,
)

T = TypeVar("T")

THREADS = 8
FORMATS = (0, 1, 2, 3)
CHARSETS = ("utf-8", "windows-1251", "koi8-r")

MODELS: list[Response] = [
    SenderList(),
    SenderList(
        senders=(
            Sender(name="ALPHA", id=7),
            Sender(name="79991234567", id=8),
        )
    ),
    SenderList(
        senders=(
            Sender(name="Tom & Jerry", id=1, status=SenderStatus.APPROVED),
            Sender(name="<Shop>", id=2, status=SenderStatus.DISABLED),
            Sender(name="Ромашка", id=3, status=SenderStatus(42)),
        )
    ),
    SenderList(
        senders=(
            Sender(
                name="Такси, ИП",
                id=9,
                operators={
                    "mega_step": OperatorStatus.APPROVED,
                    "mts_step": OperatorStatus(7),
                    "by_int": OperatorStatus(0),
                },
                extra={"mega_repl": "Taxi"},
            ),
        )
    ),
    SenderCreated(id=12345),
    Ok(),
    ApiError(code=ErrorCode.SENDER_NOT_FOUND, description="Имя отправителя не найдено."),
    ApiError(code=ErrorCode.TOO_MANY_REQUESTS),
    ApiError(code=ErrorCode(77), description='bad "input" (really) & <more>'),
]


def _documents() -> Iterator[tuple[bytes | str, int | None, str]]:
    """Valid bodies in every format and charset, and broken ones, as (data, fmt, charset)."""
    for model in MODELS:
        for fmt in FORMATS:
            try:
                text = encode(model, fmt)
            except EncodeError:
                continue  # fmt 1 has no operators view
            yield text, fmt, "utf-8"
            yield text, None, "utf-8"
            for charset in CHARSETS:
                data = text.replace("\n", "\r\n").encode(charset)
                yield data, fmt, charset
                yield data[: len(data) * 2 // 3], fmt, charset  # cut short
                yield data + b"\x00", fmt, charset
                yield b"\xff" + data, fmt, charset
    yield '<?xml version="1.0" encoding="koi8-r"?>\n<result>OK</result>', 2, "utf-8"
    yield '<!DOCTYPE x [<!ENTITY e "x">]><result>&e;</result>', 2, "utf-8"
    yield "<list>\n<sender id='1' id='2'>A</sender>\n</list>", 2, "utf-8"
    yield '[{"sender": "A", "id": 1, "id": 2}]', 3, "utf-8"
    yield "name = A, id = 1, id = 2", 0, "utf-8"
    yield '"A,1', 1, "utf-8"


DOCUMENTS = list(_documents())


def outcome(data: bytes | str, fmt: int | None, charset: str) -> tuple[Any, ...]:
    """What decoding gives, made comparable: the model's repr, or the whole error."""
    try:
        return ("model", repr(decode(data, fmt, charset=charset)))
    except DecodeError as exc:
        return ("error", str(exc), exc.lineno, exc.colno, exc.offset, exc.path)


def encodings(model: Response) -> tuple[Any, ...]:
    results: list[Any] = []
    for fmt in FORMATS:
        try:
            results.append(encode(model, fmt))
        except EncodeError as exc:
            results.append(("refused", str(exc)))
    return tuple(results)


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Switch threads as often as CPython allows, so that calls interleave finely."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def run_together(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Run ``jobs`` on as many threads, all released at the same moment."""
    barrier = threading.Barrier(len(jobs))

    def start(job: Callable[[], T]) -> T:
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(start, jobs))


def _shuffled(items: list[Any], seed: int) -> list[tuple[int, Any]]:
    order = list(enumerate(items))
    random.Random(seed).shuffle(order)
    return order


@pytest.mark.usefixtures("busy_switching")
def test_decoding_from_many_threads_gives_what_one_thread_gives() -> None:
    expected = [outcome(*document) for document in DOCUMENTS]
    assert {kind for kind, *_ in expected} == {"model", "error"}

    def job(seed: int) -> list[tuple[int, tuple[Any, ...]]]:
        return [(i, outcome(*document)) for i, document in _shuffled(DOCUMENTS, seed) * 3]

    for results in run_together([functools.partial(job, seed) for seed in range(THREADS)]):
        for index, result in results:
            assert result == expected[index], DOCUMENTS[index]


@pytest.mark.usefixtures("busy_switching")
def test_encoding_from_many_threads_gives_what_one_thread_gives() -> None:
    expected = [encodings(model) for model in MODELS]

    def job(seed: int) -> list[tuple[int, tuple[Any, ...]]]:
        return [(i, encodings(model)) for i, model in _shuffled(MODELS, seed) * 20]

    for results in run_together([functools.partial(job, seed) for seed in range(THREADS)]):
        for index, result in results:
            assert result == expected[index]


@pytest.mark.usefixtures("busy_switching")
def test_the_fmt0_parser_is_built_once_when_its_first_use_races(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text_documents = [document for document in DOCUMENTS if document[1] == 0]
    expected = [outcome(*document) for document in text_documents]
    built: list[int] = []
    real_lark = lark.Lark  # the parser builder imports it from lark on each build

    def counting_lark(*args: Any, **kwargs: Any) -> Any:
        built.append(threading.get_ident())
        return real_lark(*args, **kwargs)

    monkeypatch.setattr(lark, "Lark", counting_lark)
    for attempt in range(3):
        monkeypatch.setattr(_fmt0_text, "_parsers", {})  # as on a fresh import

        def job(seed: int) -> list[tuple[int, tuple[Any, ...]]]:
            return [(i, outcome(*doc)) for i, doc in _shuffled(text_documents, seed)]

        jobs = [functools.partial(job, seed) for seed in range(THREADS)]
        for results in run_together(jobs):
            for index, result in results:
                assert result == expected[index], text_documents[index]
        assert len(built) == attempt + 1, "the parser was built more than once"


def test_each_thread_has_its_own_xml_parser() -> None:
    def parsers() -> tuple[int, int]:
        first = _fmt2_xml._parser()
        decode("<result>OK</result>", 2)  # a decode uses the same one
        assert _fmt2_xml._parser() is first
        return id(first), threading.get_ident()

    # Keep every parser alive until all are compared, so that no id() is reused.
    keep: list[Any] = []
    lock = threading.Lock()

    def job() -> tuple[int, int]:
        result = parsers()
        with lock:
            keep.append(_fmt2_xml._parser())
        return result

    results = run_together([job] * THREADS)
    assert len({parser for parser, _ in results}) == THREADS
    assert id(_fmt2_xml._parser()) not in {parser for parser, _ in results}
