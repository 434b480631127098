"""The model's values: immutable, hashable, equal by value, built from any mapping or
iterable; enums that take any int; positional patterns where they read naturally."""

import copy
import pickle
from types import MappingProxyType

import msgspec
import pytest

import fmtcodec
from fmtcodec import (
    ApiError,
    ErrorCode,
    OperatorStatus,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    SenderWithStatus,
)


def test_a_list_is_stored_as_a_tuple_whatever_iterable_built_it() -> None:
    senders = [Sender(name="A", id=1), Sender(name="B", id=2)]
    for given in (senders, tuple(senders), iter(senders), (s for s in senders)):
        # The field is a tuple; the constructor takes any iterable, and stores a tuple.
        assert SenderList(senders=given).senders == tuple(senders)
    with pytest.raises(AttributeError):
        SenderList(senders=tuple(senders)).senders.append(Sender(name="C", id=3))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "operators",
    [{"mts_step": 2}, MappingProxyType({"mts_step": 2}), {"mts_step": OperatorStatus.APPROVED}],
)
def test_any_mapping_of_operators_is_stored_read_only_as_members(operators: object) -> None:
    sender = Sender(name="A", id=1, operators=operators)  # type: ignore[arg-type]
    assert sender.operators == {"mts_step": OperatorStatus.APPROVED}
    assert type(sender.operators["mts_step"]) is OperatorStatus
    with pytest.raises(TypeError, match="read-only"):
        sender.operators["mts_step"] = OperatorStatus.REJECTED  # type: ignore[index]
    for change in ("clear", "popitem"):
        with pytest.raises(TypeError, match="read-only"):
            getattr(sender.operators, change)()
    with pytest.raises(TypeError, match="read-only"):
        sender.operators.update({"x": 1})  # type: ignore[attr-defined]


def test_the_mapping_given_can_change_afterwards_without_changing_the_value() -> None:
    extra = {"note": "x"}
    sender = Sender(name="A", id=1, extra=extra)
    extra["note"] = "y"
    assert sender.extra == {"note": "x"}


def test_values_hash_and_compare_by_value() -> None:
    one = SenderList(
        senders=(
            Sender(name="A", id=1, status=SenderStatus(1), operators={"tele2": OperatorStatus(0)}),
        )
    )
    two = SenderList(
        senders=(
            Sender(
                name="A", id=1, status=SenderStatus.APPROVED, operators={"tele2": OperatorStatus(0)}
            ),
        )
    )
    assert one == two
    assert hash(one) == hash(two)
    assert (
        len(
            {
                one,
                two,
                SenderCreated(7),
                SenderCreated(id=7),
                ApiError(ErrorCode(3)),
                ApiError(ErrorCode(3)),
            }
        )
        == 3
    )


def test_json_lists_and_objects_in_extra_become_tuples_and_read_only_mappings() -> None:
    sender = Sender(name="A", id=1, extra={"list": [1, [2, {"k": [3]}]], "object": {"a": "b"}})
    assert sender.extra == {"list": (1, (2, {"k": (3,)})), "object": {"a": "b"}}
    hash(sender)
    with pytest.raises(TypeError, match="read-only"):
        sender.extra["object"]["a"] = "c"


def test_values_survive_pickle_copy_and_msgspec() -> None:
    sender = Sender(
        name="A",
        id=1,
        status=SenderStatus(7),
        operators={"mts_step": OperatorStatus(300)},
        extra={"x": ["y"]},
    )
    value = SenderList(senders=(sender,))
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.deepcopy(value) == value
    assert copy.copy(value) == value
    encoded = msgspec.json.encode(value)
    # msgspec names the members as fmt 3 does ("sender" for the name).
    assert msgspec.json.decode(encoded) == {
        "senders": [
            {
                "sender": "A",
                "id": 1,
                "status": 7,
                "operators": {"mts_step": 300},
                "extra": {"x": ["y"]},
            }
        ]
    }
    assert msgspec.json.decode(encoded, type=SenderList) == value
    error = ApiError(ErrorCode(77), "x")
    assert msgspec.json.encode(error) == b'{"error_code":77,"error":"x","extra":{}}'
    assert msgspec.json.decode(msgspec.json.encode(error), type=ApiError) == error
    assert msgspec.json.encode(SenderCreated(5)) == b'{"sender":5,"extra":{}}'


def test_msgspec_checks_the_wire_ranges_when_it_decodes_into_the_model() -> None:
    # spec §4.7: ids from 1, codes from 0, both up to 2^63-1; unknown members refused.
    with pytest.raises(msgspec.ValidationError, match=">= 1"):
        msgspec.json.decode(b'{"sender": 0}', type=SenderCreated)
    with pytest.raises(msgspec.ValidationError, match="<= 9223372036854775807"):
        msgspec.json.decode(b'[{"sender": "A", "id": 9223372036854775808}]', type=list[Sender])
    with pytest.raises(msgspec.ValidationError, match="unknown field `name`"):
        msgspec.json.decode(b'[{"sender": "A", "id": 1, "name": "B"}]', type=list[Sender])


def test_the_decoded_model_is_hashable_in_every_format() -> None:
    body = "name = A, mega_step = 2, bee_step = 7, replacement = B, id = 7"
    listing = fmtcodec.decode(body, 0)
    assert isinstance(listing, SenderList)
    assert hash(listing) == hash(fmtcodec.decode(fmtcodec.encode(listing, 2), 2))


@pytest.mark.parametrize(
    ("enum_type", "code", "wording"),
    [
        (ErrorCode, 42, "unknown error code 42"),
        (SenderStatus, 7, "unknown sender status 7"),
        (OperatorStatus, 6, "unknown operator status 6"),
    ],
)
def test_any_int_makes_a_member_unknown_codes_named_unknown(
    enum_type: type[ErrorCode] | type[SenderStatus] | type[OperatorStatus], code: int, wording: str
) -> None:
    member = enum_type(code)
    assert isinstance(member, enum_type)
    assert member == code
    assert hash(member) == hash(code)
    assert member.name == "UNKNOWN"
    assert member.known is False
    assert member.description == wording
    assert repr(member) == f"<{enum_type.__name__}.UNKNOWN: {code}>"
    assert pickle.loads(pickle.dumps(member)) == member
    # Not added to the enum: a hostile list of distinct codes must not grow it.
    assert code not in enum_type._value2member_map_
    assert "UNKNOWN" not in enum_type.__members__


def test_known_members_keep_their_wording() -> None:
    assert ErrorCode(3) is ErrorCode.SENDER_NOT_FOUND
    assert ErrorCode(3).known is True
    assert ErrorCode(3).description == "Имя отправителя не найдено."
    assert fmtcodec.describe(3) == "Имя отправителя не найдено."
    assert fmtcodec.describe(99) == "unknown error code 99"
    assert SenderStatus(1).description == "допущено к использованию"
    assert OperatorStatus(255).description == "допущено, но помечено на снятие с регистрации"
    assert [member.known for member in ErrorCode] == [True] * len(ErrorCode)


@pytest.mark.parametrize("value", ["3", 1.5, None])
def test_an_enum_refuses_what_is_not_an_int(value: object) -> None:
    with pytest.raises(ValueError, match="is not a valid ErrorCode"):
        ErrorCode(value)  # type: ignore[arg-type]


def test_plain_int_codes_and_statuses_become_members() -> None:
    assert type(ApiError(code=ErrorCode(15)).code) is ErrorCode
    assert type(Sender(name="A", id=1, status=SenderStatus(9)).status) is SenderStatus
    assert ApiError(ErrorCode(15)) == ApiError(code=ErrorCode(15), description=None)


def test_positional_patterns() -> None:
    def kind(value: fmtcodec.Response) -> str:
        match value:
            case SenderCreated(new_id):
                return f"created {new_id}"
            case ApiError(ErrorCode.SENDER_NOT_FOUND, text):
                return f"not found: {text}"
            case ApiError(code):
                return f"error {int(code)}"
            case _:
                return "other"

    assert kind(fmtcodec.decode("ID = 7", 0)) == "created 7"
    assert kind(fmtcodec.decode("ERROR = 3 (gone)", 0)) == "not found: gone"
    assert kind(fmtcodec.decode("0,-15", 1)) == "error 15"
    assert kind(fmtcodec.decode("OK", 1)) == "other"


def test_a_sender_with_status_requires_one_and_is_a_sender() -> None:
    with pytest.raises(TypeError, match="status"):
        SenderWithStatus(name="A", id=1)  # type: ignore[call-arg]
    sender = SenderWithStatus(name="A", id=1, status=1)  # type: ignore[arg-type]
    assert isinstance(sender, Sender)
    assert sender.status is SenderStatus.APPROVED
    assert fmtcodec.encode(SenderList(senders=(sender,)), 0) == "name = A, status = 1, id = 1"
