"""The sync engine's tables: undo journal, shadow values, write intents, outcomes, retries.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "undo_journal",
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("canonical_id", sa.String(), nullable=True),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        _ts("recorded_at"),
        _ts("undone_at", nullable=True),
        sa.PrimaryKeyConstraint("run_id", "seq", name="pk_undo_journal"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_undo_journal_run_id_runs"),
        sa.CheckConstraint(
            "action IN ('created', 'updated', 'deleted', 'merged', 'invalidated')",
            name="ck_undo_journal_action",
        ),
    )

    op.create_table(
        "sync_shadow",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("canonical_id", sa.String(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        _ts("updated_at"),
        sa.Column("sides", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("job", "canonical_id", name="pk_sync_shadow"),
    )

    op.create_table(
        "write_intents",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("canonical_id", sa.String(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("keys", sa.JSON(), nullable=False),
        _ts("created_at"),
        _ts("resolved_at", nullable=True),
        sa.Column("record_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint(
            "job", "system", "object", "canonical_id", name="pk_write_intents"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_write_intents_run_id_runs"),
    )
    op.create_index(
        "ix_write_intents_job_resolved_at", "write_intents", ["job", "resolved_at"]
    )

    op.create_table(
        "write_outcomes",
        _id(),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=True),
        sa.Column("canonical_id", sa.String(), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        _ts("recorded_at"),
        sa.PrimaryKeyConstraint("id", name="pk_write_outcomes"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_write_outcomes_run_id_runs"),
        sa.CheckConstraint(
            "status IN ('created', 'updated', 'deleted', 'merged', 'skipped', 'rejected', "
            "'invalid', 'failed', 'refused')",
            name="ck_write_outcomes_status",
        ),
    )
    op.create_index("ix_write_outcomes_run_id_status", "write_outcomes", ["run_id", "status"])

    op.create_table(
        "sync_retries",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("first_seen"),
        sa.PrimaryKeyConstraint("job", "system", "object", "record_id", name="pk_sync_retries"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_sync_retries_run_id_runs"),
    )


def downgrade() -> None:
    op.drop_table("sync_retries")
    op.drop_index("ix_write_outcomes_run_id_status", table_name="write_outcomes")
    op.drop_table("write_outcomes")
    op.drop_index("ix_write_intents_job_resolved_at", table_name="write_intents")
    for table in ("write_intents", "sync_shadow", "undo_journal"):
        op.drop_table(table)
