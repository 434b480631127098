"""The shipped corpus of valid responses: every response shape, in every format it exists in.

Dependents run their own code over it (a parser wrapper, a client's error handling) without
keeping copies of the bodies. The layout is the repository's ``fixtures/valid/`` (described in
docs/testing.md); the wheel carries it as ``fmtcodec/testing/corpus_data/valid/``.

>>> from fmtcodec import decode
>>> from fmtcodec.testing._corpus import valid_cases
>>> all(decode(case.body, case.fmt, charset=case.charset) == case.expected
...     for case in valid_cases())
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import msgspec

from .._model import Fmt, Response
from .._modeljson import from_data

__all__ = ["Case", "valid_cases"]

_HERE = Path(__file__).resolve().parent
# Inside a wheel the corpus is fmtcodec/testing/corpus_data/valid (hatchling force-include);
# an editable install or a source checkout has it at the repository's fixtures/valid, which
# force-include does not copy: an editable install maps only the package's own folder.
_PLACES = (_HERE / "corpus_data" / "valid", _HERE.parent.parent / "fixtures" / "valid")

_EXTENSIONS = {"txt": Fmt.TEXT, "csv": Fmt.CSV, "xml": Fmt.XML, "json": Fmt.JSON}
# fmt<N>.<ext> is UTF-8; fmt<N>.<charset>.<ext> the same text in that charset.
_WIRE_FILE = re.compile(r"fmt(?P<fmt>[0-3])(?:\.(?P<charset>[A-Za-z0-9_-]+))?\.(?P<ext>\w+)")


class Case(msgspec.Struct, frozen=True, kw_only=True):
    """One valid body of the corpus and the model it decodes to.

    ``name`` is ``<kind>/<case>/<file>`` (unique: use it as a test id), ``fmt`` and
    ``charset`` are what to pass to :func:`fmtcodec.decode`, ``body`` the bytes, and
    ``expected`` the model. ``body`` is exactly what :func:`fmtcodec.encode` writes for
    ``expected`` in ``fmt``, encoded in ``charset``.
    """

    name: str
    fmt: Fmt
    charset: str
    body: bytes
    expected: Response


def _root(places: tuple[Path, ...]) -> Path:
    """The first of ``places`` that exists: the folder of the ``<kind>/<case>/`` folders."""
    for place in places:
        if place.is_dir():
            return place
    raise FileNotFoundError(
        "fmtcodec's corpus is missing; looked in " + ", ".join(str(place) for place in places)
    )


def valid_cases() -> list[Case]:
    """Every valid body of the shipped corpus, sorted by name.

    A list, not an iterator, so that it can go straight to ``pytest.mark.parametrize``
    (which deprecates iterators). Raises FileNotFoundError when the installation carries
    no corpus.
    """
    return list(_cases(_root(_PLACES)))


def _cases(root: Path) -> Iterator[Case]:
    for folder in sorted(path for path in root.glob("*/*") if path.is_dir()):
        expected = from_data(json.loads((folder / "model.json").read_text(encoding="utf-8")))
        for file in sorted(folder.iterdir()):
            match = _WIRE_FILE.fullmatch(file.name)
            if match is None:
                continue  # model.json
            fmt = Fmt(int(match["fmt"]))
            if _EXTENSIONS.get(match["ext"]) is not fmt:
                raise ValueError(f"{file}: the extension does not match fmt {int(fmt)}")
            yield Case(
                name=f"{folder.parent.name}/{folder.name}/{file.name}",
                fmt=fmt,
                charset=match["charset"] or "utf-8",
                body=file.read_bytes(),
                expected=expected,
            )
