"""Fxiaoke records and write reports in the contract's terms (``RawRecord``, ``WriteResult``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from connectors.fxiaoke import FxiaokeRecord, RecordResult, WriteOutcome, WriteReport
from connectors.record_system import JsonValue, RawRecord, WriteResult, WriteStatus

__all__ = ["convert", "epoch_ms", "raw_record"]

_STATUS = {
    WriteOutcome.CREATED: WriteStatus.CREATED,
    WriteOutcome.UPDATED: WriteStatus.UPDATED,
    WriteOutcome.INVALIDATED: WriteStatus.DELETED,
    WriteOutcome.DELETED: WriteStatus.DELETED,
    WriteOutcome.RECOVERED: WriteStatus.RECOVERED,
    WriteOutcome.OWNER_CHANGED: WriteStatus.UPDATED,
    WriteOutcome.DUPLICATE: WriteStatus.REJECTED,
    WriteOutcome.INVALID: WriteStatus.REJECTED,
    WriteOutcome.FAILED: WriteStatus.FAILED,
    WriteOutcome.NOT_SENT: WriteStatus.NOT_SENT,
}


def epoch_ms(moment: datetime) -> int:
    # round, not int: the connector parsed ms into a float timestamp.
    return round(moment.timestamp() * 1000)


def raw_record(record: FxiaokeRecord) -> RawRecord:
    """The record in its wire form (ms epochs, owner id list), as the mapping files read it."""
    fields: dict[str, JsonValue] = {"_id": record.id}
    if record.create_time is not None:
        fields["create_time"] = epoch_ms(record.create_time)
    if record.last_modified_time is not None:
        fields["last_modified_time"] = epoch_ms(record.last_modified_time)
    if record.owner:
        fields["owner"] = list[JsonValue](record.owner)
    if record.life_status is not None:
        fields["life_status"] = record.life_status
    fields.update(record.unparsed_times)  # as given: the mapping reports what it cannot read
    fields.update(record.fields)
    modified = record.last_modified_time
    return RawRecord(record.id, modified.astimezone(UTC) if modified else None, fields)


def _message(result: RecordResult) -> str | None:
    if result.ok:
        return None
    parts = [f"{result.code}: {result.message}" if result.code else result.message]
    if result.field:
        parts.append(f"field {result.field}")
    if result.trace_id:
        parts.append(f"trace {result.trace_id}")
    return "; ".join(p for p in parts if p) or result.outcome.value


def convert(
    report: WriteReport, indices: Sequence[int], ids: Sequence[str]
) -> dict[int, WriteResult]:
    """Results of a report on a subset of the inputs, re-indexed to the whole input."""
    out: dict[int, WriteResult] = {}
    for result in report.results:
        index = indices[result.index]
        record_id = result.record_id or (ids[index] if ids else None)
        status = _STATUS[result.outcome]
        out[index] = WriteResult(index, status, record_id, _message(result))
    return out
