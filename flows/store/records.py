"""Typed rows the state store returns: runs, dead letters, watermarks, ledger entries, locks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import JsonValue

from canonical.models import SourceRef

__all__ = [
    "AlertState",
    "DeadLetter",
    "JournalEntry",
    "LedgerEntry",
    "LedgerWrite",
    "LockInfo",
    "OutcomeStatus",
    "Resolution",
    "RunRecord",
    "RunStatus",
    "ShadowEntry",
    "StoredToken",
    "UndoAction",
    "UndoEntry",
    "Watermark",
    "WriteAction",
    "WriteIntent",
    "WriteOutcome",
]


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    FINISHED_WITH_REJECTS = "finished_with_rejects"
    ABORTED = "aborted"


class Resolution(StrEnum):
    """How a dead letter was closed: a later run mapped the record, or a user discarded it."""

    MAPPED = "mapped"
    DISCARDED = "discarded"


class WriteAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: str
    job: str
    kind: str
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None
    counts: Mapping[str, int]
    message: str | None
    host: str
    pid: int
    flow_run_id: str | None = None  # the Prefect flow run, when it ran as one


@dataclass(frozen=True, slots=True)
class AlertState:
    """A job's last alert state: ``ok`` or its problems (``failed``, ``rejects+backlog``)."""

    job: str
    state: str
    message: str | None
    run_id: str | None
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class StoredToken:
    """An access token as kept in the store: the value as stored (maybe encrypted)."""

    key: str
    value: str
    encrypted: bool
    api_domain: str | None
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A record a run could not map; open while `resolved_at` is None."""

    id: int
    job: str
    run_id: str
    last_run_id: str
    source: SourceRef
    row: int | None
    field: str | None
    reason: str
    value: str | None
    raw: Mapping[str, str | None]
    attempts: int
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None
    resolution: Resolution | None
    outcome: str = "rejected"


@dataclass(frozen=True, slots=True)
class Watermark:
    job: str
    system: str
    object: str
    value: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class LedgerWrite:
    """What we are about to record as written to one target record."""

    ref: SourceRef
    payload_hash: str
    action: WriteAction


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    ref: SourceRef
    payload_hash: str
    action: WriteAction
    run_id: str
    written_at: datetime


@dataclass(frozen=True, slots=True)
class LockInfo:
    job: str
    owner: str
    host: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime


class UndoAction(StrEnum):
    """What a run did to a record, and so what undoing it means."""

    CREATED = "created"  # undo: delete it
    UPDATED = "updated"  # undo: write the before-image back
    DELETED = "deleted"  # undo: recreate it from the before-image
    MERGED = "merged"  # a merged-away duplicate; undo: recreate it from the before-image
    INVALIDATED = "invalidated"  # undo: recreate it from the before-image


@dataclass(frozen=True, slots=True)
class UndoEntry:
    """One change a run made, with the raw fields the record had before (None if created)."""

    ref: SourceRef
    action: UndoAction
    before: Mapping[str, JsonValue] | None = None
    canonical_id: str | None = None


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """An undo entry as journaled: `seq` orders a run's changes; undo walks it backwards."""

    run_id: str
    seq: int
    entry: UndoEntry
    recorded_at: datetime
    undone_at: datetime | None


@dataclass(frozen=True, slots=True)
class ShadowEntry:
    """The canonical values both sides of a synced pair had after the last sync."""

    canonical_id: str
    values: Mapping[str, JsonValue]
    fingerprint: str
    updated_at: datetime
    sides: Mapping[str, Mapping[str, JsonValue]] | None = None


@dataclass(frozen=True, slots=True)
class WriteIntent:
    """A create about to be sent: its business keys find the record if the reply is lost."""

    job: str
    system: str
    object: str
    canonical_id: str
    run_id: str
    keys: Mapping[str, str]
    created_at: datetime
    resolved_at: datetime | None = None
    record_id: str | None = None


class OutcomeStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    MERGED = "merged"
    SKIPPED = "skipped"
    REJECTED = "rejected"  # the target refused the record; dead-lettered and retried
    INVALID = "invalid"  # the source record could not be mapped
    FAILED = "failed"  # the outcome is unknown (lost reply); resolved on the next run
    REFUSED = "refused"  # apply refused: the target changed since the plan was made
    PARKED = "parked"  # waiting for its parent to be in the target; dead-lettered, retried
    LINKED = "linked"  # a create found the record in the target already (a duplicate): linked


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """What happened to one planned write of a run."""

    system: str
    object: str
    action: str
    status: OutcomeStatus
    record_id: str | None = None
    canonical_id: str | None = None
    message: str | None = None
