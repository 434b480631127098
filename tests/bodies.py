"""Bodies the equivalence tests share: every body the corpus and the hostile cases hold,
and canonical bodies with one byte broken.

tests/test_fast_paths.py (fast paths on and off) and tests/test_stream.py (iter_senders
against decode) both demand one outcome for each of them.
"""

from __future__ import annotations

from corpus import invalid_cases, lenient_inputs, valid_cases
from hostile_cases import CASES
from hypothesis import strategies as st

from fmtcodec.testing import strategies as fs

# (label, data, charset): every valid wire, lenient input and invalid body of the corpus,
# and the hostile bodies small enough to read many times.
BODIES = [
    *((wire.id, wire.read(), wire.charset) for case in valid_cases() for wire in case.wires),
    *((body.id, body.read(), body.charset) for body, _ in lenient_inputs()),
    *((case.id, case.body.read(), case.body.charset) for case in invalid_cases()),
    *(
        (f"{case.name} (fmt {fmt})", build("file:///nonexistent"), case.charset)
        for case in CASES
        if case.detect  # the megabyte cases are left to tests/test_hostile.py
        for fmt, build in case.bodies.items()
    ),
]


@st.composite
def broken_bodies(draw: st.DrawFn, fmt: int) -> bytes:
    """A body as the server writes it in ``fmt`` with one byte changed, dropped or
    doubled: most such bodies fail deep in a list."""
    body, _ = draw(fs.bodies(fmt, canonical=True))
    at = draw(st.integers(0, max(len(body) - 1, 0)))
    edit = draw(st.sampled_from(["change", "drop", "double"]))
    byte = bytes([draw(st.integers(0, 255))])
    return {
        "change": body[:at] + byte + body[at + 1 :],
        "drop": body[:at] + body[at + 1 :],
        "double": body[:at] + body[at : at + 1] * 2 + body[at + 1 :],
    }[edit]
