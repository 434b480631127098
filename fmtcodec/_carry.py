"""What each format can carry (spec §4.4, 4.5): one table, read by the encoders' checks
and by fmtcodec.testing.strategies. (The property tests keep an oracle of their own.)

Every format refuses the characters of spec §4.10 (_source.FORBIDDEN_IN_DECODED) and
numbers outside spec §4.7's range; the table holds what one format refuses beyond those.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["CARRY", "Carry"]


class Carry(NamedTuple):
    """What one format can carry."""

    name_excludes: str  # characters no sender name can hold
    text_excludes: str  # characters no unknown key's text value nor description can hold
    splits_value: re.Pattern[str]  # what no value can hold: it would end the value
    operators_view: bool  # the operators=1 view
    unknown_keys: re.Pattern[str] | None  # what an unknown key's name must match; None: none
    reserved_keys: frozenset[str]  # keys an unknown key cannot be: the format's own
    json_values: bool  # unknown keys' values are any JSON data, not only text
    description: bool  # an error's description is carried (spec §4.4: not in fmt 1)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOTHING = re.compile(r"(?!)")  # matches no text at all
# XML 1.0 has no U+FFFE or U+FFFF; nor a name holding them.
_NOT_XML = "\ufffe\uffff"

CARRY: dict[int, Carry] = {
    # spec §4.5: a value holding a newline or ", <key> = " has no fmt 0 form; keys are
    # identifiers; "name" is the name's own key.
    0: Carry(
        name_excludes="\n",
        text_excludes="\n",
        splits_value=re.compile(r"\n|, [A-Za-z_][A-Za-z0-9_]* = "),
        operators_view=True,
        unknown_keys=_IDENTIFIER,
        reserved_keys=frozenset({"name"}),
        json_values=False,
        description=True,
    ),
    # spec §4.5: fields are written raw, so a name holds no comma or newline; the
    # operators=1 view and unknown keys have no fmt 1 form; spec §4.4: no description.
    1: Carry(
        name_excludes=",\n",
        text_excludes="",
        splits_value=_NOTHING,
        operators_view=False,
        unknown_keys=None,
        reserved_keys=frozenset(),
        json_values=False,
        description=False,
    ),
    # Unknown keys are attributes: XML names (lxml checks), none namespaced.
    2: Carry(
        name_excludes=_NOT_XML,
        text_excludes=_NOT_XML,
        splits_value=_NOTHING,
        operators_view=True,
        unknown_keys=re.compile(r"[^:{]+"),
        reserved_keys=frozenset({"xmlns"}),
        json_values=False,
        description=True,
    ),
    # Any text is a member name, but "sender" is the name's own member.
    3: Carry(
        name_excludes="",
        text_excludes="",
        splits_value=_NOTHING,
        operators_view=True,
        unknown_keys=re.compile(".*", re.DOTALL),
        reserved_keys=frozenset({"sender"}),
        json_values=True,
        description=True,
    ),
}
"""The formats by number (spec §2)."""
