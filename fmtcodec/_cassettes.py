"""The senders.php responses recorded in a VCR.py cassette, read the way the client asked.

A cassette keeps each request with its response. What a body means depends on the request:
``fmt`` picks the format (0 when absent) and ``charset`` the encoding (windows-1251, the
server's default, when absent: spec §1). The response's ``Content-Type`` charset is
not trusted: the server sends ``charset=windows-1251`` even when asked for utf-8
(spec §1). Parameters come from the query string and from a form-encoded
POST body; the body wins, as in PHP's ``$_REQUEST`` (senders.php is a PHP page).

Needs PyYAML (the ``vcr`` extra), imported only when a cassette is read. The YAML is read
with PyYAML's safe loader, extended with the few benign ``!!python/...`` tags that old
VCR.py versions wrote (strings, tuples, bytes, request bodies as ``BytesIO`` or iterators);
any other tag is refused, never constructed.
"""

from __future__ import annotations

import functools
import gzip
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlsplit

import msgspec

from ._model import ApiError, Fmt, Ok, Response, SenderCreated, SenderList
from ._validation import Problem, Validation, validate

__all__ = ["CassetteError", "CassetteResponse", "read_cassette", "validate_cassette"]

DEFAULT_CHARSET = "windows-1251"
"""The charset senders.php answers in when the request names none (spec §1)."""

# spec §1: the commands of senders.php and the kinds of response each may get.
_EXPECTED: dict[str, tuple[type[Response], ...]] = {
    "get": (SenderList, ApiError),
    "add": (SenderCreated, ApiError),
    "chg": (Ok, ApiError),
    "del": (Ok, ApiError),
    "send_code": (Ok, ApiError),
    "check_code": (Ok, ApiError),
}
_VIEWS = ("all", "operators")
_FORM = "application/x-www-form-urlencoded"


class CassetteError(ValueError):
    """The file is not a VCR.py cassette that can be read; the message names the file."""


class CassetteResponse(msgspec.Struct, frozen=True, kw_only=True):
    """One recorded senders.php response, with what its request asked for.

    ``index`` is the interaction's place in the cassette (from 0) and ``label`` a short
    description for test ids and messages (no credentials). ``command`` is ``get``, ``add``,
    ``chg``, ``del``, ``send_code`` or ``check_code`` (None when the request named none);
    ``view`` is ``all`` or ``operators`` for a ``get`` that asked for one. ``fmt`` is None
    when the request's ``fmt`` is not 0-3 (the body's format is then detected). ``status``
    is the HTTP status code and ``body`` the body's bytes, uncompressed.
    """

    index: int
    label: str
    method: str
    uri: str
    command: str | None
    view: str | None
    fmt: Fmt | None
    charset: str
    status: int | None
    body: bytes

    def validate(self, *, strict: bool = False) -> Validation:
        """:func:`fmtcodec._validation.validate` on the body, read as the request asked.

        Also a problem: a kind of response the command cannot get (``get`` answers a list
        or an error, ``add`` the new id or an error, the others ``OK`` or an error), and a
        list that is not in the view the request asked for.
        """
        result = validate(self.body, self.fmt, charset=self.charset, strict=strict)
        if result.response is None:
            return result
        extra = _expectation_problems(self, result.response)
        if not extra:
            return result
        return msgspec.structs.replace(result, problems=[*result.problems, *extra])


def read_cassette(path: str | os.PathLike[str]) -> list[CassetteResponse]:
    """The senders.php responses in the VCR.py cassette at ``path``, in recorded order.

    A request counts when its URI's path ends in ``senders.php``; other interactions are
    left out. Every HTTP status is kept (SMSC answers its errors with 200, so another
    status is worth a look too). Raises CassetteError when the file is not a readable
    cassette, OSError when it cannot be read, and ImportError when PyYAML is not installed.
    """
    path = Path(path)
    data = _load(path)
    interactions = data.get("interactions") if isinstance(data, dict) else None
    if not isinstance(interactions, list):
        if isinstance(data, list):
            raise CassetteError(
                f"{path}: a cassette from before VCR.py 1.0; migrate it with"
                " 'python -m vcr.migration'"
            )
        raise CassetteError(f"{path}: not a VCR.py cassette (it has no 'interactions' list)")
    found = []
    for index, interaction in enumerate(interactions):
        try:
            recorded = _response(index, interaction)
        except (KeyError, TypeError, ValueError, zlib.error, gzip.BadGzipFile, EOFError) as exc:
            raise CassetteError(f"{path}: interaction {index}: {_reason(exc)}") from None
        if recorded is not None:
            found.append(recorded)
    return found


def validate_cassette(
    path: str | os.PathLike[str], *, strict: bool = False
) -> list[tuple[CassetteResponse, Validation]]:
    """Each senders.php response of the cassette with its :meth:`CassetteResponse.validate`.

    Raises what :func:`read_cassette` raises.
    """
    return [(recorded, recorded.validate(strict=strict)) for recorded in read_cassette(path)]


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]!r} is missing"
    return str(exc) or type(exc).__name__


def senders_request(request: Any) -> tuple[SplitResult, str | None] | None:
    """A recorded request to senders.php: its split URI and its form body as latin-1 text
    (None when the body is not a form), or None for a request to another endpoint.

    Raises TypeError when the URI is not a string, KeyError when it is missing.
    """
    uri = request["uri"]
    if not isinstance(uri, str):
        raise TypeError("the request's uri is not a string")
    split = urlsplit(uri)
    if not split.path.endswith("senders.php"):
        return None
    content_type = _header(request.get("headers"), "content-type")
    if content_type is None or content_type.split(";")[0].strip().lower() == _FORM:
        return split, _bytes(request.get("body")).decode("latin-1")  # escapes are ASCII
    return split, None


def recorded_body(response: Any) -> bytes:
    """A recorded response's body, uncompressed as its Content-Encoding says."""
    return _uncompressed(
        _bytes((response.get("body") or {}).get("string")),
        _header(response.get("headers"), "content-encoding"),
    )


def recorded_status(response: Any) -> int | None:
    """A recorded response's HTTP status code, if it holds one."""
    status = response.get("status")
    code = status.get("code") if isinstance(status, dict) else None
    return code if type(code) is int else None


def _response(index: int, interaction: Any) -> CassetteResponse | None:
    request, response = interaction["request"], interaction["response"]
    found = senders_request(request)
    if found is None:
        return None
    split, form = found
    params = dict(parse_qsl(split.query, keep_blank_values=True))
    if form is not None:  # the keys we read are ASCII
        params.update(parse_qsl(form, keep_blank_values=True))
    command = next((key for key in params if key in _EXPECTED and _is_set(params[key])), None)
    views = [view for view in _VIEWS if _is_set(params.get(view))]
    view = views[0] if command == "get" and len(views) == 1 else None
    fmt_text = params.get("fmt", "0").strip()
    fmt = Fmt(int(fmt_text)) if fmt_text in ("0", "1", "2", "3") else None
    charset = params.get("charset", "").strip() or DEFAULT_CHARSET
    method = str(request.get("method", "GET"))
    asked = "(no command)" if command is None else f"{command}=1"
    if view is not None:
        asked += f"&{view}=1"
    return CassetteResponse(
        index=index,
        label=f"#{index} {method} senders.php?{asked} "
        f"fmt={'auto' if fmt is None else int(fmt)} charset={charset}",
        method=method,
        uri=request["uri"],
        command=command,
        view=view,
        fmt=fmt,
        charset=charset,
        status=recorded_status(response),
        body=recorded_body(response),
    )


def _is_set(value: str | None) -> bool:
    return value is not None and value.strip() not in ("", "0")


def _header(headers: Any, name: str) -> str | None:
    """A header's value from VCR.py's ``{name: [value, ...]}`` (any case), or None."""
    if not isinstance(headers, Mapping):
        return None
    for key, value in headers.items():
        if str(key).lower() == name:
            values = value if isinstance(value, list) else [value]
            return ", ".join(str(one) for one in values)
    return None


def _bytes(value: Any) -> bytes:
    """A recorded body as bytes: VCR.py writes UTF-8 text as a string, anything else binary."""
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise TypeError(f"a body of type {type(value).__name__}")


def _uncompressed(body: bytes, encoding: str | None) -> bytes:
    """The body before the Content-Encoding(s) the server applied, last applied first.

    VCR.py keeps compressed bodies as they came unless it was told
    ``decode_compressed_response=True``.
    """
    for coding in reversed((encoding or "").split(",")):
        coding = coding.strip().lower()
        if coding in ("", "identity"):
            continue
        if coding in ("gzip", "x-gzip"):
            body = gzip.decompress(body)
        elif coding == "deflate":
            # RFC 9110 says zlib-wrapped; some servers send raw deflate.
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        else:
            raise ValueError(
                f"the response's Content-Encoding {coding!r} is not supported;"
                " record with decode_compressed_response=True"
            )
    return body


def _expectation_problems(recorded: CassetteResponse, response: Response) -> list[Problem]:
    command = recorded.command
    if command is None:
        return []
    if not isinstance(response, _EXPECTED[command]):
        return [
            Problem(
                message=f"the request was {command}=1, which cannot be answered with "
                f"{type(response).__name__}"
            )
        ]
    if command != "get" or not isinstance(response, SenderList):
        return []
    if recorded.view == "all":
        wrong = [i for i, sender in enumerate(response.senders) if sender.status is None]
        what = "no status, though the request asked for all=1"
    elif recorded.view == "operators":
        wrong = [i for i, sender in enumerate(response.senders) if not sender.operators]
        what = "no operator statuses, though the request asked for operators=1"
    else:
        wrong = [
            i
            for i, sender in enumerate(response.senders)
            if sender.status is not None or sender.operators
        ]
        what = "a status or operator statuses, though the request asked for neither"
    if not wrong:
        return []
    more = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
    return [Problem(message=f"senders[{wrong[0]}] has {what}{more}")]


def _load(path: Path) -> Any:
    yaml = _yaml()
    text = path.read_bytes()
    try:
        return yaml.load(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = "" if mark is None else f"{mark.line + 1}:{mark.column + 1}: "
        raise CassetteError(
            f"{path}:{where}not a readable cassette: {exc.problem or exc.context}"
        ) from None
    except (yaml.YAMLError, TypeError, ValueError, IndexError) as exc:
        # TypeError and the like: an old tag (see _loader) holding something unexpected.
        raise CassetteError(f"{path}: not a readable cassette: {exc}") from None


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        raise ImportError(
            "reading VCR.py cassettes needs PyYAML: pip install 'fmtcodec[vcr]'"
        ) from None
    return yaml


@functools.cache
def _loader() -> Any:
    """PyYAML's safe loader, plus the benign ``!!python/...`` tags of old VCR.py cassettes."""
    yaml = _yaml()

    class CassetteLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    def text(loader: Any, node: Any) -> str:
        return str(loader.construct_scalar(node))

    def binary(loader: Any, node: Any) -> bytes:
        return bytes(loader.construct_yaml_binary(node))

    def sequence(loader: Any, node: Any) -> tuple[Any, ...]:
        return tuple(loader.construct_sequence(node, deep=True))

    def bytes_io(loader: Any, node: Any) -> bytes:
        # A file-like request body, pickled as BytesIO with its buffer first in `state`:
        # only that buffer is read; no object is built.
        state = loader.construct_mapping(node, deep=True).get("state") or (b"",)
        return _bytes(state[0])

    def iterator(loader: Any, node: Any) -> bytes:
        # An iterator request body, pickled as iter(<list of chunks>).
        args: Any = loader.construct_mapping(node, deep=True).get("args") or ([],)
        return b"".join(_bytes(chunk) for chunk in args[0])

    python = "tag:yaml.org,2002:python/"
    for tag, constructor in (
        ("str", text),
        ("unicode", text),
        ("bytes", binary),
        ("tuple", sequence),
        ("object/new:_io.BytesIO", bytes_io),
        ("object/apply:builtins.iter", iterator),
    ):
        CassetteLoader.add_constructor(python + tag, constructor)
    return CassetteLoader
