"""VCR.py cassettes as logs: each senders.php interaction an exchange.

The YAML is loaded by the cassette reader of ``fmtcodec.testing`` (its safe loader and
its handling of old VCR.py tags, compressed bodies and form-encoded request bodies); an
interaction that cannot be read is a failure of its own, not of the cassette.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import _cassettes
from ._exchange import Exchange, decoded, failed, request_for
from ._logfile import Log, label_of

__all__ = ["read_vcr"]

_FORM = "application/x-www-form-urlencoded"
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
    uri = request["uri"]
    if not isinstance(uri, str):
        raise TypeError("the request's uri is not a string")
    split = urlsplit(uri)
    if not split.path.endswith("senders.php"):
        return None
    place = f"interaction {index}"
    form = None
    content_type = _cassettes._header(request.get("headers"), "content-type")
    if content_type is None or content_type.split(";")[0].strip().lower() == _FORM:
        form = _cassettes._bytes(request.get("body")).decode("latin-1")  # escapes are ASCII
    try:
        asked = request_for(split.query, form)
    except ValueError as exc:
        return failed(source, index, place, None, f"the request: {exc}")
    status = response.get("status")
    code = status.get("code") if isinstance(status, dict) else None
    body = _cassettes._uncompressed(
        _cassettes._bytes((response.get("body") or {}).get("string")),
        _cassettes._header(response.get("headers"), "content-encoding"),
    )
    return decoded(source, index, place, None, asked, body, code if type(code) is int else None)
