"""Hypothesis strategies for fmtcodec's model and for wire bodies (the ``hypothesis`` extra).

Models of every kind and view, and bodies that decode to a known model::

    from hypothesis import given
    from fmtcodec.testing import strategies as fs

    @given(fs.bodies(fmt=2, charset="windows-1251"))
    def test_my_client_reads_every_list(body):
        data, expected = body
        assert fmtcodec.decode(data, 2, charset="windows-1251") == expected

Every strategy that takes ``fmt`` gives, when it is set, only models that come back equal
from ``decode(encode(model, fmt), fmt)``: names and values that format can carry (spec
§4.5, §4.10), views it has (fmt 1 has no ``operators=1`` view and no unknown keys), and
error descriptions as that format returns them (fmt 1 carries none, so ``None``; the others
always a text). ``charset`` limits the text to characters that charset can encode. With
neither, any model the wire could give, in some format.

Installing the package registers these with Hypothesis (the ``hypothesis`` entry point), so
``st.from_type(fmtcodec.SenderList)`` and the other model types draw from here, with
unknown keys and unknown codes included.
"""

from __future__ import annotations

from typing import Any


def _for_type(model_type: type) -> Any:
    # Resolved when from_type() is first used, so that the module may still be loading when
    # Hypothesis runs the hook below (importing this module imports Hypothesis, whose import
    # runs the entry point, which loads this module).
    return _FROM_TYPE[model_type]()


def _hypothesis_setup_hook() -> None:
    """Register the model types with Hypothesis; run by its ``hypothesis`` entry point."""
    from hypothesis import strategies as st

    from .._model import ApiError, Ok, Sender, SenderCreated, SenderList
    from .._request import Request

    for model_type in (Sender, SenderList, SenderCreated, Ok, ApiError, Request):
        st.register_type_strategy(model_type, _for_type)


try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as exc:  # pragma: no cover - the test suite always has Hypothesis
    raise ImportError(
        "fmtcodec.testing.strategies needs Hypothesis: pip install 'fmtcodec[hypothesis]'"
    ) from exc

import codecs  # noqa: E402
import functools  # noqa: E402
import re  # noqa: E402
import string  # noqa: E402
from collections.abc import Callable, Collection, Iterable, Mapping  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from typing import Literal, TypeVar, cast  # noqa: E402

from .._api import encode  # noqa: E402
from .._carry import CARRY, Carry  # noqa: E402
from .._model import (  # noqa: E402
    ERROR_CODES,
    OPERATOR_KEYS,
    OPERATOR_STATUSES,
    SENDER_STATUSES,
    ApiError,
    ErrorCode,
    Fmt,
    Ok,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
)
from .._request import Command, Request  # noqa: E402
from .._source import FORBIDDEN_IN_DECODED, charset_name  # noqa: E402
from .._values import MAX_NUMBER  # noqa: E402

__all__ = [
    "NAME_KINDS",
    "VIEWS",
    "Options",
    "api_errors",
    "bodies",
    "created",
    "extra_keys",
    "ids",
    "names",
    "oks",
    "requests",
    "responses",
    "sender_lists",
    "senders",
]

View = Literal["plain", "all", "operators"]
ListView = Literal["plain", "all", "operators", "mixed"]
NameKind = Literal["rule", "phone", "legacy", "unicode"]

VIEWS: tuple[View, ...] = ("plain", "all", "operators")
"""The list views: ``get=1``, ``get=1&all=1`` (a status) and ``get=1&operators=1``."""

NAME_KINDS: tuple[NameKind, ...] = ("rule", "phone", "legacy", "unicode")
"""Kinds of names :func:`names` draws: ``rule`` follows the documented rule (latin letters,
digits, ``.``, ``-``, ``_``, up to 11 characters); ``phone`` is a digital name (a phone
number); ``legacy`` an old name that breaks the rule (Cyrillic, spaces, ``&``, ``<``, ``"``,
``, ``); ``unicode`` any text the character policy allows (spec §4.10), tabs and newlines too."""

# What the formats carry is the library's own table (fmtcodec._carry); the property tests
# keep an oracle of their own.
_FORBIDDEN = frozenset(filter(FORBIDDEN_IN_DECODED.match, map(chr, range(0x20))))  # spec §4.10
# Never drawn, even with no fmt: XML 1.0 has no U+FFFE or U+FFFF.
_NEVER = _FORBIDDEN | set(CARRY[2].name_excludes)
_KNOWN_KEYS = frozenset({"id", "status", *OPERATOR_KEYS})

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
_RULE_ALPHABET = string.ascii_letters + string.digits + ".-_"
_LEGACY_WORDS = (
    # Names registered before the rule, of the kinds old accounts still send.
    "ООО Ромашка",
    "ИП Иванов",
    "Смирнов, ИП",
    "Такси 24",
    "Аптека №1",
    "«Ёлка»",
    '"Кафе"',
    "Tom & Jerry",
    "<Shop>",
    "A&B",
    "Bank <Online>",
    "Pizza, Sushi",
    "SMS Info",
    "Магазин",
)
# Characters old names hold that the documented rule does not allow.
_GLUE = " ,&<>\"-.'«»№()!"
_KNOWN_EXTRA_KEYS = (
    # Plausible names for the replacement ("заменяющий аналог") keys and for operator keys
    # added after spec §2 was written (spec §4.3: expect new keys).
    "mega_repl",
    "bee_repl",
    "mts_alt",
    "replacement",
    "tele2_repl",
    "kz_reg",
    "kz_int",
    "yota_step",
    "tinkoff_step",
    "note",
)

_ALIASES = {
    "windows-1251": ("windows-1251", "cp1251"),
    "koi8-r": ("koi8-r", "koi8_r"),
    "utf-8": ("utf-8", "UTF-8", "utf8"),
}


# ---------------------------------------------------------------------------------------
# What a format and a charset can carry


def _charset(charset: str | None) -> str | None:
    if charset is None:
        return None
    try:
        return charset_name(charset)
    except (ValueError, TypeError):
        raise InvalidArgument(
            f"charset must be utf-8, windows-1251 or koi8-r, not {charset!r}"
        ) from None


def _fmt(fmt: int | None) -> int | None:
    if fmt is None:
        return None
    if isinstance(fmt, bool) or not isinstance(fmt, int) or not 0 <= fmt <= 3:
        raise InvalidArgument(f"fmt must be 0, 1, 2, 3 or None, not {fmt!r}")
    return int(fmt)


@dataclass(frozen=True)
class Options:
    """What the model strategies draw, given once: ``fs.responses(fs.Options(fmt=2))``.

    ``fmt``: only models that come back equal from ``decode(encode(model, fmt), fmt)``:
    names and texts that format can carry (spec §4.5, §4.10), views it has (fmt 1 has no
    ``operators=1`` view and no unknown keys), and error descriptions as it returns them.
    ``charset``: only characters that charset can encode. ``unknown_keys``: some records
    and answers hold unknown keys (``extra``, spec §4.3, §4.24). ``unknown_codes``: codes
    outside the tables too, as their enums' UNKNOWN members (spec §4.3). ``name_kinds``:
    the kinds of names drawn (see :data:`NAME_KINDS`).

    A value outside these raises Hypothesis's ``InvalidArgument`` here.
    """

    fmt: int | None = None
    charset: str | None = None
    unknown_keys: bool = False
    unknown_codes: bool = False
    name_kinds: Collection[NameKind] = ("rule", "phone", "legacy")

    def __post_init__(self) -> None:
        kinds = tuple(self.name_kinds)
        if not kinds or any(kind not in NAME_KINDS for kind in kinds):
            raise InvalidArgument(
                f"name_kinds must be a non-empty choice of {NAME_KINDS}, not {self.name_kinds!r}"
            )
        object.__setattr__(self, "name_kinds", kinds)
        object.__setattr__(self, "fmt", _fmt(self.fmt))
        object.__setattr__(self, "charset", _charset(self.charset))

    @property
    def carry(self) -> Carry | None:
        """What ``fmt`` can carry; None when no format is chosen."""
        return None if self.fmt is None else CARRY[self.fmt]


_ANY = Options()


def _keys_carried(options: Options) -> Options:
    """``options``, refused when it asks for unknown keys in a format that has none."""
    if options.unknown_keys and options.carry is not None and options.carry.unknown_keys is None:
        raise InvalidArgument(f"fmt {options.fmt} cannot carry unknown keys (spec §4.5)")
    return options


def _encodable(text: str, charset: str | None) -> bool:
    if charset is None or charset == "utf-8":
        return True
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def _alphabet(chars: Iterable[str], charset: str | None) -> list[str]:
    return [char for char in chars if _encodable(char, charset)]


def _excluded(carry: Carry | None, *, description: bool) -> str:
    """Characters a format cannot carry anywhere in a name (or in other text)."""
    if carry is None:
        return ""
    return carry.text_excludes if description else carry.name_excludes


def _charset_characters(
    charset: str | None, excluded: str = ""
) -> st.SearchStrategy[str] | list[str]:
    """Any character the policy and the charset allow, less ``excluded`` (an alphabet for
    st.text)."""
    if charset is None or charset == "utf-8":
        return st.characters(codec="utf-8", exclude_characters=_NEVER | set(excluded))
    allowed = []
    for byte in range(256):
        try:
            char = bytes([byte]).decode(charset)
        except UnicodeDecodeError:  # cp1251 has no 0x98
            continue
        if char not in _NEVER and char not in excluded:
            allowed.append(char)
    return allowed


# ---------------------------------------------------------------------------------------
# Names, ids, codes, keys


# Each kind of name is one or two choices for Hypothesis (a text over an alphabet, or an
# integer), which keeps a list of senders cheap to generate.


def _rule_names() -> st.SearchStrategy[str]:
    return st.text(alphabet=_RULE_ALPHABET, min_size=1, max_size=11)


def _phone_names() -> st.SearchStrategy[str]:
    # Russia 7 + 10 digits, Ukraine 380 + 9 and Belarus 375 + 9, and other lengths of E.164.
    return st.one_of(
        st.integers(7 * 10**10, 8 * 10**10 - 1),
        st.integers(375 * 10**9, 381 * 10**9 - 1),
        st.integers(10**5, 10**15 - 1),
    ).map(str)


def _legacy_names(charset: str | None, excluded: str = "") -> st.SearchStrategy[str]:
    words = [
        word
        for word in _LEGACY_WORDS
        if _encodable(word, charset) and not any(char in excluded for char in word)
    ]
    letters = _alphabet(_CYRILLIC + string.ascii_letters + string.digits + _GLUE, charset)
    letters = [char for char in letters if char not in excluded]
    return st.one_of(st.sampled_from(words), st.text(alphabet=letters, min_size=1, max_size=16))


def _unicode_text(charset: str | None, excluded: str = "") -> st.SearchStrategy[str]:
    return st.text(alphabet=_charset_characters(charset, excluded), max_size=20)


def names(options: Options = _ANY) -> st.SearchStrategy[str]:
    """Sender names of ``options.name_kinds`` (see :data:`NAME_KINDS`).

    With a ``fmt``, only names that format can carry: fmt 0 none holding a newline or
    ``, key = ``; fmt 1 none holding a comma or a newline; fmt 2 none holding U+FFFE or
    U+FFFF (spec §4.5). With a ``charset``, only characters it can encode. No name ever
    holds a character spec §4.10 forbids (NUL, C0 controls other than tab and newline,
    CR, lone surrogates).
    """
    excluded = _excluded(options.carry, description=False)
    makers: dict[str, Callable[[], st.SearchStrategy[str]]] = {
        "rule": _rule_names,
        "phone": _phone_names,
        "legacy": lambda: _legacy_names(options.charset, excluded),
        "unicode": lambda: _unicode_text(options.charset, excluded),
    }
    branches = [makers[kind]() for kind in options.name_kinds]
    return _fitting(branches, options.carry, description=False)


def _fitting(
    branches: list[st.SearchStrategy[str]], carry: Carry | None, *, description: bool
) -> st.SearchStrategy[str]:
    """One of ``branches``: texts over alphabets that the policy, the charset and the
    format allow, so that only what splits a value (fmt 0's ``, key = ``: spec §4.5) is
    left to filter out. (A filter on each branch, not on the one_of: Hypothesis draws
    that about twice as fast.)"""
    if carry is None or description:
        return st.one_of(branches)
    splits = carry.splits_value

    def fits(text: str) -> bool:
        return splits.search(text) is None

    return st.one_of([branch.filter(fits) for branch in branches])


def _texts(options: Options, *, description: bool) -> st.SearchStrategy[str]:
    """Free text (an unknown key's value, a description) that the format carries."""
    excluded = _excluded(options.carry, description=description)
    branches = [
        _legacy_names(options.charset, excluded),
        _unicode_text(options.charset, excluded),
        st.just(""),
    ]
    return _fitting(branches, options.carry, description=description)


def ids() -> st.SearchStrategy[int]:
    """Ids: positive integers up to 2^63-1 (spec §4.7); Hypothesis favours small ones."""
    return st.integers(1, MAX_NUMBER)


def _unknown_codes(table: Mapping[int, Any]) -> st.SearchStrategy[int]:
    """Codes outside ``table``, kept as plain ints (spec §4.3); small ones are the likely
    additions."""
    known = sorted(table)

    def skip_known(number: int) -> int:
        # The number-th integer not in the table: no filter, so no draw is thrown away.
        for code in known:
            if number >= code:
                number += 1
        return number

    return st.integers(0, MAX_NUMBER - len(known)).map(skip_known)


_E = TypeVar("_E", SenderStatus, OperatorStatus, ErrorCode)


def _codes(table: Mapping[int, _E], unknown_codes: bool) -> st.SearchStrategy[_E]:
    known: st.SearchStrategy[_E] = st.sampled_from(sorted(table.values()))
    if not unknown_codes:
        return known
    # table[code] gives an unknown code's UNKNOWN member, as the decoders do.
    return st.one_of(known, _unknown_codes(table).map(table.__getitem__))


def _operators(unknown_codes: bool) -> st.SearchStrategy[dict[str, OperatorStatus]]:
    """An operators=1 record's statuses: every key, as the server writes, or some of them.

    The keys and their known statuses are one choice each (a bit mask and a number in base
    9), so that a 19-key record costs Hypothesis three draws rather than twenty.
    """
    statuses = sorted(OPERATOR_STATUSES.values())
    every = (1 << len(OPERATOR_KEYS)) - 1
    keys = st.one_of(st.just(every), st.integers(1, every))
    digits = st.integers(0, len(statuses) ** len(OPERATOR_KEYS) - 1)
    unknown = st.lists(
        st.tuples(
            st.sampled_from(OPERATOR_KEYS),
            _unknown_codes(OPERATOR_STATUSES).map(OPERATOR_STATUSES.__getitem__),
        ),
        max_size=2,
    )

    @st.composite
    def operators(draw: st.DrawFn) -> dict[str, OperatorStatus]:
        mask, number = draw(keys), draw(digits)
        result: dict[str, OperatorStatus] = {}
        for bit, key in enumerate(OPERATOR_KEYS):
            number, digit = divmod(number, len(statuses))
            if mask >> bit & 1:
                result[key] = statuses[digit]
        if unknown_codes:
            for key, code in draw(unknown):
                if key in result:
                    result[key] = code
        return result

    return operators()


def extra_keys(options: Options = _ANY) -> st.SearchStrategy[str]:
    """Names of unknown keys (spec §4.3) a record can hold in ``options.fmt`` (any format
    when None).

    Never a known key (``id``, ``status``, an operator key) nor one the format reserves
    (``name`` in fmt 0, ``sender`` in fmt 3). fmt 0 and fmt 2 keys are identifiers
    (``[A-Za-z_][A-Za-z0-9_]*``, none starting with ``xml``, which XML reserves); fmt 3 keys
    may be any text (limited to what the ``charset`` encodes). fmt 1 has no unknown keys.
    """
    _keys_carried(replace(options, unknown_keys=True))
    identifier = st.builds(
        str.__add__,
        st.sampled_from(string.ascii_letters + "_"),
        st.text(alphabet=string.ascii_letters + string.digits + "_", max_size=14),
    )
    branches = [st.sampled_from(_KNOWN_EXTRA_KEYS), identifier]
    carries = [options.carry] if options.carry is not None else list(CARRY.values())
    if all(carry.json_values for carry in carries):  # any text is a key
        branches += [_legacy_names(options.charset), _unicode_text(options.charset)]
    reserved = _KNOWN_KEYS.union(*(carry.reserved_keys for carry in carries))

    def allowed(key: str) -> bool:
        return key not in reserved and not key.lower().startswith("xml")

    return st.one_of([branch.filter(allowed) for branch in branches])


def _json_values(options: Options) -> st.SearchStrategy[Any]:
    text = _texts(replace(options, fmt=3), description=True)
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**64 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        text,
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)
        ),
        max_leaves=4,
    )


def _extras(options: Options) -> st.SearchStrategy[dict[str, Any]]:
    values: st.SearchStrategy[Any] = _texts(options, description=False)
    if options.carry is None or options.carry.json_values:
        values = st.one_of(values, _json_values(options))
    return st.dictionaries(extra_keys(options), values, min_size=1, max_size=2)


# ---------------------------------------------------------------------------------------
# Models


def _views(options: Options, view: str | None, allowed: Collection[str | None]) -> list[View]:
    """The views to draw senders in: ``view``'s, or every one the format has when None."""
    if view not in allowed:
        raise InvalidArgument(f"view must be one of {sorted(map(str, allowed))}, not {view!r}")
    carry = options.carry
    if carry is not None and not carry.operators_view and view in ("operators", "mixed"):
        raise InvalidArgument(f"fmt {options.fmt} has no form for the {view} view (spec §4.5)")
    chosen: list[View] = list(VIEWS) if view in (None, "mixed") else [cast(View, view)]
    return [each for each in chosen if each != "operators" or carry is None or carry.operators_view]


def senders(view: View | None = None, options: Options = _ANY) -> st.SearchStrategy[Sender]:
    """One :class:`~fmtcodec.Sender` in ``view`` (``"plain"``, ``"all"`` or ``"operators"``;
    any of them when None), drawn as ``options`` say (:class:`Options`).

    The ``all`` view has a status; the ``operators`` view all 19 operator keys or a
    non-empty part of them. ``unknown_keys`` gives some senders unknown keys (``extra``;
    not allowed with fmt 1).
    """
    options = _keys_carried(options)
    return _senders(options, _views(options, view, (*VIEWS, None)))


def _senders(options: Options, views: list[View]) -> st.SearchStrategy[Sender]:
    name = names(options)
    status = _codes(SENDER_STATUSES, options.unknown_codes)
    operators = _operators(options.unknown_codes)
    extra = st.one_of(st.just({}), _extras(options)) if options.unknown_keys else st.just({})
    view_of = st.sampled_from(views)
    sender_id = ids()

    @st.composite
    def sender(draw: st.DrawFn) -> Sender:
        chosen = draw(view_of)
        return Sender(
            name=draw(name),
            id=draw(sender_id),
            status=draw(status) if chosen == "all" else None,
            operators=draw(operators) if chosen == "operators" else {},
            extra=draw(extra),
        )

    return sender()


def sender_lists(
    view: ListView | None = None, options: Options = _ANY, *, max_size: int = 5
) -> st.SearchStrategy[SenderList]:
    """A :class:`~fmtcodec.SenderList` (the answer to ``get=1``), empty or not.

    Every sender of one list has the same ``view``, as the server writes them; ``"mixed"``
    gives each sender a view of its own (fmt 0, 2 and 3 carry that; fmt 1 does not). With
    ``view=None`` a list is drawn in any of them. A list holds at most ``max_size``
    senders, drawn as :func:`senders` draws them.
    """
    options = _keys_carried(options)
    views = _views(options, view, (*VIEWS, "mixed", None))
    if view is None:
        return _any_lists(options, views, max_size)
    return _lists_of(options, views, max_size)  # "mixed": each sender a view of its own


def _lists_of(options: Options, views: list[View], max_size: int) -> st.SearchStrategy[SenderList]:
    sender = _senders(options, views)
    return st.builds(lambda items: SenderList(senders=items), st.lists(sender, max_size=max_size))


def _any_lists(options: Options, views: list[View], max_size: int) -> st.SearchStrategy[SenderList]:
    """Lists in one view each, and mixed lists where the format has every view."""
    branches = [_lists_of(options, [each], max_size) for each in views]
    if len(views) == len(VIEWS):
        branches.append(_lists_of(options, views, max_size))
    return st.one_of(branches)


# Parameter names the model does not know: the API page's other parameters, and any other.
_EXTRA_NAMES = ("mail", "name", "doc_info", "mts_reg", "mts_info", "tele2_reg", "beeline_reg")
_KNOWN_PARAMETERS = frozenset(
    {command.value for command in Command}
    | {"sender", "id", "cmt", "code", "all", "operators", "fmt", "charset"}
    | {"login", "psw", "apikey"}
)


def _parameter_names() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_EXTRA_NAMES),
        st.text(min_size=1, max_size=12).filter(lambda name: name not in _KNOWN_PARAMETERS),
    )


def requests(
    *, commands: Collection[Command] | None = None, credentials: bool = True
) -> st.SearchStrategy[Request]:
    """A :class:`~fmtcodec.Request` the API would accept: any of ``commands`` (default:
    all six) with the parameters it needs and, at random, the optional ones (``cmt``,
    ``all``, ``operators``, ``fmt``, ``charset`` under any alias, unknown parameters with
    any text), signed with ``login`` + ``psw``, with ``apikey`` or not at all (only
    unsigned when ``credentials`` is false). Text values are any Unicode, empty or not,
    where the API takes free text; ``sender`` and ``code`` are never empty.
    """
    chosen = sorted(Command if commands is None else commands, key=lambda c: c.value)
    text = st.text(max_size=20)
    filled = st.text(min_size=1, max_size=20)
    aliases = st.sampled_from(["utf-8", "UTF8", "windows-1251", "cp1251", "koi8-r", "KOI8_R"])
    signing: st.SearchStrategy[dict[str, str]] = (
        st.one_of(
            st.just({}),
            st.fixed_dictionaries({"login": text, "psw": text}),
            st.fixed_dictionaries({"apikey": text}),
        )
        if credentials
        else st.just({})
    )

    @st.composite
    def request(draw: st.DrawFn) -> Request:
        command = draw(st.sampled_from(chosen))
        fields: dict[str, Any] = {"command": command}
        if command is Command.GET:
            fields["all"] = draw(st.booleans())
            fields["operators"] = draw(st.booleans())
        elif command in (Command.CHG, Command.DEL):
            if draw(st.booleans()):
                fields["sender"] = draw(filled)
            else:
                fields["id"] = draw(ids())
            if command is Command.CHG:
                fields["cmt"] = draw(text)
        else:
            fields["sender"] = draw(filled)
            if command is Command.ADD:
                fields["cmt"] = draw(st.none() | text)
            elif command is Command.CHECK_CODE:
                fields["code"] = draw(filled)
        fields["fmt"] = draw(st.none() | st.sampled_from(list(Fmt)))
        fields["charset"] = draw(st.none() | aliases)
        fields.update(draw(signing))
        fields["extra"] = draw(st.dictionaries(_parameter_names(), text, max_size=3))
        return Request(**fields)

    return request()


# Keys an answer's unknown keys never take, whatever the format: its own keys in every
# format, and keys that would make it another shape (spec §4.24).
_ANSWER_RESERVED = {
    "created": frozenset({"ID", "id", "name", "list", "sender", "result", "error", "error_code"}),
    "error": frozenset({"ERROR", "name", "list", "sender", "result", "error", "error_code"}),
}


def _answer_extras(kind: str, options: Options) -> st.SearchStrategy[dict[str, Any]]:
    """The unknown keys of an error or a created answer (spec §4.24): none without
    ``unknown_keys`` or in fmt 1; an error's fmt 0 values never end with ")", which would
    run into its description."""
    if not options.unknown_keys:
        return st.just({})
    reserved = _ANSWER_RESERVED[kind]
    extras = _extras(options).filter(lambda extra: not reserved & set(extra))
    if options.fmt == 0 and kind == "error":
        extras = extras.filter(lambda extra: not any(v.endswith(")") for v in extra.values()))
    return st.one_of(st.just({}), extras)


def created(options: Options = _ANY) -> st.SearchStrategy[SenderCreated]:
    """A :class:`~fmtcodec.SenderCreated` (the answer to ``add=1``): a new name's id, and
    with ``unknown_keys`` sometimes unknown keys that the ``fmt`` can carry (refused with
    fmt 1, which has none)."""
    return st.builds(SenderCreated, ids(), _answer_extras("created", _keys_carried(options)))


def oks() -> st.SearchStrategy[Ok]:
    """The bare acknowledgement :class:`~fmtcodec.Ok`."""
    return st.just(Ok())


def api_errors(options: Options = _ANY) -> st.SearchStrategy[ApiError]:
    """An :class:`~fmtcodec.ApiError`: a code and a description.

    The description is the code's standard wording, another text, or (with no ``fmt``)
    ``None``. With a ``fmt`` it is what that format gives back: always ``None`` in fmt 1,
    which carries none, and always a text in the others, which write the standard wording
    for ``None`` (spec §4.4); fmt 0 texts hold no newline. ``unknown_codes`` adds codes
    outside the table (spec §3). ``unknown_keys`` sometimes adds unknown keys the ``fmt``
    can carry (spec §4.24; refused with fmt 1, which has none).
    """
    options = _keys_carried(options)
    code = _codes(ERROR_CODES, options.unknown_codes)
    if options.carry is not None and not options.carry.description:
        return st.builds(ApiError, code=code, description=st.none())
    extras = _answer_extras("error", options)

    text = _texts(options, description=True)
    kinds = st.sampled_from(["standard", "text", *(["none"] if options.carry is None else [])])

    @st.composite
    def error(draw: st.DrawFn) -> ApiError:
        drawn = draw(code)
        kind = draw(kinds)
        description: str | None = None
        if kind == "standard":
            description = drawn.description if drawn.known else ""
        elif kind == "text":
            description = draw(text)
        return ApiError(drawn, description, draw(extras))

    return error()


def responses(options: Options = _ANY, *, max_senders: int = 5) -> st.SearchStrategy[Response]:
    """Any response: a list (any view), a created id, ``Ok`` or an error, drawn as
    :func:`sender_lists` (``max_senders`` is its ``max_size``), :func:`created` and
    :func:`api_errors` draw them. With fmt 1, ``unknown_keys`` is ignored, as fmt 1 has
    none to give.
    """
    if options.carry is not None and options.carry.unknown_keys is None:
        options = replace(options, unknown_keys=False)
    lists = _any_lists(options, _views(options, None, (None,)), max_senders)
    return st.one_of(lists, created(options), oks(), api_errors(options))


# ---------------------------------------------------------------------------------------
# Wire bodies

_XML_CHILD_LINE = re.compile(r"\n(?=<(?:sender|id|error|error_code)[ >]|</(?:list|result)>)")


def _layouts(fmt: int, charset: str) -> st.SearchStrategy[Callable[[str], bytes]]:
    """The tolerated variations of the server's layout (spec §4.1, section 2, 4.9)."""

    indents = st.sampled_from(["", " ", "  ", "\t"])
    flag = st.booleans()
    trailings = st.integers(0, 2)
    aliases = st.sampled_from(_ALIASES[charset])

    @st.composite
    def layout(draw: st.DrawFn) -> Callable[[str], bytes]:
        indent = draw(indents)
        compact = fmt == 3 and draw(flag)
        crlf = draw(flag)
        trailing = "\n" * draw(trailings)
        declaration = fmt == 2 and draw(flag)
        alias = draw(aliases)
        bom = charset == "utf-8" and draw(flag)

        def apply(text: str) -> bytes:
            if fmt == 3:
                # A raw newline in fmt 3 only ever separates tokens: strings escape theirs.
                text = text.replace("\n", "" if compact else "\n" + indent)
            elif fmt == 2:
                # Only before markup: a name's text may hold newlines of its own.
                text = _XML_CHILD_LINE.sub("\n" + indent, text)
                if declaration:
                    text = f'<?xml version="1.0" encoding="{alias}"?>\n{text}'
            text += trailing
            if crlf:
                text = text.replace("\n", "\r\n")
            data = text.encode(charset)
            return codecs.BOM_UTF8 + data if bom else data

        return apply

    return layout()


def bodies(
    fmt: int, charset: str = "utf-8", *, canonical: bool = False
) -> st.SearchStrategy[tuple[bytes, Response]]:
    """Wire bodies in ``fmt`` and ``charset``, each with the model it decodes to.

    ``decode(data, fmt, charset=charset) == model`` for every ``(data, model)`` drawn.
    Models are any :func:`responses` that format can carry, unknown keys (fmt 0, 2, 3) and
    unknown codes included. ``canonical=True`` gives exactly the server's layout
    (``encode(model, fmt)`` in ``charset``); otherwise the layouts decoders must accept
    too: CRLF line endings, trailing newlines, indentation and compact JSON, an XML
    declaration naming the charset, and a UTF-8 BOM (spec §4.1, 4.9).

    With ``fmt=None`` detection gives the same model, except for fmt 1 lists whose first
    name starts like another format (``<``, ``[``, ``{``, ``name = ``...: spec §4.2).
    """
    checked = _fmt(fmt)
    if checked is None:
        raise InvalidArgument("bodies() needs a fmt: 0, 1, 2 or 3")
    name = _charset(charset)
    assert name is not None
    return _bodies(checked, name, canonical)


@functools.cache
def _bodies(checked: int, name: str, canonical: bool) -> st.SearchStrategy[tuple[bytes, Response]]:
    # Built once for each of the 24 choices: a strategy is immutable, and building this
    # one cost twice as much as a draw from it (tests draw it inside st.data()).
    models = responses(Options(checked, name, unknown_keys=True, unknown_codes=True))
    if canonical:
        return st.builds(lambda model: (encode(model, checked).encode(name), model), models)
    return st.builds(
        lambda model, layout: (layout(encode(model, checked)), model),
        models,
        _layouts(checked, name),
    )


_WILD = Options(unknown_keys=True, unknown_codes=True)
_FROM_TYPE: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Sender: lambda: senders(options=_WILD),
    SenderList: lambda: sender_lists(options=_WILD),
    SenderCreated: created,
    Ok: oks,
    ApiError: lambda: api_errors(Options(unknown_codes=True)),
    Request: requests,
}
