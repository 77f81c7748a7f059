"""Schema versioning: upgrade a store to the newest Alembic revision when it is opened.

Alembic costs about 0.4 s to import, so an up-to-date store is recognised with one query
against the version table and Alembic is only imported when there is something to do.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from flows.store.engine import display_url
from flows.store.errors import StateStoreError

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["HEAD_REVISION", "MIGRATIONS_DIR", "alembic_config", "current_revision", "migrate"]

logger = logging.getLogger(__name__)

# The newest revision in migrations/versions; tests check the two agree.
HEAD_REVISION = "0009"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
# Serialises concurrent first opens of one PostgreSQL database (any fixed 64-bit number).
_PG_MIGRATION_LOCK = 0x63726D62726467


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # noqa: S608


def alembic_config(url: URL | None = None) -> Config:
    """A programmatic Alembic config for our migrations (there is no alembic.ini).

    With a URL it also serves developers: `command.revision(alembic_config(url), ...)`.
    """
    from alembic.config import Config

    # Alembic writes some commands' output to stdout; the library never prints.
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option(
            "sqlalchemy.url", url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD_REVISION; cheap when it already is."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.util import CommandError

    config = alembic_config()
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except CommandError as exc:
        raise StateStoreError(
            f"cannot migrate the state store at {display_url(engine.url)}: {exc} "
            "(was it written by a newer crmbridge?)"
        ) from exc
    logger.info("state store at %s upgraded to revision %s", display_url(engine.url), HEAD_REVISION)
