"""Fixtures for the state store tests: every test runs on SQLite and on PostgreSQL.

The PostgreSQL variant needs CRMBRIDGE_TEST_POSTGRES_URL (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test). Each test gets a fresh schema, selected
through the connection's search_path, so Alembic's version table lands there too; the session
time zone is set to Asia/Shanghai to prove datetimes come back in UTC regardless.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from flows.store import StateStore
from flows.store.engine import resolve_url

POSTGRES_URL_ENV = "CRMBRIDGE_TEST_POSTGRES_URL"


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a state store lives: a SQLite file under tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / ".crmbridge" / "state.db")
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_URL_ENV} to a test database URL")
    schema = f"crmbridge_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = resolve_url(base).update_query_dict(
            {"options": f"-csearch_path={schema} -cTimeZone=Asia/Shanghai"}
        )
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 3, 1, 8, 0, tzinfo=UTC))


@pytest.fixture
def store(store_url: str, clock: FakeClock) -> Iterator[StateStore]:
    with StateStore.open(store_url, clock=clock) as opened:
        yield opened


# -- one real Prefect server for the whole session -----------------------------------------


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API URL of a real Prefect server (``prefect server start`` on a free port, its own
    PREFECT_HOME), started once for every flow-level test of the session; 7-15 s to start."""
    from tests.flows.prefect_server import start_prefect_server

    with start_prefect_server(tmp_path_factory.mktemp("prefect-server")) as url:
        yield url


@pytest.fixture
def prefect_client_env(
    prefect_api: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """This test talks to the session's server, in-process and in the subprocesses it starts
    (the returned variables)."""
    from tests.flows.prefect_server import client_env, use_server

    env = client_env(prefect_api, tmp_path / "prefect-client")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with use_server(prefect_api):
        yield env
