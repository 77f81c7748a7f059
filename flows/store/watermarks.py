"""Watermarks: how far a job has read each source object (an opaque string per connector).

Set a watermark inside `StateStore.transaction()` together with the batch it covers, so it
only advances once that batch is committed.
"""

from __future__ import annotations

from sqlalchemy import select

from flows.store.records import Watermark
from flows.store.schema import watermarks
from flows.store.statements import Clock, ConnectionSource, upsert

__all__ = ["Watermarks"]

_t = watermarks


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

    def set(self, job: str, system: str, object: str, value: str) -> None:
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
