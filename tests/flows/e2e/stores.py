"""Fresh state stores for end-to-end tests: a SQLite file, or a new PostgreSQL schema (when
CRMBRIDGE_TEST_POSTGRES_URL is set; the test is skipped otherwise), dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from flows.store.engine import resolve_url
from tests.flows.conftest import POSTGRES_URL_ENV

__all__ = ["fresh_state_url", "postgres_url"]


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV) or None


@contextmanager
def fresh_state_url(directory: Path, backend: str) -> Iterator[str]:
    """The URL of an empty store: ``directory/.crmbridge/state.db``, or a PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / '.crmbridge' / 'state.db'}"
        return
    base = postgres_url()
    if base is None:
        pytest.skip(f"set {POSTGRES_URL_ENV} for the PostgreSQL variant")
    schema = f"crmbridge_e2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(resolve_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = resolve_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
