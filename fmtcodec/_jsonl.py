"""JSON Lines logs: one logged senders.php exchange per line (docs/logs.md).

The minimal schema, one JSON object a line:

- the request: ``url`` (with its query string) and/or ``params`` (an object of the
  parameters; numbers are taken as their decimal text, true/false as 1/0). Both may be
  given; ``params`` wins over the query.
- the body: ``body`` (the text) or ``body_base64`` (the bytes, base64-encoded).
- optional: ``time`` (ISO 8601 text, or Unix seconds) and ``status`` (the HTTP status).

Logs that name these fields otherwise are read with a mapping from these names to
dotted paths in the line (``{"body": "response.text", "time": "ts"}``). A line whose
``url`` is not senders.php is skipped and counted; a blank line is no entry at all.
Lines are read one at a time: memory is bounded by the longest line.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec

from ._exchange import Exchange, decoded, failed, params_of, request_of, utc_time
from ._logfile import Log, LogSource, label_of, opened, unreadable

__all__ = ["FIELDS", "read_jsonl"]

FIELDS = ("url", "params", "body", "body_base64", "time", "status")
"""The names of the JSON Lines schema's fields."""

_decoder = msgspec.json.Decoder()


def read_jsonl(
    source: LogSource, *, fields: Mapping[str, str] | None = None, name: str | None = None
) -> Log:
    """The senders.php exchanges of a JSON Lines log (see the module for the schema).

    ``fields`` maps schema names to the dotted paths where this log keeps them; ValueError
    for a name the schema does not have.
    """
    paths = _paths(fields or {})
    label = label_of(source, name)

    def exchanges(log: Log) -> Iterator[Exchange]:
        number = 0
        try:
            with opened(source, label) as stream:
                for number, line in enumerate(stream, 1):
                    if not line.strip():
                        continue
                    found = _exchange(label, number, line, paths)
                    if found is None:
                        log.skipped += 1
                    else:
                        yield found
        except (OSError, EOFError) as exc:
            yield unreadable(label, exc)

    return Log(label, exchanges)


def _paths(fields: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(
            f"unknown JSON Lines field {unknown[0]!r}; the fields are {', '.join(FIELDS)}"
        )
    return {name: tuple(fields.get(name, name).split(".")) for name in FIELDS}


def _get(line: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(line, dict):
            return None
        line = line.get(key)
    return line


def _exchange(
    source: str, number: int, line: bytes, paths: dict[str, tuple[str, ...]]
) -> Exchange | None:
    place = f"line {number}"
    try:
        record = _decoder.decode(line)
    except msgspec.DecodeError as exc:
        return failed(source, number, place, None, f"not a JSON object: {exc}")
    if not isinstance(record, dict):
        return failed(source, number, place, None, "not a JSON object")
    url, given = _get(record, paths["url"]), _get(record, paths["params"])
    if url is None and given is None:
        why = f"no request: neither {_name(paths['url'])} nor {_name(paths['params'])} is given"
        return failed(source, number, place, None, why)
    query = ""
    if url is not None:
        if not isinstance(url, str):
            return failed(source, number, place, None, f"{_name(paths['url'])} is not text")
        split = urlsplit(url)
        if not split.path.endswith("senders.php"):
            return None
        query = split.query
    time, problem = _time(_get(record, paths["time"]))
    if problem is not None:
        return failed(source, number, place, None, f"{_name(paths['time'])}: {problem}")
    try:
        params = params_of(query)
        params.update(_given(given, _name(paths["params"])))
        asked = request_of(params)
    except ValueError as exc:
        return failed(source, number, place, time, f"the request: {exc}")
    status = _get(record, paths["status"])
    status = status if type(status) is int else None
    text, packed = _get(record, paths["body"]), _get(record, paths["body_base64"])
    body: str | bytes
    if isinstance(text, str):
        body = text
    elif isinstance(packed, str):
        try:
            body = base64.b64decode(packed, validate=True)
        except binascii.Error as exc:
            reason = f"{_name(paths['body_base64'])} is not valid base64: {exc}"
            return failed(source, number, place, time, reason, None, asked)
    else:
        reason = (
            f"no body: neither {_name(paths['body'])} nor {_name(paths['body_base64'])} is a string"
        )
        return failed(source, number, place, time, reason, None, asked)
    return decoded(source, number, place, time, asked, body, status)


def _name(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _given(params: Any, name: str) -> dict[str, str]:
    """The ``params`` object as the API's text parameters."""
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise ValueError(f"{name} is not an object")
    found = {}
    for key, value in params.items():
        if isinstance(value, bool):
            found[key] = "1" if value else "0"
        elif isinstance(value, (str, int)):
            found[key] = str(value)
        else:
            raise ValueError(f"{name}.{key} is not text, a whole number or true/false")
    return found


def _time(value: Any) -> tuple[datetime | None, str | None]:
    """The time (UTC), or why the value is not one; ISO 8601 text or Unix seconds."""
    if value is None:
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC), None
        except (OverflowError, OSError, ValueError):
            return None, f"{value!r} is not a time in Unix seconds"
    if isinstance(value, str):
        found = utc_time(value)
        if found is None:
            return None, f"{value!r} is not an ISO 8601 time"
        return found, None
    return None, "not ISO 8601 text or Unix seconds"
