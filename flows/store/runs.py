"""The run journal: one row per run of a job, from start to its final status."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from flows.store.errors import StateStoreError
from flows.store.records import RunRecord, RunStatus
from flows.store.schema import runs, write_outcomes
from flows.store.statements import Clock, ConnectionSource

__all__ = ["Runs"]


class Runs:
    def __init__(self, connect: ConnectionSource, clock: Clock) -> None:
        self._connect = connect
        self._clock = clock

    def start(self, job: str, kind: str, *, flow_run_id: str | None = None) -> RunRecord:
        """Journal a new run of `job` as running, started now, by this process (as the
        Prefect flow run `flow_run_id`, when it runs as one)."""
        values: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "job": job,
            "kind": kind,
            "status": RunStatus.RUNNING.value,
            "started_at": self._clock(),
            "finished_at": None,
            "counts": {},
            "message": None,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "flow_run_id": flow_run_id,
        }
        with self._connect() as conn:
            conn.execute(runs.insert().values(values))
        return _record(values)

    def finish(
        self,
        run_id: str,
        status: RunStatus,
        counts: Mapping[str, int] | None = None,
        message: str | None = None,
    ) -> RunRecord:
        """Close a run with its final status, its counts and (on failure) the error text."""
        if status is RunStatus.RUNNING:
            raise ValueError("finish() needs a final status, not 'running'")
        changes: dict[str, Any] = {
            "status": status.value,
            "finished_at": self._clock(),
            "message": message,
        }
        if counts is not None:
            changes["counts"] = {str(key): int(value) for key, value in counts.items()}
        with self._connect() as conn:
            done = conn.execute(update(runs).where(runs.c.id == run_id).values(changes))
            row = conn.execute(select(runs).where(runs.c.id == run_id)).one_or_none()
        if done.rowcount != 1 or row is None:
            raise StateStoreError(f"no run with id {run_id!r}")
        return _record(row._mapping)

    def get(self, run_id: str) -> RunRecord | None:
        with self._connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).one_or_none()
        return None if row is None else _record(row._mapping)

    def recent(self, job: str | None = None, limit: int = 20) -> list[RunRecord]:
        """The newest runs first, of one job or of all."""
        query = select(runs).order_by(runs.c.started_at.desc(), runs.c.id).limit(limit)
        if job is not None:
            query = query.where(runs.c.job == job)
        with self._connect() as conn:
            rows: list[Row[Any]] = list(conn.execute(query))
        return [_record(row._mapping) for row in rows]

    def abort_running(self, job: str, message: str, *, only: Collection[str] | None = None) -> int:
        """Mark runs of `job` still 'running' (of ``only``, when given) as aborted, with the
        counts of the writes they committed (a killed run journaled nothing at its end); call
        it while holding the job lock, or once the lock shows the runs' process is gone."""
        now = self._clock()
        with self._connect() as conn:
            ids = [
                run_id
                for run_id in conn.execute(
                    select(runs.c.id).where(
                        runs.c.job == job, runs.c.status == RunStatus.RUNNING.value
                    )
                ).scalars()
                if only is None or run_id in only
            ]
            for run_id in ids:
                conn.execute(
                    update(runs)
                    .where(runs.c.id == run_id, runs.c.status == RunStatus.RUNNING.value)
                    .values(
                        status=RunStatus.ABORTED.value,
                        finished_at=now,
                        message=message,
                        counts=_committed(conn, run_id),
                    )
                )
        return len(ids)


def _committed(conn: Connection, run_id: str) -> dict[str, int]:
    """The outcomes a run committed, by status (created, updated, parked, ...)."""
    query = (
        select(write_outcomes.c.status, func.count())
        .where(write_outcomes.c.run_id == run_id)
        .group_by(write_outcomes.c.status)
    )
    return {str(status): int(n) for status, n in conn.execute(query)}


def _record(values: Mapping[Any, Any]) -> RunRecord:
    return RunRecord(
        id=values["id"],
        job=values["job"],
        kind=values["kind"],
        status=RunStatus(values["status"]),
        started_at=values["started_at"],
        finished_at=values["finished_at"],
        counts=dict(values["counts"]),
        message=values["message"],
        host=values["host"],
        pid=values["pid"],
        flow_run_id=values.get("flow_run_id"),
    )
