"""Nothing lost: dead letters say whether a record was rejected, parked or failed; outcomes
gain parked (waiting for a parent) and linked (a create found its record already there).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUSES = (
    "'created', 'updated', 'deleted', 'merged', 'skipped', 'rejected', 'invalid', 'failed', "
    "'refused'"
)
_NEW_STATUSES = _OLD_STATUSES + ", 'parked', 'linked'"


def upgrade() -> None:
    with op.batch_alter_table("dead_letters") as batch:
        batch.add_column(
            sa.Column("outcome", sa.String(16), nullable=False, server_default="rejected")
        )
        batch.create_check_constraint(
            "ck_dead_letters_outcome", "outcome IN ('rejected', 'parked', 'failed')"
        )
    with op.batch_alter_table("write_outcomes") as batch:
        batch.drop_constraint("ck_write_outcomes_status", type_="check")
        batch.create_check_constraint("ck_write_outcomes_status", f"status IN ({_NEW_STATUSES})")


def downgrade() -> None:
    with op.batch_alter_table("write_outcomes") as batch:
        batch.drop_constraint("ck_write_outcomes_status", type_="check")
        batch.create_check_constraint("ck_write_outcomes_status", f"status IN ({_OLD_STATUSES})")
    with op.batch_alter_table("dead_letters") as batch:
        batch.drop_constraint("ck_dead_letters_outcome", type_="check")
        batch.drop_column("outcome")
