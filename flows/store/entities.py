"""The dedupe index: a job's entities (golden records), their members and blocking keys.

An entity id is given once and kept: a record that belongs to an entity stays with it on later
runs, so reports, review decisions and merges can refer to entities across runs. Features,
golden values and pairs are JSON text the dedupe flow writes and reads whole; the store never
looks inside them. Incremental matching finds the candidates of a new record with one indexed
query over its blocking keys (``candidates``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Final

from sqlalchemy import ColumnElement, Connection, Table, and_, delete, func, select, tuple_

from canonical.models import SourceRef
from flows.store.schema import dedupe_entities, dedupe_keys, dedupe_members, dedupe_models
from flows.store.statements import (
    Repository,
    delete_refs,
    distinct_chunks,
    ref_chunks,
    ref_filter,
    upsert,
    upsert_rows,
)

__all__ = ["Entities", "EntityMember", "EntityState"]

_e, _m, _k = dedupe_entities, dedupe_members, dedupe_keys


@dataclass(frozen=True, slots=True)
class EntityState:
    """One entity as the index keeps it. ``decision`` is 'auto', 'review' or 'single'."""

    entity_id: str
    decision: str
    master: SourceRef | None
    features: str
    golden: str
    keys: tuple[str, ...]
    pairs: str = "[]"
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EntityMember:
    """A source record of an entity; ``fingerprint`` of its values tells a changed record."""

    ref: SourceRef
    entity_id: str
    fingerprint: str


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
            return _get_many(conn, job, entity_ids)

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
        """The index's membership of these records (records it has never seen are absent).
        Many records (a whole file read again) are looked up in one pass over the job's
        members rather than a query per few hundred ids."""
        refs = list(refs)
        if len(refs) >= _SCAN_FROM:
            wanted = {(r.system, r.object, r.id): r for r in refs}
            query = select(
                _m.c.system, _m.c.object, _m.c.record_id, _m.c.entity_id, _m.c.fingerprint
            ).where(_m.c.job == job)
            scanned: dict[SourceRef, EntityMember] = {}
            with self._connect() as conn:
                for system, object_, record_id, entity_id, fingerprint in conn.execute(query):
                    ref = wanted.get((system, object_, record_id))
                    if ref is not None:
                        scanned[ref] = EntityMember(ref, entity_id, fingerprint)
            return scanned
        found: dict[SourceRef, EntityMember] = {}
        with self._connect() as conn:
            for system, object_, ids in ref_chunks(refs):
                query = select(_m.c.record_id, _m.c.entity_id, _m.c.fingerprint).where(
                    _m.c.job == job, ref_filter(_m, system, object_, ids)
                )
                for record_id, entity_id, fingerprint in conn.execute(query):
                    ref = SourceRef(system=system, object=object_, id=record_id)
                    found[ref] = EntityMember(ref, entity_id, fingerprint)
        return found

    def members_in(self, job: str, entity_ids: Iterable[str]) -> list[EntityMember]:
        with self._connect() as conn:
            return [
                member
                for chunk in distinct_chunks(entity_ids)
                for member in _members(conn, and_(_m.c.job == job, _m.c.entity_id.in_(chunk)))
            ]

    def all_members(self, job: str) -> list[EntityMember]:
        with self._connect() as conn:
            return list(_members(conn, _m.c.job == job))

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
            old = _get_many(conn, job, (e.entity_id for e in entities))
            gone = [
                (key, e.entity_id)
                for e in entities
                if e.entity_id in old
                for key in set(old[e.entity_id].keys) - set(e.keys)
            ]
            for chunk in distinct_chunks(gone):
                conn.execute(
                    delete(_k).where(_k.c.job == job, tuple_(_k.c.key, _k.c.entity_id).in_(chunk))
                )
            upsert_rows(
                conn,
                _e,
                [_entity_row(job, e, now) for e in entities],
                keys=("job", "entity_id"),
                replace=_ENTITY_VALUES,
            )
            keys = [
                {"job": job, "key": key, "entity_id": e.entity_id}
                for e in entities
                for key in dict.fromkeys(e.keys)
                if e.entity_id not in old or key not in old[e.entity_id].keys
            ]
            if keys:
                conn.execute(upsert(conn, _k).on_conflict_do_nothing(), keys)

    def set_members(self, job: str, members: Sequence[EntityMember]) -> None:
        """Record (or move) members; a record belongs to one entity of a job at a time."""
        if not members:
            return
        now = self._clock()
        with self._connect() as conn:
            upsert_rows(
                conn,
                _m,
                [_member_row(job, m, now) for m in members],
                keys=("job", "system", "object", "record_id"),
                replace=("entity_id", "fingerprint", "updated_at"),
            )

    def load(
        self, job: str, entities: Sequence[EntityState], members: Sequence[EntityMember]
    ) -> None:
        """Insert entities that are new to the index, and their members, as fast as it goes.

        For the first run of a job (in batches, inside one transaction) and for benchmarks:
        plain inserts, no old keys to move, no ORM. SQLite takes an executemany of plain
        tuples in primary-key order with a larger page cache; PostgreSQL a COPY per table.
        """
        # Entities and members in primary-key order (one job) fill each B-tree page once
        # instead of revisiting it.
        entity_rows = [
            (
                job,
                e.entity_id,
                e.decision,
                None if e.master is None else str(e.master),
                e.features,
                e.golden,
                keys_json(e.keys),
                e.pairs,
            )
            for e in entities
        ]
        entity_rows.sort(key=_pk1)
        # Left unsorted: sorting millions of key strings in Python costs more than the B-tree
        # saves on inserting them in order (measured on SQLite, a million keys).
        keys = list({(job, key, e.entity_id): None for e in entities for key in e.keys})
        member_rows = [
            (job, m.ref.system, m.ref.object, m.ref.id, m.entity_id, m.fingerprint) for m in members
        ]
        member_rows.sort(key=_pk3)
        now = self._clock()
        with self._connect() as conn:
            if conn.dialect.name == "postgresql":
                _copy(conn, _e, [(*row, now) for row in entity_rows])
                _copy(conn, _k, keys)
                _copy(conn, _m, [(*row, now) for row in member_rows])
                return
            with _bulk_pragmas(conn):
                # Straight to the driver's executemany: SQLAlchemy's per-row parameter
                # handling would take twice as long as SQLite's inserts.
                stamp = _bind_time(conn, now)
                _bulk_insert(conn, _e, [(*row, stamp) for row in entity_rows])
                _bulk_insert(conn, _k, keys)
                _bulk_insert(conn, _m, [(*row, stamp) for row in member_rows])

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


_BULK_CACHE_KIB = 256 * 1024
_SCAN_FROM = 20_000  # records looked up at once from which one scan beats chunked queries
_pk1, _pk3 = itemgetter(1), itemgetter(1, 2, 3)
_ENTITY_VALUES = ("decision", "master", "features", "golden", "keys", "pairs", "updated_at")


def _entity_row(job: str, entity: EntityState, now: datetime) -> dict[str, object]:
    return {
        "job": job,
        "entity_id": entity.entity_id,
        "decision": entity.decision,
        "master": None if entity.master is None else str(entity.master),
        "features": entity.features,
        "golden": entity.golden,
        "keys": keys_json(entity.keys),
        "pairs": entity.pairs,
        "updated_at": now,
    }


def _member_row(job: str, member: EntityMember, now: datetime) -> dict[str, object]:
    return {
        "job": job,
        "system": member.ref.system,
        "object": member.ref.object,
        "record_id": member.ref.id,
        "entity_id": member.entity_id,
        "fingerprint": member.fingerprint,
        "updated_at": now,
    }


@contextmanager
def _bulk_pragmas(conn: Connection) -> Iterator[None]:
    """SQLite settings for a bulk load, put back afterwards: a larger page cache (the key
    index of a million entities does not fit the default 2 MB, and every insert would re-read
    pages). Settings that change how a transaction is written (journal, synchronous, temp
    store) cannot change inside one, and the load is one transaction: a failed run leaves the
    index as it was."""
    before = [(name, conn.exec_driver_sql(f"PRAGMA {name}").scalar()) for name in _PRAGMAS]
    conn.exec_driver_sql(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        for name, value in before:
            conn.exec_driver_sql(f"PRAGMA {name} = {int(value or 0)}")


_PRAGMAS = ("cache_size",)


def _copy(conn: Connection, table: Table, rows: Sequence[tuple[object, ...]]) -> None:
    """PostgreSQL COPY of whole rows, values in the table's column order."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in table.columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


_PLAIN_KEY: Final = re.compile(r'^[^"\\\x00-\x1f]*$')


def keys_json(keys: Sequence[str]) -> str:
    """The JSON list of an entity's keys, each once in order, as ``json.dumps`` writes it."""
    distinct = list(dict.fromkeys(keys))
    if all(_PLAIN_KEY.match(key) for key in distinct):
        return "[" + ", ".join(f'"{key}"' for key in distinct) + "]"
    return json.dumps(distinct, ensure_ascii=False)


def _bind_time(conn: Connection, moment: datetime) -> object:
    """A timestamp as the driver takes it for a UTCDateTime column of this backend."""
    process = _e.c.updated_at.type.bind_processor(conn.dialect)
    return process(moment) if process is not None else moment


def _bulk_insert(conn: Connection, table: Table, rows: Sequence[tuple[object, ...]]) -> None:
    """executemany of whole rows, values in the table's column order."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(c.name) for c in table.columns)
    marks = ", ".join(mark for _ in table.columns)
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _get_many(conn: Connection, job: str, entity_ids: Iterable[str]) -> dict[str, EntityState]:
    found: dict[str, EntityState] = {}
    for chunk in distinct_chunks(entity_ids):
        for row in conn.execute(select(_e).where(_e.c.job == job, _e.c.entity_id.in_(chunk))):
            data = row._mapping
            master = data["master"]
            found[data["entity_id"]] = EntityState(
                entity_id=data["entity_id"],
                decision=data["decision"],
                master=None if master is None else _ref(master),
                features=data["features"],
                golden=data["golden"],
                keys=tuple(json.loads(data["keys"])),
                pairs=data["pairs"],
                updated_at=data["updated_at"],
            )
    return found


def _members(conn: Connection, where: ColumnElement[bool]) -> Iterator[EntityMember]:
    query = select(_m.c.system, _m.c.object, _m.c.record_id, _m.c.entity_id, _m.c.fingerprint)
    for system, object_, record_id, entity_id, fingerprint in conn.execute(query.where(where)):
        ref = SourceRef(system=system, object=object_, id=record_id)
        yield EntityMember(ref, entity_id, fingerprint)


def _ref(text: str) -> SourceRef:
    """A ref from its ``system:object:id`` form; ids may themselves hold colons."""
    system, object_, record_id = text.split(":", 2)
    return SourceRef(system=system, object=object_, id=record_id)
