"""The contract every record system (Zoho, Fxiaoke, CSV files) offers to the flows.

Sync, migration and dedupe code talk to a ``RecordSystem`` only: pages of ``RawRecord`` in,
per-record ``WriteResult`` out. Raw fields stay in the system's own vocabulary (API names);
turning them into canonical records is the mapper's job.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pydantic import JsonValue

from connectors.capabilities import MergeMethod, Retirement

__all__ = [
    "HasUnreadableRows",
    "JsonValue",
    "MergeMethod",
    "RawRecord",
    "RecordSystem",
    "Retirement",
    "SystemUser",
    "UnsupportedOperationError",
    "WriteInterruptedError",
    "WriteResult",
    "WriteStatus",
]


@dataclass(frozen=True)
class RawRecord:
    """One record as the system returned it.

    ``modified_at`` is timezone-aware UTC (None only when the system does not say).
    """

    id: str
    modified_at: datetime | None
    fields: Mapping[str, JsonValue]


class WriteStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    UNCHANGED = "unchanged"
    MERGED = "merged"
    RECOVERED = "recovered"
    """A retired record is live again (Fxiaoke recover of an invalidated record)."""
    REJECTED = "rejected"
    """The system refused this record; the message says why. Safe to fix and resend."""
    FAILED = "failed"
    """The outcome is unknown (timeout, lost reply): re-read before resending."""
    NOT_SENT = "not_sent"
    """Nothing was done (the run stopped before, or the request was refused as a whole):
    safe to resend as is. Only found in ``WriteInterruptedError.results``."""


_OK_STATUSES = frozenset(
    {
        WriteStatus.CREATED,
        WriteStatus.UPDATED,
        WriteStatus.DELETED,
        WriteStatus.UNCHANGED,
        WriteStatus.MERGED,
        WriteStatus.RECOVERED,
    }
)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """The outcome of writing one input item.

    ``index`` is the position in the sequence given to the write call, so callers can pair
    results with their inputs whatever the order the system answered in.
    """

    index: int
    status: WriteStatus
    record_id: str | None
    message: str | None = None
    duplicate_of: str | None = None
    """REJECTED as a duplicate: the id of the target record that already holds the value
    (Zoho's DUPLICATE_DATA names it), so the caller can link to it instead of refusing."""

    @property
    def ok(self) -> bool:
        return self.status in _OK_STATUSES


@dataclass(frozen=True)
class SystemUser:
    """A user who can own records; owners are mapped between systems by ``email``."""

    id: str
    email: str | None
    name: str | None


class UnsupportedOperationError(Exception):
    """The system cannot do this operation (for example a merge on Fxiaoke)."""


class WriteInterruptedError(Exception):
    """A write call stopped part-way on an error that would fail every later call too
    (authentication refused, API credits or daily quota exhausted, a malformed request).

    ``results`` has one entry per input item, in input order: what was done before the stop
    with its real status, and NOT_SENT (or FAILED where the outcome is unknown) for the rest.
    Commit the results that are ``ok``, then stop the run: the cause needs a person.
    """

    def __init__(self, message: str, results: list[WriteResult]) -> None:
        super().__init__(message)
        self.results = results


@runtime_checkable
class RecordSystem(Protocol):
    """Reads and writes records of one configured system.

    ``name`` is the system's key under ``systems:`` in flows.yaml ("csv" for files);
    ``type`` is "zoho", "fxiaoke" or "csv". ``max_write_batch`` is how many items are worth
    passing to one write call, the natural unit to commit by: Zoho's API batch (100); for
    Fxiaoke, which writes one record per call, enough to keep its concurrent writers busy
    (100); 0 for files, which take no record writes. Callers may pass more: adapters chunk.

    What sets a system apart is asked of it, never read off its ``type``
    (``connectors.capabilities``; ``SystemDefaults`` answers for a system without any of it):
    ``owner_field`` and ``owner_payload`` (how a record's owner is written), ``merge_method``
    (how duplicates fold into their master), ``retirement`` (what ``delete`` does to a
    record), ``parent_payload`` (how a lookup to a parent record is written).

    Every write method returns exactly one ``WriteResult`` per input item, sorted by
    ``index`` (the item's position in the input). A record the CRM refuses is REJECTED, a
    request whose outcome is unknown (timeout, lost reply) leaves its items FAILED, and
    neither raises: the call goes on with the next batch. An error that would fail every
    later call raises ``WriteInterruptedError`` carrying the complete results.
    """

    name: str
    type: str
    max_write_batch: int
    owner_field: str | None
    merge_method: MergeMethod
    retirement: Retirement

    def owner_payload(self, user_id: str) -> dict[str, JsonValue]:
        """The raw fields that make ``user_id`` a record's owner ({} where records have no
        owner we write)."""
        ...

    def parent_payload(
        self, field: str, record_id: str, parent_object: str
    ) -> dict[str, JsonValue]:
        """The raw ``field`` (a mapping's parent field; a dotted one nests) pointing at
        ``record_id``, a record of ``parent_object``."""
        ...

    @property
    def api_calls(self) -> int:
        """HTTP requests made so far by this system's client (0 for files)."""
        ...

    def read(self, object: str, *, since: datetime | None = None) -> Iterator[list[RawRecord]]:
        """Pages of live records modified since ``since`` (every record when None).

        Each connector moves ``since`` back by its ``lookback_seconds`` (clock skew, late
        commits), so a few records already seen may come again: reads are at-least-once.
        Files cannot narrow by time and return every row.
        """
        ...

    def read_deleted(self, object: str, *, since: datetime | None = None) -> Iterator[list[str]]:
        """Pages of ids deleted (or invalidated) since ``since`` (minus the lookback).

        Raises UnsupportedOperationError for files, which keep no record of deletions.
        """
        ...

    def get_many(self, object: str, ids: Sequence[str]) -> list[RawRecord]:
        """The live records with these ids, in the order of ``ids``; ids that no longer exist
        (or are invalidated) are absent from the result."""
        ...

    def create(
        self, object: str, payloads: Sequence[Mapping[str, JsonValue]]
    ) -> list[WriteResult]: ...

    def update(
        self, object: str, changes: Sequence[tuple[str, Mapping[str, JsonValue]]]
    ) -> list[WriteResult]:
        """``changes`` are (record id, fields to set) pairs."""
        ...

    def delete(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Results are DELETED. Fxiaoke invalidates: it never deletes a live record."""
        ...

    def merge(self, object: str, master_id: str, duplicate_ids: Sequence[str]) -> list[WriteResult]:
        """Merge duplicates into the master; one result per duplicate (index into
        duplicate_ids), MERGED with ``record_id`` = the master. The master keeps its values:
        write the golden values with ``update`` first.

        Raises UnsupportedOperationError where the system has no merge (Fxiaoke, files).
        """
        ...

    def invalidate(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Retire records: Fxiaoke invalidates (recoverable), the others delete."""
        ...

    def recover(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Bring retired records back (undo of ``invalidate``/``delete``); results are
        RECOVERED. A record that is not retired is REJECTED.

        Raises UnsupportedOperationError where the system cannot (Zoho through our API
        version, files).
        """
        ...

    def users(self) -> list[SystemUser]:
        """Active users who can own records ([] for files)."""
        ...


class UnreadableRow(Protocol):
    """Where a source row lies and why it could not be read (a CSV reader's row error)."""

    @property
    def row_number(self) -> int: ...
    @property
    def reason(self) -> str: ...
    @property
    def raw(self) -> str: ...


@runtime_checkable
class HasUnreadableRows(Protocol):
    """A system whose reads can meet rows that are not records (a broken CSV line).

    ``take_unreadable(object)`` returns those of the last read, each with the id the row
    would have had, and forgets them; a sync dead-letters each one with its reason.
    """

    def take_unreadable(self, object: str) -> Sequence[tuple[str, UnreadableRow]]: ...
