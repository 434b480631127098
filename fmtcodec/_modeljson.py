"""The model as plain JSON data: fixture files and ``fmtcodec inspect --json``.

Schema version 2 (docs/formats.md, "The model as JSON"):

    {"version": 2, "kind": "list", "senders": [
        {"name": str, "id": int, "status": int | null,
         "operators": {key: int, ...}, "extra": {key: any JSON, ...}}, ...]}
    {"version": 2, "kind": "created", "id": int, "extra": {key: any JSON, ...}}
    {"version": 2, "kind": "ok"}
    {"version": 2, "kind": "error", "code": int, "description": str | null,
     "extra": {key: any JSON, ...}}

Mappings keep their order; ``extra`` values are whatever the wire held. Version 2 added
the ``extra`` of an error and of a created answer (spec §4.24); version 1 data, which has
none, is read too.
"""

from __future__ import annotations

from typing import Any

from ._model import (
    ERROR_CODES,
    OPERATOR_STATUSES,
    SENDER_STATUSES,
    ApiError,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
)

__all__ = ["SCHEMA_VERSION", "from_data", "to_data"]

SCHEMA_VERSION = 2
_READABLE = (1, 2)


def to_data(response: Response) -> dict[str, Any]:
    """``response`` as JSON-ready data (schema version 2)."""
    if isinstance(response, SenderList):
        return {
            "version": SCHEMA_VERSION,
            "kind": "list",
            "senders": [
                {
                    "name": sender.name,
                    "id": int(sender.id),
                    "status": None if sender.status is None else int(sender.status),
                    "operators": {key: int(value) for key, value in sender.operators.items()},
                    "extra": dict(sender.extra),
                }
                for sender in response.senders
            ],
        }
    if isinstance(response, SenderCreated):
        return {
            "version": SCHEMA_VERSION,
            "kind": "created",
            "id": int(response.id),
            "extra": dict(response.extra),
        }
    if isinstance(response, ApiError):
        return {
            "version": SCHEMA_VERSION,
            "kind": "error",
            "code": int(response.code),
            "description": response.description,
            "extra": dict(response.extra),
        }
    if isinstance(response, Ok):
        return {"version": SCHEMA_VERSION, "kind": "ok"}
    raise TypeError(f"not a model value: {type(response).__name__}")


def from_data(data: dict[str, Any]) -> Response:
    """The model value that :func:`to_data` wrote; ValueError on anything else.

    Every field is checked for its type: a bool is no id, status or code (JSON's ``true``
    is not ``1``), a status is no str.
    """
    if not isinstance(data, dict) or data.get("version") not in _READABLE:
        raise ValueError(f"not fmtcodec model data of version 1 or {SCHEMA_VERSION}")
    kind = data.get("kind")
    if kind == "list":
        senders = _field(data, "senders", list, "senders")
        return SenderList(
            senders=tuple(_sender(item, f"senders[{i}]") for i, item in enumerate(senders))
        )
    if kind == "created":
        return SenderCreated(_int(data.get("id"), "id"), _extra(data, "extra"))
    if kind == "ok":
        return Ok()
    if kind == "error":
        code = _int(data.get("code"), "code")
        description = data.get("description")
        if description is not None and not isinstance(description, str):
            raise ValueError(f"description must be a string or null, not {description!r}")
        return ApiError(ERROR_CODES[code], description, _extra(data, "extra"))
    raise ValueError(f"unknown kind {kind!r}")


def _int(value: object, path: str) -> int:
    if type(value) is not int:  # not a bool, which is an int to Python
        raise ValueError(f"{path} must be an integer, not {value!r}")
    return value


def _field(item: dict[str, Any], key: str, kind: type, path: str) -> Any:
    value = item.get(key)
    if not isinstance(value, kind):
        raise ValueError(f"{path} must be a {kind.__name__}, not {value!r}")
    return value


def _sender(item: object, path: str) -> Sender:
    if not isinstance(item, dict):
        raise ValueError(f"{path} must be an object, not {item!r}")
    status = item.get("status")
    if status is not None:
        status = _int(status, f"{path}.status")
        status = SENDER_STATUSES[status]
    operators = {}
    given = _field(item, "operators", dict, f"{path}.operators") if "operators" in item else {}
    for key, value in given.items():
        code = _int(value, f"{path}.operators.{key}")
        operators[key] = OPERATOR_STATUSES[code]
    return Sender(
        name=_field(item, "name", str, f"{path}.name"),
        id=_int(item.get("id"), f"{path}.id"),
        status=status,
        operators=operators,
        extra=_extra(item, f"{path}.extra"),
    )


def _extra(item: dict[str, Any], path: str) -> dict[str, Any]:
    """The unknown keys of a sender, an error or a created answer: none if absent."""
    return dict(_field(item, "extra", dict, path) if "extra" in item else {})
