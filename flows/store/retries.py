"""Sync retries: source records the next run looks at again, whatever its watermark says.

The watermark moves past every record a run has dealt with, including those it could not
write: the target refused them, the reply was lost, or their parent is not in the target yet.
Those are kept here (and as dead letters, for people) and fetched by id on the next run.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from canonical.models import SourceRef
from flows.store.schema import sync_retries
from flows.store.statements import Repository, delete_refs, upsert_rows

__all__ = ["SyncRetries"]

_t = sync_retries


class SyncRetries(Repository):
    def add_many(self, job: str, run_id: str, reasons: Iterable[tuple[SourceRef, str]]) -> int:
        """Keep records for retry with the reason; a record kept already counts one attempt more."""
        now = self._clock()
        rows = {
            ref: {
                "job": job,
                "system": ref.system,
                "object": ref.object,
                "record_id": ref.id,
                "reason": reason,
                "run_id": run_id,
                "attempts": 1,
                "first_seen": now,
            }
            for ref, reason in reasons
        }
        if not rows:
            return 0
        with self._connect() as conn:
            upsert_rows(
                conn,
                _t,
                list(rows.values()),
                keys=("job", "system", "object", "record_id"),
                replace=("reason", "run_id"),
                also={"attempts": _t.c.attempts + 1},
            )
        return len(rows)

    def pending(self, job: str, system: str, object: str) -> dict[str, str]:
        """Record id -> reason of the records of one object waiting for a retry."""
        query = (
            select(_t.c.record_id, _t.c.reason)
            .where(_t.c.job == job, _t.c.system == system, _t.c.object == object)
            .order_by(_t.c.first_seen, _t.c.record_id)
        )
        with self._connect() as conn:
            return {record_id: reason for record_id, reason in conn.execute(query)}

    def remove_many(self, job: str, refs: Iterable[SourceRef]) -> int:
        with self._connect() as conn:
            return delete_refs(conn, _t, refs, _t.c.job == job)

    def count(self, job: str) -> int:
        query = select(_t.c.record_id).where(_t.c.job == job)
        with self._connect() as conn:
            return len(conn.execute(query).all())
