"""The dedupe index: a job's entities (golden records), their members and blocking keys.

An entity id is given once and kept: a record that belongs to an entity stays with it on later
runs, so reports, review decisions and merges can refer to entities across runs. Features,
golden values and pairs are JSON text the dedupe flow writes and reads whole; the store never
looks inside them. Incremental matching finds the candidates of a new record with one indexed
query over its blocking keys (``candidates``).

The rows and their dataclasses are in ``entity_rows`` and the bulk load of a first run in
``entity_load``; ``EntityState`` and ``EntityMember`` are re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, and_, delete, func, select, tuple_

from canonical.models import SourceRef
from flows.store.entity_load import LoadRows, insert_rows, load_rows
from flows.store.entity_rows import (
    EntityMember,
    EntityState,
    entity_row,
    get_many,
    member_row,
    members_where,
)
from flows.store.schema import dedupe_entities, dedupe_keys, dedupe_members, dedupe_models
from flows.store.statements import (
    Repository,
    delete_refs,
    distinct_chunks,
    upsert,
    upsert_rows,
)

__all__ = ["Entities", "EntityMember", "EntityState"]

_e, _m, _k = dedupe_entities, dedupe_members, dedupe_keys


class Entities(Repository):
    # -- lookups ---------------------------------------------------------------------------
    def candidates(self, job: str, keys: Sequence[str], *, max_per_key: int) -> dict[str, str]:
        """Features JSON of every entity sharing a blocking key, in one query.

        A key shared by more than ``max_per_key`` entities says nothing (a common surname):
        it is ignored, as batch blocking ignores oversized blocks.
        """
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        # Subqueries, not joins: both backends then probe the primary keys key first, entity
        # next, instead of scanning the job's entities (SQLite's choice for the join).
        usable = (
            select(_k.c.key)
            .where(_k.c.job == job, _k.c.key.in_(wanted))
            .group_by(_k.c.key)
            .having(func.count() <= max_per_key)
        )
        ids = select(_k.c.entity_id).where(_k.c.job == job, _k.c.key.in_(usable))
        query = select(_e.c.entity_id, _e.c.features).where(
            _e.c.job == job, _e.c.entity_id.in_(ids)
        )
        with self._connect() as conn:
            return {entity_id: features for entity_id, features in conn.execute(query)}

    def get_many(self, job: str, entity_ids: Iterable[str]) -> dict[str, EntityState]:
        with self._connect() as conn:
            return get_many(conn, job, entity_ids)

    def evidence_of(self, job: str, entity_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(decision, pairs JSON) of entities: what a run reports of the clusters it did not
        change, without their features, golden values and keys (three quarters of a state)."""
        found: dict[str, tuple[str, str]] = {}
        with self._connect() as conn:
            for chunk in distinct_chunks(entity_ids):
                query = select(_e.c.entity_id, _e.c.decision, _e.c.pairs).where(
                    _e.c.job == job, _e.c.entity_id.in_(chunk)
                )
                for entity_id, decision, pairs in conn.execute(query):
                    found[entity_id] = (decision, pairs)
        return found

    def members_of(self, job: str, refs: Iterable[SourceRef]) -> dict[SourceRef, EntityMember]:
        """The index's membership of these records (records it has never seen are absent)."""
        refs = list(refs)
        return {
            ref: EntityMember(ref, *member)
            for ref, member in zip(refs, self.members_at(job, refs), strict=True)
            if member is not None
        }

    def members_at(self, job: str, refs: Sequence[SourceRef]) -> list[tuple[str, str] | None]:
        """(entity id, fingerprint) of each of ``refs`` in the index, in order; None for a
        record it has never seen. Many records of one system object (a whole file read
        again) are looked up in one pass over that object's members, by record id, rather
        than a query per few hundred ids: no SourceRef model is hashed (a million took
        seconds), and no key tuple is made per member."""
        by_object: dict[tuple[str, str], list[int]] = {}
        for at, ref in enumerate(refs):
            by_object.setdefault((ref.system, ref.object), []).append(at)
        answers: list[tuple[str, str] | None] = [None] * len(refs)
        with self._connect() as conn:
            for (system, object_), positions in by_object.items():
                ids = [refs[at].id for at in positions]
                found = self._members_by_id(conn, job, system, object_, ids)
                for at, record_id in zip(positions, ids, strict=True):
                    answers[at] = found.get(record_id)
        return answers

    @staticmethod
    def _members_by_id(
        conn: Connection, job: str, system: str, object_: str, ids: list[str]
    ) -> dict[str, tuple[str, str]]:
        """record id -> (entity id, fingerprint) of those of ``ids`` the index holds."""
        columns = (_m.c.record_id, _m.c.entity_id, _m.c.fingerprint)
        in_object = (_m.c.job == job, _m.c.system == system, _m.c.object == object_)
        if len(ids) >= _SCAN_FROM:
            rows = conn.execute(select(*columns).where(*in_object))
            return {
                record_id: (entity_id, fingerprint) for record_id, entity_id, fingerprint in rows
            }
        found: dict[str, tuple[str, str]] = {}
        for chunk in distinct_chunks(ids):
            query = select(*columns).where(*in_object, _m.c.record_id.in_(chunk))
            for record_id, entity_id, fingerprint in conn.execute(query):
                found[record_id] = (entity_id, fingerprint)
        return found

    def members_in(self, job: str, entity_ids: Iterable[str]) -> list[EntityMember]:
        with self._connect() as conn:
            return [
                member
                for chunk in distinct_chunks(entity_ids)
                for member in members_where(conn, and_(_m.c.job == job, _m.c.entity_id.in_(chunk)))
            ]

    def all_members(self, job: str) -> list[EntityMember]:
        with self._connect() as conn:
            return list(members_where(conn, _m.c.job == job))

    def count(self, job: str) -> int:
        """How many entities the job's index holds."""
        query = select(func.count()).select_from(_e).where(_e.c.job == job)
        with self._connect() as conn:
            return int(conn.execute(query).scalar_one())

    def count_members(self, job: str) -> int:
        query = select(func.count()).select_from(_m).where(_m.c.job == job)
        with self._connect() as conn:
            return int(conn.execute(query).scalar_one())

    # -- writes ----------------------------------------------------------------------------
    def save(self, job: str, entities: Sequence[EntityState]) -> None:
        """Insert or replace entities, moving their blocking keys from the old set to the new."""
        if not entities:
            return
        now = self._clock()
        with self._connect() as conn:
            old = self._keys_of(conn, job, (e.entity_id for e in entities))
            gone = [
                (key, e.entity_id)
                for e in entities
                if e.entity_id in old
                for key in set(old[e.entity_id]) - set(e.keys)
            ]
            for chunk in distinct_chunks(gone):
                conn.execute(
                    delete(_k).where(_k.c.job == job, tuple_(_k.c.key, _k.c.entity_id).in_(chunk))
                )
            upsert_rows(
                conn,
                _e,
                [entity_row(job, e, now) for e in entities],
                keys=("job", "entity_id"),
                replace=_ENTITY_VALUES,
            )
            keys = [
                {"job": job, "key": key, "entity_id": e.entity_id}
                for e in entities
                for key in dict.fromkeys(e.keys)
                if e.entity_id not in old or key not in old[e.entity_id]
            ]
            if keys:
                conn.execute(upsert(conn, _k).on_conflict_do_nothing(), keys)

    @staticmethod
    def _keys_of(conn: Connection, job: str, entity_ids: Iterable[str]) -> dict[str, set[str]]:
        """The blocking keys the index holds for these entities (not their features, golden
        values and pairs, nine tenths of a row, which ``save`` replaces anyway)."""
        found: dict[str, set[str]] = {}
        for chunk in distinct_chunks(entity_ids):
            query = select(_e.c.entity_id, _e.c["keys"]).where(
                _e.c.job == job, _e.c.entity_id.in_(chunk)
            )
            for entity_id, keys in conn.execute(query):
                found[entity_id] = set(json.loads(keys))
        return found

    def set_members(self, job: str, members: Sequence[EntityMember]) -> None:
        """Record (or move) members; a record belongs to one entity of a job at a time."""
        if not members:
            return
        now = self._clock()
        with self._connect() as conn:
            upsert_rows(
                conn,
                _m,
                [member_row(job, m, now) for m in members],
                keys=("job", "system", "object", "record_id"),
                replace=("entity_id", "fingerprint", "updated_at"),
            )

    def load(
        self, job: str, entities: Sequence[EntityState], members: Sequence[EntityMember]
    ) -> None:
        """Insert entities that are new to the index, and their members, as fast as it goes.

        For the first run of a job (in batches, inside one transaction) and for benchmarks:
        plain inserts, no old keys to move, no ORM (see ``entity_load``).
        """
        self.load_rows(job, load_rows(job, entities, members))

    def load_rows(self, job: str, rows: LoadRows) -> None:
        """``load`` of rows made beforehand (``entity_load.load_rows``, perhaps by another
        process while this one wrote the batch before)."""
        now = self._clock()
        with self._connect() as conn:
            insert_rows(conn, job, rows, now)

    def analyze(self) -> None:
        """Fresh planner statistics after a bulk load (PostgreSQL): the old ones describe the
        tables before it, and the planner would scan all members for every lookup of the
        next run (a second a query at 100,000 records)."""
        with self._connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE dedupe_entities, dedupe_keys, dedupe_members")

    def remove_members(self, job: str, refs: Iterable[SourceRef]) -> int:
        with self._connect() as conn:
            return delete_refs(conn, _m, refs, _m.c.job == job)

    def delete(self, job: str, entity_ids: Iterable[str]) -> int:
        """Forget entities with their keys and members; returns how many there were."""
        deleted = 0
        with self._connect() as conn:
            for chunk in distinct_chunks(entity_ids):
                conn.execute(delete(_k).where(_k.c.job == job, _k.c.entity_id.in_(chunk)))
                conn.execute(delete(_m).where(_m.c.job == job, _m.c.entity_id.in_(chunk)))
                result = conn.execute(delete(_e).where(_e.c.job == job, _e.c.entity_id.in_(chunk)))
                deleted += result.rowcount
        return deleted

    def clear(self, job: str) -> None:
        """Forget the job's whole index and model (its next run starts afresh)."""
        with self._connect() as conn:
            for table in (_k, _m, _e, dedupe_models):
                conn.execute(delete(table).where(table.c.job == job))

    # -- the trained match model -----------------------------------------------------------
    def model(self, job: str) -> str | None:
        query = select(dedupe_models.c.model).where(dedupe_models.c.job == job)
        with self._connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def save_model(self, job: str, model_json: str) -> None:
        row = {"job": job, "model": model_json, "updated_at": self._clock()}
        with self._connect() as conn:
            upsert_rows(conn, dedupe_models, row, keys=("job",), replace=("model", "updated_at"))


_SCAN_FROM = 20_000  # records looked up at once from which one scan beats chunked queries
_ENTITY_VALUES = ("decision", "master", "features", "golden", "keys", "pairs", "updated_at")
