"""Zoho records and write results in the contract's terms (``RawRecord``, ``WriteResult``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC

from connectors.record_system import JsonValue, RawRecord, WriteResult, WriteStatus
from connectors.zoho import RecordOutcome, RecordResult, ZohoRecord

__all__ = ["raw_record", "spread", "write_result"]

_STATUS = {
    RecordOutcome.CREATED: WriteStatus.CREATED,
    RecordOutcome.UPDATED: WriteStatus.UPDATED,
    RecordOutcome.UNCHANGED: WriteStatus.UNCHANGED,
    RecordOutcome.DELETED: WriteStatus.DELETED,
    RecordOutcome.MERGED: WriteStatus.MERGED,
}
_SCHEDULED_AS = {
    "insert": WriteStatus.CREATED,
    "update": WriteStatus.UPDATED,
    "delete": WriteStatus.DELETED,
    "merge": WriteStatus.MERGED,
}


def raw_record(record: ZohoRecord) -> RawRecord:
    """The record as the mapping files see it: API names, system fields included."""
    fields: dict[str, JsonValue] = {"id": record.id}
    if record.created_time is not None:
        fields["Created_Time"] = record.created_time.isoformat()
    if record.modified_time is not None:
        fields["Modified_Time"] = record.modified_time.isoformat()
    if record.owner is not None:
        fields["Owner"] = record.owner.model_dump(mode="json")
    fields.update(record.fields)
    modified = record.modified_time.astimezone(UTC) if record.modified_time else None
    return RawRecord(id=record.id, modified_at=modified, fields=fields)


def _message(result: RecordResult) -> str:
    parts = [f"{result.code}: {result.message}" if result.code else result.message]
    if result.field:
        parts.append(f"field {result.field}")
    if result.duplicate_of:
        parts.append(f"duplicate of {result.duplicate_of}")
    if result.job_id:
        parts.append(f"job {result.job_id}")
    return "; ".join(p for p in parts if p)


def _status(result: RecordResult, operation: str) -> WriteStatus:
    if result.outcome is RecordOutcome.SCHEDULED:
        # Accepted as a background job (large merges): done as far as we can tell.
        return _SCHEDULED_AS[operation]
    return _STATUS.get(result.outcome, WriteStatus.REJECTED)


def write_result(
    result: RecordResult, operation: str, index: int, record_id: str | None
) -> WriteResult:
    status = _status(result, operation)
    ok = status is not WriteStatus.REJECTED and result.outcome is not RecordOutcome.SCHEDULED
    message = None if ok else _message(result)
    duplicate = result.duplicate_of if result.outcome is RecordOutcome.DUPLICATE else None
    if duplicate is not None and duplicate == record_id:
        duplicate = None  # an update colliding with itself names no other record
    record = record_id if duplicate is not None else (result.record_id or record_id)
    return WriteResult(index, status, record, message, duplicate)


def spread(
    results: Sequence[WriteResult],
    sent: Sequence[int],
    changes: Sequence[tuple[str, Mapping[str, JsonValue]]],
) -> list[WriteResult]:
    """Results of the sent subset re-indexed to all ``changes``; the rest UNCHANGED."""
    out = [WriteResult(i, WriteStatus.UNCHANGED, rid, None) for i, (rid, _) in enumerate(changes)]
    for result in results:
        index = sent[result.index]
        out[index] = WriteResult(index, result.status, result.record_id, result.message)
    return out
