"""Watermark history: each watermark as it stood before a run moved it, for undo.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watermark_history",
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "system", "object", name="pk_watermark_history"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_watermark_history_run_id_runs"),
    )


def downgrade() -> None:
    op.drop_table("watermark_history")
