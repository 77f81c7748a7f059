"""A job lock whose holder was killed on this host is taken over at once, not after its TTL."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, update

from flows.store import JobLockedError, StateStore
from flows.store.engine import resolve_url
from flows.store.schema import job_locks
from tests.flows.conftest import FakeClock

TTL = timedelta(minutes=10)
NO_SUCH_PID = 4_194_305
"""Above Linux's largest possible pid_max (2**22): no process can have it."""


def _held_by(store_url: str, job: str, *, host: str, pid: int) -> None:
    """Rewrite who holds the lock, as a run of crmbridge elsewhere would have written it."""
    engine = create_engine(resolve_url(store_url))
    try:
        with engine.begin() as conn:
            conn.execute(update(job_locks).where(job_locks.c.job == job).values(host=host, pid=pid))
    finally:
        engine.dispose()


@pytest.fixture
def other(store_url: str, clock: FakeClock, store: StateStore) -> Iterator[StateStore]:
    """A second store on the same database: the restarted run. (A live holder on this host,
    this very process, keeps its lock: tests/flows/test_store_locks.py.)"""
    with StateStore.open(store_url, clock=clock) as second:
        yield second


def test_a_lock_of_a_dead_process_on_this_host_is_taken_over_with_a_warning(
    store: StateStore,
    other: StateStore,
    store_url: str,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store.locks.acquire("contacts", "killed-run", TTL)
    _held_by(store_url, "contacts", host=socket.gethostname(), pid=NO_SUCH_PID)
    clock.advance(timedelta(seconds=5))  # far from expiry

    with caplog.at_level(logging.WARNING, logger="flows.store.locks"):
        taken = other.locks.acquire("contacts", "restarted-run", TTL)

    assert taken.owner == "restarted-run"
    assert taken.acquired_at == clock.now
    (record,) = [r for r in caplog.records if r.name == "flows.store.locks"]
    assert record.levelno == logging.WARNING
    assert f"pid {NO_SUCH_PID}" in record.getMessage()
    assert "no longer exists" in record.getMessage()
    # The killed run's owner id no longer holds anything.
    assert store.locks.heartbeat("contacts", "killed-run", TTL) is False


def test_a_dead_pid_on_another_host_is_waited_out(
    store: StateStore, other: StateStore, store_url: str, clock: FakeClock
) -> None:
    store.locks.acquire("contacts", "elsewhere", TTL)
    _held_by(store_url, "contacts", host="another-host.invalid", pid=NO_SUCH_PID)

    with pytest.raises(JobLockedError) as caught:
        other.locks.acquire("contacts", "new-run", TTL)
    assert caught.value.holder.host == "another-host.invalid"

    clock.advance(TTL)
    assert other.locks.acquire("contacts", "new-run", TTL).owner == "new-run"
