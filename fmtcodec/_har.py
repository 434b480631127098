"""HAR 1.2 files (browsers' and mitmproxy's export): the senders.php exchanges in them.

The file is streamed with ijson (its C backend where installed): one entry of
``log.entries`` is in memory at a time, so memory is bounded by the largest entry, not
the file. An entry counts when its URL's path ends in ``senders.php``; any other entry is
skipped and counted. Parameters come from the URL's query and from a form-encoded
``postData`` (its ``text``, else its ``params``). A body is ``response.content.text``:
text as the tool decoded it, or bytes when ``content.encoding`` is ``base64`` (as
browsers and mitmproxy store a windows-1251 body), read in the charset the request
asked for (spec §5).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ._exchange import Exchange, decoded, failed, params_of, request_for, request_of, utc_time
from ._logfile import Log, LogSource, label_of, opened, unreadable

__all__ = ["read_har"]

_ENTRIES = "log.entries.item"
_FORM = "application/x-www-form-urlencoded"


def read_har(source: LogSource, *, name: str | None = None) -> Log:
    """The senders.php exchanges of a HAR file, as they are read (see the module)."""
    label = label_of(source, name)

    def exchanges(log: Log) -> Iterator[Exchange]:
        import ijson

        index = -1
        try:
            with opened(source, label) as stream:
                for index, entry in enumerate(ijson.items(stream, _ENTRIES, use_float=True)):
                    found = _exchange(label, index, entry)
                    if found is None:
                        log.skipped += 1
                    else:
                        yield found
            if index < 0 and not _has_entries(source, label):
                yield failed(label, None, "", None, "not a HAR file: it has no log.entries list")
        except ijson.JSONError as exc:
            after = "at its start" if index < 0 else f"after entry {index}"
            reason = str(exc).splitlines()[0]
            yield failed(label, None, "", None, f"not valid JSON {after}: {reason}")
        except (OSError, EOFError) as exc:
            yield unreadable(label, exc)

    return Log(label, exchanges)


def _has_entries(source: LogSource, label: str) -> bool:
    """Whether the file has a ``log.entries`` list (an empty one yields no item)."""
    import ijson

    if not isinstance(source, str) and hasattr(source, "seek"):
        source.seek(0)
    with opened(source, label) as stream:
        return any(
            prefix == "log.entries" and event == "start_array"
            for prefix, event, _ in ijson.parse(stream)
        )


def _exchange(source: str, index: int, entry: Any) -> Exchange | None:
    """The entry as an exchange; None when it is not a senders.php request."""
    place = f"entry {index}"
    request = entry.get("request") if isinstance(entry, dict) else None
    url = request.get("url") if isinstance(request, dict) else None
    if not isinstance(url, str):
        return failed(source, index, place, None, "the entry has no request.url")
    split = urlsplit(url)
    if not split.path.endswith("senders.php"):
        return None
    time = None
    started = entry.get("startedDateTime")
    if started is not None:
        time = utc_time(started) if isinstance(started, str) else None
        if time is None:
            reason = f"startedDateTime {started!r} is not an ISO 8601 time"
            return failed(source, index, place, None, reason)
    form = _form(request) if isinstance(request, dict) else None
    try:
        if isinstance(form, list):
            params = params_of(split.query)
            params.update(form)
            asked = request_of(params)
        else:
            asked = request_for(split.query, form)
    except ValueError as exc:
        return failed(source, index, place, time, f"the request: {exc}")
    response = entry.get("response")
    content = response.get("content") if isinstance(response, dict) else None
    status = response.get("status") if isinstance(response, dict) else None
    text = content.get("text") if isinstance(content, dict) else None
    if not isinstance(text, str) or not isinstance(content, dict):
        why = "no response" if status in (0, None) else f"HTTP status {status}, no body"
        return failed(source, index, place, time, f"{why} was recorded", None, asked)
    encoding = content.get("encoding")
    body: bytes | str = text
    if encoding == "base64":
        try:
            body = base64.b64decode(text, validate=True)
        except binascii.Error as exc:
            reason = f"response.content.text is not valid base64: {exc}"
            return failed(source, index, place, time, reason, None, asked)
    elif encoding not in (None, ""):
        reason = f"response.content.encoding {encoding!r} is not supported (only base64)"
        return failed(source, index, place, time, reason, None, asked)
    return decoded(source, index, place, time, asked, body, status)


def _form(request: dict[str, Any]) -> str | list[tuple[str, str]] | None:
    """The form-encoded request body, if the request had one: its text, or the pairs a
    tool stored already decoded."""
    post = request.get("postData")
    if not isinstance(post, dict):
        return None
    mime = str(post.get("mimeType") or _FORM).split(";")[0].strip().lower()
    if mime != _FORM:
        return None
    text = post.get("text")
    if isinstance(text, str):
        return text
    # Some tools store only the parsed params (HAR 1.2 allows text or params).
    pairs = post.get("params")
    if isinstance(pairs, list):
        return [
            (str(pair.get("name", "")), str(pair.get("value", "")))
            for pair in pairs
            if isinstance(pair, dict)
        ]
    return None
