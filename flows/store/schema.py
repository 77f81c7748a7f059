"""The state store's tables, as SQLAlchemy Core metadata.

Migrations in `migrations/versions/` are frozen copies of this shape; a test checks that an
upgraded database and this metadata agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

__all__ = [
    "UTCDateTime",
    "access_tokens",
    "alert_states",
    "crosswalk",
    "dead_letters",
    "dedupe_entities",
    "dedupe_keys",
    "dedupe_members",
    "dedupe_models",
    "erased_identities",
    "erasures",
    "feedback_facts",
    "job_locks",
    "metadata",
    "owner_rotation",
    "runs",
    "store_settings",
    "sync_retries",
    "sync_shadow",
    "tier_assignments",
    "tier_snapshots",
    "undo_journal",
    "watermark_history",
    "watermarks",
    "write_intents",
    "write_ledger",
    "write_outcomes",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no time zones) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the state store")
        value = value.astimezone(UTC)
        # SQLite keeps the text form only; storing UTC without offset keeps it sortable.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


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


# Migration 0003: the dedupe index. Golden records of a job's entities, which source records
# belong to each, and the blocking keys that find an entity from a new record in one lookup.
# JSON payloads are Text: they are written and read whole by the dedupe index, never queried.

dedupe_entities = Table(
    "dedupe_entities",
    metadata,
    Column("job", String(), primary_key=True),
    Column("entity_id", String(36), primary_key=True),
    Column("decision", String(16), nullable=False),
    Column("master", String()),  # "system:object:id" of the member that survives a merge
    Column("features", Text(), nullable=False),  # the golden record's match features
    Column("golden", Text(), nullable=False),  # the golden record's canonical values
    Column("keys", Text(), nullable=False),  # its blocking keys, to replace them on change
    Column("pairs", Text(), nullable=False),  # scored pairs between members: the evidence
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("decision IN ('auto', 'review', 'single')", name="decision"),
)

dedupe_members = Table(
    "dedupe_members",
    metadata,
    Column("job", String(), primary_key=True),
    Column("system", String(), primary_key=True),
    Column("object", String(), primary_key=True),
    Column("record_id", String(), primary_key=True),
    Column("entity_id", String(36), nullable=False),
    Column("fingerprint", String(), nullable=False),  # of the record's values: tells changes
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "job", "entity_id"),
)

# The lookup table of incremental matching: (job, key) finds candidate entities through the
# primary key alone. Without a rowid on SQLite, the key rows are the index.
dedupe_keys = Table(
    "dedupe_keys",
    metadata,
    Column("job", String(), primary_key=True),
    Column("key", String(), primary_key=True),
    Column("entity_id", String(36), primary_key=True),
    sqlite_with_rowid=False,
)

dedupe_models = Table(
    "dedupe_models",
    metadata,
    Column("job", String(), primary_key=True),
    Column("model", Text(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
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


# Migration 0006: what scheduled operation needs beyond one run.

# The alert state of each job that has alerts (ok, or the problems it has): a message goes
# out when it changes, never once per run.
alert_states = Table(
    "alert_states",
    metadata,
    Column("job", String(), primary_key=True),
    Column("state", String(), nullable=False),
    Column("message", Text()),
    Column("run_id", String(36)),
    Column("changed_at", UTCDateTime(), nullable=False),
)

# OAuth access tokens shared by every process of this store until they expire (never a
# refresh token). ``value`` is Fernet-encrypted when CRMBRIDGE_STATE_KEY is set.
access_tokens = Table(
    "access_tokens",
    metadata,
    Column("key", String(), primary_key=True),  # a hash naming the client and refresh token
    Column("value", Text(), nullable=False),
    Column("encrypted", Boolean(), nullable=False),
    Column("api_domain", String()),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)


# Migration 0008: tiering, owner assignment and feedback.

# The tier job's current decision per customer (an account's or a contact's canonical id),
# with why and under which rule version: what the next run's moves are measured against.
tier_assignments = Table(
    "tier_assignments",
    metadata,
    Column("job", String(), primary_key=True),
    Column("customer_id", String(36), primary_key=True),
    Column("kind", String(), nullable=False),  # account | contact
    Column("tier", String(), nullable=False),
    Column("stage", String(), nullable=False),
    Column("at_risk", Boolean(), nullable=False),
    Column("reason", Text(), nullable=False),
    Column("rule_version", String(), nullable=False),
    Column("run_id", String(36), nullable=False),
    Column("assigned_at", UTCDateTime(), nullable=False),
)

# The figures of each tier run (distribution, funnel, satisfaction...): the report's "change
# since the last run" and its trends.
tier_snapshots = Table(
    "tier_snapshots",
    metadata,
    Column("job", String(), primary_key=True),
    Column("run_id", String(36), primary_key=True),
    Column("taken_at", UTCDateTime(), nullable=False),
    Column("figures", JSON(), nullable=False),
    Index(None, "job", "taken_at"),
)

# What feedback jobs learnt of each piece of feedback (a canonical id): whose it is, its kind,
# status and scores. The tier job's at-risk rule and the reports read it.
feedback_facts = Table(
    "feedback_facts",
    metadata,
    Column("feedback_id", String(36), primary_key=True),
    Column("customer_id", String(36)),  # the account, else the contact
    Column("account_id", String(36)),
    Column("contact_id", String(36)),
    Column("kind", String(), nullable=False),
    Column("status", String(), nullable=False),
    Column("csat", Integer()),
    Column("nps", Integer()),
    Column("received_at", UTCDateTime()),
    Column("source", String(), nullable=False),  # system:object:id it was last read from
    Column("job", String(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "customer_id"),
)

# Where each team's round-robin stands, so that runs take turns across runs.
owner_rotation = Table(
    "owner_rotation",
    metadata,
    Column("job", String(), primary_key=True),
    Column("team", String(), primary_key=True),
    Column("position", Integer(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Migration 0009: privacy. Settings the store keeps for itself (the erasure salt, when the
# environment gives none), the salted hashes of every identity `crmbridge forget` erased (so
# no reader brings the person back) and one audit entry per erasure, naming no one.

store_settings = Table(
    "store_settings",
    metadata,
    Column("key", String(), primary_key=True),
    Column("value", Text(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

erased_identities = Table(
    "erased_identities",
    metadata,
    Column("hash", String(64), primary_key=True),  # HMAC-SHA256 of kind:value, salted
    Column("kind", String(16), nullable=False),  # record | email | mobile
    Column("erasure_id", String(36), nullable=False),
    Column("erased_at", UTCDateTime(), nullable=False),
    CheckConstraint("kind IN ('record', 'email', 'mobile')", name="kind"),
)

erasures = Table(
    "erasures",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("subject", String(64), nullable=False),  # salted hash of what the request named
    Column("requested_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime()),
    Column("status", String(16), nullable=False),
    Column("summary", JSON(), nullable=False),  # counts per system, table and file: no values
    Column("host", String(), nullable=False),
    CheckConstraint("status IN ('applied', 'partial', 'failed')", name="status"),
)
