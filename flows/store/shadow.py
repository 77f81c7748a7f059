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
from flows.store.statements import Repository, distinct_chunks, upsert_rows

__all__ = ["ShadowValues"]

_t = sync_shadow


class ShadowValues(Repository):
    def get_many(self, job: str, canonical_ids: Iterable[str]) -> dict[str, ShadowEntry]:
        found: dict[str, ShadowEntry] = {}
        with self._connect() as conn:
            for chunk in distinct_chunks(canonical_ids):
                query = select(_t).where(_t.c.job == job, _t.c.canonical_id.in_(chunk))
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
            upsert_rows(
                conn,
                _t,
                list(rows.values()),
                keys=("job", "canonical_id"),
                replace=("values", "fingerprint", "updated_at", "sides"),
            )
        return len(rows)

    def delete_many(self, job: str, canonical_ids: Iterable[str]) -> int:
        deleted = 0
        with self._connect() as conn:
            for chunk in distinct_chunks(canonical_ids):
                result = conn.execute(
                    delete(_t).where(_t.c.job == job, _t.c.canonical_id.in_(chunk))
                )
                deleted += result.rowcount
        return deleted


def _plain(
    sides: Mapping[str, Mapping[str, JsonValue]] | None,
) -> dict[str, dict[str, JsonValue]] | None:
    return None if sides is None else {side: dict(values) for side, values in sides.items()}
