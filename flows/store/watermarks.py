"""Watermarks: how far a job has read each source object (an opaque string per connector).

Set a watermark inside `StateStore.transaction()` together with the batch it covers, so it
only advances once that batch is committed. Set with a run id, the value it replaces is kept
(once per run and object: the first) so that undoing the run can put it back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from flows.store.records import Watermark
from flows.store.schema import watermark_history, watermarks
from flows.store.statements import Clock, ConnectionSource, upsert

__all__ = ["Watermarks"]

_t = watermarks
_h = watermark_history


class Watermarks:
    def __init__(self, connect: ConnectionSource, clock: Clock) -> None:
        self._connect = connect
        self._clock = clock

    def get(self, job: str, system: str, object: str) -> str | None:
        query = select(_t.c.value).where(
            _t.c.job == job, _t.c.system == system, _t.c.object == object
        )
        with self._connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def set(
        self, job: str, system: str, object: str, value: str, *, run_id: str | None = None
    ) -> None:
        """Set the watermark; with ``run_id``, first remember the value this run replaces."""
        if run_id is not None:
            self._remember(run_id, job, system, object)
        row = {
            "job": job,
            "system": system,
            "object": object,
            "value": value,
            "updated_at": self._clock(),
        }
        with self._connect() as conn:
            stmt = upsert(conn, _t)
            conn.execute(
                stmt.values(row).on_conflict_do_update(
                    index_elements=[_t.c.job, _t.c.system, _t.c.object],
                    set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
                )
            )

    def for_job(self, job: str) -> list[Watermark]:
        query = select(_t).where(_t.c.job == job).order_by(_t.c.system, _t.c.object)
        with self._connect() as conn:
            return [
                Watermark(
                    job=row.job,
                    system=row.system,
                    object=row.object,
                    value=row.value,
                    updated_at=row.updated_at,
                )
                for row in conn.execute(query)
            ]

    def _remember(self, run_id: str, job: str, system: str, object: str) -> None:
        """Keep the watermark as it stood before the run first moved it (later batches of
        the same run keep the first before-image)."""
        before = self.get(job, system, object)
        row = {
            "run_id": run_id,
            "job": job,
            "system": system,
            "object": object,
            "before": before,
            "recorded_at": self._clock(),
        }
        with self._connect() as conn:
            stmt = upsert(conn, _h)
            conn.execute(
                stmt.values(row).on_conflict_do_nothing(
                    index_elements=[_h.c.run_id, _h.c.system, _h.c.object]
                )
            )

    def restore(self, run_id: str) -> int:
        """Put back every watermark ``run_id`` moved to its value before that run (removed
        where the job had none), so the next run reads again what the run read. Returns how
        many were put back; a second call finds nothing to do."""
        restored = 0
        with self._connect() as conn:
            rows = list(conn.execute(select(_h).where(_h.c.run_id == run_id)))
            for row in rows:
                where = (_t.c.job == row.job, _t.c.system == row.system, _t.c.object == row.object)
                current = conn.execute(select(_t.c.value).where(*where)).scalar_one_or_none()
                if current is None or not _earlier(row.before, current):
                    continue  # already as far back (an older run was undone first)
                conn.execute(delete(_t).where(*where))
                if row.before is not None:
                    conn.execute(
                        _t.insert().values(
                            job=row.job,
                            system=row.system,
                            object=row.object,
                            value=row.before,
                            updated_at=self._clock(),
                        )
                    )
                restored += 1
            conn.execute(delete(_h).where(_h.c.run_id == run_id))
        return restored


def _earlier(before: str | None, current: str) -> bool:
    """Whether putting ``before`` back moves the watermark back: never forward. Values are
    opaque per connector; those that are instants compare as instants, others as text."""
    if before is None:
        return True
    try:
        return datetime.fromisoformat(before) < datetime.fromisoformat(current)
    except (TypeError, ValueError):
        return before < current
