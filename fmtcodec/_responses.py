"""Files holding one response each (what ``fmtcodec convert`` reads) as exchanges.

No request was kept with them: the format is detected from each body (spec §4.2) and the
bytes are read in the charset given (an XML declaration or a UTF-8 BOM overriding it,
spec §4.9), as ``convert`` does.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._api import read
from ._errors import DecodeError
from ._exchange import Exchange, failed
from ._logfile import Log, LogSource, label_of, opened, unreadable

__all__ = ["read_response_file"]


def read_response_file(
    source: LogSource, *, charset: str = "utf-8", name: str | None = None
) -> Log:
    """The one response in a file, as an exchange with no request."""
    label = label_of(source, name)

    def exchanges(log: Log) -> Iterator[Exchange]:
        try:
            with opened(source, label) as stream:
                data = stream.read()
        except (OSError, EOFError) as exc:
            yield unreadable(label, exc)
            return
        try:
            reading = read(data, None, charset=charset)
        except DecodeError as exc:
            where = "at end of input" if exc.at_end else f"line {exc.lineno}, column {exc.colno}"
            yield failed(label, None, "", None, f"{exc.msg} ({where})", exc)
            return
        yield Exchange(
            source=label,
            entry=None,
            place="",
            fmt=reading.fmt,
            charset=reading.charset,
            response=reading.response,
        )

    return Log(label, exchanges)
