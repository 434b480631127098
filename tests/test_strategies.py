"""The public Hypothesis strategies, fmtcodec.testing.strategies (issue 6, item 2)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import fmtcodec
from fmtcodec import (
    OPERATOR_KEYS,
    ApiError,
    Ok,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    decode,
    encode,
)
from fmtcodec.testing import strategies as fs

FORMATS = (0, 1, 2, 3)
CHARSETS = ("utf-8", "windows-1251", "koi8-r")
_POLICY = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")  # spec §4.10


def found(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> Any:
    """The first example of ``strategy`` meeting ``condition`` (not shrunk), or a failure."""
    return find(
        strategy,
        condition,
        settings=settings(max_examples=2000, database=None, phases=[Phase.generate]),
    )


def views(response: object) -> set[str]:
    assert isinstance(response, SenderList)
    return {
        "operators" if s.operators else "all" if s.status is not None else "plain"
        for s in response.senders
    }


def strings(response: Response) -> list[str]:
    if isinstance(response, SenderList):
        return [
            text
            for sender in response.senders
            for text in (sender.name, *sender.extra, *sender.extra.values())
            if isinstance(text, str)
        ]
    if isinstance(response, ApiError) and response.description is not None:
        return [response.description]
    return []


def same(a: Response, b: Response) -> bool:
    """Equal, down to enum or int and the order of unknown keys (operators have none)."""
    return a == b and repr(_sorted_operators(a)) == repr(_sorted_operators(b))


def _sorted_operators(response: Response) -> Response:
    if not isinstance(response, SenderList):
        return response
    return SenderList(
        senders=tuple(
            Sender(
                name=s.name,
                id=s.id,
                status=s.status,
                operators=dict(sorted(s.operators.items())),
                extra=s.extra,
            )
            for s in response.senders
        )
    )


# ---------------------------------------------------------------------------------------
# Every kind and view is generated

ANY = fs.responses(fs.Options(unknown_keys=True, unknown_codes=True))

KINDS: dict[str, Callable[[Any], bool]] = {
    "plain list": lambda r: isinstance(r, SenderList) and views(r) == {"plain"},
    "all=1 list": lambda r: isinstance(r, SenderList) and views(r) == {"all"},
    "operators=1 list": lambda r: isinstance(r, SenderList) and views(r) == {"operators"},
    "mixed views": lambda r: isinstance(r, SenderList) and len(views(r)) > 1,
    "empty list": lambda r: r == SenderList(),
    "every operator key": lambda r: (
        isinstance(r, SenderList)
        and any(list(s.operators) == list(OPERATOR_KEYS) for s in r.senders)
    ),
    "unknown keys": lambda r: isinstance(r, SenderList) and any(s.extra for s in r.senders),
    "JSON values in unknown keys": lambda r: (
        isinstance(r, SenderList)
        and any(not isinstance(v, str) for s in r.senders for v in s.extra.values())
    ),
    "known status": lambda r: (
        isinstance(r, SenderList) and any(isinstance(s.status, SenderStatus) for s in r.senders)
    ),
    "unknown status": lambda r: (
        isinstance(r, SenderList)
        and any(s.status is not None and not s.status.known for s in r.senders)
    ),
    "unknown operator status": lambda r: (
        isinstance(r, SenderList)
        and any(not v.known for s in r.senders for v in s.operators.values())
    ),
    "created": lambda r: isinstance(r, SenderCreated),
    "ok": lambda r: isinstance(r, Ok),
    "error, standard description": lambda r: (
        isinstance(r, ApiError) and r.code.known and r.description == r.code.description
    ),
    "error, no description": lambda r: isinstance(r, ApiError) and r.description is None,
    "error, other description": lambda r: (
        isinstance(r, ApiError) and r.description not in (None, r.meaning)
    ),
    "unknown error code": lambda r: isinstance(r, ApiError) and not r.code.known,
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_and_view_is_generated(kind: str) -> None:
    found(ANY, KINDS[kind])


NAMES: dict[str, Callable[[str], bool]] = {
    "the documented rule": lambda n: (
        re.fullmatch(r"[A-Za-z0-9._-]{1,11}", n) is not None and not n.isdigit()
    ),
    "a phone number": lambda n: n.isdigit() and len(n) >= 11,
    "Cyrillic": lambda n: re.search("[а-яА-ЯёЁ]", n) is not None,
    "a space": lambda n: " " in n,
    "an ampersand": lambda n: "&" in n,
    "a less-than sign": lambda n: "<" in n,
    "a quote": lambda n: '"' in n,
    "a comma and a space": lambda n: ", " in n,
}


@pytest.mark.parametrize("kind", NAMES)
def test_realistic_names_of_every_kind_are_generated(kind: str) -> None:
    found(fs.names(), NAMES[kind])


def test_unicode_names_hold_what_the_policy_allows() -> None:
    found(fs.names(fs.Options(name_kinds=["unicode"])), lambda n: "\t" in n)
    found(fs.names(fs.Options(name_kinds=["unicode"])), lambda n: "\n" in n)
    found(fs.names(fs.Options(name_kinds=["unicode"])), lambda n: any(ord(c) > 0xFFFF for c in n))


# ---------------------------------------------------------------------------------------
# What the arguments promise


# Strategies are built once: building one per example costs more than drawing from it.
FOR_FORMAT = {
    (fmt, charset): fs.responses(
        fs.Options(fmt, charset, unknown_keys=True, unknown_codes=True, name_kinds=fs.NAME_KINDS)
    )
    for fmt in FORMATS
    for charset in CHARSETS
}
NAMES_FOR = {
    (fmt, charset): fs.names(fs.Options(fmt, charset, name_kinds=fs.NAME_KINDS))
    for fmt in (None, *FORMATS)
    for charset in (None, *CHARSETS)
}
BODIES = {
    (fmt, charset, canonical): fs.bodies(fmt, charset, canonical=canonical)
    for fmt in FORMATS
    for charset in CHARSETS
    for canonical in (False, True)
}


@settings(max_examples=150)
@given(data=st.data())
def test_models_for_a_format_come_back_from_it(data: st.DataObject) -> None:
    fmt = data.draw(st.sampled_from(FORMATS), label="fmt")
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    model = data.draw(FOR_FORMAT[fmt, charset], label="model")
    assert same(decode(encode(model, fmt).encode(charset), fmt, charset=charset), model)
    if fmt == 1 and isinstance(model, ApiError):
        assert model.description is None  # as fmt 1 gives it back (spec §4.4)


@settings(max_examples=300)
@given(data=st.data())
def test_names_fit_the_format_and_charset_asked_for(data: st.DataObject) -> None:
    fmt = data.draw(st.sampled_from([None, *FORMATS]), label="fmt")
    charset = data.draw(st.sampled_from([None, *CHARSETS]), label="charset")
    name = data.draw(NAMES_FOR[fmt, charset], label="name")
    assert not _POLICY.search(name)
    if charset is not None:
        name.encode(charset)
    if fmt == 0:
        assert not re.search(r"\n|, [A-Za-z_][A-Za-z0-9_]* = ", name)
    if fmt == 1:
        assert "," not in name and "\n" not in name
    if fmt == 2:
        assert "\ufffe" not in name and "\uffff" not in name


@settings(max_examples=200)
@given(
    rule=fs.names(fs.Options(name_kinds=["rule"])),
    phone=fs.names(fs.Options(name_kinds=["phone"])),
    key0=fs.extra_keys(fs.Options(fmt=0)),
    key2=fs.extra_keys(fs.Options(fmt=2)),
    key3=fs.extra_keys(fs.Options(fmt=3)),
)
def test_names_and_keys_of_each_kind(
    rule: str, phone: str, key0: str, key2: str, key3: str
) -> None:
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,11}", rule)
    assert phone.isdigit() and not phone.startswith("0")
    reserved = {"id", "status", *OPERATOR_KEYS}
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key0) and key0 not in reserved | {"name"}
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key2) and key2 not in reserved
    assert not key2.lower().startswith("xml")
    assert key3 not in reserved | {"sender"}


@settings(max_examples=200)
@given(
    plain=fs.sender_lists("plain"),
    all_=fs.sender_lists("all", fs.Options(unknown_codes=True)),
    operators=fs.sender_lists("operators"),
    sender=fs.senders("operators", fs.Options(unknown_keys=True)),
)
def test_a_view_asked_for_is_the_view_given(
    plain: SenderList, all_: SenderList, operators: SenderList, sender: Sender
) -> None:
    assert views(plain) <= {"plain"} and views(all_) <= {"all"}
    assert views(operators) <= {"operators"} and sender.operators
    for each in operators.senders:
        assert set(each.operators) <= set(OPERATOR_KEYS)
        assert all(isinstance(v, OperatorStatus) for v in each.operators.values())


@pytest.mark.parametrize(
    "make",
    [
        lambda: fs.senders("operators", fs.Options(fmt=1)),
        lambda: fs.sender_lists("mixed", fs.Options(fmt=1)),
        lambda: fs.sender_lists("every"),  # type: ignore[arg-type]
        lambda: fs.senders(options=fs.Options(unknown_keys=True, fmt=1)),
        lambda: fs.extra_keys(fs.Options(fmt=1)),
        lambda: fs.names(fs.Options(name_kinds=[])),
        lambda: fs.names(fs.Options(name_kinds=["pretty"])),  # type: ignore[list-item]
        lambda: fs.names(fs.Options(fmt=4)),
        lambda: fs.names(fs.Options(fmt=True)),
        lambda: fs.api_errors(fs.Options(charset="utf-16")),
        lambda: fs.bodies(None),  # type: ignore[arg-type]
        lambda: fs.bodies(2, "rot13"),
    ],
)
def test_arguments_no_format_can_honour_are_refused(make: Callable[[], Any]) -> None:
    with pytest.raises(InvalidArgument):
        make()


def test_every_public_strategy_is_documented() -> None:
    for name in fs.__all__:
        value = getattr(fs, name)
        if callable(value):
            assert value.__doc__ and len(value.__doc__) > 40, name


# ---------------------------------------------------------------------------------------
# Wire bodies


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=30)
@given(data=st.data())
def test_bodies_decode_to_their_model(fmt: int, charset: str, data: st.DataObject) -> None:
    body, model = data.draw(BODIES[fmt, charset, False], label="body")
    assert isinstance(body, bytes)
    assert same(decode(body, fmt, charset=charset), model)
    canonical, same_model = data.draw(BODIES[fmt, charset, True], label="canonical")
    assert canonical == encode(same_model, fmt).encode(charset)
    assert same(decode(canonical, fmt, charset=charset), same_model)


def test_bodies_vary_the_layout_as_decoders_must_accept() -> None:
    found(fs.bodies(0), lambda b: b"\r\n" in b[0])
    found(fs.bodies(1), lambda b: b[0].endswith(b"\n"))
    found(fs.bodies(2, "koi8-r"), lambda b: b[0].startswith(b'<?xml version="1.0" encoding='))
    found(fs.bodies(2), lambda b: b"\n  <sender " in b[0])
    found(fs.bodies(3), lambda b: b[0].startswith(b"[{") and b"\n" not in b[0])
    found(fs.bodies(3), lambda b: b[0].startswith(b"\xef\xbb\xbf"))


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
def test_bodies_in_a_cyrillic_charset_hold_cyrillic(charset: str) -> None:
    body, _ = found(fs.bodies(0, charset), lambda b: any(byte >= 0xC0 for byte in b[0]))
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


# ---------------------------------------------------------------------------------------
# st.from_type, through the entry point

MODEL_TYPES = [Sender, SenderList, SenderCreated, Ok, ApiError]


@pytest.mark.parametrize("model_type", MODEL_TYPES)
def test_from_type_draws_from_these_strategies(model_type: type[object]) -> None:
    strategy = st.from_type(model_type)
    value = found(strategy, lambda v: isinstance(v, model_type))
    assert isinstance(value, model_type)
    if model_type in (Sender, SenderList):
        # Ours give realistic names; Hypothesis's own builds() would give any text.
        listed = found(
            st.from_type(SenderList),
            lambda v: len(v.senders) >= 2 and any(s.extra for s in v.senders),
        )
        assert not any(_POLICY.search(text) for text in strings(listed))


@settings(max_examples=100)
@given(response=st.from_type(fmtcodec.Response))  # type: ignore[arg-type]
def test_from_type_gives_models_that_some_format_carries(response: Response) -> None:
    assert isinstance(response, (SenderList, SenderCreated, Ok, ApiError))
    assert not any(_POLICY.search(text) for text in strings(response))
    encode(response, 3)  # any model these strategies give, JSON carries


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def test_importing_hypothesis_registers_the_model_types() -> None:
    # A fresh interpreter that never names fmtcodec.testing: the entry point does it.
    result = _python(
        "import sys, hypothesis.strategies as st, fmtcodec\n"
        "assert 'fmtcodec.testing.strategies' in sys.modules\n"
        "from hypothesis import find\n"
        "print(type(find(st.from_type(fmtcodec.SenderList), lambda v: v.senders)).__name__)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "SenderList"


def test_the_strategies_may_be_imported_before_hypothesis() -> None:
    # Importing the module imports Hypothesis, which runs the entry point, which loads the
    # module while it is still loading: the hook must already be there, and work.
    result = _python(
        "from fmtcodec.testing import strategies as fs\n"
        "import hypothesis.strategies as st, fmtcodec\n"
        "from hypothesis import find\n"
        "find(st.from_type(fmtcodec.ApiError), lambda e: True)\n"
        "print('ok')\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_without_hypothesis_the_import_error_says_what_to_install() -> None:
    result = _python(
        "import sys\n"
        "sys.modules['hypothesis'] = None\n"
        "try:\n"
        "    import fmtcodec.testing.strategies\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "pip install 'fmtcodec[hypothesis]'" in result.stdout
