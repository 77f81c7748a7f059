"""Tiering, owner assignment and feedback: tier assignments and snapshots, feedback facts,
round-robin positions.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tier_assignments",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("at_risk", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule_version", sa.String(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", "customer_id", name="pk_tier_assignments"),
    )
    op.create_table(
        "tier_snapshots",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("job", "run_id", name="pk_tier_snapshots"),
    )
    op.create_index("ix_tier_snapshots_job_taken_at", "tier_snapshots", ["job", "taken_at"])
    op.create_table(
        "feedback_facts",
        sa.Column("feedback_id", sa.String(36), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=True),
        sa.Column("account_id", sa.String(36), nullable=True),
        sa.Column("contact_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feedback_id", name="pk_feedback_facts"),
    )
    op.create_index("ix_feedback_facts_customer_id", "feedback_facts", ["customer_id"])
    op.create_table(
        "owner_rotation",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", "team", name="pk_owner_rotation"),
    )


def downgrade() -> None:
    op.drop_table("owner_rotation")
    op.drop_index("ix_feedback_facts_customer_id", table_name="feedback_facts")
    op.drop_table("feedback_facts")
    op.drop_index("ix_tier_snapshots_job_taken_at", table_name="tier_snapshots")
    op.drop_table("tier_snapshots")
    op.drop_table("tier_assignments")
