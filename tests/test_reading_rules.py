"""Named tests of the reading rules and fixes of issue 15 that a corpus case cannot pin
(the corpus holds the rest: fixtures/invalid/fmt2-column-after-*, fmt2-message-quotes-*...).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pytest
from lxml import etree

from fmtcodec import (
    ApiError,
    DecodeError,
    EncodeError,
    ErrorCode,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    _fmt2_xml,
    decode,
    encode,
)
from fmtcodec._errors import one_line
from fmtcodec._modeljson import from_data
from fmtcodec._validation import validate

_CYRILLIC = '<list>\n<sender id="1">Ромашка & Co</sender>\n</list>'


class _OlderLibxml2Error:
    """The error a libxml2 that counts columns in bytes (before 2.14) reports for
    _CYRILLIC: one past the '&', in bytes of the line's UTF-8."""

    msg = "xmlParseEntityRef: no name"
    position = (2, len('<sender id="1">Ромашка &'.encode()) + 1)


def test_xml_columns_are_characters_whatever_libxml2_counts(monkeypatch: Any) -> None:
    # spec §4.13: the installed libxml2 gives column 25 (characters); an older one would
    # give 32 (bytes), and both must come out as 25.
    with pytest.raises(DecodeError) as installed:
        decode(_CYRILLIC, 2)
    assert (installed.value.lineno, installed.value.colno) == (2, 25)
    monkeypatch.setattr(_fmt2_xml, "_COLUMNS_IN_BYTES", True)
    older = _fmt2_xml._syntax_error(_OlderLibxml2Error(), _CYRILLIC, _CYRILLIC.encode())
    assert (older.lineno, older.colno) == (2, 25)


def test_the_libxml2_probe_matches_the_installed_library() -> None:
    # The probe's verdict, checked against a document whose error column differs in bytes
    # and in characters.
    try:
        etree.fromstring(_CYRILLIC.encode(), etree.XMLParser())
    except etree.XMLSyntaxError as exc:
        column = exc.position[1]
    assert _fmt2_xml._columns_in_bytes() == (column == _OlderLibxml2Error.position[1])


@pytest.mark.parametrize("char", ["\n", "\r", "\v", "\f", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_message_is_one_line_whatever_it_quotes(char: str) -> None:
    # spec §4.12: every character str.splitlines() breaks at is escaped.
    exc = DecodeError(f"quoted 'a{char}b'", lineno=1, colno=1, offset=0)
    assert len(str(exc).splitlines()) == 1
    assert exc.msg == one_line(exc.msg) == f"quoted {('a' + char + 'b')!r}"


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
@pytest.mark.parametrize("body", [b"OK", b"OK\n"])
def test_strict_validation_takes_a_bare_ok_under_every_fmt(fmt: int, body: bytes) -> None:
    # spec §4.2: the server really sends a bare OK under fmt=3 too.
    assert validate(body, fmt, strict=True).problems == []
    assert validate(b"OK ", fmt, strict=True).problems[0].message == (
        "differs from the canonical layout the encoder writes"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"version": 1, "kind": "list", "senders": [{"name": "A", "id": 1, "status": True}]},
            "senders[0].status must be an integer, not True",
        ),
        (
            {"version": 1, "kind": "list", "senders": [{"name": "A", "id": True}]},
            "senders[0].id must be an integer, not True",
        ),
        (
            {
                "version": 1,
                "kind": "list",
                "senders": [{"name": "A", "id": 1, "operators": {"mts_step": False}}],
            },
            "senders[0].operators.mts_step must be an integer, not False",
        ),
        ({"version": 1, "kind": "error", "code": True}, "code must be an integer, not True"),
        ({"version": 1, "kind": "created", "id": "5"}, "id must be an integer, not '5'"),
        (
            {"version": 1, "kind": "error", "code": 3, "description": 5},
            "description must be a string or null, not 5",
        ),
        (
            {"version": 1, "kind": "list", "senders": [{"name": 5, "id": 1}]},
            "senders[0].name must be a str, not 5",
        ),
    ],
)
def test_model_data_of_the_wrong_type_is_refused(data: dict[str, Any], message: str) -> None:
    # A bool is an int to Python, but JSON's true is no status (issue 15, bug 7).
    with pytest.raises(ValueError) as caught:
        from_data(data)
    assert str(caught.value) == message


class _ReadOnly(Mapping[str, Any]):
    """A Mapping that is neither a dict nor a MappingProxyType."""

    def __init__(self, **items: Any) -> None:
        self._items = items

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def _proxy(**items: Any) -> Mapping[str, Any]:
    return MappingProxyType(items)


@pytest.mark.parametrize("mapping", [_proxy, _ReadOnly], ids=["proxy", "custom"])
@pytest.mark.parametrize("fmt", [0, 2, 3])
def test_any_mapping_encodes(fmt: int, mapping: Any) -> None:
    # issue 15, bug 4: the encoders' fast path called dict.keys on every operators mapping.
    senders = (
        Sender(name="A", id=1, operators=mapping(mega_step=2)),
        Sender(name="B", id=2, extra=mapping(replacement="x")),
    )
    for response in (SenderList(senders=senders[:1]), SenderList(senders=senders)):
        assert decode(encode(response, fmt), fmt) == response


def test_any_mapping_encodes_inside_a_json_value() -> None:
    value = MappingProxyType({"a": _ReadOnly(b=(1, 2))})
    response = SenderList(senders=(Sender(name="A", id=1, extra={"x": value}),))
    assert decode(encode(response, 3), 3, type=SenderList).senders[0].extra == {
        "x": {"a": {"b": (1, 2)}}
    }  # arrays: tuples


def test_a_json_list_refused_at_a_later_record_and_broken_after_it_is_a_decode_error() -> None:
    # The typed path stops at record 1 (an unknown key) before msgspec sees the trailing
    # '!'; reading the records before it must not let msgspec's own error escape.
    model = SenderList(
        senders=(Sender(name="0", id=1), Sender(name="0", id=1, extra={"mega_repl": "x"}))
    )
    body = encode(model, 3).encode("utf-8") + b"!"
    with pytest.raises(DecodeError, match="trailing characters") as caught:
        decode(body, 3)
    assert (caught.value.lineno, caught.value.colno) == (9, 3)


def test_model_data_of_version_1_is_read() -> None:
    # spec §4.24: version 2 added the extra of errors and created answers.
    old = {"version": 1, "kind": "error", "code": 7, "description": "x"}
    assert from_data(old) == ApiError(ErrorCode(7), "x")
    assert from_data({"version": 1, "kind": "created", "id": 5}) == SenderCreated(5)
    with pytest.raises(ValueError, match="not fmtcodec model data of version 1 or 2"):
        from_data({"version": 3, "kind": "ok"})


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            ApiError(ErrorCode(7), "x", {"id": 34}),
            "extra.id: fmt 0 holds only text values, not int (fmt 0)",
        ),
        (
            ApiError(ErrorCode(7), "x", {"name": "A"}),
            "extra.name: 'name' cannot be an unknown key of this line (fmt 0)",
        ),
        (
            ApiError(ErrorCode(7), "x", {"ERROR": "1"}),
            "extra.ERROR: 'ERROR' cannot be an unknown key of this line (fmt 0)",
        ),
        (
            ApiError(ErrorCode(7), "x", {"x": "(y)"}),
            "extra.x: a value ending with ')' has no fmt 0 form after an error (fmt 0)",
        ),
        (SenderCreated(5, {"x": "y"}), None),
        (SenderCreated(5, {"x": "(y)"}), None),
    ],
)
def test_unknown_keys_of_an_answer_in_fmt0(response: Response, message: str | None) -> None:
    # spec §4.24: written back where the line reads back the same, refused elsewhere.
    if message is None:
        assert decode(encode(response, 0), 0) == response
        return
    with pytest.raises(EncodeError) as caught:
        encode(response, 0)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "response", [ApiError(ErrorCode(7), "x", {"id": "34"}), SenderCreated(5, {"x": "y"})]
)
def test_unknown_keys_of_an_answer_have_no_fmt1_form(response: Response) -> None:
    with pytest.raises(
        EncodeError, match=r"^extra\.\w+: fmt 1 cannot carry unknown keys \(fmt 1\)$"
    ):
        encode(response, 1)
