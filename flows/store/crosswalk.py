"""The id crosswalk: canonical id <-> (system, object, record id), one row per pair.

A record has at most one canonical id, and a canonical id at most one record per system
object; both are unique constraints, so a conflicting link can never be half-written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, func, select

from canonical.models import SourceRef
from flows.store.errors import CrosswalkConflictError
from flows.store.schema import crosswalk
from flows.store.statements import (
    CHUNK,
    Clock,
    ConnectionSource,
    delete_refs,
    ref_chunks,
    ref_filter,
    upsert,
)

__all__ = ["Crosswalk"]

_t = crosswalk


class Crosswalk:
    def __init__(self, connect: ConnectionSource, clock: Clock) -> None:
        self._connect = connect
        self._clock = clock

    def link(self, canonical_id: str, ref: SourceRef) -> None:
        """Link a record to a canonical id; linking the same pair again does nothing.

        Raises CrosswalkConflictError if the record has another canonical id, or the canonical
        id already has another record of the same system object.
        """
        self.link_many([(canonical_id, ref)])

    def link_many(self, links: Iterable[tuple[str, SourceRef]]) -> None:
        """Link many pairs in one transaction; a conflict anywhere writes none of them."""
        pairs = list(dict.fromkeys(links))
        if not pairs:
            return
        now = self._clock()
        rows = [_row(canonical_id, ref, now) for canonical_id, ref in pairs]
        with self._connect() as conn:
            # DO NOTHING without a target skips rows hitting either unique constraint, and
            # leaves a PostgreSQL transaction usable; conflicts are then told from the rows.
            conn.execute(upsert(conn, _t).on_conflict_do_nothing(), rows)
            linked = _lookup(conn, (ref for _, ref in pairs))
            for canonical_id, ref in pairs:
                if linked.get(ref) != canonical_id:
                    raise _conflict(conn, canonical_id, ref, linked.get(ref))

    def lookup(self, ref: SourceRef) -> str | None:
        return self.lookup_many([ref]).get(ref)

    def lookup_many(self, refs: Iterable[SourceRef]) -> dict[SourceRef, str]:
        """Canonical ids of the records that have one, for a whole batch."""
        with self._connect() as conn:
            return _lookup(conn, refs)

    def refs_of(self, canonical_id: str) -> list[SourceRef]:
        query = (
            select(_t.c.system, _t.c.object, _t.c.record_id)
            .where(_t.c.canonical_id == canonical_id)
            .order_by(_t.c.system, _t.c.object)
        )
        with self._connect() as conn:
            return [
                SourceRef(system=system, object=object_, id=record_id)
                for system, object_, record_id in conn.execute(query)
            ]

    def records_in(self, canonical_ids: Iterable[str], system: str, object: str) -> dict[str, str]:
        """Canonical id -> record id in one system object, for a whole batch of ids."""
        ids = list(dict.fromkeys(canonical_ids))
        found: dict[str, str] = {}
        with self._connect() as conn:
            for start in range(0, len(ids), CHUNK):
                query = select(_t.c.canonical_id, _t.c.record_id).where(
                    _t.c.system == system,
                    _t.c.object == object,
                    _t.c.canonical_id.in_(ids[start : start + CHUNK]),
                )
                found.update((cid, rid) for cid, rid in conn.execute(query))
        return found

    def count(self, system: str, object: str) -> int:
        """How many records of one system object are linked."""
        query = select(func.count()).where(_t.c.system == system, _t.c.object == object)
        with self._connect() as conn:
            return int(conn.execute(query).scalar_one())

    def assign(self, refs: Iterable[SourceRef]) -> dict[SourceRef, str]:
        """The canonical id of every record, giving records without one a new id."""
        wanted = list(dict.fromkeys(refs))
        with self._connect() as conn:
            known = _lookup(conn, wanted)
            new = [ref for ref in wanted if ref not in known]
            if new:
                now = self._clock()
                rows = [_row(str(uuid.uuid4()), ref, now) for ref in new]
                # A concurrent writer may have linked some meanwhile; its ids win.
                conn.execute(upsert(conn, _t).on_conflict_do_nothing(), rows)
                known.update(_lookup(conn, new))
        return known

    def unlink(self, ref: SourceRef) -> bool:
        """Forget a record's link (it was deleted in its system); True if there was one."""
        return self.unlink_many([ref]) > 0

    def unlink_many(self, refs: Iterable[SourceRef]) -> int:
        """Forget the links of many records at once (one statement per CHUNK ids of a system
        object); returns how many there were."""
        with self._connect() as conn:
            return delete_refs(conn, _t, refs)


def _row(canonical_id: str, ref: SourceRef, now: datetime) -> dict[str, object]:
    return {
        "system": ref.system,
        "object": ref.object,
        "record_id": ref.id,
        "canonical_id": canonical_id,
        "linked_at": now,
    }


def _lookup(conn: Connection, refs: Iterable[SourceRef]) -> dict[SourceRef, str]:
    found: dict[SourceRef, str] = {}
    for system, object_, ids in ref_chunks(refs):
        query = select(_t.c.record_id, _t.c.canonical_id).where(
            ref_filter(_t, system, object_, ids)
        )
        for record_id, canonical_id in conn.execute(query):
            found[SourceRef(system=system, object=object_, id=record_id)] = canonical_id
    return found


def _conflict(
    conn: Connection, canonical_id: str, ref: SourceRef, existing: str | None
) -> CrosswalkConflictError:
    if existing is not None:
        return CrosswalkConflictError(
            canonical_id, ref, f"the record is already linked to canonical id {existing!r}"
        )
    other = conn.execute(
        select(_t.c.record_id).where(
            _t.c.canonical_id == canonical_id,
            _t.c.system == ref.system,
            _t.c.object == ref.object,
        )
    ).scalar_one_or_none()
    return CrosswalkConflictError(
        canonical_id,
        ref,
        f"that canonical id is already linked to {ref.system}:{ref.object}:{other}",
    )
