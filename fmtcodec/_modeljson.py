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
    """The model value that :func:`to_data` wrote; ValueError on anything else."""
    if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
        raise ValueError(f"not fmtcodec model data of version {SCHEMA_VERSION}")
    kind = data.get("kind")
    if kind == "list":
        return SenderList(senders=[_sender(item) for item in data["senders"]])
    if kind == "created":
        return SenderCreated(id=data["id"])
    if kind == "ok":
        return Ok()
    if kind == "error":
        code: int = data["code"]
        return ApiError(code=ERROR_CODES.get(code, code), description=data.get("description"))
    raise ValueError(f"unknown kind {kind!r}")


def _sender(item: dict[str, Any]) -> Sender:
    status = item.get("status")
    return Sender(
        name=item["name"],
        id=item["id"],
        status=None if status is None else SENDER_STATUSES.get(status, status),
        operators={
            key: OPERATOR_STATUSES.get(value, value)
            for key, value in item.get("operators", {}).items()
        },
        extra=dict(item.get("extra", {})),
    )
