"""Tables of tiering, owner assignment and feedback (migration 0008)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from flows.store.schema_base import UTCDateTime, metadata

__all__ = [
    "feedback_facts",
    "owner_rotation",
    "tier_assignments",
    "tier_snapshots",
]

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
