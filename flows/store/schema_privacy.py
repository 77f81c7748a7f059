"""Tables of privacy (migration 0009): store settings, erased identities, erasures."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    String,
    Table,
    Text,
)

from flows.store.schema_base import UTCDateTime, metadata

__all__ = [
    "erased_identities",
    "erasures",
    "store_settings",
]

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
