"""The undo journal: entries numbered per run, before-images kept, undo marks idempotent."""

from __future__ import annotations

from canonical.models import SourceRef
from flows.store import StateStore, UndoAction, UndoEntry
from tests.flows.conftest import FakeClock

CREATED = SourceRef(system="zoho", object="Contacts", id="z-1")
UPDATED = SourceRef(system="zoho", object="Contacts", id="z-2")
DELETED = SourceRef(system="fxiaoke", object="ContactObj", id="f-1")


def test_entries_keep_order_before_images_and_canonical_ids(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    assert store.undo.record(run.id, [UndoEntry(CREATED, UndoAction.CREATED, canonical_id="c1")])
    store.undo.record(
        run.id,
        [
            UndoEntry(UPDATED, UndoAction.UPDATED, {"Email": "a@x.cn", "Tags": ["a", 1]}),
            UndoEntry(DELETED, UndoAction.DELETED, {"name": "王伟", "mobile1": None}, "c3"),
        ],
    )

    entries = store.undo.entries(run.id)
    assert [e.seq for e in entries] == [0, 1, 2]
    assert [e.entry.ref for e in entries] == [CREATED, UPDATED, DELETED]
    assert entries[0].entry.before is None
    assert entries[0].entry.canonical_id == "c1"
    assert entries[1].entry.before == {"Email": "a@x.cn", "Tags": ["a", 1]}
    assert entries[2].entry == UndoEntry(
        DELETED, UndoAction.DELETED, {"name": "王伟", "mobile1": None}, "c3"
    )
    assert all(e.undone_at is None for e in entries)


def test_journals_of_runs_are_separate(store: StateStore) -> None:
    first, second = store.runs.start("a", "sync"), store.runs.start("b", "dedupe")
    store.undo.record(first.id, [UndoEntry(CREATED, UndoAction.CREATED)])
    store.undo.record(second.id, [UndoEntry(UPDATED, UndoAction.MERGED, {"x": 1})])

    assert [e.entry.ref for e in store.undo.entries(second.id)] == [UPDATED]
    assert [e.seq for e in store.undo.entries(second.id)] == [0]
    assert store.undo.runs_with_entries([first.id, second.id, "nope"]) == {first.id, second.id}


def test_marking_undone_is_partial_then_total_and_idempotent(
    store: StateStore, clock: FakeClock
) -> None:
    run = store.runs.start("contacts", "sync")
    store.undo.record(run.id, [UndoEntry(CREATED, UndoAction.CREATED)] * 3)

    assert store.undo.mark_undone(run.id, [2]) == 1
    assert [e.seq for e in store.undo.entries(run.id, pending_only=True)] == [0, 1]
    assert store.undo.mark_undone(run.id, [2]) == 0
    assert store.undo.mark_undone(run.id) == 2
    assert store.undo.mark_undone(run.id) == 0
    assert store.undo.entries(run.id, pending_only=True) == []
    assert {e.undone_at for e in store.undo.entries(run.id)} == {clock.now}


def test_a_rolled_back_transaction_journals_nothing(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    try:
        with store.transaction() as tx:
            tx.undo.record(run.id, [UndoEntry(CREATED, UndoAction.CREATED)])
            raise RuntimeError("the write batch failed")
    except RuntimeError:
        pass
    assert store.undo.entries(run.id) == []


def test_watermarks_go_back_to_before_the_run_and_never_forward(store: StateStore) -> None:
    first, second = store.runs.start("contacts", "sync"), store.runs.start("contacts", "sync")
    marks = store.watermarks
    marks.set("contacts", "zoho", "Contacts", "2026-01-01T00:00:00+00:00", run_id=first.id)
    marks.set("contacts", "zoho", "Contacts", "2026-01-02T00:00:00+00:00", run_id=first.id)
    marks.set("contacts", "zoho", "Contacts", "2026-01-03T00:00:00+00:00", run_id=second.id)
    marks.set("contacts", "zoho", "Notes", "2026-01-03T00:00:00+00:00")  # no run: not kept

    # The older run first: back to before it (no watermark at all), the other object kept.
    assert marks.restore(first.id) == 1
    assert marks.get("contacts", "zoho", "Contacts") is None
    assert marks.get("contacts", "zoho", "Notes") == "2026-01-03T00:00:00+00:00"
    # The newer run's before-image is later than where the watermark stands now: kept back.
    assert marks.restore(second.id) == 0
    assert marks.get("contacts", "zoho", "Contacts") is None
    assert marks.restore(first.id) == 0


def test_a_watermark_goes_back_to_the_value_before_the_runs_first_batch(
    store: StateStore,
) -> None:
    first, second = store.runs.start("contacts", "sync"), store.runs.start("contacts", "sync")
    marks = store.watermarks
    marks.set("contacts", "zoho", "Contacts", "2026-01-01T00:00:00+00:00", run_id=first.id)
    for day in ("02", "03"):
        marks.set("contacts", "zoho", "Contacts", f"2026-01-{day}T00:00:00+00:00", run_id=second.id)
    assert marks.restore(second.id) == 1
    assert marks.get("contacts", "zoho", "Contacts") == "2026-01-01T00:00:00+00:00"
