"""Where each team's round-robin stands, per job: the next run goes on from there."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from flows.store.schema import owner_rotation
from flows.store.statements import Repository, upsert_rows

__all__ = ["OwnerRotation"]

_t = owner_rotation


class OwnerRotation(Repository):
    def positions(self, job: str) -> dict[str, int]:
        with self._connect() as conn:
            rows = conn.execute(select(_t.c.team, _t.c.position).where(_t.c.job == job))
            return {team: int(position) for team, position in rows}

    def put(self, job: str, positions: Mapping[str, int]) -> None:
        if not positions:
            return
        now = self._clock()
        rows = [
            {"job": job, "team": team, "position": position, "updated_at": now}
            for team, position in positions.items()
        ]
        with self._connect() as conn:
            upsert_rows(conn, _t, rows, keys=("job", "team"), replace=("position", "updated_at"))
