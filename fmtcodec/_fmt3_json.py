"""fmt 3, JSON: decoded by msgspec typed into wire Structs, written in the server's layout.

    [{\\n"sender": "A",\\n"id": 1\\n},\\n{\\n"sender": "B",\\n"id": 2\\n}]   list
    {\\n"sender": 5\\n}                                                  created
    {\\n"result": "OK"\\n}                                               ok
    {\\n"error": "description",\\n"error_code": N\\n}                    error

With operators=1 every status and the id are strings; elsewhere numbers (spec §2).

The fast path decodes typed (bounded memory, and faster than untyped: docs/performance.md).
A record with unknown members, or a document that might hold a duplicate member, takes
the exact path: the members in order, each object's keys checked (spec §4.3, 4.11).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, NoReturn

import msgspec
from msgspec import UNSET, UnsetType
from msgspec.structs import astuple

from . import _values
from ._errors import DecodeError, EncodeError, characters_in
from ._frozen import FrozenDict, freeze_mapping
from ._limits import JSON_DEPTH
from ._model import (
    ERROR_CODES,
    OPERATOR_KEYS,
    OPERATOR_STATUSES,
    SENDER_STATUSES,
    ApiError,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
)
from ._source import FORBIDDEN_IN_DECODED, describe_char
from ._values import MAX_NUMBER, OPERATOR_TEXT, Invalid, build_sender, number, parse_number
from ._writing import (
    PlainList,
    check_number,
    check_string,
    plain_list,
    sender_parts,
    standard_description,
)

__all__ = ["OPERATOR_ORDER", "decode", "encode"]


OPERATOR_ORDER: tuple[str, ...] = (
    # spec §2: fmt 3 lists the operators in an order of its own.
    "mega_step",
    "mega_int",
    "bee_step",
    "motiv",
    "motiv_step",
    "motiv_int",
    "sber_step",
    "sber_int",
    "winmob_step",
    "volnamob_step",
    "mts_step",
    "mts_int",
    "tele2_step",
    "tele2",
    "tele2_int",
    "ua_reg",
    "ua_int",
    "by_reg",
    "by_int",
)

_Number = int | str | UnsetType
_RECORD_FIELDS: list[tuple[str, Any, Any]] = [
    ("sender", str, msgspec.NODEFAULT),
    ("id", int | str, msgspec.NODEFAULT),
    ("status", _Number, UNSET),
]
_Record: Any = msgspec.defstruct(
    "_Record",
    _RECORD_FIELDS + [(key, _Number, UNSET) for key in OPERATOR_KEYS],
    forbid_unknown_fields=True,
)


class _Root(msgspec.Struct, forbid_unknown_fields=True):
    sender: _Number = UNSET
    result: str | UnsetType = UNSET
    error: str | UnsetType = UNSET
    error_code: _Number = UNSET


_DECODER = msgspec.json.Decoder(list[_Record] | _Root)

# The fast path: a list in one of spec §2's three views, as the server writes it,
# typed straight into a Struct of exactly that view's members. A 22-member _Record costs
# several times a 2-member one to decode, and msgspec checks the numbers' ranges itself.
# Anything else (another shape, a string id in the basic view, an unknown code...) fails
# these and goes to the paths below, which give the same result or the exact error.
_Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_NUMBER)]
_Code = Annotated[int, msgspec.Meta(ge=0, le=MAX_NUMBER)]


class _Basic(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    sender: str
    id: _Id


class _WithStatus(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    sender: str
    status: _Code
    id: _Id


# The operators first, in the model's order: astuple() then lines up with OPERATOR_KEYS.
_WithOperators: Any = msgspec.defstruct(
    "_WithOperators",
    [(key, str) for key in OPERATOR_KEYS] + [("sender", str), ("id", str)],
    forbid_unknown_fields=True,
    gc=False,
)
_BASIC = msgspec.json.Decoder(list[_Basic])
_WITH_STATUS = msgspec.json.Decoder(list[_WithStatus])
_WITH_OPERATORS = msgspec.json.Decoder(list[_WithOperators])
_OPERATOR_SET = frozenset(OPERATOR_KEYS)
_BYTE = re.compile(r"\(byte (\d+)\)")
_NUMBER_KEYS = frozenset(("id", "status", *OPERATOR_KEYS))
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|[bfr])")


class _Object(list[tuple[str, Any]]):
    """A JSON object as its members in order, duplicates and all."""


class _Invalid(Exception):
    """A wrong value at a path of the document; located only when it is raised."""

    def __init__(
        self,
        msg: str,
        path: list[str | int],
        model_path: str | None = None,
        occurrence: int = 0,
    ) -> None:
        super().__init__(msg)
        self.msg = msg
        self.path = path
        self.model_path = model_path or _path(path)
        self.occurrence = occurrence  # for a key given twice: locate its nth repetition


class _Shown:
    """A JSON value no number field may hold, shown in the message as JSON writes it."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, _Object):
            self.text = "an object"
        elif isinstance(value, list):
            self.text = "a list"
        else:
            self.text = json.dumps(value)  # 1.5, true, null

    def __repr__(self) -> str:
        return self.text


def _number_field(value: Any) -> Any:
    """``value``, or a _Shown one if it is not a JSON integer or string (spec §4.7)."""
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return value
    return _Shown(value)


def decode(text: str, utf8: bytes | None = None) -> Response:
    """Decode fmt 3 text (already checked and LF-only) into the model.

    ``utf8``: the text's UTF-8 encoding, if the caller has it (the body it was decoded
    from). msgspec reads UTF-8: given a str holding non-ASCII characters, it encodes it
    first, which took half as long as decoding the whole list.
    """
    if not text.strip(" \t\n"):
        raise DecodeError.at("a JSON response cannot be empty", text, len(text))  # spec §4.8
    if _values.FAST_PATHS and text.lstrip(" \t\n").startswith("[") and "\\" not in text:
        fast = _fast_list(text, text if utf8 is None else utf8)
        if fast is not None:
            return fast
    try:
        body = _DECODER.decode(text)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return _exact(text)
    try:
        response, members, strings = _from_structs(body)
    except _Invalid as exc:
        raise _locate(text, exc, flat=True) from None
    # msgspec keeps the last of two equal keys. Each member has one ':' of its own, so
    # when every ':' of the text is accounted for, no member was given twice.
    colons = text.count(":")
    if colons != members and (
        "\\u" in text or colons != members + sum(string.count(":") for string in strings)
    ):
        return _exact(text)
    if "\\" in text:
        _check_escaped(text, strings)
    return response


def _fast_list(text: str, source: str | bytes) -> SenderList | None:
    """The list, if every record is in the view of the first; else None (see _BASIC).

    ``source`` is the text or its UTF-8, for msgspec. The text holds no backslash, so no
    escape needs checking (spec §4.10).
    """
    first = text[: text.find("}")]
    if '"mega_step"' in first:
        decoder, width = _WITH_OPERATORS, 21
    elif '"status"' in first:
        decoder, width = _WITH_STATUS, 3
    else:
        decoder, width = _BASIC, 2
    try:
        records = decoder.decode(source)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    # As in decode(): when every ':' is accounted for, no member was given twice.
    colons = text.count(":")
    if colons != width * len(records) and colons != width * len(records) + sum(
        record.sender.count(":") for record in records
    ):
        return None
    if decoder is _BASIC:
        senders = [Sender(name=record.sender, id=record.id) for record in records]
    elif decoder is _WITH_STATUS:
        status = SENDER_STATUSES.get
        senders = [
            Sender(name=record.sender, id=record.id, status=status(record.status, record.status))
            for record in records
        ]
    else:
        operator = OPERATOR_TEXT.__getitem__
        senders = []
        try:
            for record in records:
                sender_id = parse_number(record.id, 1)
                if sender_id is None:
                    return None
                # The keys run out before the name and the id.
                statuses = map(operator, astuple(record))
                operators = FrozenDict(zip(OPERATOR_KEYS, statuses, strict=False))
                senders.append(Sender(name=record.sender, id=sender_id, operators=operators))
        except KeyError:  # a code not in the table, or not written as the server writes it
            return None
    return SenderList(senders=tuple(senders))


def _status(value: object, path: list[str | int], table: Mapping[int, Any]) -> Any:
    try:
        code = number(value, "a status", str(_path(path)))
    except Invalid as exc:
        raise _Invalid(exc.msg, path) from None
    return table[code]  # an unknown code gets its UNKNOWN member


def _from_structs(body: Any) -> tuple[Response, int, list[str]]:
    """The model, the number of members decoded, and the decoded strings."""
    if isinstance(body, _Root):
        return _root(
            body.__struct_fields__, [getattr(body, name) for name in body.__struct_fields__]
        )
    senders = []
    members = 0
    strings = []
    for index, record in enumerate(body):
        try:
            sender_id = number(record.id, "an id", f"senders[{index}].id", 1)
        except Invalid as exc:
            raise _Invalid(exc.msg, [index, "id"]) from None
        status = record.status
        members += 2
        if status is not UNSET:
            members += 1
            status = _status(status, [index, "status"], SENDER_STATUSES)
        else:
            status = None
        operators = {}
        # _Record's fields are sender, id, status, then OPERATOR_KEYS: one C-level count
        # spares a plain record 19 getattr calls (a fallback for a hostile list's last bad
        # record cost 4 times the fast path).
        values = astuple(record)[3:]
        if values.count(UNSET) != len(values):
            for key, value in zip(OPERATOR_KEYS, values, strict=True):
                if value is not UNSET:
                    operators[key] = _status(value, [index, key], OPERATOR_STATUSES)
        members += len(operators)
        strings.append(record.sender)
        senders.append(
            Sender(
                name=record.sender, id=sender_id, status=status, operators=freeze_mapping(operators)
            )
        )
    return SenderList(senders=tuple(senders)), members, strings


def _root(keys: tuple[str, ...] | list[str], values: list[Any]) -> tuple[Response, int, list[str]]:
    """The response of a top-level object, from its present members."""
    members = {key: value for key, value in zip(keys, values, strict=True) if value is not UNSET}
    strings = [value for value in members.values() if isinstance(value, str)]
    shape = set(members)
    if shape == {"sender"}:
        try:
            sender_id = number(members["sender"], "an id", "id", 1)
        except Invalid as exc:
            raise _Invalid(exc.msg, ["sender"]) from None
        return SenderCreated(id=sender_id), 1, strings
    if shape == {"result"}:
        if members["result"] != "OK":
            raise _Invalid(f'expected "OK", not {members["result"]!r}', ["result"])
        return Ok(), 1, strings
    if shape == {"error_code"}:  # spec §4.15: no description, as in every format
        members["error"] = None
        shape.add("error")
    if shape == {"error", "error_code"}:
        if members["error"] is not None and not isinstance(members["error"], str):
            raise _Invalid("description: an error description must be a string", ["error"])
        try:
            code = number(members["error_code"], "an error code", "code")
        except Invalid as exc:
            raise _Invalid(exc.msg, ["error_code"]) from None
        found = ApiError(code=ERROR_CODES[code], description=members["error"])
        return found, len(members) - (members["error"] is None), strings
    raise _Invalid(
        'expected a list, {"sender": id}, {"result": "OK"} or {"error", "error_code"},'
        f" found the members {sorted(shape)}",
        [],
    )


def _exact(text: str) -> Response:
    """The slow, exact path: every member in order, every duplicate refused."""
    try:
        msgspec.json.decode(text)  # msgspec's verdict on the syntax, and its positions
    except msgspec.ValidationError:  # a number no float holds, such as 1e999
        raise DecodeError.at("a number is out of range", text, _huge_number(text)) from None
    except msgspec.DecodeError as exc:  # after ValidationError, its subclass
        raise _syntax_error(text, str(exc)) from None
    except RecursionError:
        raise DecodeError.at("the JSON is nested too deeply", text, 0) from None
    try:
        body = json.loads(text, object_pairs_hook=_Object, parse_constant=_no_constant)
    except RecursionError:  # pragma: no cover - msgspec gives up first
        raise DecodeError.at("the JSON is nested too deeply", text, 0) from None
    try:
        response = _from_members(body)
        if "\\" in text:
            _check_escaped(text, _strings(body))
    except _Invalid as exc:
        raise _locate(text, exc) from None
    return response


def _huge_number(text: str) -> int:
    """Where the first number too large for a float starts, for the error's position."""
    for token in _TOKEN.finditer(text):
        lexeme = token.group()
        if lexeme[0] in "-0123456789":
            try:
                if math.isinf(float(lexeme)):
                    return token.start()
            except ValueError:
                continue
    return 0  # pragma: no cover - msgspec refuses only such numbers


def _no_constant(name: str) -> NoReturn:  # pragma: no cover - msgspec refuses them first
    raise ValueError(name)


def _from_members(body: Any) -> Response:
    if isinstance(body, _Object):
        keys = [key for key, _ in body]
        seen: set[str] = set()  # not keys[:index]: 10,000 members took a second
        for key in keys:
            if key in seen:
                raise _Invalid(f"the member {key!r} is given twice", [key], occurrence=1)
            seen.add(key)
        if not set(keys) <= {"sender", "result", "error", "error_code"}:
            unknown = [
                key for key in keys if key not in ("sender", "result", "error", "error_code")
            ]
            raise _Invalid(f"unknown member {unknown[0]!r} in {_kind(keys)} response", [unknown[0]])
        return _root(keys, [_number_field(value) for _, value in body])[0]
    if not isinstance(body, list):
        raise _Invalid("expected a list or an object", [])
    senders = []
    for index, record in enumerate(body):
        if not isinstance(record, _Object):
            raise _Invalid(f"senders[{index}]: a sender must be an object", [index])
        name = [value for key, value in record if key == "sender"]
        if not name:
            raise _Invalid(f"senders[{index}]: the record has no 'sender' (its name)", [index])
        if len(name) > 1:
            msg = f"senders[{index}]: the key 'sender' is given twice"
            raise _Invalid(msg, [index, "sender"], f"senders[{index}]", occurrence=1)
        if not isinstance(name[0], str):
            raise _Invalid(f"senders[{index}].name: a name must be a string", [index, "sender"])
        fields = [
            (key, _number_field(value) if key in _NUMBER_KEYS else _plain(value, [index, key]))
            for key, value in record
            if key != "sender"
        ]

        try:
            senders.append(build_sender(name[0], fields, index))
        except Invalid as exc:
            if exc.field < 0:
                raise _Invalid(exc.msg, [index], exc.path) from None
            key = fields[exc.field][0]
            repeated = sum(1 for other, _ in fields[: exc.field] if other == key)
            raise _Invalid(exc.msg, [index, key], exc.path, occurrence=repeated) from None
    return SenderList(senders=tuple(senders))


def _kind(keys: list[str]) -> str:
    return "an error" if "error" in keys or "error_code" in keys else "a one-object"


def _plain(value: Any, path: list[str | int]) -> Any:
    """An unknown member's value as plain JSON data: dicts, lists, str, int, float..."""
    if isinstance(value, (_Object, list)) and len(path) - 1 > JSON_DEPTH:  # spec §4.17
        member = _path(path[:2])  # the member's own path: the value's may run long
        raise _Invalid(f"{member}: a value nests at most {JSON_DEPTH} levels", path, member)
    if isinstance(value, _Object):
        result = {}
        for key, item in value:
            if key in result:
                raise _Invalid(f"the member {key!r} is given twice", [*path, key], occurrence=1)
            result[key] = _plain(item, [*path, key])
        return result
    if isinstance(value, list):
        return [_plain(item, [*path, index]) for index, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):  # pragma: no cover
        raise _Invalid("a number out of range", path)
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, _Object):
        return [s for key, item in value for s in (key, *_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _check_escaped(text: str, strings: list[str]) -> None:
    """spec §4.10 for what an escape (\\u0001, \\b, \\f, \\r) wrote: the raw text was checked."""
    for string in strings:
        bad = FORBIDDEN_IN_DECODED.search(string)  # an escape may write a CR too
        if bad is None:
            continue
        char = bad.group()
        escape = next(
            (found for found in _ESCAPE.finditer(text) if json.loads(f'"{found.group()}"') == char),
            None,
        )
        written = f" (written as {escape.group()})" if escape else ""
        raise DecodeError.at(
            f"the character {describe_char(char)} is not allowed{written}",
            text,
            escape.start() if escape else 0,
        )


def _syntax_error(text: str, message: str) -> DecodeError:
    if "truncated" in message:
        return DecodeError.at("the JSON ends too early", text, len(text))
    match = _BYTE.search(message)
    reason = _BYTE.sub("", message).replace("JSON is malformed: ", "").strip()
    if match is None:
        return DecodeError.at(reason or "malformed JSON", text, 0)
    index = int(match.group(1))
    if reason == "trailing characters":
        index -= 1  # msgspec names the byte after the first trailing one
    # msgspec counts bytes of the UTF-8 text; positions are in characters.
    return DecodeError.at(reason, text, characters_in(text.encode("utf-8")[:index]))


# A string as an unrolled loop: an alternation per character made a 5 MB string cost 0.5 s.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+')
# Exact too when no string holds an escaped quote, and 8 times faster on a long string.
_TOKEN_UNESCAPED = re.compile(r'"[^"]*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+')
_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])


def _locate(text: str, error: _Invalid, flat: bool = False) -> DecodeError:
    """The DecodeError for a wrong value, at the value's place in the text.

    ``flat``: the text is a list of records holding only strings and numbers (the typed
    path's), so the walk starts at the bad record: token by token, a 5 MB list whose last
    record is wrong took seconds.
    """
    target = error.path
    stack: list[list[Any]] = []  # [container kind, current key or index]
    start = 0
    if flat and target and isinstance(target[0], int):
        found = _record_start(text, target[0])
        if found >= 0:  # always, as the record came from this text
            start, stack = found, [["[", target[0]]]
    expect_key = False
    last_key: str | None = None
    keys_seen = 0
    tokens = _TOKEN if '\\"' in text else _TOKEN_UNESCAPED
    for token in tokens.finditer(text, start):
        lexeme = token.group()
        first = lexeme[0]
        if first.isspace():
            continue
        current = [frame[1] for frame in stack]
        if first in "{[":
            if current == target and not error.occurrence:
                return _at(text, error, token.start())
            stack.append(["{" if first == "{" else "[", None if first == "{" else 0])
            expect_key = first == "{"
        elif first in "}]":
            stack.pop()
            expect_key = False
        elif first == ":":
            stack[-1][1] = last_key
            expect_key = False
        elif first == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
            else:
                expect_key = True
        elif expect_key:
            last_key = json.loads(lexeme) if "\\" in lexeme else lexeme[1:-1]
            if stack and [*current[:-1], last_key] == target:
                if keys_seen == error.occurrence:
                    return _at(text, error, token.start())
                keys_seen += 1
        elif current == target and not error.occurrence:
            return _at(text, error, token.start())
    return _at(text, error, 0)


def _record_start(text: str, index: int) -> int:
    """Where record ``index`` of a list of flat records starts.

    A string cannot hold the record's unescaped quotes, and a flat record no other record:
    the first copy of its text is the record itself, or an equal earlier one, which would
    have failed first.
    """
    record = bytes(_RAW_LIST.decode(text)[index]).decode("utf-8")
    return text.find(record)


def _at(text: str, error: _Invalid, offset: int) -> DecodeError:
    return DecodeError.at(error.msg, text, offset, path=error.model_path)


def _path(path: list[str | int]) -> str | None:
    """The model's path for a JSON path: [2, "mega_step"] is senders[2].operators.mega_step."""
    if not path:
        return None
    if isinstance(path[0], int):
        head = f"senders[{path[0]}]"
        rest = path[1:]
        if rest and rest[0] in _OPERATOR_SET:
            head += ".operators"
        elif rest and rest[0] not in ("sender", "id", "status"):
            head += ".extra"  # spec §4.3: the model keeps unknown members in extra
    else:
        head, rest = (
            {"sender": "id", "error": "description", "error_code": "code"}.get(path[0], path[0]),
            path[1:],
        )
    for part in rest:
        head += f"[{part}]" if isinstance(part, int) else f".{part}"
    return head.replace(".sender", ".name")


def _string(value: str) -> str:
    return msgspec.json.encode(value).decode("utf-8")


def _value(value: Any, path: str) -> str:
    """An unknown member's value, as JSON on one line."""
    try:
        return msgspec.json.encode(_checked(value, path)).decode("utf-8")
    except (TypeError, msgspec.EncodeError) as exc:
        raise EncodeError(f"not JSON data: {exc}", path=path) from None


def _checked(value: Any, path: str, member: str = "", depth: int = 0) -> Any:
    """``value`` as JSON data msgspec writes: any Mapping as a dict, a tuple as a list.
    ``member``: the unknown member's own path, ``depth`` how deep ``value`` is in it."""
    if isinstance(value, str):
        return check_string(value, path)
    if isinstance(value, (Mapping, list, tuple)) and depth >= JSON_DEPTH:  # spec §4.17
        raise EncodeError(f"a value nests at most {JSON_DEPTH} levels", path=member)
    member = member or path
    if isinstance(value, Mapping):
        return {
            check_string(key, f"{path} key"): _checked(item, f"{path}.{key}", member, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [
            _checked(item, f"{path}[{index}]", member, depth + 1)
            for index, item in enumerate(value)
        ]
    if isinstance(value, float) and not math.isfinite(value):
        raise EncodeError("JSON has no infinite or NaN numbers", path=path)
    if not (value is None or isinstance(value, (bool, int, float))):
        raise EncodeError(f"not JSON data: {type(value).__name__}", path=path)
    return value


def _object(members: list[str]) -> str:
    return "{\n" + ",\n".join(members) + "\n}"


def _sender(sender: Sender, index: int) -> str:
    parts = list(sender_parts(sender, index, OPERATOR_ORDER))
    quoted = bool(sender.operators)  # the operators=1 view writes numbers as strings
    members = [f'"sender": {_string(check_string(sender.name, f"senders[{index}].name"))}']
    for key, value, path, known in parts:
        if not known:
            if key == "sender":
                raise EncodeError("'sender' is the name's member in fmt 3", path=path)
            members.append(f"{_string(check_string(key, path))}: {_value(value, path)}")
        elif quoted and key != "status":
            members.append(f'"{key}": "{value}"')
        else:
            members.append(f'"{key}": {value}')
    return _object(members)


# The operators=1 view's object, as a template: every number a string (spec §2).
_OPERATOR_OBJECT = (
    '{\n"sender": "%s",\n'
    + "".join(f'"{key}": "%s",\n' for key in OPERATOR_ORDER)
    + '"id": "%d"\n}'
)


def _plain_objects(plain: PlainList) -> str:
    """What encode writes for a checked list (see plain_list)."""
    # All the names at once: in msgspec's compact list a '","' can only be the separator,
    # since a string's own quotes are escaped.
    escaped = msgspec.json.encode(plain.names).decode("utf-8")[2:-2].split('","')
    ids = plain.ids
    if plain.operators is not None:
        columns = [plain.operators[key] for key in OPERATOR_ORDER]
        objects = [_OPERATOR_OBJECT % row for row in zip(escaped, *columns, ids, strict=True)]
    elif plain.statuses is not None:
        rows = zip(escaped, plain.statuses, ids, strict=True)
        objects = [
            f'{{\n"sender": "{name}",\n"status": {status},\n"id": {id_}\n}}'
            for name, status, id_ in rows
        ]
    else:
        pairs = zip(escaped, ids, strict=True)
        objects = [f'{{\n"sender": "{name}",\n"id": {id_}\n}}' for name, id_ in pairs]
    return "[" + ",\n".join(objects) + "]"


def encode(response: Response) -> str:
    """Write the model as fmt 3 JSON, in the server's layout (spec §2)."""
    if isinstance(response, SenderList):
        plain = plain_list(response.senders)
        if plain is not None:
            return _plain_objects(plain)
        return (
            "["
            + ",\n".join([_sender(sender, index) for index, sender in enumerate(response.senders)])
            + "]"
        )
    if isinstance(response, SenderCreated):
        return _object([f'"sender": {check_number(response.id, "id", 1)}'])
    if isinstance(response, ApiError):
        code = check_number(response.code, "code")
        description = _string(standard_description(response))
        return _object([f'"error": {description}', f'"error_code": {code}'])
    return _object(['"result": "OK"'])
