"""The size limits of a value, one set shared by each format's encoder and decoder (spec §4.17).

A decoder's parser refuses what is over them (or fmtcodec does, where the parser would
read it but the encoder could not write it back); the encoder refuses to write it, with
an EncodeError, rather than produce a body its own decoder refuses. fmt 0 has no limit of
its own; every format shares the caller's ``max_size`` for the whole body.
"""

from __future__ import annotations

from ._errors import EncodeError

__all__ = [
    "CSV_FIELD_CHARS",
    "JSON_DEPTH",
    "XML_ATTRIBUTE_BYTES",
    "XML_NAME_BYTES",
    "XML_TEXT_BYTES",
    "check_csv_field",
    "check_xml_text",
    "utf8_length_over",
]

CSV_FIELD_CHARS = 131_072
"""Characters of a fmt 1 field (after CSV unquoting): the csv module's default
``field_size_limit()``, a process-wide setting fmtcodec leaves alone."""

XML_TEXT_BYTES = 10_000_000
"""Bytes (UTF-8) of an XML element's text, references resolved: libxml2's limit for a text
node without XML_PARSE_HUGE, which fmtcodec never sets (spec §4.17)."""

XML_ATTRIBUTE_BYTES = 9_000_000
"""Bytes (UTF-8) of an attribute value as written, escapes included. libxml2 refuses an
attribute value whose raw text nears 10,000,000 bytes, at a bound that shifts with what
precedes it on the line; this limit keeps clear of it."""

XML_NAME_BYTES = 50_000
"""Bytes (UTF-8) of an attribute's name: libxml2's XML_MAX_NAME_LENGTH."""

JSON_DEPTH = 64
"""Levels of arrays and objects in an unknown member's value (``[[1]]`` is 2). Deeper
values would exhaust Python's recursion on the way in or out."""


def utf8_length_over(text: str, limit: int) -> bool:
    """Whether ``text`` is over ``limit`` bytes of UTF-8 (encoded only when it may be)."""
    # A character is at most 4 bytes: a shorter text cannot be over.
    return len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit


def check_csv_field(text: str, path: str) -> None:
    """EncodeError if ``text`` is longer than a fmt 1 field may be."""
    if len(text) > CSV_FIELD_CHARS:
        raise EncodeError(
            f"a fmt 1 field holds at most {CSV_FIELD_CHARS:,} characters, not {len(text):,}",
            path=path,
        )


def check_xml_text(text: str, path: str) -> None:
    """EncodeError if ``text`` is longer than an XML element's text may be."""
    if utf8_length_over(text, XML_TEXT_BYTES):
        raise EncodeError(
            f"an XML element's text holds at most {XML_TEXT_BYTES:,} bytes of UTF-8", path=path
        )
