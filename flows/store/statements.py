"""SQL building blocks the repositories share: connections, upserts and lookups by ref."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Table, and_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from canonical.models import SourceRef

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

__all__ = ["CHUNK", "Clock", "ConnectionSource", "ref_chunks", "ref_filter", "upsert", "utc_now"]

# Gives a connection inside a transaction: a new one per call, or the caller's unit of work.
ConnectionSource = Callable[[], AbstractContextManager[Connection]]
Clock = Callable[[], datetime]

# Well under SQLite's bound-parameter limit and PostgreSQL's comfortable IN-list size.
CHUNK = 500


def utc_now() -> datetime:
    return datetime.now(UTC)


def upsert(conn: Connection, table: Table) -> SqliteInsert | PgInsert:
    """An INSERT that supports ON CONFLICT on the connection's backend."""
    if conn.dialect.name == "postgresql":
        # Imported here so a SQLite-only run does not pay for the PostgreSQL dialect.
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    return sqlite_insert(table)


def ref_chunks(refs: Iterable[SourceRef]) -> Iterator[tuple[str, str, list[str]]]:
    """(system, object, record ids) groups of at most CHUNK distinct ids each."""
    groups: dict[tuple[str, str], dict[str, None]] = {}
    for ref in refs:
        groups.setdefault((ref.system, ref.object), {})[ref.id] = None
    for (system, object_), ids in groups.items():
        id_list = list(ids)
        for start in range(0, len(id_list), CHUNK):
            yield system, object_, id_list[start : start + CHUNK]


def ref_filter(table: Table, system: str, object_: str, ids: list[str]) -> ColumnElement[bool]:
    """Rows of `table` (with system, object, record_id columns) for these records."""
    return and_(table.c.system == system, table.c.object == object_, table.c.record_id.in_(ids))
