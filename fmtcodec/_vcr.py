"""VCR.py cassettes as logs: each senders.php interaction an exchange.

The YAML is loaded by the cassette reader that ``fmtcodec validate`` uses (its safe loader and
its handling of old VCR.py tags, compressed bodies and form-encoded request bodies); an
interaction that cannot be read is a failure of its own, not of the cassette.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import _cassettes
from ._exchange import Exchange, decoded, failed, request_for
from ._logfile import Log, label_of

__all__ = ["read_vcr"]

_BROKEN = (KeyError, TypeError, ValueError, AttributeError, zlib.error, gzip.BadGzipFile, EOFError)


def read_vcr(path: str, *, name: str | None = None) -> Log:
    """The senders.php exchanges of the VCR.py cassette at ``path``; other interactions
    are skipped and counted. Needs PyYAML (the ``vcr`` extra)."""
    label = label_of(path, name)

    def exchanges(log: Log) -> Iterator[Exchange]:
        try:
            data = _cassettes._load(Path(path))
        except _cassettes.CassetteError as exc:
            yield failed(label, None, "", None, str(exc).removeprefix(f"{path}: "))
            return
        except OSError as exc:
            yield failed(label, None, "", None, f"cannot read: {exc.strerror or exc}")
            return
        interactions = data.get("interactions") if isinstance(data, dict) else None
        if not isinstance(interactions, list):
            yield failed(label, None, "", None, "not a VCR.py cassette (no 'interactions' list)")
            return
        for index, interaction in enumerate(interactions):
            try:
                found = _exchange(label, index, interaction)
            except _BROKEN as exc:
                reason = _cassettes._reason(exc)
                found = failed(label, index, f"interaction {index}", None, reason)
            if found is None:
                log.skipped += 1
            else:
                yield found

    return Log(label, exchanges)


def _exchange(source: str, index: int, interaction: Any) -> Exchange | None:
    request, response = interaction["request"], interaction["response"]
    found = _cassettes.senders_request(request)
    if found is None:
        return None
    split, form = found
    place = f"interaction {index}"
    try:
        asked = request_for(split.query, form)
    except ValueError as exc:
        return failed(source, index, place, None, f"the request: {exc}")
    body = _cassettes.recorded_body(response)
    return decoded(source, index, place, None, asked, body, _cassettes.recorded_status(response))
