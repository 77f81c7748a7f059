"""Job locks: exclusion across store instances and processes, expiry, takeover, heartbeat."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from flows.store import JobLockedError, JobLockLostError, StateStore

from .conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]
TTL = timedelta(minutes=10)

# Runs in a separate interpreter: try to take the lock, wait for a line on stdin, try again.
_OTHER_PROCESS = """
import sys
from flows.store import JobLockedError, StateStore

with StateStore.open(sys.argv[1]) as store:
    for attempt in range(2):
        if attempt:
            sys.stdin.readline()
        try:
            with store.lock(sys.argv[2]):
                print("acquired", flush=True)
        except JobLockedError as exc:
            print(f"locked by {exc.holder.host} pid {exc.holder.pid}: {exc}", flush=True)
"""


@pytest.fixture
def other(store_url: str, clock: FakeClock, store: StateStore) -> Iterator[StateStore]:
    """A second, independent store on the same database (another run of crmbridge)."""
    with StateStore.open(store_url, clock=clock) as second:
        yield second


def test_a_held_lock_excludes_another_store(
    store: StateStore, other: StateStore, clock: FakeClock
) -> None:
    with store.lock("contacts", ttl=TTL) as held:
        with pytest.raises(JobLockedError) as caught, other.lock("contacts"):
            pass
        holder = caught.value.holder
        assert holder.owner == held.owner
        assert (holder.host, holder.pid) == (socket.gethostname(), os.getpid())
        assert holder.acquired_at == clock.now
        assert holder.expires_at == clock.now + TTL
        message = str(caught.value)
        assert f"{socket.gethostname()} pid {os.getpid()}" in message
        assert "since 2025-03-01 08:00:00 UTC" in message
        with other.lock("accounts"):  # other jobs are not affected
            pass
    with other.lock("contacts") as taken:
        assert other.locks.holder("contacts") == taken.info
    assert store.locks.holder("contacts") is None


def test_the_lock_is_released_when_the_block_raises(store: StateStore, other: StateStore) -> None:
    with pytest.raises(RuntimeError), store.lock("contacts"):
        raise RuntimeError("sync failed")
    with other.lock("contacts"):
        pass


def test_acquire_again_by_the_same_owner_renews(store: StateStore, clock: FakeClock) -> None:
    first = store.locks.acquire("contacts", "owner-1", TTL)
    clock.advance(timedelta(minutes=3))
    again = store.locks.acquire("contacts", "owner-1", TTL)
    assert again.acquired_at == first.acquired_at
    assert again.expires_at == clock.now + TTL
    assert store.locks.release("contacts", "owner-1") is True
    assert store.locks.release("contacts", "owner-1") is False


def test_an_expired_lock_is_taken_over(
    store: StateStore, other: StateStore, clock: FakeClock
) -> None:
    crashed = store.locks.acquire("contacts", "crashed-run", TTL)
    clock.advance(TTL - timedelta(seconds=1))
    with pytest.raises(JobLockedError):
        other.locks.acquire("contacts", "new-run", TTL)

    clock.advance(timedelta(seconds=1))
    taken = other.locks.acquire("contacts", "new-run", TTL)
    assert taken.owner == "new-run"
    assert taken.acquired_at == clock.now
    assert taken.acquired_at > crashed.acquired_at
    # The old holder finds out: it can neither renew nor release the lock any more.
    assert store.locks.heartbeat("contacts", "crashed-run", TTL) is False
    assert store.locks.release("contacts", "crashed-run") is False
    assert store.locks.holder("contacts") == taken


def test_heartbeat_keeps_the_lock_alive(
    store: StateStore, other: StateStore, clock: FakeClock
) -> None:
    with store.lock("contacts", ttl=TTL, renew=False) as held:
        for _ in range(3):
            clock.advance(TTL - timedelta(minutes=1))
            held.heartbeat()
        with pytest.raises(JobLockedError):
            other.locks.acquire("contacts", "new-run", TTL)
        holder = store.locks.holder("contacts")
        assert holder is not None
        assert holder.heartbeat_at == clock.now
        assert holder.expires_at == clock.now + TTL


def test_heartbeat_after_a_takeover_raises(
    store: StateStore, other: StateStore, clock: FakeClock
) -> None:
    with store.lock("contacts", ttl=TTL, renew=False) as held:
        held.check()
        clock.advance(TTL)
        other.locks.acquire("contacts", "new-run", TTL)
        with pytest.raises(JobLockLostError, match="was lost"):
            held.heartbeat()
        with pytest.raises(JobLockLostError, match="taken over by"):
            held.check()
    # Leaving the block did not release the new holder's lock.
    holder = other.locks.holder("contacts")
    assert holder is not None
    assert holder.owner == "new-run"


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "condition not met within 10 s"
        time.sleep(0.005)


def test_the_lock_renews_itself_while_held(
    store: StateStore, other: StateStore, clock: FakeClock
) -> None:
    ttl = timedelta(milliseconds=30)  # renewed every 10 ms of real time
    with store.lock("contacts", ttl=ttl) as held:
        clock.advance(timedelta(hours=1))  # by the store's clock the lock has long expired...

        def renewed() -> bool:
            holder = store.locks.holder("contacts")
            return holder is not None and holder.expires_at == clock.now + ttl

        _wait_until(renewed)  # ...until the renewer extends it
        with pytest.raises(JobLockedError):
            other.locks.acquire("contacts", "new-run", ttl)
        held.check()
    assert store.locks.holder("contacts") is None


def test_a_lock_excludes_another_process(store_url: str) -> None:
    # Real clock here: the other process judges expiry by its own clock.
    with StateStore.open(store_url) as store:
        with store.lock("contacts"):
            child = subprocess.Popen(
                [sys.executable, "-c", _OTHER_PROCESS, store_url, "contacts"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert child.stdout is not None
            seen_while_held = child.stdout.readline().strip()
        seen_after_release, errors = child.communicate("go\n", timeout=60)
    assert child.returncode == 0, errors
    assert seen_while_held.startswith(f"locked by {socket.gethostname()} pid {os.getpid()}:")
    assert "is already running" in seen_while_held
    assert seen_after_release.strip() == "acquired"


def test_a_transaction_renews_the_held_lock_as_it_commits(
    store: StateStore, other: StateStore, clock: FakeClock
) -> None:
    # A long write (a million-row dedupe index: over a minute) outlasting the lock's TTL:
    # on SQLite no other writer, the lock's own renewal included, gets in meanwhile.
    with store.lock("contacts", ttl=TTL, renew=False):
        with store.transaction() as tx:
            tx.watermarks.set("contacts", "zoho", "Contacts", "2025-03-01T08:00:00Z")
            clock.advance(TTL + timedelta(minutes=5))
        holder = store.locks.holder("contacts")
        assert holder is not None and holder.expires_at == clock.now + TTL
        with pytest.raises(JobLockedError):  # it never looked expired to another run
            other.locks.acquire("contacts", "new-run", TTL)


def test_a_transaction_of_a_run_that_lost_its_lock_is_rolled_back(
    store: StateStore, other: StateStore, clock: FakeClock
) -> None:
    with store.lock("contacts", ttl=TTL, renew=False) as held:
        clock.advance(TTL)
        other.locks.acquire("contacts", "new-run", TTL)
        with pytest.raises(JobLockLostError, match="taken over by"), store.transaction() as tx:
            tx.watermarks.set("contacts", "zoho", "Contacts", "2025-03-01T08:00:00Z")
        with pytest.raises(JobLockLostError):
            held.check()
    assert store.watermarks.get("contacts", "zoho", "Contacts") is None  # nothing written
    holder = other.locks.holder("contacts")
    assert holder is not None and holder.owner == "new-run"


def test_the_renewer_leaves_a_beat_to_the_open_sqlite_transaction(
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """On SQLite the background renewal would wait busy_timeout for this process's own open
    transaction, fail with 'database is locked' and warn (a 30 s wait; 50 ms here); it
    leaves the beat to the transaction's commit."""
    monkeypatch.setattr("flows.store.engine.SQLITE_BUSY_TIMEOUT_MS", 50)
    ttl = timedelta(milliseconds=30)  # a beat every 10 ms of real time
    with (
        StateStore.open(tmp_path / "state.db", clock=clock) as store,
        store.lock("contacts", ttl=ttl),
    ):
        with store.transaction() as tx:
            tx.watermarks.set("contacts", "zoho", "Contacts", "2025-03-01T08:00:00Z")
            time.sleep(0.3)  # thirty beats, each of them longer than busy_timeout
            clock.advance(timedelta(hours=1))
        holder = store.locks.holder("contacts")
        assert holder is not None and holder.expires_at == clock.now + ttl
    assert "could not renew" not in caplog.text
