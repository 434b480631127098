"""Typed answers and the error classes: decode(type=...), decode_answer, ResponseError."""

from typing import Any

import pytest

import fmtcodec
from fmtcodec import (
    ApiError,
    DecodeError,
    ErrorCode,
    Ok,
    OperatorStatus,
    Request,
    ResponseError,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    SenderWithStatus,
)

LIST = SenderList(senders=(Sender(name="ALPHA", id=7, status=SenderStatus.APPROVED),))
CREATED = SenderCreated(7)

# Every error code: its class, whether a retry can help, and the name a user would guess.
ERROR_TABLE: list[tuple[int, type[ResponseError], bool]] = [
    (1, fmtcodec.BadParametersError, False),
    (2, fmtcodec.AuthenticationError, False),
    (3, fmtcodec.SenderNotFoundError, False),
    (4, fmtcodec.IPBlockedError, True),
    (5, fmtcodec.SaveFailedError, False),
    (7, fmtcodec.BadNumberFormatError, False),
    (8, fmtcodec.CodeUndeliverableError, False),
    (9, fmtcodec.TooManyRequestsError, True),
    (10, fmtcodec.CodeAlreadySentError, False),
    (11, fmtcodec.WrongCodeError, False),
]


def test_the_error_table_covers_every_known_code() -> None:
    assert [code for code, _, _ in ERROR_TABLE] == [int(code) for code in ErrorCode]


@pytest.mark.parametrize(("code", "error_type", "retryable"), ERROR_TABLE)
@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_each_code_raises_its_class_in_every_format(
    code: int, error_type: type[ResponseError], retryable: bool, fmt: int
) -> None:
    body = fmtcodec.encode(ApiError(ErrorCode(code), "server text" if fmt != 1 else None), fmt)
    with pytest.raises(error_type) as raised:
        fmtcodec.raise_for_error(fmtcodec.decode(body, fmt))
    error = raised.value
    assert type(error) is error_type
    assert isinstance(error, ResponseError)
    assert error.code is ErrorCode(code)
    assert error.retryable is retryable
    # fmt 1 carries no text: the standard wording stands in (spec §4.4).
    assert error.description == ("server text" if fmt != 1 else ErrorCode(code).description)
    assert str(error) == f"error {code}: {error.description}"
    assert error.error == fmtcodec.decode(body, fmt)


def test_an_unknown_code_raises_response_error_itself() -> None:
    with pytest.raises(ResponseError) as raised:
        fmtcodec.decode("0,-42", 1, type=SenderList)
    assert type(raised.value) is ResponseError
    assert raised.value.code == 42
    assert raised.value.description == "unknown error code 42"
    assert raised.value.retryable is False
    assert str(raised.value) == "error 42"
    assert type(ResponseError.for_error(ApiError(ErrorCode(42), "x"))) is ResponseError


@pytest.mark.parametrize(
    ("body", "fmt", "wanted", "expected"),
    [
        ("name = ALPHA, status = 1, id = 7", 0, SenderList, LIST),
        ("ALPHA,1,7", 1, SenderList, LIST),
        ("ALPHA,1,7", 1, SenderList[Sender], LIST),
        ("ID = 7", 0, SenderCreated, CREATED),
        ('{\n"sender": 7\n}', 3, SenderCreated, CREATED),
        ("OK", 3, Ok, Ok()),
        ("<result>OK</result>", 2, Ok, Ok()),
        ("", 1, SenderList, SenderList()),
    ],
)
def test_decode_with_a_type_returns_exactly_that_type(
    body: str, fmt: int, wanted: Any, expected: object
) -> None:
    assert fmtcodec.decode(body, fmt, type=wanted) == expected
    assert fmtcodec.decode(body.encode(), fmt, type=wanted) == expected


@pytest.mark.parametrize(
    ("body", "fmt", "wanted", "message"),
    [
        (
            "ID = 7",
            0,
            SenderList,
            "expected a list of sender names, found the id of a created name",
        ),
        ("OK", 0, SenderCreated, "expected the id of a created name, found OK"),
        ("ALPHA,7", 1, Ok, "expected OK, found a list of sender names"),
        ('{\n"sender": 7\n}', 3, Ok, "expected OK, found the id of a created name"),
    ],
)
def test_a_valid_body_of_another_kind_is_a_decode_error_naming_both(
    body: str, fmt: int, wanted: Any, message: str
) -> None:
    with pytest.raises(DecodeError) as raised:
        fmtcodec.decode(body, fmt, type=wanted)
    assert raised.value.msg == message
    assert (raised.value.lineno, raised.value.colno) == (1, 1)


def test_an_invalid_body_is_still_the_decode_error_of_its_format() -> None:
    with pytest.raises(DecodeError, match="JSON"):
        fmtcodec.decode('[{"sender": "A"', 3, type=SenderList)


@pytest.mark.parametrize("wanted", [ApiError, Sender, dict, SenderList[Sender] | Ok])
def test_decode_refuses_a_type_that_is_no_answer(wanted: Any) -> None:
    with pytest.raises(TypeError, match="type must be SenderList"):
        fmtcodec.decode("OK", 0, type=wanted)


def test_a_list_for_all_gives_senders_with_status() -> None:
    listing = fmtcodec.decode(b"ALPHA,1,7\nBETA,9,8", 1, type=SenderList[SenderWithStatus])
    assert [type(sender) for sender in listing.senders] == [SenderWithStatus] * 2
    assert [sender.status.description for sender in listing.senders] == [
        "допущено к использованию",
        "unknown sender status 9",
    ]
    with pytest.raises(DecodeError) as raised:
        fmtcodec.decode(b"ALPHA,7", 1, type=SenderList[SenderWithStatus])
    assert raised.value.path == "senders[0].status"
    assert "which an all=1 answer gives every name" in raised.value.msg


# decode_answer: every command, every format, every charset.
COMMANDS: list[tuple[Request[Any], fmtcodec.Response]] = [
    (Request.get(), SenderList(senders=(Sender(name="Ромашка", id=7),))),
    (
        Request.get(all=True),
        SenderList(senders=(SenderWithStatus(name="Ромашка", id=7, status=SenderStatus(2)),)),
    ),
    (
        Request.get(operators=True),
        SenderList(
            senders=(Sender(name="Ромашка", id=7, operators={"mts_step": OperatorStatus(2)}),)
        ),
    ),
    (Request.add("Ромашка", cmt="магазин"), SenderCreated(7)),
    (Request.chg("Ромашка", cmt="новый"), Ok()),
    (Request.delete(id=7), Ok()),
    (Request.send_code("79991234567"), Ok()),
    (Request.check_code("79991234567", "1234"), Ok()),
]


EVERY_WAY = [
    pytest.param(base.with_format(fmt, charset), answer, id=f"{base.to_params()}-{fmt}-{charset}")
    for base, answer in COMMANDS
    for fmt in (None, 0, 1, 2, 3)
    for charset in (None, "utf-8", "windows-1251", "koi8-r")
    if not (fmt == 1 and base.operators)  # fmt 1 has no operators=1 view (spec §2)
]


@pytest.mark.parametrize(("request_", "answer"), EVERY_WAY)
def test_decode_answer_for_every_command_fmt_and_charset(
    request_: Request[Any], answer: fmtcodec.Response
) -> None:
    request = request_
    body = fmtcodec.encode(answer, request.effective_fmt, charset=request.effective_charset)
    decoded = fmtcodec.decode_answer(request, body)
    assert decoded == answer
    assert type(decoded) is request.answer_type
    if isinstance(decoded, SenderList):
        expected_type = SenderWithStatus if request.all else Sender
        assert {type(sender) for sender in decoded.senders} == {expected_type}


@pytest.mark.parametrize(("base", "answer"), COMMANDS, ids=lambda v: getattr(v, "command", ""))
def test_decode_answer_raises_the_api_error(base: Request[Any], answer: object) -> None:
    request = base.with_format(3, "utf-8")
    body = fmtcodec.encode(ApiError(ErrorCode.AUTH_FAILED, "нет"), 3, charset="utf-8")
    with pytest.raises(fmtcodec.AuthenticationError, match="error 2: нет"):
        fmtcodec.decode_answer(request, body)


def test_decode_answer_refuses_the_answer_to_another_command() -> None:
    with pytest.raises(DecodeError, match="expected OK, found the id of a created name"):
        fmtcodec.decode_answer(Request.delete(id=1), b"ID = 5")
    with pytest.raises(TypeError, match="request must be a Request"):
        fmtcodec.decode_answer({"get": "1"}, b"OK")  # type: ignore[arg-type]


def test_decode_answer_reads_windows_1251_when_the_request_names_no_charset() -> None:
    body = "name = Ромашка, id = 7".encode("windows-1251")
    listing = fmtcodec.decode_answer(Request.get(), body)
    assert listing.senders[0].name == "Ромашка"
