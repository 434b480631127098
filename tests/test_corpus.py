"""The fixture corpus: valid bodies both ways, conversions between formats, lenient and
invalid inputs (layout: tests/corpus.py).

The expected wire files were written from spec §2's templates, not by fmtcodec's
encoder, so that these tests can catch the encoder disagreeing with the spec.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from corpus import (
    ROOT,
    Body,
    InvalidCase,
    ValidCase,
    invalid_cases,
    layout_problems,
    lenient_inputs,
    valid_cases,
)

from fmtcodec import ApiError, DecodeError, EncodeError, ErrorCode, decode, encode
from fmtcodec._modeljson import from_data, to_data
from fmtcodec._validation import diff

VALID = valid_cases()
WIRES = [(case, wire) for case in VALID for wire in case.wires]
LENIENT = lenient_inputs()
INVALID = invalid_cases()


def _model_diff(expected: Any, actual: Any) -> str:
    return "\n".join(diff(expected, actual))


def test_the_corpus_follows_its_layout() -> None:
    assert layout_problems() == []


def test_every_part_of_the_corpus_holds_cases() -> None:
    kinds = {case.kind for case in VALID}
    assert kinds == {"list", "created", "ok", "error"}
    assert LENIENT
    assert INVALID
    # Every case folder was read: none was skipped for lack of a recognised file.
    folders = {case.folder for case in VALID}
    folders |= {body.path.parent for body, _ in LENIENT}
    folders |= {case.body.path.parent for case in INVALID}
    on_disk = {*ROOT.glob("valid/*/*"), *ROOT.glob("lenient/*"), *ROOT.glob("invalid/*")}
    assert on_disk == folders


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("*/**/model.json")), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_model_json_is_written_as_to_data_writes_it(path: Any) -> None:
    text = path.read_text(encoding="utf-8")
    canonical = json.dumps(to_data(from_data(json.loads(text))), indent=2, ensure_ascii=False)
    assert text == canonical + "\n"


@pytest.mark.parametrize(("case", "wire"), WIRES, ids=[wire.id for _, wire in WIRES])
def test_a_valid_body_decodes_to_its_model(case: ValidCase, wire: Body) -> None:
    decoded = decode(wire.read(), wire.fmt, charset=wire.charset)
    assert decoded == case.model, _model_diff(case.model, decoded)


@pytest.mark.parametrize(("case", "wire"), WIRES, ids=[wire.id for _, wire in WIRES])
def test_the_encoder_writes_each_valid_body_byte_for_byte(case: ValidCase, wire: Body) -> None:
    assert wire.fmt is not None
    assert encode(case.model, wire.fmt).encode(wire.charset) == wire.read()


def _error_case(code: int, description: str | None) -> ValidCase:
    """The one valid/error case of this code and description."""
    found = [
        case
        for case in VALID
        if case.kind == "error"
        and case.model_data["code"] == code
        and case.model_data["description"] == description
        and not case.model_data.get("extra")
    ]
    assert len(found) == 1, f"{len(found)} valid/error cases of ({code}, {description!r})"
    return found[0]


def _standard_description(code: int) -> str:
    # spec §4.4: the code's standard wording from the API page, or "" for a code not in the table.
    return ErrorCode(code).description if code in set(ErrorCode) else ""


def _expected_conversion(case: ValidCase, source: int, target: int) -> Body | None:
    """The file that converting ``case`` from ``source`` to ``target`` must write; None when
    ``target`` cannot carry the case."""
    wire = case.wire(target)
    if wire is not None:
        return wire
    if case.kind != "error" or case.model_data.get("extra"):
        return None  # spec §4.24: fmt 1 has no room for an error's unknown keys
    code, description = case.model_data["code"], case.model_data["description"]
    if target == 1:
        # spec §4.4: fmt 1 drops the description, the one loss the formats permit.
        return _error_case(code, None).wire(1)
    if source == 1 and description is None:
        # ... and a description-null error gets the code's standard one elsewhere.
        return _error_case(code, _standard_description(code)).wire(target)
    return None


CONVERSIONS = [
    (case, source, target)
    for case in VALID
    for source in range(4)
    if case.wire(source) is not None
    for target in range(4)
    if target != source
]


@pytest.mark.parametrize(
    ("case", "source", "target"),
    CONVERSIONS,
    ids=[f"{case.id}:fmt{source}->fmt{target}" for case, source, target in CONVERSIONS],
)
def test_converting_between_formats_writes_the_other_file(
    case: ValidCase, source: int, target: int
) -> None:
    wire = case.wire(source)
    assert wire is not None
    decoded = decode(wire.read(), source)
    expected = _expected_conversion(case, source, target)
    if expected is None:
        # A case holds every format that can carry it: the others must refuse it.
        with pytest.raises(EncodeError) as caught:
            encode(decoded, target)
        assert f"(fmt {target})" in str(caught.value)
    else:
        assert encode(decoded, target) == expected.read().decode("utf-8")


def test_every_error_code_of_the_seed_has_both_cases() -> None:
    for code in ErrorCode:
        described = _error_case(int(code), code.description)
        assert {wire.fmt for wire in described.wires} == {0, 2, 3}
        assert _error_case(int(code), None).wire(1) is not None
    assert isinstance(_error_case(6, "").model, ApiError)  # an unknown code


@pytest.mark.parametrize(("body", "model_data"), LENIENT, ids=[body.id for body, _ in LENIENT])
def test_a_lenient_input_decodes_to_its_model(body: Body, model_data: dict[str, Any]) -> None:
    assert body.fmt is not None
    expected = from_data(model_data)
    decoded = decode(body.read(), body.fmt, charset=body.charset)
    assert decoded == expected, _model_diff(expected, decoded)
    # Lenient means accepted but never written: the encoder's own bytes belong in valid/.
    try:
        written = encode(expected, body.fmt).encode(body.charset)
    except EncodeError:
        return
    assert written != body.read()


@pytest.mark.parametrize("case", INVALID, ids=[case.id for case in INVALID])
def test_an_invalid_input_gives_its_exact_error(case: InvalidCase) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(case.body.read(), case.body.fmt, charset=case.body.charset)
    assert str(caught.value) == case.message
    assert len(str(caught.value).splitlines()) == 1  # spec §4.12: no line break of any kind


FMT1_ERRORS = [case for case in VALID if case.kind == "error" and case.wire(1) is not None]


@pytest.mark.parametrize("case", FMT1_ERRORS, ids=[case.id for case in FMT1_ERRORS])
def test_a_plain_int_code_gets_the_standard_description_too(case: ValidCase) -> None:
    # ApiError(code=5) built by hand is the same error as ErrorCode.SAVE_FAILED (spec §4.4).
    code = case.model_data["code"]
    described = _error_case(code, _standard_description(code))
    for target in (0, 2, 3):
        expected = described.wire(target)
        assert expected is not None
        assert encode(ApiError(code=ErrorCode(int(code))), target) == expected.read().decode(
            "utf-8"
        )
