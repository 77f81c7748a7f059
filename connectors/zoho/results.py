"""Reading Zoho write responses record by record into typed results.

A 2xx does not mean every record succeeded: 207 mixes outcomes, and a 400 may carry one error
per record. Results come back in input order, which is how they are matched to our records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from connectors.http import FatalAPIError

__all__ = ["RecordOutcome", "RecordResult", "WriteOperation", "parse_write_results"]

WriteOperation = Literal["insert", "update", "upsert", "delete", "merge"]


class RecordOutcome(Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    MERGED = "merged"
    SCHEDULED = "scheduled"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    FAILED = "failed"

    @property
    def ok(self) -> bool:
        return self not in (RecordOutcome.DUPLICATE, RecordOutcome.INVALID, RecordOutcome.FAILED)


@dataclass(frozen=True)
class RecordResult:
    """What happened to the record at `index` of the request (0-based, across batches)."""

    index: int
    outcome: RecordOutcome
    code: str
    message: str
    record_id: str | None = None
    field: str | None = None
    duplicate_of: str | None = None
    job_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome.ok


_INVALID_CODES = frozenset({"INVALID_DATA", "MANDATORY_NOT_FOUND", "DEPENDENT_FIELD_MISSING"})
_UNCHANGED_MESSAGES = ("not modified", "no changes", "unchanged")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _success(op: WriteOperation, item: Mapping[str, object]) -> RecordOutcome:
    message = str(item.get("message") or "").lower()
    if item.get("code") == "SCHEDULED":
        return RecordOutcome.SCHEDULED
    if any(m in message for m in _UNCHANGED_MESSAGES):
        return RecordOutcome.UNCHANGED
    if op == "upsert":
        return RecordOutcome.CREATED if item.get("action") == "insert" else RecordOutcome.UPDATED
    return {
        "insert": RecordOutcome.CREATED,
        "update": RecordOutcome.UPDATED,
        "delete": RecordOutcome.DELETED,
        "merge": RecordOutcome.MERGED,
    }[op]


def _one(op: WriteOperation, index: int, item: Mapping[str, object]) -> RecordResult:
    details = item.get("details")
    details = details if isinstance(details, Mapping) else {}
    code = str(item.get("code") or "")
    message = str(item.get("message") or "")
    record_id = _text(details.get("id"))
    job_id = _text(details.get("job_id"))
    if item.get("status") == "success":
        outcome = _success(op, item)
        return RecordResult(index, outcome, code, message, record_id, job_id=job_id)
    field = _text(details.get("api_name"))
    if code == "DUPLICATE_DATA":
        dup = details.get("duplicate_record")
        dup_id = _text(dup.get("id")) if isinstance(dup, Mapping) else None
        return RecordResult(
            index, RecordOutcome.DUPLICATE, code, message, None, field, dup_id or record_id
        )
    outcome = RecordOutcome.INVALID if code in _INVALID_CODES else RecordOutcome.FAILED
    limit = details.get("maximum_length")
    if isinstance(limit, int) and not isinstance(limit, bool):
        message = f"{message} (longer than the {limit} characters the field holds)"
    return RecordResult(index, outcome, code, message, record_id, field)


def parse_write_results(
    body: object,
    *,
    operation: WriteOperation,
    expected: int,
    offset: int = 0,
    key: str = "data",
) -> list[RecordResult]:
    """One `RecordResult` per sent record, from a 200/201/207/400 write body.

    Raises `FatalAPIError` when the body does not hold exactly `expected` results, since
    results are matched to records by position.
    """
    items = body.get(key) if isinstance(body, Mapping) else None
    if not isinstance(items, list) or len(items) != expected:
        got = len(items) if isinstance(items, list) else "no"
        raise FatalAPIError(f"Zoho {operation} answered {got} results for {expected} records")
    return [
        _one(operation, offset + i, item if isinstance(item, Mapping) else {})
        for i, item in enumerate(items)
    ]
