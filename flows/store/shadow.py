"""Shadow values: the canonical values both sides of a pair had after the job last synced it.

Two-way sync compares each side with this base to tell which side changed (a three-way
merge); one-way sync uses its fingerprint to skip a re-read source record that has not
changed since it was last written, without reading the target.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import JsonValue
from sqlalchemy import delete, select

from flows.store.records import ShadowEntry
from flows.store.schema import sync_shadow
from flows.store.statements import CHUNK, Clock, ConnectionSource, upsert

__all__ = ["ShadowValues"]

_t = sync_shadow


class ShadowValues:
    def __init__(self, connect: ConnectionSource, clock: Clock) -> None:
        self._connect = connect
        self._clock = clock

    def get_many(self, job: str, canonical_ids: Iterable[str]) -> dict[str, ShadowEntry]:
        ids = list(dict.fromkeys(canonical_ids))
        found: dict[str, ShadowEntry] = {}
        with self._connect() as conn:
            for start in range(0, len(ids), CHUNK):
                query = select(_t).where(
                    _t.c.job == job, _t.c.canonical_id.in_(ids[start : start + CHUNK])
                )
                for row in conn.execute(query):
                    # `values` would clash with the Row's own attributes: go by mapping.
                    data = row._mapping
                    found[data["canonical_id"]] = ShadowEntry(
                        canonical_id=data["canonical_id"],
                        values=dict(data["values"]),
                        fingerprint=data["fingerprint"],
                        updated_at=data["updated_at"],
                        sides=None if data["sides"] is None else dict(data["sides"]),
                    )
        return found

    def put_many(
        self,
        job: str,
        entries: Iterable[tuple[str, Mapping[str, JsonValue], str]],
        sides: Mapping[str, Mapping[str, Mapping[str, JsonValue]]] | None = None,
    ) -> int:
        """Store (canonical id, values, fingerprint) triples, with each side's values by
        canonical id when known (``sides``); the last entry per id wins."""
        now = self._clock()
        known = sides or {}
        rows = {
            canonical_id: {
                "job": job,
                "canonical_id": canonical_id,
                "values": dict(values),
                "fingerprint": fingerprint,
                "updated_at": now,
                "sides": _plain(known.get(canonical_id)),
            }
            for canonical_id, values, fingerprint in entries
        }
        if not rows:
            return 0
        with self._connect() as conn:
            stmt = upsert(conn, _t)
            new = stmt.excluded
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[_t.c.job, _t.c.canonical_id],
                    set_={
                        "values": new["values"],
                        "fingerprint": new.fingerprint,
                        "updated_at": new.updated_at,
                        "sides": new.sides,
                    },
                ),
                list(rows.values()),
            )
        return len(rows)

    def delete_many(self, job: str, canonical_ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(canonical_ids))
        deleted = 0
        with self._connect() as conn:
            for start in range(0, len(ids), CHUNK):
                result = conn.execute(
                    delete(_t).where(
                        _t.c.job == job, _t.c.canonical_id.in_(ids[start : start + CHUNK])
                    )
                )
                deleted += result.rowcount
        return deleted


def _plain(
    sides: Mapping[str, Mapping[str, JsonValue]] | None,
) -> dict[str, dict[str, JsonValue]] | None:
    return None if sides is None else {side: dict(values) for side, values in sides.items()}
