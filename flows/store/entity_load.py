"""The bulk load of a dedupe index: a job's first run, and benchmarks.

Plain inserts of entities new to the index, with no old keys to move and no ORM, tuned per
backend: SQLite takes an executemany of plain tuples in primary-key order with a larger page
cache, PostgreSQL a COPY; on both the key rows come out of the entities' keys JSON in one
INSERT ... SELECT. Apart from ``entities``, whose other writes go through the ordinary
upserts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from sqlalchemy import Connection, Table

from canonical.json_text import needs_escape
from flows.store.entity_rows import EntityMember, EntityState, keys_json
from flows.store.schema import dedupe_entities, dedupe_keys, dedupe_members

__all__ = ["LoadRows", "insert_rows", "load_rows"]

_e, _m, _k = dedupe_entities, dedupe_members, dedupe_keys
_BULK_CACHE_KIB = 64 * 1024
_pk1, _pk3 = itemgetter(1), itemgetter(1, 2, 3)


@dataclass(frozen=True)
class LoadRows:
    """What a bulk load inserts for a batch of entities: plain tuples in primary-key order
    (one job: each B-tree page is filled once instead of revisited) and the key rows as one
    JSON document (``_keys_document``). Made apart from the inserts and pickled as plain
    data, so another process can make the next batch's rows while this one writes."""

    entities: Sequence[tuple[str | None, ...]]
    members: Sequence[tuple[str, ...]]
    keys: str


def load_rows(
    job: str, entities: Sequence[EntityState], members: Sequence[EntityMember]
) -> LoadRows:
    """The rows of ``entities`` (new to the index) with their keys, and of ``members``."""
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
    member_rows = [
        (job, m.ref.system, m.ref.object, m.ref.id, m.entity_id, m.fingerprint) for m in members
    ]
    member_rows.sort(key=_pk3)
    return LoadRows(entity_rows, member_rows, _keys_document(entity_rows))


def insert_rows(conn: Connection, job: str, rows: LoadRows, now: datetime) -> None:
    """Insert ``rows`` (``load_rows``) on ``conn``."""
    if conn.dialect.name == "postgresql":
        _copy(conn, _e, [(*row, now) for row in rows.entities])
        _insert_keys(conn, job, rows.keys)
        _copy(conn, _m, [(*row, now) for row in rows.members])
        return
    with _bulk_pragmas(conn):
        # Straight to the driver's executemany: SQLAlchemy's per-row parameter
        # handling would take twice as long as SQLite's inserts.
        stamp = _bind_time(conn, now)
        _bulk_insert(conn, _e, [(*row, stamp) for row in rows.entities])
        _insert_keys(conn, job, rows.keys)
        _bulk_insert(conn, _m, [(*row, stamp) for row in rows.members])


def _keys_document(entity_rows: Sequence[tuple[str | None, ...]]) -> str:
    """``{"entity id": [its keys], ...}`` of dedupe_entities rows: their keys JSON joined."""
    ids = [str(row[1]) for row in entity_rows]
    quoted = (
        [json.dumps(i, ensure_ascii=False) for i in ids]
        if needs_escape("".join(ids))
        else [f'"{i}"' for i in ids]
    )
    return "{" + ",".join(f"{i}:{row[6]}" for i, row in zip(quoted, entity_rows, strict=True)) + "}"


def _insert_keys(conn: Connection, job: str, document: str) -> None:
    """The key rows of the entities in ``document`` (``_keys_document``), unpacked by the
    database in one statement: half the time of an executemany (or COPY) of one tuple per
    key on SQLite, and the rows arrive in primary-key order, sorted there rather than in
    Python (where sorting a million keys costs more than the ordered inserts save)."""
    if document == "{}":
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "INSERT INTO dedupe_keys (job, key, entity_id) SELECT %s, k.key, e.key"
            " FROM json_each(%s::json) AS e, json_array_elements_text(e.value) AS k(key)"
            " ORDER BY 2, 3",
            (job, document),
        )
        return
    conn.exec_driver_sql(
        "INSERT INTO dedupe_keys (job, key, entity_id) SELECT ?, k.value, e.key"
        " FROM json_each(?) AS e, json_each(e.value) AS k ORDER BY 2, 3",
        (job, document),
    )


@contextmanager
def _bulk_pragmas(conn: Connection) -> Iterator[None]:
    """SQLite settings for a bulk load, put back afterwards: a larger page cache (the key
    index of a million entities does not fit the default 2 MB, and every insert would re-read
    pages). 64 MB wrote a million rows' index as fast as 256 MB did, with 180 MB less at the
    run's peak of memory, where the cache's pages count as the process's own. Settings that
    change how a transaction is written (journal, synchronous, temp store) cannot change
    inside one, and the load is one transaction: a failed run leaves the index as it was."""
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
