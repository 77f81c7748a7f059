"""Undo: a run's changes taken back newest first, idempotently, from the undo journal."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import JsonValue
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine

from canonical.models import SourceRef
from flows.store import UndoAction, UndoEntry
from flows.sync.undo import restorable, undo_run
from tests.flows.sync.engine_helpers import Harness, contacts_job, target_people, zoho_contact


def _synced(tmp_path: Path) -> tuple[Harness, list[str]]:
    h = Harness.open(tmp_path, contacts_job())
    ids = [h.zoho.put("Contacts", zoho_contact(i)) for i in range(3)]
    h.run()
    return h, ids


def test_undo_restores_updates_then_deletes_creates_and_is_idempotent(tmp_path: Path) -> None:
    h, ids = _synced(tmp_path)
    created_run = h.reports[-1].run_id
    h.zoho.edit("Contacts", ids[0], Title="总监", Department="销售部")
    h.run()
    updated_run = h.reports[-1].run_id
    assert target_people(h.fxiaoke)["p0@example.cn"]["job_title"] == "总监"

    report = undo_run(h.store, updated_run, h.systems)
    assert dict(report.undone) == {"updated": 1}
    restored = target_people(h.fxiaoke)["p0@example.cn"]
    assert (restored["job_title"], restored.get("department")) == ("经理", None)
    assert undo_run(h.store, updated_run, h.systems).nothing_to_do

    report = undo_run(h.store, created_run, h.systems)
    assert dict(report.undone) == {"created": 3}
    assert h.fxiaoke.rows("ContactObj") == {}
    assert h.store.crosswalk.count("fxiaoke", "ContactObj") == 0
    assert h.store.undo.entries(created_run, pending_only=True) == []

    # Undoing the load is no dead end: the watermark went back, so the next run reads the
    # source again and creates its records once more, as the source holds them now.
    again = h.run()
    assert again.actions == {"fxiaoke:ContactObj": {"created": 3}}
    assert target_people(h.fxiaoke)["p0@example.cn"]["job_title"] == "总监"
    h.reset_calls()
    assert h.run().actions.get("fxiaoke:ContactObj", {}).keys() <= {"unchanged"}
    assert not [c for calls in h.calls().values() for c in calls if c.startswith("create")]


def test_undoing_a_migration_puts_the_watermark_back_and_a_rerun_recreates_once(
    tmp_path: Path,
) -> None:
    h = Harness.open(tmp_path, contacts_job(kind="migrate"))
    for i in range(4):
        h.zoho.put("Contacts", zoho_contact(i))
    assert h.store.watermarks.get("contacts", "zoho", "Contacts") is None
    first = h.run()
    assert first.actions == {"fxiaoke:ContactObj": {"created": 4}}
    assert h.store.watermarks.get("contacts", "zoho", "Contacts") is not None

    report = undo_run(h.store, first.run_id, h.systems)
    assert (dict(report.undone), report.watermarks_restored) == ({"created": 4}, 1)
    assert h.fxiaoke.rows("ContactObj") == {}
    assert h.store.watermarks.get("contacts", "zoho", "Contacts") is None
    sources = [SourceRef(system="zoho", object="Contacts", id=i) for i in h.zoho.rows("Contacts")]
    cids = h.store.crosswalk.lookup_many(sources).values()
    assert len(cids) == 4  # the source records keep their canonical ids
    assert h.store.shadow.get_many("contacts", cids) == {}  # but no settled pair is left
    # Undoing again changes nothing, the watermark included.
    again = undo_run(h.store, first.run_id, h.systems)
    assert again.nothing_to_do and again.watermarks_restored == 0

    rerun = h.run()
    assert rerun.actions == {"fxiaoke:ContactObj": {"created": 4}}
    assert sorted(target_people(h.fxiaoke)) == [f"p{i}@example.cn" for i in range(4)]
    assert h.store.crosswalk.count("fxiaoke", "ContactObj") == 4
    h.reset_calls()
    assert h.run().actions.get("fxiaoke:ContactObj", {}).keys() <= {"unchanged"}
    assert len(h.fxiaoke.rows("ContactObj")) == 4
    assert not [c for calls in h.calls().values() for c in calls if c.startswith("create")]


def test_an_undo_that_fails_part_way_resumes_where_it_stopped(tmp_path: Path) -> None:
    h, ids = _synced(tmp_path)
    for record_id in ids:
        h.zoho.edit("Contacts", record_id, Title="总监")
    h.run()
    run_id = h.reports[-1].run_id
    h.fxiaoke.max_write_batch = 1
    calls = 0

    def refuse_second(payload: Mapping[str, JsonValue]) -> str | None:
        nonlocal calls
        calls += 1
        return "locked record" if calls == 2 else None

    h.fxiaoke.refuse = refuse_second
    first = undo_run(h.store, run_id, h.systems)
    assert (dict(first.undone), len(first.failed)) == ({"updated": 2}, 1)
    assert len(h.store.undo.entries(run_id, pending_only=True)) == 1

    h.fxiaoke.refuse = None
    second = undo_run(h.store, run_id, h.systems)
    assert (dict(second.undone), second.failed) == ({"updated": 1}, [])
    assert {p["job_title"] for p in target_people(h.fxiaoke).values()} == {"经理"}


def test_undo_recreates_a_merged_record_from_its_before_image_and_relinks_it(
    tmp_path: Path,
) -> None:
    h, ids = _synced(tmp_path)
    cid = h.store.crosswalk.lookup(SourceRef(system="zoho", object="Contacts", id=ids[0]))
    assert cid is not None
    gone_id = h.store.crosswalk.records_in([cid], "fxiaoke", "ContactObj")[cid]
    # A dedupe run merged it away, journaling the record as read (system fields included).
    before: dict[str, JsonValue] = {"_id": gone_id, "last_modified_time": 1}
    before |= {"owner__r": {"id": "u1"}, **h.fxiaoke.rows("ContactObj")[gone_id]}
    dedupe = h.store.runs.start("contacts-dedupe", "dedupe")
    gone = SourceRef(system="fxiaoke", object="ContactObj", id=gone_id)
    h.store.undo.record(dedupe.id, [UndoEntry(gone, UndoAction.MERGED, before, cid)])
    h.fxiaoke.remove("ContactObj", gone_id)

    report = undo_run(h.store, dedupe.id, h.systems)

    assert dict(report.undone) == {"merged": 1}
    new_id = h.store.crosswalk.records_in([cid], "fxiaoke", "ContactObj")[cid]
    assert new_id != gone_id
    assert h.store.crosswalk.lookup(gone) is None
    assert h.fxiaoke.rows("ContactObj")[new_id] == restorable(before)
    assert restorable(before).keys() == {"name", "job_title", "email", "mobile1"}


def test_undoing_a_load_unlinks_each_batch_in_one_statement(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    for i in range(250):
        h.zoho.put("Contacts", zoho_contact(i))
    loaded = h.run()
    assert h.store.crosswalk.count("fxiaoke", "ContactObj") == 250
    unlinks: list[str] = []

    def seen(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("DELETE FROM CROSSWALK"):
            unlinks.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        report = undo_run(h.store, loaded.run_id, h.systems)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)

    assert dict(report.undone) == {"created": 250}
    assert h.store.crosswalk.count("fxiaoke", "ContactObj") == 0
    assert len(unlinks) == 3  # one per batch of 100 deletes, not one per record
