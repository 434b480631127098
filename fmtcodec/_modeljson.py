"""The model as plain JSON data: fixture files and ``fmtcodec inspect --json``.

Schema version 1 (docs/formats.md, "The model as JSON"):

    {"version": 1, "kind": "list", "senders": [
        {"name": str, "id": int, "status": int | null,
         "operators": {key: int, ...}, "extra": {key: any JSON, ...}}, ...]}
    {"version": 1, "kind": "created", "id": int}
    {"version": 1, "kind": "ok"}
    {"version": 1, "kind": "error", "code": int, "description": str | null}

Mappings keep their order; ``extra`` values are whatever the wire held.
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

SCHEMA_VERSION = 1


def to_data(response: Response) -> dict[str, Any]:
    """``response`` as JSON-ready data (schema version 1)."""
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
        return {"version": SCHEMA_VERSION, "kind": "created", "id": int(response.id)}
    if isinstance(response, ApiError):
        return {
            "version": SCHEMA_VERSION,
            "kind": "error",
            "code": int(response.code),
            "description": response.description,
        }
    if isinstance(response, Ok):
        return {"version": SCHEMA_VERSION, "kind": "ok"}
    raise TypeError(f"not a model value: {type(response).__name__}")


def from_data(data: dict[str, Any]) -> Response:
    """The model value that :func:`to_data` wrote; ValueError on anything else.

    Every field is checked for its type: a bool is no id, status or code (JSON's ``true``
    is not ``1``), a status is no str.
    """
    if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
        raise ValueError(f"not fmtcodec model data of version {SCHEMA_VERSION}")
    kind = data.get("kind")
    if kind == "list":
        senders = _field(data, "senders", list, "senders")
        return SenderList(
            senders=tuple(_sender(item, f"senders[{i}]") for i, item in enumerate(senders))
        )
    if kind == "created":
        return SenderCreated(id=_int(data.get("id"), "id"))
    if kind == "ok":
        return Ok()
    if kind == "error":
        code = _int(data.get("code"), "code")
        description = data.get("description")
        if description is not None and not isinstance(description, str):
            raise ValueError(f"description must be a string or null, not {description!r}")
        return ApiError(code=ERROR_CODES[code], description=description)
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
        extra=dict(_field(item, "extra", dict, f"{path}.extra") if "extra" in item else {}),
    )
