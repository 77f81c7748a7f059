"""Per-record outcomes of Fxiaoke writes, typed.

There is no batch write, so every record has its own reply: success carries the new id
(top-level `dataId` on preset objects; other places are accepted for custom objects), a
refusal carries `errorCode`, message and `traceId`. Duplicate and invalid-field refusals have
no documented codes, so they are told apart by message and the field is the payload key the
message names, when it names one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from connectors.http import APIError, JSONValue

__all__ = ["RecordResult", "WriteOutcome", "created_id", "refused"]


class WriteOutcome(Enum):
    CREATED = "created"
    UPDATED = "updated"
    INVALIDATED = "invalidated"
    DELETED = "deleted"
    """Deleted for good (from the recycle bin): only an invalidated record can be."""
    RECOVERED = "recovered"
    OWNER_CHANGED = "owner_changed"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    FAILED = "failed"
    """A transient or unexpected failure: the record may be retried later."""
    NOT_SENT = "not_sent"
    """The daily quota or a fatal error stopped the run before this record was sent."""

    @property
    def ok(self) -> bool:
        return self in _OK


_OK = frozenset(
    {
        WriteOutcome.CREATED,
        WriteOutcome.RECOVERED,
        WriteOutcome.UPDATED,
        WriteOutcome.INVALIDATED,
        WriteOutcome.DELETED,
        WriteOutcome.OWNER_CHANGED,
    }
)
_DUPLICATE_HINTS = ("duplicate", "重复", "查重")


@dataclass(frozen=True)
class RecordResult:
    """What happened to the record at `index` of the input (0-based)."""

    index: int
    outcome: WriteOutcome
    record_id: str | None = None
    code: str | None = None
    message: str = ""
    field: str | None = None
    trace_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome.ok


def created_id(reply: Mapping[str, JSONValue]) -> str | None:
    """The new record's id: top-level `dataId`, else inside `data` (custom-object replies)."""
    candidates: list[JSONValue] = [reply.get("dataId")]
    data = reply.get("data")
    if isinstance(data, dict):
        candidates += [data.get("dataId"), data.get("_id"), data.get("objectDataId")]
        nested = data.get("object_data") or data.get("objectData")
        if isinstance(nested, dict):
            candidates.append(nested.get("_id"))
    for value in candidates:
        if isinstance(value, str) and value:
            return value
    return None


def _field_named(message: str, fields: Iterable[str]) -> str | None:
    named = [f for f in fields if f and f in message]
    return max(named, key=len) if named else None


def refused(index: int, exc: APIError, fields: Iterable[str] = ()) -> RecordResult:
    """A record-level refusal as DUPLICATE or INVALID (with the field the message names)."""
    lowered = exc.message.lower()
    if any(h in lowered for h in _DUPLICATE_HINTS):
        outcome = WriteOutcome.DUPLICATE
    else:
        outcome = WriteOutcome.INVALID
    return RecordResult(
        index,
        outcome,
        code=exc.code,
        message=exc.message,
        field=_field_named(exc.message, fields),
        trace_id=exc.trace_id,
    )
