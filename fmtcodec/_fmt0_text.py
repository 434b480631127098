"""fmt 0, ``key = value, ...`` text: decoded through the Lark grammar grammars/fmt0.lark.

Lark is imported when the parser is first built, not with this module: it is half of what
``import fmtcodec`` would cost, and only fmt 0 needs it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from lark import Lark, TextSlice, Token
    from lark.exceptions import UnexpectedInput

from ._carry import CARRY
from ._errors import DecodeError, EncodeError, content_end
from ._frozen import EMPTY
from ._model import (
    ERROR_CODES,
    OPERATOR_KEYS,
    ApiError,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
)
from ._values import Invalid, build_sender, number
from ._writing import (
    PlainList,
    check_number,
    check_string,
    plain_list,
    sender_parts,
    standard_description,
)

__all__ = ["GRAMMAR_PATH", "decode", "encode", "parser", "stream"]

_HERE = Path(__file__).resolve().parent
# Inside a wheel the grammar is fmtcodec/grammars/ (force-include); an editable install
# or a source checkout has it at the repository's top-level grammars/.
GRAMMAR_PATH = next(
    (
        path
        for path in (_HERE / "grammars" / "fmt0.lark", _HERE.parent / "grammars" / "fmt0.lark")
        if path.is_file()
    ),
    _HERE / "grammars" / "fmt0.lark",
)

# What fmt 0 can carry (spec §4.5): no newline or ", <key> = " in a value, identifier keys.
_CARRY = CARRY[0]
_KEYS = _CARRY.unknown_keys or re.compile("(?!)")
# A one-pair line with these keys was meant as a created or an error response.
_SHAPES = {"ID": "'ID = <id>'", "ERROR": "'ERROR = N (description)'"}
# ... and those lines as the grammar reads them (grammars/fmt0.lark's CREATED and ERROR).
_WHOLE_LINE = {
    "ID": re.compile(r"ID = [0-9]+[ \t]*"),
    "ERROR": re.compile(r"ERROR = [0-9]+(?: \([^\n]*\))?[ \t]*"),
}
# The parts of the CREATED and ERROR tokens: the number, the description, the unknown
# pairs (spec §4.24), split as the grammar does (its lookahead for a name aside).
_PAIRS = r"((?:, [A-Za-z_][A-Za-z0-9_]* = [^\n]*)?)[ \t]*"
_CREATED_PARTS = re.compile(r"ID = ([0-9]+)" + _PAIRS)
_ERROR_PARTS = re.compile(r"ERROR = ([0-9]+)(?: \(([^\n]*)\))?" + _PAIRS)
_PAIR_KEY = re.compile(r", ([A-Za-z_][A-Za-z0-9_]*) = ")
# The operators=1 view's line, as a template.
_OPERATOR_LINE = "name = %s, " + "".join(f"{key} = %s, " for key in OPERATOR_KEYS) + "id = %d"


def _fail_at(token: Token, shift: int, error: Invalid) -> NoReturn:
    """The DecodeError for ``error``, ``shift`` characters into ``token``."""
    raise DecodeError(
        error.msg,
        lineno=token.line or 1,
        colno=(token.column or 1) + shift,
        offset=(token.start_pos or 0) + shift,
        path=error.path,
    )


class _ToModel:
    """Builds the model while LALR parses, a method per rule: no tree is made
    (docs/performance.md)."""

    def ok(self, _: list[Token]) -> Ok:
        return Ok()  # decode() is given a bare OK only when called on its own

    def created(self, children: list[Token]) -> SenderCreated | SenderList:
        token = children[0]
        parts = _CREATED_PARTS.fullmatch(token)
        assert parts is not None  # the grammar's CREATED
        pairs = parts.group(2)  # spec §4.24's unknown pairs, if any: most lines have none
        if pairs and _names_a_record(token, parts.start(2)):
            return SenderList(senders=(self.record(_pairs_of(token)),))
        try:
            sender_id = number(parts.group(1), "an id", "id", 1)
        except Invalid as exc:
            _fail_at(token, 5, exc)  # after "ID = "
        extra = _unknown_pairs(token, parts.start(2), "ID") if pairs else EMPTY
        return SenderCreated(sender_id, extra)

    def error(self, children: list[Token]) -> ApiError | SenderList:
        token = children[0]
        parts = _ERROR_PARTS.fullmatch(token)
        assert parts is not None  # the grammar's ERROR
        pairs = parts.group(3)  # as in created
        if pairs and _names_a_record(token, parts.start(3)):
            return SenderList(senders=(self.record(_pairs_of(token)),))
        try:
            code = number(parts.group(1), "an error code", "code")
        except Invalid as exc:
            _fail_at(token, 8, exc)  # after "ERROR = "
        # spec §4.15: "ERROR = N" has no description (None), as in every format.
        extra = _unknown_pairs(token, parts.start(3), "ERROR") if pairs else EMPTY
        return ApiError(ERROR_CODES[code], parts.group(2), extra)

    def senders(self, records: list[Sender]) -> SenderList:
        return SenderList(senders=tuple(records))

    def record(self, pairs: list[Token]) -> Sender:
        first = pairs[0]
        index = (first.line or 1) - 1  # one record a line
        key, _, name = first.partition(" = ")
        tokens = pairs[1:]
        fields = [pair[2:].partition(" = ")[::2] for pair in tokens]  # after its ", "
        if key != "name":
            name, tokens, fields = _name_elsewhere(pairs, index)
        try:
            return build_sender(name, fields, index, "name")
        except Invalid as exc:
            if exc.field < 0:
                _fail_at(first, 0, exc)
            token, key = tokens[exc.field], fields[exc.field][0]
            start = 0 if token is first else 2  # a NEXT_PAIR starts with its ", "
            # A second name at its key; any other error at the value, past "key = ".
            _fail_at(token, start if key == "name" else start + len(key) + 3, exc)


# What _Streaming.record leaves on Lark's value stack in place of the record it handed out.
_HANDED = object()
# Where _Streaming.record hands its records: the list of the stream being stepped in this
# thread (one step of one stream runs at a time in a thread; see _stream).
_streaming = threading.local()


class _Streaming(_ToModel):
    """_ToModel for :func:`stream`: each record goes out as soon as LALR reduces it, and
    nothing collects them. It reads only bodies of several lines: a created, an error or
    an OK line is a whole body of one line (grammars/fmt0.lark), which stream leaves to
    decode."""

    def __init__(self) -> None:
        from lark import Tree  # made with the parser, when Lark is imported anyway

        self._tree = Tree

    def record(self, pairs: list[Token]) -> Any:
        _streaming.sink.append(super().record(pairs))
        return _HANDED

    def senders(self, records: list[Any]) -> SenderList:
        return SenderList()  # they went out one by one

    def __default__(self, data: str, children: list[Any], meta: Any) -> Any:
        # Lark's rules for the grammar's repeats, (_NL record)* and NEXT_PAIR*, which the
        # rule above them reads by their children: the records' one would grow by one
        # child a record (Lark appends each to the last one's list); it is left empty, as
        # its records were handed out. A record's pairs are kept.
        if children and children[-1] is _HANDED:
            return self._tree(data, [])
        return self._tree(data, children)


_NUMBER_AS_WRITTEN = re.compile(r"[^ \t(]*")


def _one_line_error(token: Token, key: str) -> NoReturn:
    """Where and why a line meant as ``ID = <id>`` or ``ERROR = N (description)`` (the
    whole body, not a list's line) is not one: placed as exactly as a list's errors."""
    line = str(token)
    start = len(key) + 3  # past "ID = " or "ERROR = "
    written = _NUMBER_AS_WRITTEN.match(line, start)
    digits = written.group() if written is not None else ""
    try:
        if key == "ID":
            number(digits, "an id", "id", 1)
        else:
            number(digits, "an error code", "code")
    except Invalid as exc:
        _fail_at(token, start, exc)
    after = start + len(digits)
    if key == "ERROR" and line.startswith(" (", after):
        close = line.rfind(")")
        if close <= after:  # spec §4.6: the description runs to the line's last ")"
            _fail_at(token, len(line), Invalid("the description has no closing ')'", None))
        after = close + 1
        what = "the description's ')'"
    else:
        what = "the id" if key == "ID" else "the error code"
    rest = line[after:]
    at = after + len(rest) - len(rest.lstrip(" \t"))
    wanted = "the end of the line"
    if what == "the error code":
        wanted = "' (description)' or the end of the line"  # spec §4.15: both may follow
    found = line[at : at + 20]
    _fail_at(token, at, Invalid(f"expected {wanted} after {what}, found {found!r}", None))


def _names_a_record(token: Token, start: int) -> bool:
    """Whether a pair after a created or an error line's own is a name: the line is then
    a one-line list whose record has the key ID or ERROR (spec §4.6)."""
    return any(pair.group(1) == "name" for pair in _PAIR_KEY.finditer(token, start))


def _pairs_of(token: Token) -> list[Token]:
    """A line the grammar took whole, as the FIRST_PAIR and NEXT_PAIR tokens of a record."""
    from lark import Token

    starts = [0, *(pair.start() for pair in _PAIR_KEY.finditer(token))]
    ends = [*starts[1:], len(token)]
    return [
        Token(
            "NEXT_PAIR" if start else "FIRST_PAIR",
            token[start:end],
            start_pos=(token.start_pos or 0) + start,
            line=token.line,
            column=(token.column or 1) + start,
        )
        for start, end in zip(starts, ends, strict=True)
    ]


def _unknown_pairs(token: Token, start: int, own: str) -> dict[str, str]:
    """The ``, key = value`` pairs after a created or an error line's own (spec §4.24)."""
    extra: dict[str, str] = {}
    found = list(_PAIR_KEY.finditer(token, start))
    for index, pair in enumerate(found):
        key = pair.group(1)
        if key in extra or key == own:
            _fail_at(token, pair.start(1), Invalid(f"the key {key!r} is given twice", None))
        end = found[index + 1].start() if index + 1 < len(found) else len(token)
        extra[key] = token[pair.end() : end]
    return extra


def _name_elsewhere(
    pairs: list[Token], index: int
) -> tuple[str, list[Token], list[tuple[str, str]]]:
    """A record whose name is not its first pair: the name, the other pairs' tokens and
    their (key, value) pairs; or the error for a record with no name, or two."""
    name: str | None = None
    tokens: list[Token] = []
    fields: list[tuple[str, str]] = []
    for token in pairs:
        shift = 0 if token is pairs[0] else 2  # a NEXT_PAIR starts with its ", "
        key, _, value = token[shift:].partition(" = ")
        if key != "name":
            tokens.append(token)
            fields.append((key, value))
        elif name is None:
            name = value
        else:
            path = f"senders[{index}]"
            _fail_at(token, shift, Invalid(f"{path}: the key 'name' is given twice", path))
    if name is None:
        if len(pairs) == 1 and fields[0][0] in _SHAPES:
            shape = _SHAPES[fields[0][0]]
            if _WHOLE_LINE[fields[0][0]].fullmatch(pairs[0]):
                # Well formed, so not the whole body: the line of a list (spec §4.6).
                _fail_at(
                    pairs[0], 0, Invalid(f"{shape} is a whole body, not a line of a list", None)
                )
            _one_line_error(pairs[0], fields[0][0])
        path = f"senders[{index}]"
        _fail_at(pairs[0], 0, Invalid(f"{path}: the record has no name", path))
    return name, tokens, fields


_parsers: dict[type[_ToModel], Lark] = {}  # by transformer: built on first use, shared
_parser_lock = threading.Lock()


def _build(transformer: _ToModel) -> Lark:
    from lark import Lark

    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        transformer=transformer,
        propagate_positions=False,
        maybe_placeholders=False,
    )


def _shared(transformer: type[_ToModel]) -> Lark:
    found = _parsers.get(transformer)
    if found is None:
        with _parser_lock:
            found = _parsers.get(transformer)
            if found is None:
                found = _parsers[transformer] = _build(transformer())
    return found


def parser() -> Lark:
    """The fmt 0 parser, built on first use (about 10 ms) and shared: LALR is thread-safe."""
    return _shared(_ToModel)


def streaming_parser() -> Lark:
    """The same grammar, whose records go out one by one (:class:`_Streaming`)."""
    return _shared(_Streaming)


_DESCRIBE = {
    "OK": "OK",
    "CREATED": "an 'ID = <id>' line",
    "ERROR": "an 'ERROR = N (description)' line",
    "FIRST_PAIR": "'key = value'",
    "NEXT_PAIR": "', key = value'",
    "_NL": "a new line",
    "$END": "the end",
    # Lark's contextual lexer names the end so when nothing else may follow (after OK).
    "<END-OF-FILE>": "the end",
}


def _expected(names: set[str]) -> str:
    wanted = sorted({_DESCRIBE.get(name, name) for name in names})
    return " or ".join(wanted)


def _lark_error() -> type[UnexpectedInput]:
    """Lark's parse errors' base class, looked up only when one is raised."""
    from lark.exceptions import UnexpectedInput

    return UnexpectedInput


# Bodies from this many characters on are parsed up to their trailing newlines in place
# (a Lark TextSlice) rather than copied without them: the copy was a whole second body
# (docs/performance.md); below it, the copy costs less than the slice.
_SLICE_FROM = 65_536


def _content(text: str, end: int) -> str | TextSlice[str]:
    """``text`` up to ``end`` (spec §4.1: trailing newlines are accepted), for Lark."""
    if end == len(text):
        return text
    if end < _SLICE_FROM:
        return text[:end]
    from lark import TextSlice

    return TextSlice(text, 0, end)


def _placed(exc: DecodeError, body: str) -> DecodeError:
    """The transformer's error (Lark calls it inline), placed again on the body: an empty
    value at its very end is "at end of input", as in every format (spec §4.13)."""
    return DecodeError.at(exc.msg, body, exc.offset, path=exc.path)


def decode(text: str, _utf8: bytes | None = None) -> Response:
    """Decode fmt 0 text (already checked and LF-only) into the model."""
    source: str | TextSlice[str] = text
    end = len(text)
    if text.endswith("\n"):  # spec §4.1: trailing newlines are accepted
        end = content_end(text)
        source = _content(text, end)
    if not end:
        return SenderList()  # spec §4.8
    try:
        result: Response = parser().parse(source)  # type: ignore[assignment]
    except DecodeError as exc:
        raise _placed(exc, text[:end]) from None
    except _lark_error() as exc:  # evaluated only when an exception propagates
        raise _syntax_error(exc, text[:end]) from None
    return result


def stream(text: str) -> Iterator[Sender] | None:
    """The senders of a list of several lines in fmt 0 text (checked, LF-only), one by
    one as Lark reads them: what :func:`decode` gives, and its error at the same record,
    after the records before it. None for an empty body or one of one line (OK, created,
    an error, or a list of one): :func:`decode` reads those."""
    end = content_end(text)
    if text.find("\n", 0, end) < 0:
        return None
    return _stream(text, end)


def _stream(text: str, end: int) -> Iterator[Sender]:
    """Lark's interactive parser, stepped until it has reduced a record; the records of
    each step are handed out before the next step, so that no more than a line's are
    held."""
    interactive = streaming_parser().parse_interactive(_content(text, end))
    tokens = interactive.iter_parse()  # each step feeds the token before the one it gives
    sink: list[Sender] = []
    last: Token | None = None
    error: DecodeError | None = None
    done = False
    while not done:
        _streaming.sink = sink  # another stream may have stepped in this thread since
        try:
            for last in tokens:  # noqa: B007 - the last token is the end's place
                if sink:
                    break
            else:
                # As Lark's parse() ends, borrowing the last token's place.
                interactive.feed_eof(last)  # type: ignore[no-untyped-call]
                done = True
        except DecodeError as exc:
            error = _placed(exc, text[:end])
        except _lark_error() as exc:
            error = _syntax_error(exc, text[:end])
        finally:
            _streaming.sink = None
        # A step that failed may have reduced a record first (the lexer fails on the line
        # after it): it was read before the fault, so it goes out.
        yield from sink
        sink.clear()
        if error is not None:
            raise error


def _syntax_error(exc: UnexpectedInput, body: str) -> DecodeError:
    """The DecodeError for what Lark's lexer or LALR parser refused."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        where = exc.pos_in_stream or 0
        found = body[where : where + 20].split("\n")[0]
        return DecodeError.at(f"expected {_expected(exc.allowed)}, found {found!r}", body, where)
    assert isinstance(exc, UnexpectedToken)  # LALR raises only these two
    if exc.token.type == "$END":
        return DecodeError.at(f"expected {_expected(exc.expected)}", body, len(body))
    found = _DESCRIBE.get(exc.token.type, exc.token.type)
    return DecodeError.at(
        f"expected {_expected(exc.expected)}, found {found}", body, exc.token.start_pos or 0
    )


def _value(value: object, path: str) -> str:
    text = check_string(value, path)
    if _CARRY.splits_value.search(text):
        raise EncodeError("a value holding a newline or ', <key> = ' has no fmt 0 form", path=path)
    return text


def _line(sender: Sender, index: int) -> str:
    parts = list(sender_parts(sender, index))  # checks that it is a Sender first
    pieces = [f"name = {_value(sender.name, f'senders[{index}].name')}"]
    for key, value, path, known in parts:
        if not known:
            if key in _CARRY.reserved_keys or not _KEYS.fullmatch(key):
                raise EncodeError(f"{key!r} cannot be a fmt 0 key", path=path)
            if not isinstance(value, str):
                raise EncodeError(
                    f"fmt 0 holds only text values, not {type(value).__name__}",
                    path=path,
                )
            value = _value(value, path)
        pieces.append(f"{key} = {value}")
    return ", ".join(pieces)


def _plain_lines(plain: PlainList) -> str:
    """What _line writes for each sender of a checked list (see plain_list)."""
    names, ids = plain.names, plain.ids
    if plain.operators is not None:
        columns = [plain.operators[key] for key in OPERATOR_KEYS]
        rows = zip(names, *columns, ids, strict=True)
        return "\n".join([_OPERATOR_LINE % row for row in rows])
    if plain.statuses is not None:
        rows = zip(names, plain.statuses, ids, strict=True)
        return "\n".join(
            [f"name = {name}, status = {status}, id = {id_}" for name, status, id_ in rows]
        )
    return "\n".join([f"name = {name}, id = {id_}" for name, id_ in zip(names, ids, strict=True)])


def encode(response: Response) -> str:
    """Write the model as fmt 0 text, in the server's layout."""
    if isinstance(response, SenderList):
        plain = plain_list(response.senders)
        if plain is not None and not _CARRY.splits_value.search(plain.joined):
            return _plain_lines(plain)
        return "\n".join([_line(sender, index) for index, sender in enumerate(response.senders)])
    if isinstance(response, SenderCreated):
        pairs = _extra_pairs(response.extra, "ID")
        return f"ID = {check_number(response.id, 'id', 1)}{pairs}"
    if isinstance(response, ApiError):
        code = check_number(response.code, "code")
        description = standard_description(response)
        if "\n" in description:
            raise EncodeError(
                "a description holding a newline has no fmt 0 form", path="description"
            )
        return f"ERROR = {code} ({description}){_extra_pairs(response.extra, 'ERROR')}"
    return "OK"


def _extra_pairs(extra: Mapping[str, Any], own: str) -> str:
    """An error's or a created answer's unknown keys as ``, key = value`` pairs after its
    own (spec §4.24), refused where the line would read back otherwise."""
    if not extra:
        return ""  # the common answer: the cost of one call
    pieces = []
    for key, value in extra.items():
        path = f"extra.{key}"
        if not isinstance(key, str):
            raise TypeError(f"extra keys must be str, not {type(key).__name__}")
        if key in (own, "name") or not _KEYS.fullmatch(key):
            # "name" would make the line a list's record; its own key a duplicate.
            raise EncodeError(f"{key!r} cannot be an unknown key of this line", path=path)
        if not isinstance(value, str):
            raise EncodeError(
                f"fmt 0 holds only text values, not {type(value).__name__}", path=path
            )
        value = _value(value, path)
        if own == "ERROR" and value.endswith(")"):
            # The description runs to the line's last ")" before ", key = " or the end.
            raise EncodeError("a value ending with ')' has no fmt 0 form after an error", path=path)
        pieces.append(f", {key} = {value}")
    return "".join(pieces)
