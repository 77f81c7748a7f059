"""The initial state store: runs, dead letters, crosswalk, watermarks, write ledger, job locks.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        _ts("started_at"),
        _ts("finished_at", nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed', 'finished_with_rejects', 'aborted')",
            name="ck_runs_status",
        ),
    )
    op.create_index("ix_runs_job_started_at", "runs", ["job", "started_at"])

    op.create_table(
        "dead_letters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("last_run_id", sa.String(36), nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("first_seen"),
        _ts("last_seen"),
        _ts("resolved_at", nullable=True),
        sa.Column("resolution", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_dead_letters_run_id_runs"),
        sa.ForeignKeyConstraint(
            ["last_run_id"], ["runs.id"], name="fk_dead_letters_last_run_id_runs"
        ),
        sa.UniqueConstraint(
            "job",
            "system",
            "object",
            "record_id",
            name="uq_dead_letters_job_system_object_record_id",
        ),
        sa.CheckConstraint(
            "resolution IN ('mapped', 'discarded')", name="ck_dead_letters_resolution"
        ),
    )
    op.create_index("ix_dead_letters_job_resolved_at", "dead_letters", ["job", "resolved_at"])

    op.create_table(
        "crosswalk",
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("canonical_id", sa.String(), nullable=False),
        _ts("linked_at"),
        sa.PrimaryKeyConstraint("system", "object", "record_id", name="pk_crosswalk"),
        sa.UniqueConstraint(
            "canonical_id", "system", "object", name="uq_crosswalk_canonical_id_system_object"
        ),
    )

    op.create_table(
        "watermarks",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("job", "system", "object", name="pk_watermarks"),
    )

    op.create_table(
        "write_ledger",
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("payload_hash", sa.String(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        _ts("written_at"),
        sa.PrimaryKeyConstraint("system", "object", "record_id", name="pk_write_ledger"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_write_ledger_run_id_runs"),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete')", name="ck_write_ledger_action"
        ),
    )

    op.create_table(
        "job_locks",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        _ts("acquired_at"),
        _ts("heartbeat_at"),
        _ts("expires_at"),
        sa.PrimaryKeyConstraint("job", name="pk_job_locks"),
    )


def downgrade() -> None:
    for table in ("job_locks", "write_ledger", "watermarks", "crosswalk", "dead_letters"):
        op.drop_table(table)
    op.drop_index("ix_runs_job_started_at", table_name="runs")
    op.drop_table("runs")
