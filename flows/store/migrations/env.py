"""Alembic environment for the state store.

Run by `flows.store.migrate`, which hands over an open connection in
`config.attributes["connection"]`. There is deliberately no logging.fileConfig here: the
library must not reconfigure the application's logging or print anything.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from flows.store.engine import create_store_engine, resolve_url
from flows.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Developer use (alembic_config(url)): open our own engine, with the SQLite pragmas.
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no connection and no sqlalchemy.url given to the migrations")
    engine = create_store_engine(resolve_url(url))
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    _run_online()
