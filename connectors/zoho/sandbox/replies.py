"""What a handler answers: a status, a JSON body or none, and extra headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["JsonObject", "Reply", "ZohoApiError", "error_body", "item_error"]

JsonObject = dict[str, Any]


@dataclass
class Reply:
    status: int
    body: JsonObject | None = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    raw_type: str | None = None


def error_body(code: str, message: str, details: JsonObject | None = None) -> JsonObject:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def item_error(code: str, message: str, api_name: str, index: int, **extra: Any) -> JsonObject:
    """A per-record error inside ``data[]``, pointing at the offending field."""
    details: JsonObject = {"api_name": api_name, "json_path": f"$.data[{index}].{api_name}"}
    details.update(extra)
    return error_body(code, message, details)


class ZohoApiError(Exception):
    """Raised inside handlers to answer with Zoho's top-level error envelope."""

    def __init__(
        self, status: int, code: str, message: str, details: JsonObject | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.reply = Reply(status, error_body(code, message, details))
