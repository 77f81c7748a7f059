"""The bulk load of a dedupe index: a job's first run, and benchmarks.

Plain inserts of entities new to the index, with no old keys to move and no ORM, tuned per
backend: SQLite takes an executemany of plain tuples in primary-key order with a larger page
cache, PostgreSQL a COPY per table. Apart from ``entities``, whose other writes go through
the ordinary upserts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from operator import itemgetter

from sqlalchemy import Connection, Table

from flows.store.entity_rows import EntityMember, EntityState, keys_json
from flows.store.schema import dedupe_entities, dedupe_keys, dedupe_members

__all__ = ["bulk_load"]

_e, _m, _k = dedupe_entities, dedupe_members, dedupe_keys
_BULK_CACHE_KIB = 256 * 1024
_pk1, _pk3 = itemgetter(1), itemgetter(1, 2, 3)


def bulk_load(
    conn: Connection,
    job: str,
    entities: Sequence[EntityState],
    members: Sequence[EntityMember],
    now: datetime,
) -> None:
    """Insert ``entities`` (new to the index) with their keys, and ``members``, on ``conn``."""
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
