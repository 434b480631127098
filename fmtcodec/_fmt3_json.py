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
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, NoReturn

import msgspec
from msgspec.structs import astuple

from . import _values
from ._carry import CARRY
from ._errors import DecodeError, EncodeError, characters_in
from ._frozen import FrozenDict
from ._limits import JSON_DEPTH
from ._model import (
    ERROR_CODES,
    MAX_NUMBER,
    OPERATOR_KEYS,
    ApiError,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)
from ._source import FORBIDDEN_IN_DECODED, describe_char
from ._values import OPERATOR_TEXT, Invalid, build_sender, number
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

# The typed path: a body as the server writes it (spec §2) decoded by msgspec straight
# into the model (its Structs name their members as fmt 3 does), or for operators=1 into
# a Struct of exactly that view's members; msgspec checks the types and the ranges. It
# succeeds or steps aside: anything else (another shape, a string id in the basic view,
# an escape, a member that may be given twice...) is read by the exact path, which gives
# the same result or the error.
#
# What msgspec would read where the exact path reads otherwise: an escape (checked by
# _check_escaped) and a CR (spec §4.1, 4.10), both refused here. Anything else the exact
# path reads its own way (a member named as a model field fmt 3 has not, "extra" or
# "operators", which it keeps in extra; a null, which msgspec would take for a missing
# status or description) is one more ':' than the shape's own members: the count of
# _no_repeats and _typed_object refuses it.


# The operators first, in the model's order: astuple() then lines up with OPERATOR_KEYS.
_WithOperators: Any = msgspec.defstruct(
    "_WithOperators",
    [(key, str) for key in OPERATOR_KEYS] + [("sender", str), ("id", str)],
    forbid_unknown_fields=True,
    gc=False,
)


class _Result(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    result: str


_CREATED = msgspec.json.Decoder(SenderCreated)
_ERROR = msgspec.json.Decoder(ApiError)
_RESULT = msgspec.json.Decoder(_Result)
_OK = Ok()
_KNOWN_STATUSES = frozenset(SenderStatus)
_STATUS_OF = attrgetter("status")
_NAME_OF = attrgetter("name")
_AT_RECORD = re.compile(r" - at `\$\[(\d+)\]")
_SPACE = re.compile(r"[ \t\n]*")
_SPACE_BYTES = re.compile(rb"[ \t\n]*")
_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])
_SCANNER = json.JSONDecoder()  # its raw_decode() gives where a value ends
_OPERATOR_SET = frozenset(OPERATOR_KEYS)
_ROOT_KEYS = ("sender", "result", "error", "error_code")
_BYTE = re.compile(r"\(byte (\d+)\)")
_NUMBER_KEYS = frozenset(("id", "status", *OPERATOR_KEYS))
_JSON_NUMBER = frozenset((int, str))  # what a number field may hold, as JSON reads it
_KEY = itemgetter(0)
_VALUE = itemgetter(1)
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|[bfr])")
_STRING_OR_NUMBER = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*')


class _Invalid(Exception):
    """A wrong value at a path of the document; placed in the text (by _where) only when
    it is reported. ``occurrence``: for a key given more than once, which repeat."""

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
        self.occurrence = occurrence


class _Shown:
    """A JSON value no number field may hold, shown in the message as JSON writes it."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, tuple):
            self.text = "an object"
        elif isinstance(value, list):
            self.text = "a list"
        else:
            self.text = json.dumps(value)  # 1.5, true, null

    def __repr__(self) -> str:
        return self.text


def decode(text: str, utf8: bytes | None = None) -> Response:
    """Decode fmt 3 text (already checked and LF-only) into the model.

    ``utf8``: the text's UTF-8 encoding, if the caller has it (the body it was decoded
    from). msgspec reads UTF-8: given a str holding non-ASCII characters, it encodes it
    first, which took half as long as decoding the whole list.
    """
    if not text.strip(" \t\n"):
        raise DecodeError.at("a JSON response cannot be empty", text, len(text))  # spec §4.8
    before: list[Sender] = []
    if _values.FAST_PATHS:
        typed = _typed(text.encode("utf-8") if utf8 is None else utf8)
        if not isinstance(typed, list):
            return typed if typed is not None else _exact(text)
        before = typed
    return _exact(text, before)


def from_bytes(data: bytes) -> Response | None:
    """The response in a caller's UTF-8 ``data`` by the typed path, before the text gate
    (_api.decode); None to leave it to the gate and decode(). msgspec's own checks are
    the gate's for such a body: it refuses bytes that are not UTF-8, a control character
    (raw, in JSON, only space may be) and a BOM; a CR and an escape are not typed."""
    typed = _typed(data)
    return None if isinstance(typed, list) else typed


def _typed(data: bytes) -> Response | list[Sender] | None:
    """The response by the typed path; or for a list it refused at record N > 0, the
    N records before it (see _typed_prefix); None to leave the body to the exact path."""
    # find, not in: bytes' "in" costs three times as much on a short body.
    if data.find(b"\\") >= 0 or data.find(b"\r") >= 0:
        return None
    start = data[:1]
    if start != b"[" and start != b"{":  # spaces first, or empty
        at = _skip(data, 0)
        start = data[at : at + 1]
    try:
        if start == b"{":
            return _typed_object(data)
        if start == b"[":
            return _typed_list(data)
    except msgspec.DecodeError:  # and its subclass ValidationError
        pass
    return None


def _typed_object(data: bytes) -> Response | None:
    """One of the three answers, each member once (a ':' each, as in _no_repeats)."""
    colons = data.count(b":")
    if data.find(b'"error_code"') < 0:
        if colons != 1:
            return None
        if data.find(b'"sender"') >= 0:
            return _CREATED.decode(data)
        return _OK if _RESULT.decode(data).result == "OK" else None
    error = _ERROR.decode(data)
    description = error.description or ""  # spec §4.15: it may be missing
    members = 1 + (error.description is not None)
    if colons == members + description.count(":") and 0 <= error.code <= MAX_NUMBER:
        return error  # msgspec made an unknown code its UNKNOWN member, even -1: checked
    return None


def _typed_list(data: bytes) -> Response | list[Sender] | None:
    first = data.find(b"}")  # the view is the first record's
    if data.find(b'"mega_step"', 0, first) >= 0:
        view = _OPERATORS
    else:
        view = _STATUS if data.find(b'"status"', 0, first) >= 0 else _BASIC
    try:
        records = view.decoder.decode(data)
    except msgspec.ValidationError as exc:
        return _typed_prefix(view, data, str(exc))
    senders = view.senders(records)
    if senders is None or not _no_repeats(data.count(b":"), view.members, senders):
        return None
    return SenderList(senders=tuple(senders))


def _typed_prefix(view: _View, data: bytes, error: str) -> list[Sender] | None:
    """The records before the first one the view refused, when no member among them can
    repeat: the exact path would read each the same way, and it then reads only the
    rest. A list of 10,000 records refused at the last one costs a small multiple of
    reading it, not a loop in Python over every record."""
    found = _AT_RECORD.search(error)  # msgspec names the record: "... - at `$[N]..."
    if found is None or found.group(1) == "0":
        return None
    try:
        records = _RAW_LIST.decode(data)[: int(found.group(1))]  # msgspec spans them
    except msgspec.DecodeError:
        # Refused after record N, the document may still be broken further on (trailing
        # characters): the typed Struct stopped before msgspec saw it. The exact path says so.
        return None
    joined = b",".join(records)
    senders = view.senders(view.decoder.decode(b"[" + joined + b"]"))
    if senders is None or not _no_repeats(joined.count(b":"), view.members, senders):
        return None
    return list(senders)


def _no_repeats(colons: int, members: int, senders: Sequence[Sender]) -> bool:
    """Whether no member can have been given twice (msgspec keeps the last of two):
    each of a record's ``members`` has one ':' of its own, the names may hold more. It
    also finds a record with more members than the first's (a status in the basic view)."""
    expected = members * len(senders)
    return colons == expected or colons == expected + "".join(map(_NAME_OF, senders)).count(":")


def _with_status(senders: tuple[Sender, ...]) -> tuple[Sender, ...] | None:
    # Every record has a status the API page lists: msgspec makes any int a member, -1 too.
    return senders if _KNOWN_STATUSES.issuperset(map(_STATUS_OF, senders)) else None


def _with_operators(records: list[Any]) -> list[Sender] | None:
    operator = OPERATOR_TEXT.__getitem__
    senders = []
    try:
        for record in records:
            # An id as the server writes it (no padding, under 19 digits); else the
            # exact path reads it, with parse_number.
            text_id = record.id
            if not (text_id.isdigit() and text_id.isascii() and len(text_id) < 19):
                return None
            sender_id = int(text_id)
            if sender_id < 1:
                return None
            # The keys run out before the name and the id: those are not looked up.
            statuses = map(operator, astuple(record))
            operators: FrozenDict[str, Any] = FrozenDict(zip(OPERATOR_KEYS, statuses, strict=False))
            senders.append(Sender(name=record.sender, id=sender_id, operators=operators))
    except KeyError:  # a code not written as the server writes it
        return None
    return senders


class _View(NamedTuple):
    """A list view of spec §2 for the typed path."""

    decoder: msgspec.json.Decoder[Any]
    members: int  # per record
    senders: Callable[[Any], Sequence[Sender] | None]  # the model's, or None: not typed


_SENDERS: msgspec.json.Decoder[tuple[Sender, ...]] = msgspec.json.Decoder(tuple[Sender, ...])
_BASIC = _View(_SENDERS, 2, lambda senders: senders)
_STATUS = _View(_SENDERS, 3, _with_status)
_OPERATORS = _View(msgspec.json.Decoder(list[_WithOperators]), 21, _with_operators)


def _root(members: dict[str, Any], extra: dict[str, Any] | None = None) -> Response:
    """The response of a top-level object, from its members (no key given twice);
    ``extra``: its unknown ones, kept on an error or a created answer (spec §4.24)."""
    shape = set(members)
    if shape == {"sender"}:
        try:
            sender_id = number(members["sender"], "an id", "id", 1)
        except Invalid as exc:
            raise _Invalid(exc.msg, ["sender"]) from None
        return SenderCreated(sender_id, extra or {})
    if shape == {"result"}:
        if members["result"] != "OK":
            raise _Invalid(f'expected "OK", not {members["result"]!r}', ["result"])
        return Ok()
    description = members.get("error")  # spec §4.15: none, as in every format
    if shape in ({"error", "error_code"}, {"error_code"}):
        if description is not None and not isinstance(description, str):
            raise _Invalid("description: an error description must be a string", ["error"])
        try:
            code = number(members["error_code"], "an error code", "code")
        except Invalid as exc:
            raise _Invalid(exc.msg, ["error_code"]) from None
        return ApiError(ERROR_CODES[code], description, extra or {})
    raise _Invalid(
        'expected a list, {"sender": id}, {"result": "OK"} or {"error", "error_code"},'
        f" found the members {sorted(shape)}",
        [],
    )


def _exact(text: str, before: list[Sender] | None = None) -> Response:
    """The exact path: every member in order, every duplicate refused, every error placed.
    ``before``: the senders of the list's first records, read already (_typed_prefix)."""
    try:
        msgspec.json.decode(text)  # msgspec's verdict on the syntax, and its positions
        # A JSON object as a tuple of its members in order, repeats and all (an array is a list).
        body = json.loads(text, object_pairs_hook=tuple)
    except msgspec.ValidationError:  # a number no float holds, such as 1e999
        raise DecodeError.at("a number is out of range", text, _huge_number(text)) from None
    except msgspec.DecodeError as exc:  # after ValidationError, its subclass
        raise _syntax_error(text, str(exc)) from None
    except RecursionError:
        raise DecodeError.at("the JSON is nested too deeply", text, 0) from None
    try:
        response = _from_members(body, before or [])
    except _Invalid as exc:
        offset = _where(text, exc.path, exc.occurrence)
        raise DecodeError.at(exc.msg, text, offset, path=exc.model_path) from None
    if "\\" in text:
        _check_escaped(text, _strings(body))
    return response


def _huge_number(text: str) -> int:
    """Where the first number too large for a float starts (strings skipped whole)."""
    for found in _STRING_OR_NUMBER.finditer(text):
        if found.group()[0] != '"' and math.isinf(float(found.group())):
            return found.start()
    return 0  # pragma: no cover - msgspec refuses only such numbers


def _from_members(body: Any, before: list[Sender]) -> Response:
    if isinstance(body, tuple):
        keys = [key for key, _ in body]
        seen: set[str] = set()  # not keys[:index]: 10,000 members took a second
        for key in keys:
            if key in seen:
                raise _Invalid(f"the member {key!r} is given twice", [key], occurrence=1)
            seen.add(key)
        known = {
            key: value if type(value) in _JSON_NUMBER else _Shown(value)
            for key, value in body
            if key in _ROOT_KEYS
        }
        # spec §4.24: an error's or a created answer's unknown members are kept.
        extra = {key: _plain(value, [key]) for key, value in body if key not in _ROOT_KEYS}
        if extra and not {"sender", "error", "error_code"} & set(keys):
            unknown = next(iter(extra))
            raise _Invalid(f"unknown member {unknown!r} in {_kind(keys)} response", [unknown])
        return _root(known, extra)
    if not isinstance(body, list):
        raise _Invalid("expected a list or an object", [])
    rest = enumerate(body[len(before) :], len(before))
    return SenderList(senders=(*before, *[_record(record, index) for index, record in rest]))


def _record(record: Any, index: int) -> Sender:
    if not isinstance(record, tuple):
        raise _Invalid(f"senders[{index}]: a sender must be an object", [index])
    keys = list(map(_KEY, record))  # C-level steps: a list of 10,000 records is read here
    if keys.count("sender") != 1 or type(name := record[keys.index("sender")][1]) is not str:
        _bad_name(keys, record, index)
    at = keys.index("sender")
    fields = record[:at] + record[at + 1 :]
    if not _JSON_NUMBER.issuperset(map(type, map(_VALUE, fields))):
        # Anything but an int or a str is shown as JSON in an error (a number field) or
        # made plain data (an unknown member's value).
        fields = tuple(
            (key, value) if type(value) in _JSON_NUMBER else (key, _field(key, value, index))
            for key, value in fields
        )
    try:
        return build_sender(name, fields, index)
    except Invalid as exc:
        if exc.field < 0:
            raise _Invalid(exc.msg, [index], exc.path) from None
        key = fields[exc.field][0]
        repeated = sum(1 for other, _ in fields[: exc.field] if other == key)
        raise _Invalid(exc.msg, [index, key], exc.path, occurrence=repeated) from None


def _bad_name(keys: list[str], record: tuple[Any, ...], index: int) -> NoReturn:
    name = [value for key, value in record if key == "sender"]
    if not name:
        raise _Invalid(f"senders[{index}]: the record has no 'sender' (its name)", [index])
    if len(name) > 1:
        msg = f"senders[{index}]: the key 'sender' is given twice"
        raise _Invalid(msg, [index, "sender"], f"senders[{index}]", occurrence=1)
    raise _Invalid(f"senders[{index}].name: a name must be a string", [index, "sender"])


def _field(key: str, value: Any, index: int) -> Any:
    return _Shown(value) if key in _NUMBER_KEYS else _plain(value, [index, key])


def _kind(keys: list[str]) -> str:
    return "an error" if "error" in keys or "error_code" in keys else "a one-object"


def _plain(value: Any, path: list[str | int], depth: int = 0) -> Any:
    """An unknown member's value as plain JSON data: dicts, lists, str, int, float...
    ``depth``: how many arrays and objects of the member's value hold ``value``."""
    if isinstance(value, (tuple, list)) and depth >= JSON_DEPTH:  # spec §4.17
        member = _path(path[: len(path) - depth])  # its own path: the value's may run long
        raise _Invalid(f"{member}: a value nests at most {JSON_DEPTH} levels", path, member)
    if isinstance(value, tuple):
        result = {}
        for key, item in value:
            if key in result:
                raise _Invalid(f"the member {key!r} is given twice", [*path, key], occurrence=1)
            result[key] = _plain(item, [*path, key], depth + 1)
        return result
    if isinstance(value, list):
        return [_plain(item, [*path, index], depth + 1) for index, item in enumerate(value)]
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
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


def _where(text: str, path: list[str | int], occurrence: int = 0) -> int:
    """Where the value at ``path`` starts in the (valid) text: for a member, its key (its
    ``occurrence``-th repeat). No tokenizer of our own: a list's records are spanned by
    msgspec, and the members of an object walked with the json module's scanner, which
    gives where each value ends."""
    at = _skip(text, 0)
    if path and isinstance(path[0], int):
        at = _record_start(text, at, path[0])
        path = path[1:]
    for depth, part in enumerate(path):
        at = _after(text, at)  # past the "[" or "{"
        index = repeats = 0
        while True:
            value_at = at
            if isinstance(part, str):
                key, end = _SCANNER.raw_decode(text, at)
                value_at = _after(text, _skip(text, end))  # past the ":"
                if key == part:
                    if depth < len(path) - 1:
                        at = value_at
                        break
                    if repeats == occurrence:
                        return at
                    repeats += 1
            elif index == part:
                break
            _, end = _SCANNER.raw_decode(text, value_at)
            at = _after(text, _skip(text, end))  # past the ","
            index += 1
    return at


def _record_start(text: str, at: int, index: int) -> int:
    """Where record ``index`` of the list at ``at`` starts: msgspec spans the records (in
    bytes of UTF-8), and only what lies between them is read here."""
    data = text.encode("utf-8")
    position = _skip(data, len(text[:at].encode("utf-8")) + 1)  # past the "["
    for record in _RAW_LIST.decode(data)[:index]:
        # Past the record, the spaces, its "," and the spaces before the next one.
        position = _skip(data, _skip(data, position + len(record)) + 1)
    return characters_in(data[:position])


def _skip(text: str | bytes, at: int) -> int:
    """Where the spaces, tabs and newlines from ``at`` end."""
    found = _SPACE.match(text, at) if isinstance(text, str) else _SPACE_BYTES.match(text, at)
    return found.end() if found else at


def _after(text: str, at: int) -> int:
    """The start of what follows the one character at ``at`` ("[", "{", ":" or ",")."""
    return _skip(text, at + 1)


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
        known = {"sender": "id", "error": "description", "error_code": "code", "result": "result"}
        # spec §4.24: an error's or a created answer's unknown members are in its extra.
        head, rest = known.get(str(path[0]), f"extra.{path[0]}"), path[1:]
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
            if key in CARRY[3].reserved_keys:
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
        sender_id = check_number(response.id, "id", 1)
        if not response.extra:  # the common answer: one f-string
            return f'{{\n"sender": {sender_id}\n}}'
        return _object([f'"sender": {sender_id}', *_extra_members(response.extra, ("sender",))])
    if isinstance(response, ApiError):
        code = check_number(response.code, "code")
        description = _string(standard_description(response))
        if not response.extra:
            return f'{{\n"error": {description},\n"error_code": {code}\n}}'
        known = [f'"error": {description}', f'"error_code": {code}']
        return _object(known + _extra_members(response.extra, ("error", "error_code")))
    return _OK_OBJECT


_OK_OBJECT = '{\n"result": "OK"\n}'


def _extra_members(extra: Mapping[str, Any], reserved: tuple[str, ...]) -> list[str]:
    """An error's or a created answer's unknown members, after its own (spec §4.24)."""
    members = []
    for key, value in extra.items():
        path = f"extra.{key}"
        if not isinstance(key, str):
            raise TypeError(f"extra keys must be str, not {type(key).__name__}")
        if key in _ROOT_KEYS:
            which = "its own member" if key in reserved else "another answer's member"
            raise EncodeError(f"{key!r} is {which} in fmt 3", path=path)
        members.append(f"{_string(check_string(key, path))}: {_value(value, path)}")
    return members
