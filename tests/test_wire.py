"""Both ends of the wire: encode to bytes in a charset, can_encode, detect on bytes, and
the caller's mistakes (a bad fmt, an unsupported charset) refused at once."""

from typing import Any

import pytest

import fmtcodec
from fmtcodec import (
    CHARSETS,
    ApiError,
    DecodeError,
    EncodeError,
    ErrorCode,
    Fmt,
    Ok,
    Request,
    Sender,
    SenderCreated,
    SenderList,
)

RUSSIAN = SenderList(senders=(Sender(name="Ромашка", id=8, extra={"note": "ё"}),))
GREEK = SenderList(senders=(Sender(name="ALPHA", id=1), Sender(name="Ωmega", id=2)))


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("fmt", [0, 2, 3])
def test_encode_gives_the_bytes_in_a_charset_and_they_decode_back(charset: str, fmt: int) -> None:
    body = fmtcodec.encode(RUSSIAN, fmt, charset=charset)
    assert isinstance(body, bytes)
    assert body == fmtcodec.encode(RUSSIAN, fmt).encode(charset)
    assert fmtcodec.decode(body, fmt, charset=charset) == RUSSIAN


@pytest.mark.parametrize(("alias", "name"), [("UTF8", "utf-8"), ("cp1251", "windows-1251")])
def test_encode_takes_a_charset_alias(alias: str, name: str) -> None:
    assert fmtcodec.encode(RUSSIAN, 0, charset=alias) == fmtcodec.encode(RUSSIAN, 0).encode(name)


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_a_character_the_charset_lacks_is_an_encode_error_naming_the_record(
    charset: str, fmt: int
) -> None:
    with pytest.raises(EncodeError) as raised:
        fmtcodec.encode(GREEK, fmt, charset=charset)
    assert raised.value.path == "senders[1].name"
    assert raised.value.fmt == fmt
    assert str(raised.value) == (
        f"senders[1].name: the character U+03A9 ('Ω') cannot be written in {charset} (fmt {fmt})"
    )
    assert not fmtcodec.can_encode(GREEK, fmt, charset=charset)
    assert fmtcodec.can_encode(GREEK, fmt, charset="utf-8")


def test_the_unwritable_character_is_found_in_extra_and_descriptions() -> None:
    deep = SenderList(senders=(Sender(name="A", id=1, extra={"k": ["ok", {"x": "Ω"}]}),))
    with pytest.raises(EncodeError) as raised:
        fmtcodec.encode(deep, 3, charset="koi8-r")
    assert raised.value.path == "senders[0].extra.k[1].x"
    with pytest.raises(EncodeError) as raised:
        fmtcodec.encode(ApiError(ErrorCode(1), "Ωops"), 2, charset="windows-1251")
    assert raised.value.path == "description"
    # The standard wording of an error without a description is Russian: every charset holds it.
    for charset in CHARSETS:
        assert (
            fmtcodec.encode(ApiError(ErrorCode(9)), 0, charset=charset)
            .decode(charset)
            .startswith("ERROR")
        )


def test_can_encode_agrees_with_encode() -> None:
    with_extra = SenderList(senders=(Sender(name="A", id=1, extra={"x": "1"}),))
    assert fmtcodec.can_encode(with_extra, 0)
    assert not fmtcodec.can_encode(with_extra, 1)  # fmt 1 carries no unknown keys
    with pytest.raises(EncodeError):
        fmtcodec.encode(with_extra, 1)
    for value in (Ok(), SenderCreated(5), ApiError(ErrorCode(3))):
        assert all(fmtcodec.can_encode(value, fmt) for fmt in range(4))


@pytest.mark.parametrize(
    ("body", "fmt"),
    [
        (b"name = A, id = 1", Fmt.TEXT),
        (b"ID = 5", Fmt.TEXT),
        (b"ERROR = 3 (x)", Fmt.TEXT),
        (b"A,1", Fmt.CSV),
        (b"OK", Fmt.CSV),
        (b"", Fmt.CSV),
        (b"\r\n  <list/>", Fmt.XML),
        (b'<?xml version="1.0" encoding="koi8-r"?><list/>', Fmt.XML),
        (b"\xef\xbb\xbf[]", Fmt.JSON),
        (b' {"sender": 5}', Fmt.JSON),
        ("name = Ромашка, id = 1".encode("koi8-r"), Fmt.TEXT),
        ("Ромашка,1".encode("windows-1251"), Fmt.CSV),
    ],
)
def test_detect_takes_bytes_and_text_alike(body: bytes, fmt: Fmt) -> None:
    assert fmtcodec.detect(body) is fmt
    assert fmtcodec.detect(bytearray(body)) is fmt  # type: ignore[arg-type]
    assert fmtcodec.detect(memoryview(body)) is fmt  # type: ignore[arg-type]
    assert fmtcodec.detect(body.decode("utf-8", "replace")) is fmt


def test_detect_refuses_what_is_no_body() -> None:
    with pytest.raises(TypeError, match="data must be bytes or str, not int"):
        fmtcodec.detect(5)  # type: ignore[arg-type]


UNSUPPORTED = [
    "rot13",
    "base64",
    "hex",
    "zlib",
    "unicode_escape",
    "raw_unicode_escape",
    "utf-7",
    "utf-16",
    "utf-32",
    "idna",
    "latin-1",
    "ascii",
    "no-such-charset",
    "utf\x008",
    "",
]


@pytest.mark.parametrize("charset", UNSUPPORTED)
def test_an_unsupported_charset_is_the_callers_value_error_at_once(charset: str) -> None:
    message = f"charset {charset!r} is not supported; use one of utf-8, windows-1251, koi8-r"
    calls: list[Any] = [
        lambda: fmtcodec.decode(b"OK", charset=charset),
        lambda: fmtcodec.read("OK", 0, charset=charset),
        lambda: fmtcodec.decode(b"OK", 3, charset=charset, type=Ok),
        lambda: fmtcodec.encode(Ok(), 0, charset=charset),
        lambda: fmtcodec.can_encode(Ok(), 0, charset=charset),
        lambda: Request.get(charset=charset),
    ]
    for call in calls:
        with pytest.raises(ValueError) as raised:
            call()
        assert not isinstance(raised.value, DecodeError)
        assert str(raised.value) == message


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: fmtcodec.decode(b"OK", 4), ValueError, "fmt must be 0, 1, 2 or 3, not 4"),
        (lambda: fmtcodec.decode(b"OK", "3"), TypeError, "fmt must be an int"),  # type: ignore[call-overload]
        (lambda: fmtcodec.encode(Ok(), True), TypeError, "fmt must be an int"),
        (lambda: fmtcodec.can_encode(Ok(), -1), ValueError, "fmt must be 0, 1, 2 or 3"),
        (lambda: fmtcodec.decode(b"OK", charset=b"utf-8"), TypeError, "charset must be a str"),  # type: ignore[call-overload]
        (lambda: fmtcodec.encode(Ok(), 0, charset=8), TypeError, "charset must be a str"),  # type: ignore[call-overload]
        (lambda: fmtcodec.decode(b"OK", charset=["utf-8"]), TypeError, "charset must be a str"),  # type: ignore[call-overload]
        (lambda: Request.get(charset=["utf-8"]), TypeError, "charset: must be a str, not list"),  # type: ignore[call-overload]
        (lambda: fmtcodec.can_encode({"x": 1}, 0), TypeError, "response must be a SenderList"),  # type: ignore[arg-type]
    ],
)
def test_other_caller_mistakes_are_type_or_value_errors(
    call: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as raised:
        call()
    assert not isinstance(raised.value, DecodeError)
