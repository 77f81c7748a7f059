"""The dedupe index: entities with their golden records, members, blocking keys, models.

Revision ID: 0003
Revises: 0002
Create Date: 2025-03-01
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "dedupe_entities",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("master", sa.String(), nullable=True),
        sa.Column("features", sa.Text(), nullable=False),
        sa.Column("golden", sa.Text(), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("pairs", sa.Text(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("job", "entity_id", name="pk_dedupe_entities"),
        sa.CheckConstraint(
            "decision IN ('auto', 'review', 'single')", name="ck_dedupe_entities_decision"
        ),
    )

    op.create_table(
        "dedupe_members",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("system", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("job", "system", "object", "record_id", name="pk_dedupe_members"),
    )
    op.create_index("ix_dedupe_members_job_entity_id", "dedupe_members", ["job", "entity_id"])

    op.create_table(
        "dedupe_keys",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("job", "key", "entity_id", name="pk_dedupe_keys"),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "dedupe_models",
        sa.Column("job", sa.String(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("job", name="pk_dedupe_models"),
    )


def downgrade() -> None:
    op.drop_index("ix_dedupe_members_job_entity_id", table_name="dedupe_members")
    for table in ("dedupe_models", "dedupe_keys", "dedupe_members", "dedupe_entities"):
        op.drop_table(table)
