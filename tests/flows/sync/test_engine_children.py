"""Children (notes -> follow-ups) are written after their parent, re-parented to its target id."""

from __future__ import annotations

from pathlib import Path

from flows.store import OutcomeStatus
from tests.flows.sync.engine_helpers import Harness, notes_job, zoho_contact


def _note(h: Harness, parent: str, content: str) -> str:
    return h.zoho.put(
        "Notes", {"Note_Title": "回访", "Note_Content": content, "Parent_Id": {"id": parent}}
    )


def test_a_note_follows_its_contact_with_the_target_contact_id(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, notes_job())
    contact = h.zoho.put("Contacts", zoho_contact(0))
    _note(h, contact, "客户询问报价")

    report = h.run()

    (fx_contact,) = h.fxiaoke.rows("ContactObj")
    (followup,) = h.fxiaoke.rows("ActiveRecordObj").values()
    assert followup["contact_id"] == fx_contact
    assert followup["active_record_content"] == "客户询问报价"
    assert report.actions == {
        "fxiaoke:ContactObj": {"created": 1},
        "fxiaoke:ActiveRecordObj": {"created": 1},
    }
    # Parents are planned and written first, whatever the order of the job's sources.
    assert [s.label for s in report.sources] == [
        "zoho:Contacts -> fxiaoke:ContactObj",
        "zoho:Notes -> fxiaoke:ActiveRecordObj",
    ]


def test_a_note_whose_contact_is_not_in_the_target_waits_for_it(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, notes_job(lookback_seconds=0))
    contact = h.zoho.put("Contacts", zoho_contact(0))
    _note(h, contact, "投诉：发货慢")
    h.fxiaoke.refuse = lambda p: "owner required" if "email" in p else None

    first = h.run()
    assert h.fxiaoke.rows("ActiveRecordObj") == {}
    assert first.actions["fxiaoke:ContactObj"] == {"rejected": 1}
    assert first.actions["fxiaoke:ActiveRecordObj"] == {"skipped": 1}
    (deferred,) = h.store.outcomes.for_run(first.run_id, status=OutcomeStatus.SKIPPED)
    assert deferred.message is not None and deferred.message.startswith("deferred: contact")

    h.fxiaoke.refuse = None
    second = h.run()
    (fx_contact,) = h.fxiaoke.rows("ContactObj")
    (followup,) = h.fxiaoke.rows("ActiveRecordObj").values()
    assert followup["contact_id"] == fx_contact
    assert second.actions == {
        "fxiaoke:ContactObj": {"created": 1},
        "fxiaoke:ActiveRecordObj": {"created": 1},
    }
