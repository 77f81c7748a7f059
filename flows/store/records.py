"""Typed rows the state store returns: runs, dead letters, watermarks, ledger entries, locks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from canonical.models import SourceRef

__all__ = [
    "DeadLetter",
    "LedgerEntry",
    "LedgerWrite",
    "LockInfo",
    "Resolution",
    "RunRecord",
    "RunStatus",
    "Watermark",
    "WriteAction",
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
