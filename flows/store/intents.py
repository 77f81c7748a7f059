"""Write intents: creates announced before they are sent, for exactly-once creation.

A create whose reply is lost (a timeout, a killed process) may still have landed in the
target: Fxiaoke in particular creates the record and then fails to answer. Before a create
batch is sent, each record's business keys (email, mobile) are written here; the intent is
resolved in the transaction that links the created record. Intents still open when the next
run starts are resolved by looking the keys up in the target before anything is resent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, select, update

from flows.store.records import WriteIntent
from flows.store.schema import write_intents
from flows.store.statements import Repository, distinct_chunks, upsert_rows

__all__ = ["WriteIntents"]

_t = write_intents


class WriteIntents(Repository):
    def open_many(
        self,
        job: str,
        run_id: str,
        system: str,
        object: str,
        keys_by_id: Mapping[str, Mapping[str, str]],
    ) -> int:
        """Announce creates of these canonical ids (-> business keys); reopens old intents."""
        now = self._clock()
        rows = [
            {
                "job": job,
                "system": system,
                "object": object,
                "canonical_id": canonical_id,
                "run_id": run_id,
                "keys": self._cipher.seal(dict(keys)),
                "created_at": now,
                "resolved_at": None,
                "record_id": None,
            }
            for canonical_id, keys in keys_by_id.items()
        ]
        if not rows:
            return 0
        with self._connect() as conn:
            upsert_rows(
                conn,
                _t,
                rows,
                keys=("job", "system", "object", "canonical_id"),
                replace=("run_id", "keys", "created_at", "resolved_at", "record_id"),
            )
        return len(rows)

    def resolve_many(
        self, job: str, system: str, object: str, outcomes: Mapping[str, str | None]
    ) -> int:
        """Close intents: canonical id -> the record id it was created as (None: it was not
        created, so the create may be sent again)."""
        if not outcomes:
            return 0
        now = self._clock()
        stmt = (
            update(_t)
            .where(
                _t.c.job == job,
                _t.c.system == system,
                _t.c.object == object,
                _t.c.canonical_id == bindparam("cid"),
                _t.c.resolved_at.is_(None),
            )
            # Once settled, the keys (email, mobile, planned values) serve nothing: not kept.
            .values(resolved_at=now, record_id=bindparam("rid"), keys={})
        )
        params = [{"cid": cid, "rid": rid} for cid, rid in outcomes.items()]
        with self._connect() as conn:
            result = conn.execute(stmt, params)
        return result.rowcount

    def list_open(
        self, job: str, system: str | None = None, object: str | None = None
    ) -> list[WriteIntent]:
        """Intents of `job` whose outcome is unknown, oldest first."""
        query = (
            select(_t)
            .where(_t.c.job == job, _t.c.resolved_at.is_(None))
            .order_by(_t.c.created_at, _t.c.canonical_id)
        )
        if system is not None:
            query = query.where(_t.c.system == system)
        if object is not None:
            query = query.where(_t.c.object == object)
        with self._connect() as conn:
            rows = [row._mapping for row in conn.execute(query)]
        return [self._intent(row) for row in rows]

    def get_many(
        self, job: str, system: str, object: str, canonical_ids: Iterable[str]
    ) -> dict[str, WriteIntent]:
        found: dict[str, WriteIntent] = {}
        with self._connect() as conn:
            for chunk in distinct_chunks(canonical_ids):
                query = select(_t).where(
                    _t.c.job == job,
                    _t.c.system == system,
                    _t.c.object == object,
                    _t.c.canonical_id.in_(chunk),
                )
                for row in conn.execute(query):
                    intent = self._intent(row._mapping)
                    found[intent.canonical_id] = intent
        return found

    def _intent(self, row: Mapping[Any, Any]) -> WriteIntent:
        keys = self._cipher.open(row["keys"], what="a write intent's keys")
        return _intent(row, keys if isinstance(keys, dict) else {})


def _intent(row: Mapping[Any, Any], keys: Mapping[str, Any]) -> WriteIntent:
    return WriteIntent(
        job=row["job"],
        system=row["system"],
        object=row["object"],
        canonical_id=row["canonical_id"],
        run_id=row["run_id"],
        keys={str(k): str(v) for k, v in keys.items()},
        created_at=row["created_at"],
        resolved_at=row["resolved_at"],
        record_id=row["record_id"],
    )
