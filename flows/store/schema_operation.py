"""Tables of scheduled operation beyond one run (migration 0006): alert states, shared tokens."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    String,
    Table,
    Text,
)

from flows.store.schema_base import UTCDateTime, metadata

__all__ = [
    "access_tokens",
    "alert_states",
]

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
