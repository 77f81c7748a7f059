"""Write outcomes: what happened to each planned write of a run, for reports and audits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from flows.store.records import OutcomeStatus, WriteOutcome
from flows.store.schema import write_outcomes
from flows.store.statements import Repository

__all__ = ["WriteOutcomes"]

_t = write_outcomes


class WriteOutcomes(Repository):
    def record(self, run_id: str, outcomes: Sequence[WriteOutcome]) -> int:
        if not outcomes:
            return 0
        now = self._clock()
        rows = [
            {
                "run_id": run_id,
                "system": o.system,
                "object": o.object,
                "record_id": o.record_id,
                "canonical_id": o.canonical_id,
                "action": o.action,
                "status": o.status.value,
                "message": o.message,
                "recorded_at": now,
            }
            for o in outcomes
        ]
        with self._connect() as conn:
            conn.execute(_t.insert(), rows)
        return len(rows)

    def for_run(
        self, run_id: str, *, status: OutcomeStatus | None = None, limit: int | None = None
    ) -> list[WriteOutcome]:
        """The run's outcomes in the order they were recorded."""
        query = select(_t).where(_t.c.run_id == run_id).order_by(_t.c.id)
        if status is not None:
            query = query.where(_t.c.status == status.value)
        if limit is not None:
            query = query.limit(limit)
        with self._connect() as conn:
            return [_outcome(row._mapping) for row in conn.execute(query)]

    def counts(self, run_id: str) -> dict[tuple[str, str, str], int]:
        """(object, action, status) -> how many, for the run report."""
        query = (
            select(_t.c.object, _t.c.action, _t.c.status, func.count())
            .where(_t.c.run_id == run_id)
            .group_by(_t.c.object, _t.c.action, _t.c.status)
        )
        with self._connect() as conn:
            return {(o, a, s): int(n) for o, a, s, n in conn.execute(query)}


def _outcome(row: Mapping[Any, Any]) -> WriteOutcome:
    return WriteOutcome(
        system=row["system"],
        object=row["object"],
        action=row["action"],
        status=OutcomeStatus(row["status"]),
        record_id=row["record_id"],
        canonical_id=row["canonical_id"],
        message=row["message"],
    )
