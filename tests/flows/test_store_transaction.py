"""Watermarks, the write ledger, and the unit of work that commits a batch atomically."""

from __future__ import annotations

from datetime import timedelta

import pytest

from canonical.models import Rejected, SourceRef
from flows.store import (
    CrosswalkConflictError,
    LedgerWrite,
    StateStore,
    StateStoreError,
    WriteAction,
)

from .conftest import FakeClock

REF_A = SourceRef(system="zoho", object="Contacts", id="100")
REF_B = SourceRef(system="zoho", object="Contacts", id="101")
SOURCE = SourceRef(system="csv", object="contacts", id="row-7")


class BatchFailedError(Exception):
    pass


def test_watermarks_per_job_system_object(store: StateStore, clock: FakeClock) -> None:
    assert store.watermarks.get("contacts", "zoho", "Contacts") is None
    store.watermarks.set("contacts", "zoho", "Contacts", "2025-03-01T08:00:00+00:00")
    clock.advance(timedelta(minutes=5))
    store.watermarks.set("contacts", "zoho", "Contacts", "2025-03-01T08:05:00+00:00")
    store.watermarks.set("contacts", "fxiaoke", "ContactObj", "1740816000000")
    store.watermarks.set("other", "zoho", "Contacts", "x")

    assert store.watermarks.get("contacts", "zoho", "Contacts") == "2025-03-01T08:05:00+00:00"
    marks = store.watermarks.for_job("contacts")
    assert [(m.system, m.object, m.value) for m in marks] == [
        ("fxiaoke", "ContactObj", "1740816000000"),
        ("zoho", "Contacts", "2025-03-01T08:05:00+00:00"),
    ]
    assert marks[1].updated_at == clock.now


def test_ledger_upsert_and_get_many(store: StateStore, clock: FakeClock) -> None:
    first = store.runs.start("contacts", "sync")
    written = store.ledger.upsert_many(
        first.id,
        [
            LedgerWrite(REF_A, "h1", WriteAction.CREATE),
            LedgerWrite(REF_B, "h2", WriteAction.CREATE),
        ],
    )
    assert written == 2
    clock.advance(timedelta(hours=1))
    second = store.runs.start("contacts", "sync")
    store.ledger.upsert_many(second.id, [LedgerWrite(REF_A, "h3", WriteAction.UPDATE)])

    entries = store.ledger.get_many([REF_A, REF_B, SOURCE])
    assert set(entries) == {REF_A, REF_B}
    a = entries[REF_A]
    assert (a.payload_hash, a.action, a.run_id, a.written_at) == (
        "h3",
        WriteAction.UPDATE,
        second.id,
        clock.now,
    )
    assert (entries[REF_B].payload_hash, entries[REF_B].run_id) == ("h2", first.id)
    assert store.ledger.upsert_many(second.id, []) == 0


def _write_batch(store: StateStore, run_id: str, fail: bool) -> None:
    with store.transaction() as tx:
        tx.crosswalk.link("c-1", REF_A)
        tx.ledger.upsert_many(run_id, [LedgerWrite(REF_A, "h1", WriteAction.CREATE)])
        tx.dead_letters.record_rejects(run_id, "contacts", [Rejected(source=SOURCE, reason="x")])
        tx.watermarks.set("contacts", "csv", "contacts", "row-7")
        # Reads inside the unit of work see its own writes.
        assert tx.watermarks.get("contacts", "csv", "contacts") == "row-7"
        assert tx.crosswalk.lookup(REF_A) == "c-1"
        if fail:
            raise BatchFailedError


def test_a_batch_commits_all_its_state_together(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    _write_batch(store, run.id, fail=False)
    assert store.watermarks.get("contacts", "csv", "contacts") == "row-7"
    assert store.crosswalk.lookup(REF_A) == "c-1"
    assert REF_A in store.ledger.get_many([REF_A])
    assert store.dead_letters.count_open("contacts") == 1


def test_a_failed_batch_writes_nothing(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    store.watermarks.set("contacts", "csv", "contacts", "row-0")
    with pytest.raises(BatchFailedError):
        _write_batch(store, run.id, fail=True)

    assert store.watermarks.get("contacts", "csv", "contacts") == "row-0"
    assert store.crosswalk.lookup(REF_A) is None
    assert store.ledger.get_many([REF_A]) == {}
    assert store.dead_letters.count_open() == 0


def _batch_linking(store: StateStore, run_id: str, canonical_id: str) -> None:
    with store.transaction() as tx:
        tx.watermarks.set("contacts", "zoho", "Contacts", "advanced")
        tx.ledger.upsert_many(run_id, [LedgerWrite(REF_B, "h", WriteAction.CREATE)])
        tx.crosswalk.link(canonical_id, REF_A)


def test_a_crosswalk_conflict_rolls_back_the_whole_batch(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    store.crosswalk.link("c-1", REF_A)
    with pytest.raises(CrosswalkConflictError):
        _batch_linking(store, run.id, "c-2")
    assert store.watermarks.get("contacts", "zoho", "Contacts") is None
    assert store.ledger.get_many([REF_B]) == {}


def test_a_database_error_rolls_back_and_is_a_store_error(store: StateStore) -> None:
    with pytest.raises(StateStoreError, match=r"(?i)foreign key"):
        _batch_linking(store, "no-such-run", "c-1")
    assert store.watermarks.get("contacts", "zoho", "Contacts") is None
    assert store.crosswalk.lookup(REF_A) is None
