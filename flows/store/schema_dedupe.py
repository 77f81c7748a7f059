"""Tables of the dedupe index (migration 0003)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    String,
    Table,
    Text,
)

from flows.store.schema_base import UTCDateTime, metadata

__all__ = [
    "dedupe_entities",
    "dedupe_keys",
    "dedupe_members",
    "dedupe_models",
]

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
