"""The state store's tables, as SQLAlchemy Core metadata.

Migrations in `migrations/versions/` are frozen copies of this shape; a test checks that an
upgraded database and this metadata agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
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
    "crosswalk",
    "dead_letters",
    "job_locks",
    "metadata",
    "runs",
    "watermarks",
    "write_ledger",
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
    UniqueConstraint("job", "system", "object", "record_id"),
    CheckConstraint("resolution IN ('mapped', 'discarded')", name="resolution"),
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
