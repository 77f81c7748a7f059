"""Privacy: the store's own settings (the erasure salt), erased identities, erasure audit.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-12

Revises 0006: the branches adding 0007 and 0008 are re-chained when they merge.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "store_settings",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_store_settings"),
    )
    op.create_table(
        "erased_identities",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("erasure_id", sa.String(36), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('record', 'email', 'mobile')", name="ck_erased_identities_kind"
        ),
        sa.PrimaryKeyConstraint("hash", name="pk_erased_identities"),
    )
    op.create_table(
        "erasures",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("host", sa.String(), nullable=False),
        sa.CheckConstraint(
            "status IN ('applied', 'partial', 'failed')", name="ck_erasures_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_erasures"),
    )


def downgrade() -> None:
    op.drop_table("erasures")
    op.drop_table("erased_identities")
    op.drop_table("store_settings")
