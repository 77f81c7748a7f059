"""SQL building blocks the repositories share: connections, upserts and lookups by ref."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Table, and_, delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from canonical.models import SourceRef
from flows.store.cipher import PayloadCipher

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

__all__ = [
    "CHUNK",
    "Clock",
    "ConnectionSource",
    "Repository",
    "delete_refs",
    "distinct_chunks",
    "ref_chunks",
    "ref_filter",
    "upsert",
    "upsert_rows",
    "utc_now",
]

# Gives a connection inside a transaction: a new one per call, or the caller's unit of work.
ConnectionSource = Callable[[], AbstractContextManager[Connection]]
Clock = Callable[[], datetime]

# Well under SQLite's bound-parameter limit and PostgreSQL's comfortable IN-list size.
CHUNK = 500

H = TypeVar("H", bound=Hashable)


class Repository:
    """The queries of one concern. Connections come from the store (a transaction per call,
    or the caller's unit of work, see ``StateStore.transaction``); times from its clock."""

    def __init__(
        self, connect: ConnectionSource, clock: Clock, cipher: PayloadCipher | None = None
    ) -> None:
        self._connect = connect
        self._clock = clock
        self._cipher = cipher or PayloadCipher()


def utc_now() -> datetime:
    return datetime.now(UTC)


def upsert(conn: Connection, table: Table) -> SqliteInsert | PgInsert:
    """An INSERT that supports ON CONFLICT on the connection's backend."""
    if conn.dialect.name == "postgresql":
        # Imported here so a SQLite-only run does not pay for the PostgreSQL dialect.
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    return sqlite_insert(table)


def upsert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, object]] | Mapping[str, object],
    *,
    keys: Sequence[str],
    replace: Sequence[str] = (),
    also: Mapping[str, ColumnElement[Any]] | None = None,
) -> None:
    """Insert ``rows``; where a row with the same ``keys`` exists, set its ``replace`` columns
    to the new row's values and ``also`` to expressions (which see the existing row)."""
    stmt = upsert(conn, table)
    new = stmt.excluded
    values: dict[str, object] = {name: new[name] for name in replace}
    values.update(also or {})
    conn.execute(
        stmt.on_conflict_do_update(index_elements=[table.c[k] for k in keys], set_=values), rows
    )


def distinct_chunks(values: Iterable[H]) -> Iterator[list[H]]:
    """The distinct ``values`` in first-seen order, in lists of at most CHUNK (for IN lists)."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


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


def delete_refs(
    conn: Connection, table: Table, refs: Iterable[SourceRef], *where: ColumnElement[bool]
) -> int:
    """Delete the rows of these records (that also match ``where``); returns how many."""
    deleted = 0
    for system, object_, ids in ref_chunks(refs):
        result = conn.execute(delete(table).where(*where, ref_filter(table, system, object_, ids)))
        deleted += result.rowcount
    return deleted
