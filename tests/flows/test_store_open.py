"""Opening a state store: URLs, automatic migration, SQLite settings, aware datetimes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from canonical.models import Rejected, SourceRef
from flows.store import RunStatus, StateStore, StateStoreError
from flows.store.engine import resolve_url
from flows.store.migrate import HEAD_REVISION, alembic_config, current_revision
from flows.store.schema import metadata

from .conftest import FakeClock

TABLES = {"runs", "dead_letters", "crosswalk", "watermarks", "write_ledger", "job_locks"}


def test_head_revision_constant_matches_the_migrations() -> None:
    # The cheap open path trusts HEAD_REVISION; it must name the newest migration.
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_new_store_is_migrated_to_head(store: StateStore) -> None:
    engine = store._engine
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES


def test_migrated_schema_matches_the_table_definitions(store: StateStore) -> None:
    with store._engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


def test_reopening_keeps_data_and_revision(store_url: str) -> None:
    with StateStore.open(store_url) as first:
        run = first.runs.start("contacts", "sync")
    with StateStore.open(store_url) as second:
        assert current_revision(second._engine) == HEAD_REVISION
        reopened = second.runs.get(run.id)
    assert reopened is not None
    assert reopened.job == "contacts"


def test_sqlite_file_and_folder_are_created_with_wal(tmp_path: Path) -> None:
    path = tmp_path / "project" / ".crmbridge" / "state.db"
    with StateStore.open(path) as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        raw.close()


def test_foreign_keys_are_enforced(store: StateStore) -> None:
    reject = Rejected(source=SourceRef(system="csv", object="contacts", id="1"), reason="bad")
    with pytest.raises(StateStoreError, match=r"(?i)foreign key"):
        store.dead_letters.record_rejects("no-such-run", "contacts", [reject])
    assert store.dead_letters.count_open() == 0


def test_datetimes_round_trip_as_aware_utc(store_url: str) -> None:
    shanghai = timezone(timedelta(hours=8))
    started = datetime(2025, 6, 30, 23, 30, 15, 123456, tzinfo=shanghai)
    with StateStore.open(store_url, clock=FakeClock(started)) as store:
        run = store.runs.finish(store.runs.start("contacts", "sync").id, RunStatus.SUCCEEDED)
        loaded = store.runs.get(run.id)
    assert loaded is not None
    assert loaded.started_at == started
    assert loaded.started_at.tzinfo is UTC
    assert loaded.started_at.hour == 15
    assert loaded.finished_at is not None
    assert loaded.finished_at.tzinfo is UTC


def test_naive_datetimes_are_refused(store_url: str) -> None:
    with (
        StateStore.open(store_url, clock=lambda: datetime(2025, 1, 1)) as store,
        pytest.raises(StateStoreError, match="naive datetime"),
    ):
        store.runs.start("contacts", "sync")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:secret@db:5432/crm", "postgresql+psycopg://u:***@db:5432/crm"),
        ("postgres://u@db/crm", "postgresql+psycopg://u@db/crm"),
        ("postgresql+psycopg://u@db/crm", "postgresql+psycopg://u@db/crm"),
        ("sqlite:////var/lib/state.db", "sqlite:////var/lib/state.db"),
    ],
)
def test_urls_are_normalised(given: str, expected: str) -> None:
    assert resolve_url(given).render_as_string(hide_password=True) == expected


def test_a_path_becomes_an_absolute_sqlite_url(tmp_path: Path) -> None:
    url = resolve_url(tmp_path / "state.db")
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "state.db")


@pytest.mark.parametrize(
    "given", ["mysql://u@db/crm", "sqlite://", "sqlite:///:memory:", "postgresql+psycopg2://x/y"]
)
def test_unsupported_targets_are_refused(given: str) -> None:
    with pytest.raises(StateStoreError):
        resolve_url(given)


def test_unreachable_postgres_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StateStoreError, match="cannot open the state store") as caught:
        StateStore.open("postgresql://crm:hunter2@127.0.0.1:1/crm")
    assert "hunter2" not in str(caught.value)
    assert "***" in str(caught.value)


def test_store_from_a_newer_crmbridge_is_refused(store_url: str) -> None:
    with StateStore.open(store_url) as store, store._engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StateStoreError, match="newer crmbridge"):
        StateStore.open(store_url)


def test_creating_a_store_prints_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with StateStore.open(tmp_path / "state.db"):
        pass
    assert capfd.readouterr() == ("", "")
