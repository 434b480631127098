"""Every fast path gives exactly what the exact path gives (docs/architecture.md).

Each input is run twice, with ``_values.FAST_PATHS`` on and off: the whole corpus, the
hostile corpus's small bodies, and Hypothesis's models, wire bodies and broken bodies.
The two outcomes must be identical: the same model (reprs: enum members, int subclasses
and the order of unknown keys show), the same text, or the same error, message,
position and path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import pytest
from bodies import BODIES, broken_bodies
from corpus import valid_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from fmtcodec import DecodeError, EncodeError, Response, _values, decode, encode
from fmtcodec.testing import strategies as fs

FORMATS = (0, 1, 2, 3)
MODELS = [(case.id, case.model) for case in valid_cases()]


@contextmanager
def _fast_paths(on: bool) -> Iterator[None]:
    saved = _values.FAST_PATHS
    _values.FAST_PATHS = on
    try:
        yield
    finally:
        _values.FAST_PATHS = saved


def _outcome(call: Callable[[], Response | str]) -> Any:
    try:
        result = call()
    except DecodeError as exc:
        return ("DecodeError", str(exc), exc.lineno, exc.colno, exc.offset, exc.at_end, exc.path)
    except (EncodeError, TypeError) as exc:
        return (type(exc).__name__, str(exc))
    return result if isinstance(result, str) else repr(result)


def assert_same_both_ways(call: Callable[[], Response | str]) -> None:
    with _fast_paths(True):
        fast = _outcome(call)
    with _fast_paths(False):
        exact = _outcome(call)
    assert fast == exact


def assert_decodes_the_same(
    data: bytes | str, fmts: tuple[int | None, ...], charsets: tuple[str, ...]
) -> None:
    """``decode(data, fmt, charset=...)`` gives one outcome both ways, for each pair."""
    for fmt in fmts:
        for charset in charsets:
            assert_same_both_ways(partial(decode, data, fmt, charset=charset))


def test_the_switch_reaches_the_fast_paths() -> None:
    # Not a test that cannot fail: with the switch off, a list as the server writes it
    # must take another route, seen here in what it costs in calls to parse_number.
    body = b"<list>\n" + b'<sender id="5">A</sender>\n' * 3 + b"</list>"
    calls: list[object] = []
    real = _values.parse_number

    def counting(value: object, minimum: int = 0) -> int | None:
        calls.append(value)
        return real(value, minimum)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_values, "parse_number", counting)
        with _fast_paths(True):
            decode(body, 2)
        fast_calls = len(calls)
        with _fast_paths(False):
            decode(body, 2)
    assert fast_calls == 0
    assert len(calls) == 3


@pytest.mark.parametrize(("label", "data", "charset"), BODIES, ids=[b[0] for b in BODIES])
def test_a_corpus_body_decodes_the_same_without_fast_paths(
    label: str, data: bytes | str, charset: str
) -> None:
    assert_decodes_the_same(data, (None, *FORMATS), (charset,))


@pytest.mark.parametrize(("label", "model"), MODELS, ids=[m[0] for m in MODELS])
def test_a_corpus_model_encodes_the_same_without_fast_paths(label: str, model: Response) -> None:
    for fmt in FORMATS:
        assert_same_both_ways(partial(encode, model, fmt))


@settings(max_examples=40)
@given(st.sampled_from(FORMATS), st.data())
def test_a_body_decodes_the_same_without_fast_paths(fmt: int, data: st.DataObject) -> None:
    body, _ = data.draw(fs.bodies(fmt))
    assert_same_both_ways(lambda: decode(body, fmt))
    assert_same_both_ways(lambda: decode(body))


@settings(max_examples=40)
@given(
    fs.responses(
        fs.Options(unknown_keys=True, unknown_codes=True, name_kinds=("rule", "legacy", "unicode"))
    ),
    st.sampled_from(FORMATS),
)
def test_a_model_encodes_the_same_without_fast_paths(response: Response, fmt: int) -> None:
    assert_same_both_ways(lambda: encode(response, fmt))


@settings(max_examples=40)
@given(st.sampled_from(FORMATS), st.data())
def test_a_broken_body_fails_the_same_without_fast_paths(fmt: int, data: st.DataObject) -> None:
    broken = data.draw(broken_bodies(fmt))
    assert_same_both_ways(lambda: decode(broken, fmt))


# Bodies aimed at fmt 3's typed path, which msgspec reads straight into the model: each
# is something msgspec would read its own way (a null, a model field's name as a member,
# a code out of range, a repeat, a CR...), so each must step aside or agree.
TYPED_PATH_PROBES = [
    b'{\n"sender": 5\n}',
    b'{"sender": 5, "sender": 6}',
    b'{"sender": 5, "extra": {}}',
    b'{"sender": 0}',
    b'{"sender": "5"}',
    b'{"result": "OK"}',
    b'{\n"result": "OK"\n}',
    b'{"result": "NO"}',
    b'{"result": "OK", "extra": {}}',
    b'{"error": "a: b", "error_code": 3}',
    b'{"error": null, "error_code": 3}',
    b'{"error_code": 3}',
    b'{"error_code": -1}',
    b'{"error_code": 9223372036854775808}',
    b'{"error": "x", "error_code": 77}',
    b'{"error": "x", "error_code": 3, "extra": {}}',
    b'{"error": "x", "error_code": 3, "operators": {}}',
    b'{"error": "x", "error_code": 3, "error_code": 4}',
    b'{"error": "x",\r\n"error_code": 3}',
    b'{"error": "x",\r"error_code": 3}',
    b'  {"sender": 5}',
    b"[]",
    b'[{"sender": "A", "id": 1}]',
    b'[{"sender": "A: B", "id": 1}, {"sender": "C", "id": 2}]',
    b'[{"sender": "A", "id": 1, "id": 2}]',
    b'[{"sender": "A: B", "id": 1, "sender": "C"}]',
    b'[{"sender": "A", "id": 1, "operators": {}}]',
    b'[{"sender": "A", "id": 1, "extra": {}}]',
    b'[{"sender": "A", "id": 1, "name": "B"}]',
    b'[{"sender": "A", "id": 1}, {"sender": "B", "status": 1, "id": 2}]',
    b'[{"sender": "A", "status": 1, "id": 1}, {"sender": "B", "id": 2}]',
    b'[{"sender": "A", "status": 1, "id": 1}, {"sender": "B", "extra": 2, "id": 2}]',
    b'[{"sender": "A", "status": null, "id": 1}]',
    b'[{"sender": "A", "status": -1, "id": 1}]',
    b'[{"sender": "A", "status": 7, "id": 1}]',
    b'[{"sender": "A", "status": 1, "id": 9223372036854775808}]',
    b'[{"sender": "A", "id": 1}, {"sender": "B", "id": "2"}]',
    b'[{"sender": null, "id": 1}]',
    b'[{"sender": "A\\u0001", "id": 1}]',
    b'[{"sender": "\xd0\x98", "id": 1}]',
    b'[{"sender": "\xff", "id": 1}]',
    b'\xef\xbb\xbf[{"sender": "A", "id": 1}]',
    b"OK",
    b"OK\n",
]


@pytest.mark.parametrize("body", TYPED_PATH_PROBES)
def test_a_typed_path_probe_decodes_the_same_without_fast_paths(body: bytes) -> None:
    assert_decodes_the_same(body, (None, 3), ("utf-8", "windows-1251"))


# Bodies aimed at the text gate's fused call, which now takes XML that does not open
# with "<?": a declaration naming another charset must still be read, wherever the
# fused call could mistake the body for one it settles.
_NAME_1251 = "Имя".encode("windows-1251")
GATE_PROBES = [
    b'<list>\n<sender id="1">A</sender>\n</list>',
    b'<list>\n<sender id="1">' + _NAME_1251 + b"</sender>\n</list>",
    b'<?xml version="1.0" encoding="windows-1251"?>\n<list>\n<sender id="1">'
    + _NAME_1251
    + b"</sender>\n</list>",
    b' <?xml version="1.0" encoding="windows-1251"?><result><result>OK</result></result>',
    b'<?xml version="1.0" encoding="koi8-r"?><sender>5</sender>',
    # UTF-8 bytes that windows-1251 reads too, as other letters: the declaration decides.
    b'<?xml version="1.0" encoding="windows-1251"?><list><sender id="1">'
    + "Имя".encode()
    + b"</sender></list>",
    b'<?xml version="1.0" encoding="rot13"?><sender>5</sender>',
    b"<?pi x?><sender>5</sender>",
    b"<!-- c --><?xml version='1.0' encoding='windows-1251'?><sender>5</sender>",
    b"<sender>5</sender>\r\n",
    b"<sender>5</sender>\r",
    b"<sender>\x015</sender>",
    b"\xef\xbb\xbf<sender>5</sender>",
]


@pytest.mark.parametrize("body", GATE_PROBES)
def test_a_gate_probe_decodes_the_same_without_fast_paths(body: bytes) -> None:
    assert_decodes_the_same(body, (None, 2, 0), ("utf-8", "windows-1251", "koi8-r"))
