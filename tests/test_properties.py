"""Properties of the four formats (issue 4, item 3; spec §4), checked with Hypothesis.

- Round trips: ``decode(encode(m, f), f)`` gives ``m`` back, exactly (types of codes and the
  order of unknown keys included), up to the one permitted loss (spec §4.4).
- Refusals: ``encode`` raises EncodeError, and nothing else, exactly for the models a
  format cannot carry, by an oracle written here from spec §4.3, 4.5, 4.7 and 4.10.
- Symmetry: whatever decode accepts, encode writes back to the same model; whatever encode
  refuses, decode refuses in the wire forms a naive writer gives it.
- Totality: arbitrary bytes, arbitrary text and mutated valid documents give a model or a
  one-line DecodeError with a position, per format, detected or named, in every charset.
- The character policy (spec §4.10), both ways, raw and escaped.

Example counts are written for the ``ci`` profile and scale with the loaded one
(``scaled``: the ``dev`` profile runs a fifth of them). In ci, per format: 5,000 round
trips (every example goes through all four formats) and 20,100 totality examples (every
input is decoded as each format and detected).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from typing import Any, overload

import msgspec
import pytest
from hypothesis import (
    HealthCheck,
    assume,
    currently_in_test_context,
    example,
    given,
    note,
    settings,
)
from hypothesis import strategies as st

from fmtcodec import (
    OPERATOR_KEYS,
    ApiError,
    DecodeError,
    EncodeError,
    ErrorCode,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    decode,
    detect,
    encode,
)
from fmtcodec._api import read
from fmtcodec._model import ERROR_CODES, OPERATOR_STATUSES, SENDER_STATUSES
from fmtcodec.testing import strategies as fs

FORMATS = (0, 1, 2, 3)
CHARSETS = ("utf-8", "windows-1251", "koi8-r")
MAX = 2**63 - 1


def scaled(ci_examples: int) -> int:
    """``ci_examples`` under the ci profile, in proportion under the loaded profile."""
    ci = settings.get_profile("ci").max_examples
    loaded = settings.default
    assert loaded is not None  # a profile is always loaded once hypothesis is imported
    return max(10, ci_examples * loaded.max_examples // ci)


def examples(ci_examples: int) -> settings:
    """Settings for a property run ``ci_examples`` times under the ci profile."""
    return settings(
        max_examples=scaled(ci_examples),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# ---------------------------------------------------------------------------------------
# Comparing models exactly


def _code(value: int | None) -> tuple[str, object]:
    return (type(value).__name__, value if value is None else int(value))


def shape(response: object) -> object:
    """The model with what ``==`` hides made visible: enum or int, unknown keys' order."""
    if isinstance(response, SenderList):
        return [
            (
                sender.name,
                _code(sender.id),
                _code(sender.status),
                sorted((key, _code(value)) for key, value in sender.operators.items()),
                repr(list(sender.extra.items())),  # repr: 1 vs 1.0 vs True, nested order
            )
            for sender in response.senders
        ]
    if isinstance(response, SenderCreated):
        return ("created", _code(response.id), repr(list(response.extra.items())))
    if isinstance(response, ApiError):
        extra = repr(list(response.extra.items()))
        return ("error", _code(response.code), response.description, extra)
    assert isinstance(response, Ok), response
    return "ok"


@overload
def carried(response: ApiError, fmt: int) -> ApiError: ...
@overload
def carried(response: Response, fmt: int) -> Response: ...
def carried(response: Response, fmt: int) -> Response:
    """What ``fmt`` gives back: known codes as enum members, unknown ones as ints (spec
    §4.3); no description in fmt 1, the standard one for None in the others (spec §4.4)."""
    if isinstance(response, SenderList):
        return SenderList(
            senders=tuple(
                Sender(
                    name=sender.name,
                    id=sender.id,
                    status=_member(SENDER_STATUSES, sender.status),
                    operators={
                        key: _member(OPERATOR_STATUSES, value)
                        for key, value in sender.operators.items()
                    },
                    extra=sender.extra,
                )
                for sender in response.senders
            )
        )
    if isinstance(response, ApiError):
        code = _member(ERROR_CODES, response.code)
        if fmt == 1:
            return ApiError(code, None, response.extra)
        if response.description is None:
            return ApiError(code, response.meaning, response.extra)
        return ApiError(code, response.description, response.extra)
    return response


def _member(table: dict[int, Any], code: Any) -> Any:
    return table.get(code, code) if type(code) is int else code


# ---------------------------------------------------------------------------------------
# The oracle: what a format can carry, written from docs/spec.md, not from the encoders

_POLICY = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")  # spec §4.10 (CR included)
_FMT0_SPLIT = re.compile(r"\n|, [A-Za-z_][A-Za-z0-9_]* = ")  # spec §4.5
_FMT0_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # spec §4.6
# XML 1.0 (fifth edition) NameStartChar and NameChar, less ':' (namespaces are refused).
_XML_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_XML_NAME = re.compile(f"[{_XML_START}][{_XML_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_KNOWN_KEYS = frozenset({"id", "status", *OPERATOR_KEYS})
# spec §4.17's size limits.
CSV_FIELD_CHARS = 131_072
XML_TEXT_BYTES = 10_000_000
XML_ATTRIBUTE_BYTES = 9_000_000
XML_NAME_BYTES = 50_000
JSON_DEPTH = 64


def _utf8(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _depth(value: object) -> int:
    """Levels of arrays and objects: ``[[1]]`` is 2."""
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, (list, tuple)):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (*_strings(key), *_strings(item))]
    if isinstance(value, (list, tuple)):  # the model keeps a JSON array as a tuple
        return [s for item in value for s in _strings(item)]
    return []


def _is_json(value: object) -> bool:
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_json(item) for key, item in value.items())
    return False


def _number_ok(value: object, minimum: int = 0) -> bool:
    return isinstance(value, int) and minimum <= value <= MAX


def _sender_ok(sender: Sender, fmt: int, with_status: bool) -> bool:
    if not _number_ok(sender.id, 1) or (
        sender.status is not None and not _number_ok(sender.status)
    ):
        return False
    if not set(sender.operators) <= set(OPERATOR_KEYS) or not all(
        _number_ok(value) for value in sender.operators.values()
    ):
        return False
    if _KNOWN_KEYS & set(sender.extra):
        return False
    if fmt == 1:
        return (
            not sender.operators
            and not sender.extra
            and (sender.status is not None) == with_status
            and "," not in sender.name
            and "\n" not in sender.name
            and len(sender.name) <= CSV_FIELD_CHARS
        )
    if fmt == 0:
        values = [sender.name, *sender.extra.values()]
        return all(_FMT0_KEY.fullmatch(key) and key != "name" for key in sender.extra) and all(
            isinstance(value, str) and not _FMT0_SPLIT.search(value) for value in values
        )
    if fmt == 2:
        return _utf8(sender.name) <= XML_TEXT_BYTES and all(
            _XML_NAME.fullmatch(key)
            and key != "xmlns"
            and _utf8(key) <= XML_NAME_BYTES
            and isinstance(value, str)
            and _utf8(_xml(value, True)) <= XML_ATTRIBUTE_BYTES
            for key, value in sender.extra.items()
        )
    return "sender" not in sender.extra and all(
        _is_json(value) and _depth(value) <= JSON_DEPTH for value in sender.extra.values()
    )


def carriable(response: Response, fmt: int) -> bool:
    """Whether ``fmt`` can carry ``response`` (spec §4.3, 4.5, 4.7, 4.10)."""
    strings = []
    if isinstance(response, SenderList):
        for sender in response.senders:
            strings += [sender.name, *_strings(sender.extra)]
    elif isinstance(response, (ApiError, SenderCreated)):
        strings += _strings(dict(response.extra))
        if isinstance(response, ApiError) and response.description is not None:
            strings.append(response.description)
    if any(_POLICY.search(text) for text in strings):
        return False  # in every format, fmt 1's unwritten descriptions included
    if fmt == 2 and any("\ufffe" in text or "\uffff" in text for text in strings):
        return False
    if isinstance(response, SenderList):
        with_status = bool(response.senders) and response.senders[0].status is not None
        return all(_sender_ok(sender, fmt, with_status) for sender in response.senders)
    if isinstance(response, SenderCreated):
        return _number_ok(response.id, 1) and _answer_extra_ok(response, fmt)
    if isinstance(response, ApiError):
        description = carried(response, 0).description or ""
        return (
            _number_ok(response.code)
            and not (fmt == 0 and "\n" in description)
            and not (fmt == 2 and _utf8(description) > XML_TEXT_BYTES)
            and _answer_extra_ok(response, fmt)
        )
    return True


def _answer_extra_ok(response: ApiError | SenderCreated, fmt: int) -> bool:
    """spec §4.24: an answer's unknown keys, in fmt 0 pairs after its line (none named
    ``name`` or its own key, no error's value ending with ")"), fmt 2 child elements, fmt 3
    members; fmt 1 has no room for them."""
    return all(_answer_keeps(fmt, response, key, value) for key, value in response.extra.items())


def _answer_keeps(fmt: int, response: Response, key: object, value: object) -> bool:
    created = isinstance(response, SenderCreated)
    if not isinstance(key, str) or fmt == 1:
        return False
    if fmt == 0:
        return (
            bool(_FMT0_KEY.fullmatch(key))
            and key not in ("name", "ID" if created else "ERROR")
            and isinstance(value, str)
            and not _FMT0_SPLIT.search(value)
            and not (not created and value.endswith(")"))
        )
    if fmt == 2:
        return (
            bool(_XML_NAME.fullmatch(key))
            and key not in (("id",) if created else ("error", "error_code"))
            and key not in ("list", "sender", "result")  # a response's root element
            and _utf8(key) <= XML_NAME_BYTES
            and isinstance(value, str)
            and _utf8(value) <= XML_TEXT_BYTES
        )
    return (
        key not in ("sender", "result", "error", "error_code")
        and _is_json(value)
        and _depth(value) <= JSON_DEPTH
    )


# ---------------------------------------------------------------------------------------
# Wild models: realistic ones, and ones that break every rule a format has

_PIECES = (
    ",",
    ", ",
    "\n",
    "\t",
    "\r",
    "\x00",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\ufeff",
    ", id = ",
    ", x = ",
    ", name = ",
    " = ",
    "<",
    "&",
    "&amp;",
    "]]>",
    '"',
    "'",
    "\\",
    "OK",
    "ID = 1",
    "ERROR = 1 (x)",
    "name = ",
    "0,-1",
    "(",
    ")",
    "Ромашка",
    "\U0001f600",
)
wild_strings = st.one_of(
    fs.names(fs.Options(name_kinds=fs.NAME_KINDS)),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=5).map("".join),
)
wild_ints = st.one_of(
    st.integers(-2, 3), st.integers(0, MAX), st.integers(MAX - 1, 2**64), st.integers(-(2**64), -1)
)
# Keys some format reserves, or cannot write: reserved words, XML names that are reserved,
# namespaced or no names at all (XML 1.0 section 2.3), fmt 0 keys that are not identifiers.
_TRICKY_KEYS = (
    *("name", "sender", "id", "status", "mega_step", "ID", "OK"),
    *("xmlns", "xmlns_x", "xml", "a:b", "1a", "·a", "a·", "a-b", "a.b"),
    *("", " ", "a b", "ключ", "_", "a,b", "a = b", "\n"),
)
wild_keys = st.one_of(fs.extra_keys(), st.sampled_from(_TRICKY_KEYS), wild_strings)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), wild_strings),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(wild_strings, inner, max_size=3)
    ),
    max_leaves=5,
)
wild_values = st.one_of(wild_strings, json_values, st.just(b"bytes"), st.just(frozenset()))


# A fault: which part of a model to replace, and with what.
_FAULTS = st.one_of(
    st.tuples(st.just("name"), wild_strings),
    st.tuples(st.just("id"), wild_ints),
    st.tuples(st.just("status"), st.one_of(st.none(), wild_ints)),
    st.tuples(st.sampled_from([*OPERATOR_KEYS, "kz_step", "id"]), wild_ints),
    st.tuples(st.just("extra"), st.tuples(wild_keys, wild_values)),
    st.tuples(st.just("extra"), st.tuples(st.sampled_from(_TRICKY_KEYS), fs.names())),
    st.tuples(st.just("description"), st.one_of(st.none(), wild_strings)),
)
# Mostly models that fit several formats, so that a fault is often the only reason to
# refuse one; fmt 1's fit all four, fmt 0's fit fmt 2 and fmt 3 as well.
_REALISTIC = st.one_of(
    fs.sender_lists(
        options=fs.Options(0, unknown_keys=True, unknown_codes=True, name_kinds=fs.NAME_KINDS)
    ),
    fs.sender_lists(options=fs.Options(1, unknown_codes=True, name_kinds=fs.NAME_KINDS)),
    fs.responses(fs.Options(unknown_keys=True, unknown_codes=True, name_kinds=fs.NAME_KINDS)),
)


def _faulty_sender(sender: Sender, part: str, value: Any) -> Sender:
    operators = dict(sender.operators)
    extra = dict(sender.extra)
    if part == "extra":
        extra[value[0]] = value[1]
    elif part not in ("name", "id", "status", "description"):
        operators[part] = value
    return Sender(
        name=value if part == "name" else sender.name,
        id=value if part == "id" else sender.id,
        status=value if part == "status" else sender.status,
        operators=operators,
        extra=extra,
    )


_FAULT_COUNT = st.sampled_from([1, 1, 2, 0])


@st.composite
def wild_responses(draw: st.DrawFn) -> Response:
    """A realistic model with up to two faults, each breaking one rule of some format."""
    model = draw(_REALISTIC)
    for _ in range(draw(_FAULT_COUNT)):
        part, value = draw(_FAULTS)
        if isinstance(model, SenderList) and model.senders:
            index = draw(st.integers(0, len(model.senders) - 1))
            senders = list(model.senders)
            senders[index] = _faulty_sender(senders[index], part, value)
            model = SenderList(senders=tuple(senders))
        elif isinstance(model, ApiError) and part in ("description", "id"):
            model = (
                ApiError(code=model.code, description=value)
                if part == "description"
                else ApiError(code=value, description=model.description)
            )
        elif isinstance(model, SenderCreated) and part == "id":
            model = SenderCreated(value, model.extra)
        elif isinstance(model, (ApiError, SenderCreated)) and part == "extra":
            key, item = value
            model = msgspec.structs.replace(model, extra={**model.extra, key: item})
    return model


# ---------------------------------------------------------------------------------------
# Checks shared by the properties


def written_back(response: Response, fmt: int) -> None:
    """What decode gave, encode writes, and it reads back the same, in ``fmt``."""
    text = encode(response, fmt)
    # carried: an error read without a description is written with the standard one
    # (spec §4.4, 4.15).
    assert shape(decode(text, fmt)) == shape(carried(response, fmt)), text


def decodes_totally(data: bytes | str, fmt: int | None, charset: str = "utf-8") -> None:
    """A model that is written back, or a one-line DecodeError with a position."""
    try:
        reading = read(data, fmt, charset=charset)
    except DecodeError as exc:
        message = str(exc)
        assert (
            len(message.splitlines()) == 1
            and exc.lineno >= 1
            and exc.colno >= 1
            and exc.offset >= 0
        )
        assert message.endswith(
            ("(at end of input)", f"(at line {exc.lineno}, column {exc.colno})")
        )
        return
    if fmt is not None:
        assert reading.fmt == fmt
    written_back(reading.response, reading.fmt)


def naive(response: Response, fmt: int) -> str | None:
    """The wire form a writer without encode's checks would give, or None if none exists."""
    if isinstance(response, SenderList):
        records = []
        for sender in response.senders:
            pairs: list[tuple[str, object]] = []
            if sender.status is not None:
                pairs.append(("status", sender.status))
            pairs += [*sender.operators.items(), *sender.extra.items(), ("id", sender.id)]
            records.append((sender.name, pairs))
        if fmt == 0:
            return "\n".join(
                ", ".join([f"name = {name}"] + [f"{key} = {value}" for key, value in pairs])
                for name, pairs in records
            )
        if fmt == 1:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            for name, pairs in records:
                writer.writerow([name, *(value for _, value in pairs)])
            return out.getvalue().rstrip("\n")
        if fmt == 2:
            lines = ["<list>"]
            for name, pairs in records:
                attributes = "".join(f' {key}="{_xml(str(value), True)}"' for key, value in pairs)
                lines.append(f"<sender{attributes}>{_xml(name, False)}</sender>")
            return "\n".join([*lines, "</list>"])
        objects = []
        for name, pairs in records:
            if not all(_is_json(value) or isinstance(value, float) for _, value in pairs):
                return None
            members = [("sender", name), *pairs]
            objects.append(
                "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in members) + "}"
            )
        return "[" + ", ".join(objects) + "]"
    if isinstance(response, (SenderCreated, ApiError)) and response.extra:
        if fmt == 1 or not all(isinstance(key, str) for key in response.extra):
            return None  # no place for them
        extra = dict(response.extra)
        if fmt == 3:
            if not all(_is_json(value) for value in extra.values()):
                return None
            own = (
                {"sender": response.id}
                if isinstance(response, SenderCreated)
                else {"error": carried(response, 0).description, "error_code": response.code}
            )
            return json.dumps({**own, **extra})
        bare = naive(msgspec.structs.replace(response, extra={}), fmt)
        assert bare is not None
        if fmt == 0:
            return bare + "".join(f", {key} = {value}" for key, value in extra.items())
        close = bare.rindex("</")
        children = "".join(
            f"<{key}>{_xml(str(value), False)}</{key}>" for key, value in extra.items()
        )
        return bare[:close] + children + bare[close:]
    if isinstance(response, SenderCreated):
        return [
            f"ID = {response.id}",
            f"{response.id}",
            f"<sender><id>{response.id}</id></sender>",
            f'{{"sender": {response.id}}}',
        ][fmt]
    if isinstance(response, ApiError):
        description = carried(response, 0).description or ""
        if fmt == 1 and _POLICY.search(response.description or ""):
            return None  # the refused description has no fmt 1 form to try
        return {
            0: f"ERROR = {response.code} ({description})",
            1: f"0,-{response.code}",
            2: f"<result><error>{_xml(description, False)}</error>"
            f"<error_code>{response.code}</error_code></result>",
            3: json.dumps({"error": description, "error_code": response.code}),
        }[fmt]
    return None


def _xml(text: str, attribute: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


# ---------------------------------------------------------------------------------------
# Round trips, and refusals of what a format cannot carry

# Every example is tried in all four formats: the model itself where the oracle says the
# format carries it (else encode must refuse it), and always its projection, the nearest
# model that format carries. So each example is one round trip in every format.
_MODELS = {
    (fmt, charset): fs.responses(
        fs.Options(
            fmt, charset, unknown_keys=fmt != 1, unknown_codes=True, name_kinds=fs.NAME_KINDS
        ),
        max_senders=3,
    )
    for fmt in FORMATS
    for charset in CHARSETS
}
_FMT0_SPLITTER = re.compile(r"\n|, (?=[A-Za-z_][A-Za-z0-9_]* = )")


def _unsplit(text: str) -> str:
    while _FMT0_SPLIT.search(text):
        text = _FMT0_SPLITTER.sub(" ", text)
    return text


def _keeps(fmt: int, key: str, value: object) -> bool:
    """Whether ``fmt`` can write the unknown key ``key`` with ``value`` (spec §4.3)."""
    if fmt == 0:
        return bool(_FMT0_KEY.fullmatch(key)) and key != "name" and isinstance(value, str)
    if fmt == 2:
        return bool(_XML_NAME.fullmatch(key)) and key != "xmlns" and isinstance(value, str)
    return fmt == 3 and key != "sender"


def project(response: Response, fmt: int) -> Response:
    """The nearest model ``fmt`` can carry: what it cannot hold is dropped or blanked."""
    if isinstance(response, (ApiError, SenderCreated)):
        extra = {
            key: value
            for key, value in response.extra.items()
            if _answer_keeps(fmt, response, key, value)
        }
        response = msgspec.structs.replace(response, extra=extra)
    if isinstance(response, ApiError):
        if fmt == 0 and response.description is not None:
            description = response.description.replace("\n", " ")
            return ApiError(response.code, description, response.extra)
        return response
    if not isinstance(response, SenderList):
        return response
    statuses = {sender.status is None for sender in response.senders}
    senders = []
    for sender in response.senders:
        name = (
            sender.name.replace("\ufffe", " ").replace("\uffff", " ") if fmt == 2 else sender.name
        )
        if fmt == 0:
            name = _unsplit(name)
        elif fmt == 1:
            name = name.replace(",", " ").replace("\n", " ")
        extra = {
            key: _unsplit(value) if fmt == 0 else value
            for key, value in sender.extra.items()
            if _keeps(fmt, key, value)
        }
        senders.append(
            Sender(
                name=name,
                id=sender.id,
                # fmt 1: every sender has a status or none has (spec §2).
                status=None if fmt == 1 and len(statuses) > 1 else sender.status,
                operators={} if fmt == 1 else sender.operators,
                extra=extra,
            )
        )
    return SenderList(senders=tuple(senders))


def _ambiguous(text: str, fmt: int) -> bool:
    """A fmt 1 body that reads as another format when none is named (spec §4.2)."""
    return fmt == 1 and text.lstrip(" \t\n").startswith(
        ("<", "[", "{", "name = ", "ID = ", "ERROR = ")
    )


# (charset, the model) for models drawn for each format: one choice picks the charset.
# Plain strategies rather than st.data(), which costs a millisecond an example more.
_CASES = {
    fmt: st.one_of([st.tuples(st.just(charset), _MODELS[fmt, charset]) for charset in CHARSETS])
    for fmt in FORMATS
}


def round_trips(drawn_for: int, charset: str, model: Response, from_str: bool) -> None:
    """``model`` (or its projection) through every format: see the comment on _MODELS."""
    assert carriable(model, drawn_for), "the strategy gave a model its format cannot carry"
    for fmt in FORMATS:
        projected = project(model, fmt)
        assert carriable(projected, fmt)
        if shape(projected) != shape(model):
            assert not carriable(model, fmt)
            with pytest.raises(EncodeError):
                encode(model, fmt)
        else:
            assert carriable(model, fmt)
        expected = shape(carried(projected, fmt))
        text = encode(projected, fmt)
        back = decode(text if from_str else text.encode(charset), fmt, charset=charset)
        assert shape(back) == expected, f"fmt {fmt}: {text!r}"
        assert encode(back, fmt) == text  # the server's layout is a fixed point
        # Detection (spec §4.2): a bare OK and the empty body read alike in several formats.
        if text not in ("", "OK") and not _ambiguous(text, fmt):
            assert detect(text) == fmt


# One test per format the models are drawn for (so that they can run side by side); each
# example goes through all four formats: 4 x 1,250 = 5,000 round trips per format in ci.
@examples(1250)
@given(case=_CASES[0], from_str=st.booleans())
def test_round_trip_of_models_drawn_for_fmt0(case: tuple[str, Response], from_str: bool) -> None:
    round_trips(0, *case, from_str)


@examples(1250)
@given(case=_CASES[1], from_str=st.booleans())
def test_round_trip_of_models_drawn_for_fmt1(case: tuple[str, Response], from_str: bool) -> None:
    round_trips(1, *case, from_str)


@examples(1250)
@given(case=_CASES[2], from_str=st.booleans())
def test_round_trip_of_models_drawn_for_fmt2(case: tuple[str, Response], from_str: bool) -> None:
    round_trips(2, *case, from_str)


@examples(1250)
@given(case=_CASES[3], from_str=st.booleans())
def test_round_trip_of_models_drawn_for_fmt3(case: tuple[str, Response], from_str: bool) -> None:
    round_trips(3, *case, from_str)


@examples(600)
@given(model=wild_responses())
# What these properties found in the core, kept as regressions:
# fmt 1 wrote an error whose description held a forbidden character (spec §4.10);
@example(model=ApiError(code=ErrorCode(0), description="\x08"))
# fmt 2 wrote xmlns="..." as an attribute, which makes the element {...}sender;
@example(model=SenderList(senders=(Sender(name="0", id=1, extra={"xmlns": "0"}),)))
# fmt 1 wrote a first name starting with U+FEFF raw, which decoding drops as a BOM.
@example(model=SenderList(senders=(Sender(name="\ufeffA", id=1),)))
def test_encode_refuses_exactly_what_a_format_cannot_carry(model: Response) -> None:
    encodes_exactly_what_it_can_carry(model)


def encodes_exactly_what_it_can_carry(model: Response) -> None:
    """Each format writes ``model`` if it can carry it (and reads it back), else refuses
    it, as decode refuses a naive writer's form."""
    for fmt in FORMATS:
        try:
            text = encode(model, fmt)
        except EncodeError as exc:
            assert not carriable(model, fmt), f"refused a model fmt {fmt} can carry: {exc}"
            assert exc.fmt == fmt and str(exc).endswith(f"(fmt {fmt})")
            refused_by_decode_too(model, fmt)
            continue
        assert carriable(model, fmt), f"wrote what fmt {fmt} cannot carry: {text!r}"
        back = decode(text, fmt)
        assert shape(back) == shape(carried(model, fmt)), text
        assert encode(back, fmt) == text  # whatever encode returns reads back the same


def refused_by_decode_too(model: Response, fmt: int) -> None:
    """What encode refuses, decode refuses too, where a wire form exists: a naive writer's
    text either fails to decode or decodes to some other model (which is written back)."""
    wire = naive(model, fmt)
    if wire is None:
        return
    if currently_in_test_context():
        note(f"naive fmt {fmt}: {wire!r}")
    try:
        back = decode(wire, fmt)
    except DecodeError:
        return
    assert shape(back) != shape(carried(model, fmt)), wire
    written_back(back, fmt)


@pytest.mark.parametrize("key", _TRICKY_KEYS)
@examples(30)
@given(
    model=fs.sender_lists(options=fs.Options(0, unknown_keys=True)),
    value=fs.names(),
    at=st.floats(0, 1),
)
def test_unknown_keys_are_refused_exactly_where_a_format_cannot_write_them(
    key: str, model: SenderList, value: str, at: float
) -> None:
    assume(model.senders)
    index = round(at * (len(model.senders) - 1))
    senders = list(model.senders)
    senders[index] = _faulty_sender(senders[index], "extra", (key, value))
    encodes_exactly_what_it_can_carry(SenderList(senders=tuple(senders)))


# ---------------------------------------------------------------------------------------
# Totality: a model or a DecodeError, nothing else

_TOKENS = (
    "name = ",
    ", id = ",
    ", status = ",
    ", mega_step = ",
    ", x = ",
    "ID = ",
    "ERROR = ",
    " (",
    ")",
    "OK",
    "0,-",
    ",",
    '"',
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "<list>",
    "</list>",
    '<sender id="1">',
    "<sender",
    ' status="1"',
    ' id="',
    "</sender>",
    "<id>",
    "</id>",
    "<result>",
    "</result>",
    "<error>",
    "</error>",
    "<error_code>",
    "</error_code>",
    "<?xml version='1.0' encoding='koi8-r'?>",
    '<?xml version="1.0" encoding="utf-16"?>',
    "<!DOCTYPE x [<!ENTITY e 'x'>]>",
    "&amp;",
    "&#1;",
    "&#xFFFE;",
    "&e;",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<?pi x?>",
    "[",
    "]",
    "{",
    "}",
    '"sender": ',
    '"id": ',
    '"status": ',
    '"result": "OK"',
    '"error": "',
    '"error_code": ',
    ": ",
    "\\u0000",
    "\\ud800",
    "\\r",
    "1",
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "1e3",
    "1.5",
    "true",
    "null",
    "Ромашка",
    "\ufeff",
    "\x00",
)
# The tokens in the charsets' bytes, and every single byte: one choice per piece.
_PIECES_OF_BYTES = sorted(
    {token.encode(charset, "replace") for token in _TOKENS for charset in CHARSETS}
    | {bytes([byte]) for byte in range(256)}
)
token_soup = st.lists(st.sampled_from(_PIECES_OF_BYTES), max_size=16).map(b"".join)


# Each input is decoded as every format and detected: one totality example per format.
# Per format that makes, in ci, 3 x 4,000 arbitrary byte strings, 3 x 1,700 of the
# formats' tokens, 2,000 texts and 1,000 mutated documents: 20,100.


@pytest.mark.parametrize("charset", CHARSETS)
@examples(4000)
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_decode_totally(charset: str, data: bytes) -> None:
    for fmt in (*FORMATS, None):
        decodes_totally(data, fmt, charset)


@pytest.mark.parametrize("charset", CHARSETS)
@examples(1700)
@given(data=token_soup)
def test_bytes_of_the_formats_tokens_decode_totally(charset: str, data: bytes) -> None:
    for fmt in (*FORMATS, None):
        decodes_totally(data, fmt, charset)


@examples(2000)
@given(text=st.text(alphabet=st.characters(codec=None, min_codepoint=0), max_size=100))
def test_arbitrary_text_decodes_totally(text: str) -> None:
    for fmt in (*FORMATS, None):
        decodes_totally(text, fmt)


_MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace", "truncate"]),
        st.floats(0, 1),
        st.one_of(st.binary(min_size=1, max_size=3), st.sampled_from(_PIECES_OF_BYTES)),
    ),
    min_size=1,
    max_size=3,
)


def mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    """``data`` with bytes inserted, deleted or replaced, or cut short."""
    for action, where, chunk in mutations:
        at = round(where * len(data))
        if action == "truncate":
            data = data[:at]
        elif action == "insert":
            data = data[:at] + chunk + data[at:]
        elif action == "delete":
            data = data[:at] + data[at + len(chunk) :]
        else:
            data = data[:at] + chunk + data[at + len(chunk) :]
    return data


_BODIES = st.one_of(
    [
        st.tuples(st.just(charset), fs.bodies(fmt, charset))
        for fmt in FORMATS
        for charset in CHARSETS
    ]
)


@examples(1000)
@given(case=_BODIES, mutations=_MUTATIONS)
def test_mutated_documents_decode_totally(
    case: tuple[str, tuple[bytes, Response]], mutations: list[tuple[str, float, bytes]]
) -> None:
    charset, (body, _) = case
    damaged = mutate(body, mutations)
    for fmt in (*FORMATS, None):
        decodes_totally(damaged, fmt, charset)


# ---------------------------------------------------------------------------------------
# The character policy, both ways (spec §4.10)

forbidden_chars = st.one_of(
    st.sampled_from([chr(code) for code in range(0x20) if chr(code) not in "\t\n"]),
    st.integers(0xD800, 0xDFFF).map(chr),
)
# A placeholder that every format carries as it is; replaced once the model is written.
_MARK = "\ue000"


def _string_fields(response: Response) -> list[tuple[int, str]]:
    """Where a model holds text: (sender index, "name" or an unknown key), or (-1, "")."""
    if isinstance(response, SenderList):
        return [
            (index, part)
            for index, sender in enumerate(response.senders)
            for part in ["name", *(k for k, v in sender.extra.items() if isinstance(v, str))]
        ]
    if isinstance(response, ApiError) and response.description is not None:
        return [(-1, "")]
    return []


def _with_string(response: Response, where: tuple[int, str], change: Any) -> Response:
    if isinstance(response, ApiError):
        return ApiError(code=response.code, description=change(response.description))
    assert isinstance(response, SenderList)
    index, part = where
    senders = list(response.senders)
    old = senders[index]
    name = change(old.name) if part == "name" else old.name
    extra = {k: change(v) if k == part else v for k, v in old.extra.items()}
    senders[index] = Sender(
        name=name, id=old.id, status=old.status, operators=old.operators, extra=extra
    )
    return SenderList(senders=tuple(senders))


@st.composite
def marked(draw: st.DrawFn, charsets: tuple[str, ...] = CHARSETS) -> tuple[int, str, Response]:
    """(fmt, charset, a model ``fmt`` carries with _MARK put into one of its strings)."""
    fmt, charset = draw(_FORMATS), draw(st.sampled_from(charsets))
    model = draw(_MODELS[fmt, charset])
    if fmt == 1 and isinstance(model, ApiError):
        # fmt 1 writes no description, but the encoder still checks it (spec §4.10).
        model = ApiError(code=model.code, description="")
    fields = _string_fields(model)
    assume(fields)
    where = draw(st.sampled_from(fields))
    at = draw(_WHERE)

    def insert(text: str) -> str:
        cut = round(at * len(text))
        return text[:cut] + _MARK + text[cut:]

    return fmt, charset, _with_string(model, where, insert)


_FORMATS = st.sampled_from(FORMATS)
_WHERE = st.floats(0, 1)


@examples(300)
@given(case=marked(charsets=("utf-8",)), char=forbidden_chars)
def test_a_forbidden_character_is_refused_by_every_encoder(
    case: tuple[int, str, Response], char: str
) -> None:
    _, _, model = case
    bad = model
    for where in _string_fields(model):
        bad = _with_string(bad, where, lambda text: text.replace(_MARK, char))
    for fmt in FORMATS:
        with pytest.raises(EncodeError) as refused:
            encode(bad, fmt)
        if carriable(model, fmt):  # else it may be refused for another reason first
            assert f"U+{ord(char):04X}" in str(refused.value)


_ESCAPES = {
    # The same character written as XML character references and JSON escapes.
    2: lambda char: [f"&#{ord(char)};", f"&#x{ord(char):X};"],
    3: lambda char: [f"\\u{ord(char):04x}", *(["\\r"] if char == "\r" else [])],
}


@examples(300)
@given(case=marked(), char=forbidden_chars)
def test_a_forbidden_character_is_refused_by_every_decoder(
    case: tuple[int, str, Response], char: str
) -> None:
    fmt, charset, model = case
    text = encode(model, fmt)
    assume(_MARK in text)  # not so for a description in fmt 1, which writes none
    assume(not (char == "\r" and _MARK + "\n" in text))  # that would be a CRLF (spec §4.1)
    surrogate = "\ud800" <= char <= "\udfff"
    for form in [char, *_ESCAPES.get(fmt, lambda _: [])(char)]:
        wire = text.replace(_MARK, form)
        note(f"wire: {wire!r}")
        with pytest.raises(DecodeError):
            decode(wire, fmt)
        with pytest.raises(DecodeError):
            decode(wire, None)
        if form != char or not surrogate:
            with pytest.raises(DecodeError):
                decode(wire.encode(charset), fmt, charset=charset)
    if surrogate:
        # A surrogate's UTF-8 form is not valid UTF-8: refused as bytes as well.
        with pytest.raises(DecodeError):
            decode(text.replace(_MARK, char).encode("utf-8", "surrogatepass"), fmt)


# ---------------------------------------------------------------------------------------
# At the size limits (spec §4.17): whatever encode returns, decode reads back the same,
# and encode refuses exactly what is over a limit, which decode refuses too.


def _sized(piece: str, size: int, measure: Callable[[str], int]) -> str:
    """``piece`` repeated, then padded with "a", to exactly ``size`` by ``measure``."""
    text = piece * max(0, size // max(1, measure(piece)) - 1)
    while measure(text + piece) <= size:
        text += piece * max(1, (size - measure(text)) // (2 * measure(piece)))
    return text + "a" * (size - measure(text))  # "a" is one of every measure


def _nested(depth: int) -> object:
    value: object = "x"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def _at_limit(where: str, piece: str, delta: int) -> tuple[int, Response]:
    """A model whose value ``where`` is ``delta`` from its format's limit."""
    if where == "fmt1 name":
        name = _sized(piece, CSV_FIELD_CHARS + delta, len)
        return 1, SenderList(senders=(Sender(name=name, id=1, status=SenderStatus(1)),))
    if where == "fmt2 name":
        return 2, SenderList(
            senders=(Sender(name=_sized(piece, XML_TEXT_BYTES + delta, _utf8), id=1),)
        )
    if where == "fmt2 description":
        return 2, ApiError(
            code=ErrorCode(3), description=_sized(piece, XML_TEXT_BYTES + delta, _utf8)
        )
    if where == "fmt2 attribute value":
        value = _sized(piece, XML_ATTRIBUTE_BYTES + delta, lambda text: _utf8(_xml(text, True)))
        return 2, SenderList(senders=(Sender(name="A", id=1, extra={"replacement": value}),))
    if where == "fmt2 attribute name":
        key = "k" + _sized(piece, XML_NAME_BYTES + delta - 1, _utf8)
        return 2, SenderList(senders=(Sender(name="A", id=1, extra={key: "v"}),))
    assert where == "fmt3 value depth"
    return 3, SenderList(
        senders=(Sender(name="A", id=1, extra={"x": _nested(JSON_DEPTH + delta)}),)
    )


def at_the_limit(where: str, piece: str, delta: int) -> None:
    fmt, model = _at_limit(where, piece, delta)
    # The oracle sees the limit where spec §4.17 puts it: the test cannot pass vacuously.
    assert carriable(model, fmt) == (delta <= 0)
    if delta > 0:
        with pytest.raises(EncodeError):
            encode(model, fmt)
        refused_by_decode_too(model, fmt)
        return
    text = encode(model, fmt)
    back = decode(text, fmt)
    assert shape(back) == shape(carried(model, fmt))
    assert encode(back, fmt) == text


_SMALL_LIMITS = ("fmt1 name", "fmt2 attribute name", "fmt3 value depth")
_LIMIT_PIECES = ("a", "я", "\U0001f600", '"', "&", "<", " ", "я&\U0001f600")


@examples(100)
@given(
    where=st.sampled_from(_SMALL_LIMITS),
    piece=st.sampled_from(_LIMIT_PIECES),
    delta=st.sampled_from([-1, 0, 1]),
)
def test_whatever_encode_returns_reads_back_at_the_size_limits(
    where: str, piece: str, delta: int
) -> None:
    if where == "fmt2 attribute name":
        piece = "".join(char for char in piece if _XML_NAME.fullmatch("k" + char)) or "я"
    at_the_limit(where, piece, delta)


# The 10 MB ones: about a second each, so each limit is taken once either side of it,
# with a piece of its own (ASCII, 2-byte, 4-byte, escaped characters).
@pytest.mark.parametrize("delta", [0, 1])
@pytest.mark.parametrize(
    ("where", "piece"),
    [("fmt2 name", "я&"), ("fmt2 description", "\U0001f600<"), ("fmt2 attribute value", '"я')],
)
def test_whatever_encode_returns_reads_back_at_the_xml_text_limits(
    where: str, piece: str, delta: int
) -> None:
    at_the_limit(where, piece, delta)
