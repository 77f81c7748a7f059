"""Turning what the caller gives (a file path or a URL) into a configured SQLAlchemy engine."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from flows.store.errors import StateStoreError

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "create_store_engine", "display_url", "resolve_url"]

SQLITE_BUSY_TIMEOUT_MS = 30_000

_POSTGRES_ALIASES = {"postgres", "postgresql", "postgresql+psycopg"}


def resolve_url(target: str | os.PathLike[str]) -> URL:
    """A SQLite file path, a `sqlite:///` URL or a PostgreSQL URL, as a SQLAlchemy URL.

    Plain `postgresql://` (and `postgres://`) URLs are pointed at psycopg 3, the driver we ship.
    """
    text = os.fspath(target)
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StateStoreError(f"not a database URL: {exc}") from exc
    if url.drivername in _POSTGRES_ALIASES:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in {"sqlite", "sqlite+pysqlite"}:
        if not url.database or url.database == ":memory:":
            raise StateStoreError("the state store needs a SQLite file, not an in-memory database")
        return url
    raise StateStoreError(
        f"unsupported state store backend {url.drivername!r}: use a SQLite file path "
        "or a postgresql:// URL"
    )


def display_url(url: URL) -> str:
    """The URL without its password, for messages and logs."""
    return url.render_as_string(hide_password=True)


def create_store_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url)


def _sqlite_engine(url: URL) -> Engine:
    assert url.database is not None
    path = Path(url.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The store holds personal data: a new file is its owner's only (SQLite gives its -wal
    # and -shm files the same mode). An empty file is an empty database to SQLite.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below); the sqlite3 driver's own transaction
        # handling skips BEGIN for SELECT and DDL, which breaks atomic read-then-write.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            # Deleted rows are overwritten, not left in free pages: what `crmbridge forget`
            # erases is gone from the file too.
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
        # writes can fail with SQLITE_BUSY at once, without waiting for busy_timeout.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
