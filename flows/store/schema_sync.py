"""Tables of runs and the sync engine (migrations 0001, 0002, 0004, 0005).

Runs and their dead letters, the crosswalk, watermarks, the ledger, locks, and what a sync
needs to undo a run, create exactly once and retry a record: the tables one sync writes.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from flows.store.schema_base import UTCDateTime, metadata

__all__ = [
    "crosswalk",
    "dead_letters",
    "job_locks",
    "runs",
    "sync_retries",
    "sync_shadow",
    "undo_journal",
    "watermark_history",
    "watermarks",
    "write_intents",
    "write_ledger",
    "write_outcomes",
]

# String() without a length: VARCHAR on PostgreSQL, so ids of any length fit.
runs = Table(
    "runs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("job", String(), nullable=False),
    Column("kind", String(), nullable=False),
    Column("status", String(32), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime()),
    Column("counts", JSON(), nullable=False),
    Column("message", Text()),
    Column("host", String(), nullable=False),
    Column("pid", Integer(), nullable=False),
    # Migration 0006: the Prefect flow run this run was, when it ran as one.
    Column("flow_run_id", String(36)),
    CheckConstraint(
        "status IN ('running', 'succeeded', 'failed', 'finished_with_rejects', 'aborted')",
        name="status",
    ),
    Index(None, "job", "started_at"),
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("job", String(), nullable=False),
    Column("run_id", String(36), ForeignKey("runs.id"), nullable=False),
    Column("last_run_id", String(36), ForeignKey("runs.id"), nullable=False),
    Column("system", String(), nullable=False),
    Column("object", String(), nullable=False),
    Column("record_id", String(), nullable=False),
    Column("source_row", Integer()),
    Column("field", String()),
    Column("reason", Text(), nullable=False),
    Column("value", Text()),
    Column("raw", JSON(), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("first_seen", UTCDateTime(), nullable=False),
    Column("last_seen", UTCDateTime(), nullable=False),
    Column("resolved_at", UTCDateTime()),
    Column("resolution", String(16)),
    # Migration 0005: rejected (refused by its mapping or the target), parked (waiting for
    # a parent) or failed (outcome unknown); each is retried by the next run.
    Column("outcome", String(16), nullable=False, server_default="rejected"),
    UniqueConstraint("job", "system", "object", "record_id"),
    CheckConstraint("resolution IN ('mapped', 'discarded')", name="resolution"),
    CheckConstraint("outcome IN ('rejected', 'parked', 'failed')", name="outcome"),
    Index(None, "job", "resolved_at"),
)

crosswalk = Table(
    "crosswalk",
    metadata,
    Column("system", String(), primary_key=True),
    Column("object", String(), primary_key=True),
    Column("record_id", String(), primary_key=True),
    Column("canonical_id", String(), nullable=False),
    Column("linked_at", UTCDateTime(), nullable=False),
    UniqueConstraint("canonical_id", "system", "object"),
)

watermarks = Table(
    "watermarks",
    metadata,
    Column("job", String(), primary_key=True),
    Column("system", String(), primary_key=True),
    Column("object", String(), primary_key=True),
    Column("value", Text(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Migration 0004: each watermark as it stood before a run first moved it, so that undoing the
# run moves it back and the next run reads again what the undone run had read.
watermark_history = Table(
    "watermark_history",
    metadata,
    Column("run_id", String(36), ForeignKey("runs.id"), primary_key=True),
    Column("job", String(), nullable=False),
    Column("system", String(), primary_key=True),
    Column("object", String(), primary_key=True),
    Column("before", Text()),  # None: the job had no watermark for this object yet
    Column("recorded_at", UTCDateTime(), nullable=False),
)

write_ledger = Table(
    "write_ledger",
    metadata,
    Column("system", String(), primary_key=True),
    Column("object", String(), primary_key=True),
    Column("record_id", String(), primary_key=True),
    Column("payload_hash", String(), nullable=False),
    Column("action", String(16), nullable=False),
    Column("run_id", String(36), ForeignKey("runs.id"), nullable=False),
    Column("written_at", UTCDateTime(), nullable=False),
    CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),
)

job_locks = Table(
    "job_locks",
    metadata,
    Column("job", String(), primary_key=True),
    Column("owner", String(), nullable=False),
    Column("host", String(), nullable=False),
    Column("pid", Integer(), nullable=False),
    Column("acquired_at", UTCDateTime(), nullable=False),
    Column("heartbeat_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)


# Migration 0002: what the sync engine needs to undo a run, to know the values both sides
# agreed on, to create exactly once and to report per-record outcomes.

undo_journal = Table(
    "undo_journal",
    metadata,
    Column("run_id", String(36), ForeignKey("runs.id"), primary_key=True),
    Column("seq", Integer(), primary_key=True, autoincrement=False),
    Column("system", String(), nullable=False),
    Column("object", String(), nullable=False),
    Column("record_id", String(), nullable=False),
    Column("action", String(16), nullable=False),
    Column("canonical_id", String()),
    # The record's raw fields before the run touched it; None for a record the run created.
    Column("before", JSON(none_as_null=True)),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("undone_at", UTCDateTime()),
    CheckConstraint(
        "action IN ('created', 'updated', 'deleted', 'merged', 'invalidated')", name="action"
    ),
)

sync_shadow = Table(
    "sync_shadow",
    metadata,
    Column("job", String(), primary_key=True),
    Column("canonical_id", String(), primary_key=True),
    Column("values", JSON(), nullable=False),
    Column("fingerprint", String(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # Each side's values as it held them after the sync ({"a": {...}, "b": {...}}): what a
    # side derives from our writes (Zoho's Full_Name) is its own base, not a change.
    Column("sides", JSON(none_as_null=True)),
)

write_intents = Table(
    "write_intents",
    metadata,
    Column("job", String(), primary_key=True),
    Column("system", String(), primary_key=True),
    Column("object", String(), primary_key=True),
    Column("canonical_id", String(), primary_key=True),
    Column("run_id", String(36), ForeignKey("runs.id"), nullable=False),
    Column("keys", JSON(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("resolved_at", UTCDateTime()),
    Column("record_id", String()),
    Index(None, "job", "resolved_at"),
)

write_outcomes = Table(
    "write_outcomes",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("run_id", String(36), ForeignKey("runs.id"), nullable=False),
    Column("system", String(), nullable=False),
    Column("object", String(), nullable=False),
    Column("record_id", String()),
    Column("canonical_id", String()),
    Column("action", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("message", Text()),
    Column("recorded_at", UTCDateTime(), nullable=False),
    CheckConstraint(
        "status IN ('created', 'updated', 'deleted', 'merged', 'skipped', 'rejected', "
        "'invalid', 'failed', 'refused', 'parked', 'linked')",
        name="status",
    ),
    Index(None, "run_id", "status"),
)


# Source records a run must look at again whatever the watermark: the target refused them,
# their outcome is unknown, or their parent was not in the target yet.
sync_retries = Table(
    "sync_retries",
    metadata,
    Column("job", String(), primary_key=True),
    Column("system", String(), primary_key=True),
    Column("object", String(), primary_key=True),
    Column("record_id", String(), primary_key=True),
    Column("reason", Text(), nullable=False),
    Column("run_id", String(36), ForeignKey("runs.id"), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("first_seen", UTCDateTime(), nullable=False),
)
