"""iter_senders hands out exactly decode's senders, and fails exactly as decode does.

For every body of the corpus, the hostile corpus and Hypothesis's (sound and broken), in
every format: the same senders, or the same error (type, message, position, path), raised
after the senders before it. And fmt 0 and fmt 1 lists stream: what they hold at once does
not grow with the number of senders.
"""

from __future__ import annotations

import gc
import re
import threading
import tracemalloc
from typing import Any

import msgspec
import pytest
from bodies import BODIES, broken_bodies
from hypothesis import given, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    DecodeError,
    ResponseError,
    Sender,
    SenderList,
    SenderNotFoundError,
    _fmt0_text,
    _fmt1_csv,
    decode,
    encode,
    iter_senders,
)
from fmtcodec.testing import strategies as fs

FORMATS = (0, 1, 2, 3)
_INDEX = re.compile(r"senders\[(\d+)\]")


def _failure(exc: Exception) -> tuple[Any, ...]:
    if isinstance(exc, DecodeError):
        return ("DecodeError", str(exc), exc.lineno, exc.colno, exc.offset, exc.at_end, exc.path)
    return (type(exc).__name__, str(exc))


def _decoded(data: bytes | str, fmt: int | None, charset: str = "utf-8") -> Any:
    try:
        return decode(data, fmt, charset=charset, type=SenderList).senders
    except (DecodeError, ResponseError, TypeError, ValueError) as exc:
        return _failure(exc)


def _streamed(
    data: bytes | str, fmt: int | None, charset: str = "utf-8"
) -> tuple[list[Sender], Any]:
    """The senders handed out, and the failure that ended the stream (None if none)."""
    out: list[Sender] = []
    try:
        for sender in iter_senders(data, fmt, charset=charset):
            out.append(sender)
    except (DecodeError, ResponseError, TypeError, ValueError) as exc:
        return out, _failure(exc)
    return out, None


def assert_streams_as_decoded(data: bytes | str, fmt: int | None, charset: str = "utf-8") -> None:
    expected = _decoded(data, fmt, charset)
    out, failure = _streamed(data, fmt, charset)
    if isinstance(expected, tuple) and expected and isinstance(expected[0], str):
        assert failure == expected
        # A list that streams fails at its record: the records before it went out. A
        # fmt 2 list that does not start with <list> (a declaration, a BOM) is read whole.
        error_path = expected[-1] if expected[0] == "DecodeError" else None
        found = _INDEX.match(error_path or "")
        read_whole = expected[1].startswith("fmt 2") and data[:6] not in (b"<list>", "<list>")
        if found is not None:
            assert len(out) == (0 if read_whole else int(found.group(1)))
    else:
        assert failure is None
        assert repr(out) == repr(list(expected))  # reprs: enum members and key order show


@pytest.mark.parametrize(("label", "data", "charset"), BODIES, ids=[b[0] for b in BODIES])
def test_a_corpus_body_streams_as_it_decodes(label: str, data: bytes, charset: str) -> None:
    for fmt in (None, *FORMATS):
        assert_streams_as_decoded(data, fmt, charset)


@settings(max_examples=40)
@given(st.sampled_from(FORMATS), st.data())
def test_a_body_streams_as_it_decodes(fmt: int, data: st.DataObject) -> None:
    body, _ = data.draw(fs.bodies(fmt))
    assert_streams_as_decoded(body, fmt)
    assert_streams_as_decoded(body, None)


@settings(max_examples=60)
@given(st.sampled_from(FORMATS), st.data())
def test_a_broken_body_fails_as_it_decodes(fmt: int, data: st.DataObject) -> None:
    broken = data.draw(broken_bodies(fmt))
    assert_streams_as_decoded(broken, fmt)


def _list(fmt: int, count: int, **keys: Any) -> str:
    senders = tuple(Sender(name=f"N{index}", id=index + 1, **keys) for index in range(count))
    return encode(SenderList(senders=senders), fmt)


BAD_LINES = {
    0: ["name = X, id = x", "!!", "name = X, id = 1, id = 2", "ID = 5", "name = X"],
    1: ["X,x", "X,1,2", "X", '"X,1'],
    2: ['<sender id="x">X</sender>\n</list>'],
    3: ['{\n"sender": "X",\n"id": "x"\n}]'],
}


@pytest.mark.parametrize(
    ("fmt", "bad"), [(fmt, bad) for fmt, lines in BAD_LINES.items() for bad in lines]
)
def test_a_list_that_fails_late_hands_out_what_came_before(fmt: int, bad: str) -> None:
    good = _list(fmt, 50)
    if fmt == 2:
        body = good.removesuffix("\n</list>") + "\n" + bad
    elif fmt == 3:
        body = good.removesuffix("]") + ",\n" + bad
    else:
        body = good + "\n" + bad + "\n"
    expected = _decoded(body.encode(), fmt)
    out, failure = _streamed(body.encode(), fmt)
    assert expected[0] == "DecodeError"
    assert failure == expected
    if bad != '"X,1':
        # The 50 good records went out before the error.
        assert out == list(decode(good, fmt, type=SenderList).senders)
    else:
        assert out == []  # a quote that never closes is refused before any row, as decode does


def test_answers_that_are_no_list_raise_as_decode_with_a_type_does() -> None:
    for fmt in FORMATS:
        for answer in (fmtcodec.Ok(), fmtcodec.SenderCreated(id=4)):
            body = encode(answer, fmt)
            with pytest.raises(DecodeError, match="expected a list of sender names"):
                list(iter_senders(body, fmt))
        missing = fmtcodec.ApiError(code=fmtcodec.ErrorCode(3), description="no such name")
        error = encode(missing, fmt)
        with pytest.raises(SenderNotFoundError):
            list(iter_senders(error, fmt))
        assert list(iter_senders("", fmt if fmt < 2 else 0)) == []


def test_arguments_and_the_gate_are_checked_when_called() -> None:
    with pytest.raises(ValueError, match="fmt must be 0, 1, 2 or 3"):
        iter_senders(b"A,1", 7)
    with pytest.raises(TypeError, match="data must be bytes or str"):
        iter_senders(3, 1)  # type: ignore[arg-type]
    with pytest.raises(DecodeError, match="over the limit of 10") as caught:
        iter_senders(b"name = A, id = 1\n" * 5, 0, max_size=10)
    with pytest.raises(DecodeError) as decoded:
        decode(b"name = A, id = 1\n" * 5, 0, max_size=10)
    assert _failure(caught.value) == _failure(decoded.value)


def test_streams_stepped_in_turn_in_one_thread_keep_their_own_records() -> None:
    bodies = {fmt: _list(fmt, 200, status=1) for fmt in (0, 1)}
    streams = [iter_senders(body, fmt) for fmt, body in bodies.items()]
    streams += [iter_senders(bodies[0], 0)]
    got: list[list[Sender]] = [[] for _ in streams]
    for _ in range(200):
        for index, stream in enumerate(streams):
            got[index].append(next(stream))
    assert got[0] == got[1] == got[2] == list(decode(bodies[0], 0, type=SenderList).senders)
    assert all(next(stream, None) is None for stream in streams)


def test_streams_in_threads_keep_their_own_records() -> None:
    bodies = [_list(0, 3000, status=index % 3) for index in range(4)]
    results: list[list[Sender] | None] = [None] * len(bodies)

    def work(index: int) -> None:
        results[index] = list(iter_senders(bodies[index], 0))

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [list(decode(body, 0, type=SenderList).senders) for body in bodies]


# -- memory ----------------------------------------------------------------------------------


def _peak(call: Any) -> int:
    """The peak of Python's allocations while ``call()`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _drain(senders: Any) -> None:
    for _ in senders:
        pass


@pytest.mark.parametrize("stream", [_fmt0_text.stream, _fmt1_csv.stream])
def test_what_a_stream_holds_does_not_grow_with_its_senders(stream: Any) -> None:
    # The text is made before measuring: what is left is what the stream holds at once.
    # A list kept of every record, even of one pointer each (Lark's repeat rule appending
    # every record to one list), would add 8 bytes or more a line: 36 KB over 4,500 more
    # lines (measured: 16 bytes a line).
    fmt = 0 if stream is _fmt0_text.stream else 1
    _drain(stream(_list(fmt, 2, status=1)))  # the parser is built before measuring
    short, long = _list(fmt, 1_500, status=1), _list(fmt, 6_000, status=1)
    peaks = [_peak(lambda text=text: _drain(stream(text))) for text in (short, long)]
    assert peaks[1] < peaks[0] + 30_000, peaks


@pytest.mark.parametrize("fmt", [0, 1])
def test_a_long_list_streams_in_less_than_its_decoded_model(fmt: int) -> None:
    # About 160 KB of bytes: streamed, the peak is the text (one byte a character), the text
    # gate's passing copy of the bytes (its check for control bytes) and a constant;
    # decoded, the model alone is several times the body (docs/performance.md).
    body = _list(fmt, 4_000, status=2).encode("windows-1251")
    _drain(iter_senders(_list(fmt, 2), fmt))  # the parser is built before measuring
    streamed = _peak(lambda: _drain(iter_senders(body, fmt, charset="windows-1251")))
    decoded = _peak(lambda: decode(body, fmt, charset="windows-1251"))
    assert streamed < 2.5 * len(body), (streamed, len(body))
    assert decoded > 4 * len(body), (decoded, len(body))  # the bound means something


# -- the table of logs: a huge list body streams into rows --------------------------------


def _log_line(fmt: int, body: str, *, charset: str = "utf-8", get: bool = True) -> bytes:
    url = f"https://smsc.ru/sys/senders.php?{'get' if get else 'add'}=1&fmt={fmt}&charset={charset}"
    if not get:
        url += "&sender=X"
    return msgspec.json.encode({"url": url, "body": body}) + b"\n"


def _table_log(path: Any) -> Any:
    lists = {fmt: _list(fmt, 300, status=1) for fmt in FORMATS}
    lines = [
        *(_log_line(fmt, body) for fmt, body in lists.items()),
        _log_line(0, lists[0] + "\nname = LAST, status = 1, id = x"),  # fails at its end
        _log_line(1, lists[1] + "\nLAST,1,x\n"),
        _log_line(1, lists[1] + '\n"LAST,1,2\n'),  # a quote never closed: refused first
        _log_line(0, "ERROR = 3 (not found)" + "\n" * 2000),  # no list: an error row
        _log_line(0, "\n" * 2000),  # an empty list: one row without a sender
        _log_line(1, "OK" + " " * 2000),  # no answer to get=1: a failure
        _log_line(0, lists[0], get=False),  # the answer to add=1 is no list: a failure
        _log_line(0, lists[0].replace("status = 1", "status = 1, extra = x")),
    ]
    path.write_bytes(b"".join(lines))
    return path


def _export(
    log: Any,
    out: Any,
    stream_from: int | None,
    batch: int = 10_000,
    calls: list[int] | None = None,
    read: bool = True,
) -> Any:
    from fmtcodec import _logtable, _stream, logs

    failures: list[str] = []
    real = _stream.list_senders

    def counted(*args: Any) -> Any:
        if calls is not None:
            calls.append(len(args[0]))
        return real(*args)

    with pytest.MonkeyPatch.context() as patch:
        if stream_from is not None:
            patch.setattr(_logtable, "_STREAM_FROM", stream_from)
        patch.setattr(_logtable, "_BATCH", batch)
        patch.setattr(_logtable, "list_senders", counted)
        summary = logs.write_table(
            [logs.read_log(str(log))], str(out), on_failure=lambda e: failures.append(str(e))
        )
    return summary, failures, out.read_bytes() if read else None


def test_big_list_bodies_stream_into_the_same_table(tmp_path: Any) -> None:
    log = _table_log(tmp_path / "traffic.jsonl")
    calls: list[int] = []
    whole = _export(log, tmp_path / "whole.jsonl", None, calls=calls)
    assert calls == []  # below the size, every body is decoded whole
    streamed = _export(log, tmp_path / "streamed.jsonl", 1000, batch=128, calls=calls)
    assert streamed == whole
    # Each get=1 body streamed: five lists read twice, three that fail once, and the
    # error, the empty list and the OK, which do not stream, once each.
    assert len(calls) == 2 * 5 + 3 + 3
    summary, failures, table = whole
    assert summary.failed == len(failures) == 5
    assert summary.exchanges == 7
    assert table.count(b'"sender":"LAST"') == 0  # the lists that failed gave no row


def test_a_big_list_body_is_read_for_the_table_without_its_model(tmp_path: Any) -> None:
    log = tmp_path / "big.jsonl"
    log.write_bytes(_log_line(1, _list(1, 8_000, status=1)))
    _export(log, tmp_path / "warm.jsonl", 1000, batch=200)  # imports and parsers made first
    peaks = [
        _peak(
            lambda limit=limit: _export(log, tmp_path / "out.jsonl", limit, batch=200, read=False)
        )
        for limit in (None, 1000)
    ]
    # Whole: the model of 8,000 senders and their 8,000 rows; streamed: the body, its
    # text and a batch of 200 rows (measured: 12.7 MB and 0.6 MB).
    assert peaks[1] < peaks[0] / 5, peaks


# -- fmt 2 and fmt 3: a slice of records at a time ------------------------------------------


def _slice_module(fmt: int) -> Any:
    from fmtcodec import _fmt2_stream, _fmt3_stream

    return {2: _fmt2_stream, 3: _fmt3_stream}[fmt]


@settings(max_examples=60)
@given(st.sampled_from([2, 3]), st.data())
def test_a_list_read_a_few_records_at_a_time_reads_and_fails_as_decode(
    fmt: int, data: st.DataObject
) -> None:
    body, _ = data.draw(fs.bodies(fmt, canonical=data.draw(st.booleans())))
    at = data.draw(st.integers(0, max(len(body) - 1, 0)))
    byte = bytes([data.draw(st.integers(0, 255))])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_slice_module(fmt), "_SLICE", 2)
        assert_streams_as_decoded(body, fmt)
        assert_streams_as_decoded(body[:at] + byte + body[at + 1 :], fmt)


MIDDLE_FAULTS = {
    2: [
        '<sender id="x">X</sender>',
        '<sender id="1" id="2">X</sender>',
        '<sender id="1">X&#1;</sender>',
        '<sender id="1" xmlns:a="b">X</sender>',
        "<sender>X</sender>",
        '<sender id="1">X<!-- a -->Y</sender>',
        '<sender id="1">X</sendr>',
        "junk",
    ],
    3: [
        '{\n"sender": "X",\n"id": "x"\n}',
        '{\n"sender": "X",\n"id": 1,\n"id": 2\n}',
        '{\n"sender": "X\\u0001",\n"id": 1\n}',
        '{\n"id": 1\n}',
        "[]",
    ],
}


def _around(fmt: int, bad: str) -> str:
    good, after = _list(fmt, 50), _list(fmt, 10)
    if fmt == 2:
        return good.removesuffix("</list>") + bad + "\n" + after.removeprefix("<list>\n")
    return good.removesuffix("]") + ",\n" + bad + ",\n" + after.removeprefix("[")


@pytest.mark.parametrize(
    ("fmt", "bad"), [(fmt, bad) for fmt, bads in MIDDLE_FAULTS.items() for bad in bads]
)
@pytest.mark.parametrize("size", [2, 3])  # the fault starts a slice (50 is even), or not
def test_a_list_failing_in_a_middle_slice_hands_out_what_came_before(
    fmt: int, bad: str, size: int
) -> None:
    body = _around(fmt, bad).encode()
    expected = _decoded(body, fmt)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_slice_module(fmt), "_SLICE", size)
        out, failure = _streamed(body, fmt)
    assert expected[0] == "DecodeError"
    assert failure == expected
    before = list(decode(_list(fmt, 50), fmt, type=SenderList).senders)
    if bad == "junk":
        # Text between senders is the tail of the one before it, read with it: that one
        # is held back with the fault (docs/usage.md).
        before = before[:-1]
    assert out == before


def test_a_sender_line_inside_a_comment_is_read_as_decode_reads_it() -> None:
    # The <sender tag inside the comment cuts the list where no sender
    # starts: those slices fail, and the whole body, which reads, says what they hold.
    body = _around(2, '<!-- a\n<sender id="3">in the comment</sender>\n-->')
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_slice_module(2), "_SLICE", 3)
        out, failure = _streamed(body, 2)
    assert failure is None
    assert out == list(decode(body, 2, type=SenderList).senders)
    assert len(out) == 60


@pytest.mark.parametrize("fmt", [2, 3])
def test_a_slice_refused_where_the_whole_body_reads_gives_the_whole_bodys_senders(
    fmt: int,
) -> None:
    # The net under the slices: should a slice ever be refused where the whole body reads
    # (in fmt 2, a <sender tag inside a comment does that; see above), the senders come
    # from the whole body, from where the slices stopped.
    module = _slice_module(fmt)
    real = module._decoded
    calls: list[int] = []

    def refusing_the_third(*args: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 3 else real(*args)

    body = _list(fmt, 20, status=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_SLICE", 4)
        patch.setattr(module, "_decoded", refusing_the_third)
        out = list(iter_senders(body, fmt))
    assert len(calls) == 3
    assert out == list(decode(body, fmt, type=SenderList).senders)


@pytest.mark.parametrize(("fmt", "view"), [(2, "basic"), (3, "operators")])
def test_a_slice_read_list_streams_in_less_than_its_decoded_model(fmt: int, view: str) -> None:
    # About 600 KB (fmt 2's basic view) and 1 MB (fmt 3's operators=1 view), read 100
    # records at a time (a thousand on a real body): streamed, the text, (fmt 3)
    # msgspec's spans of the records and a slice's model (measured: 2.0x); decoded, the
    # model (measured: 5.6x and 5.0x; lxml's tree is not even counted).
    keys = {"operators": dict.fromkeys(fmtcodec.OPERATOR_KEYS, 1)} if view == "operators" else {}
    body = _list(fmt, 3_000 if keys else 20_000, **keys).encode()
    _drain(iter_senders(_list(fmt, 2), fmt))  # the decoders made before measuring
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_slice_module(fmt), "_SLICE", 100)
        streamed = _peak(lambda: _drain(iter_senders(body, fmt)))
    decoded = _peak(lambda: decode(body, fmt))
    assert streamed < 2.5 * len(body), (streamed, len(body))
    assert decoded > 4 * len(body), (decoded, len(body))


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("fmt", [0, 2, 3])
def test_operator_keys_are_the_shared_strings_not_copies(fmt: int, fast: bool) -> None:
    # 19 keys a sender: copies sliced out of the body were most of an operators=1
    # model (docs/performance.md). Read whole and streamed, with the fast paths on and off.
    from fmtcodec import _values

    body = _list(fmt, 3, operators=dict.fromkeys(fmtcodec.OPERATOR_KEYS, 2))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_values, "FAST_PATHS", fast)
        senders = [*decode(body, fmt, type=SenderList).senders, *iter_senders(body, fmt)]
    for sender in senders:
        keys = list(sender.operators)
        assert keys == list(fmtcodec.OPERATOR_KEYS)
        assert all(key is shared for key, shared in zip(keys, fmtcodec.OPERATOR_KEYS, strict=True))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_list_cut_at_every_byte_streams_as_it_decodes(fmt: int) -> None:
    # Every prefix of a list: a shorter list, or decode's error at the cut, after the
    # records before it (fmt 2 and 3 two records at a time).
    body = _list(fmt, 4, status=1).encode()
    with pytest.MonkeyPatch.context() as patch:
        for module in (_slice_module(2), _slice_module(3)):
            patch.setattr(module, "_SLICE", 2)
        for end in range(len(body) + 1):
            assert_streams_as_decoded(body[:end], fmt)
            assert_streams_as_decoded(body[:end], None)
