"""Named tests of the reading rules and fixes of issue 15 that a corpus case cannot pin
(the corpus holds the rest: fixtures/invalid/fmt2-column-after-*, fmt2-message-quotes-*...).
"""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from fmtcodec import DecodeError, decode
from fmtcodec import _fmt2_xml
from fmtcodec._errors import one_line

_CYRILLIC = '<list>\n<sender id="1">Ромашка & Co</sender>\n</list>'


class _OlderLibxml2Error:
    """The error a libxml2 that counts columns in bytes (before 2.14) reports for
    _CYRILLIC: one past the '&', in bytes of the line's UTF-8."""

    msg = "xmlParseEntityRef: no name"
    position = (2, len('<sender id="1">Ромашка &'.encode()) + 1)


def test_xml_columns_are_characters_whatever_libxml2_counts(monkeypatch: Any) -> None:
    # spec §4.13: the installed libxml2 gives column 25 (characters); an older one would
    # give 32 (bytes), and both must come out as 25.
    with pytest.raises(DecodeError) as installed:
        decode(_CYRILLIC, 2)
    assert (installed.value.lineno, installed.value.colno) == (2, 25)
    monkeypatch.setattr(_fmt2_xml, "_COLUMNS_IN_BYTES", True)
    older = _fmt2_xml._syntax_error(_OlderLibxml2Error(), _CYRILLIC, _CYRILLIC.encode())  # type: ignore[arg-type]
    assert (older.lineno, older.colno) == (2, 25)


def test_the_libxml2_probe_matches_the_installed_library() -> None:
    # The probe's verdict, checked against a document whose error column differs in bytes
    # and in characters.
    try:
        etree.fromstring(_CYRILLIC.encode(), etree.XMLParser())
    except etree.XMLSyntaxError as exc:
        column = exc.position[1]
    assert _fmt2_xml._columns_in_bytes() == (column == _OlderLibxml2Error.position[1])


@pytest.mark.parametrize("char", ["\n", "\r", "\v", "\f", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_message_is_one_line_whatever_it_quotes(char: str) -> None:
    # spec §4.12: every character str.splitlines() breaks at is escaped.
    exc = DecodeError(f"quoted 'a{char}b'", lineno=1, colno=1, offset=0)
    assert len(str(exc).splitlines()) == 1
    assert exc.msg == one_line(exc.msg) == f"quoted {('a' + char + 'b')!r}"
