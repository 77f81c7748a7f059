"""The run journal."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest

from flows.store import RunStatus, StateStore, StateStoreError

from .conftest import FakeClock


def test_run_lifecycle(store: StateStore, clock: FakeClock) -> None:
    started = store.runs.start("contacts", "sync")
    assert started.status is RunStatus.RUNNING
    assert started.started_at == clock.now
    assert started.finished_at is None
    assert (started.host, started.pid) == (socket.gethostname(), os.getpid())
    assert store.runs.get(started.id) == started

    clock.advance(timedelta(seconds=42))
    finished = store.runs.finish(
        started.id, RunStatus.FINISHED_WITH_REJECTS, {"read": 120, "rejected": 3}, "3 rejects"
    )
    assert finished.status is RunStatus.FINISHED_WITH_REJECTS
    assert finished.finished_at == clock.now
    assert finished.started_at == started.started_at
    assert dict(finished.counts) == {"read": 120, "rejected": 3}
    assert finished.message == "3 rejects"
    assert store.runs.get(started.id) == finished


def test_failed_run_keeps_the_error_text(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    store.runs.finish(run.id, RunStatus.FAILED, message="ZohoAuthError: invalid_code")
    loaded = store.runs.get(run.id)
    assert loaded is not None
    assert loaded.status is RunStatus.FAILED
    assert loaded.message == "ZohoAuthError: invalid_code"
    assert dict(loaded.counts) == {}


def test_finish_needs_a_final_status_and_a_known_run(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    with pytest.raises(ValueError, match="final status"):
        store.runs.finish(run.id, RunStatus.RUNNING)
    with pytest.raises(StateStoreError, match="no run with id"):
        store.runs.finish("missing", RunStatus.SUCCEEDED)
    assert store.runs.get("missing") is None


def test_recent_runs_newest_first_per_job(store: StateStore, clock: FakeClock) -> None:
    ids = []
    for job in ("contacts", "accounts", "contacts"):
        ids.append(store.runs.start(job, "sync").id)
        clock.advance(timedelta(minutes=1))
    assert [run.id for run in store.runs.recent()] == ids[::-1]
    assert [run.id for run in store.runs.recent("contacts")] == [ids[2], ids[0]]
    assert [run.id for run in store.runs.recent(limit=1)] == [ids[2]]


def test_abort_running_closes_leftover_runs_of_one_job(store: StateStore) -> None:
    crashed = store.runs.start("contacts", "sync")
    done = store.runs.finish(store.runs.start("contacts", "sync").id, RunStatus.SUCCEEDED)
    other = store.runs.start("accounts", "sync")

    assert store.runs.abort_running("contacts", "process died") == 1

    aborted = store.runs.get(crashed.id)
    assert aborted is not None
    assert aborted.status is RunStatus.ABORTED
    assert aborted.message == "process died"
    assert aborted.finished_at is not None
    assert store.runs.get(done.id) == done
    assert store.runs.get(other.id) == other
