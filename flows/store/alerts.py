"""Alert states: per job, the state its last alert announced (see flows.alerts)."""

from __future__ import annotations

from sqlalchemy import select

from flows.store.records import AlertState
from flows.store.schema import alert_states
from flows.store.statements import Repository, upsert_rows

__all__ = ["AlertStates"]

_t = alert_states


class AlertStates(Repository):
    def get(self, job: str) -> AlertState | None:
        with self._connect() as conn:
            row = conn.execute(select(_t).where(_t.c.job == job)).one_or_none()
        if row is None:
            return None
        values = row._mapping
        return AlertState(
            job=values["job"],
            state=values["state"],
            message=values["message"],
            run_id=values["run_id"],
            changed_at=values["changed_at"],
        )

    def set(self, job: str, state: str, message: str | None, run_id: str | None) -> None:
        row = {
            "job": job,
            "state": state,
            "message": message,
            "run_id": run_id,
            "changed_at": self._clock(),
        }
        with self._connect() as conn:
            upsert_rows(
                conn, _t, row, keys=["job"], replace=["state", "message", "run_id", "changed_at"]
            )
