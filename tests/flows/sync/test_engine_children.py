"""Children (notes -> follow-ups) are written after their parent, re-parented to its target id."""

from __future__ import annotations

from pathlib import Path

from flows.config import JobConfig
from flows.store import OutcomeStatus
from tests.flows.sync.engine_helpers import Harness, endpoint, notes_job, zoho_contact


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


def test_a_note_whose_contact_is_not_in_the_target_is_parked_until_it_lands(
    tmp_path: Path,
) -> None:
    h = Harness.open(tmp_path, notes_job(lookback_seconds=0))
    contact = h.zoho.put("Contacts", zoho_contact(0))
    _note(h, contact, "投诉：发货慢")
    h.fxiaoke.refuse = lambda p: "owner required" if "email" in p else None

    first = h.run()
    assert h.fxiaoke.rows("ActiveRecordObj") == {}
    assert first.actions["fxiaoke:ContactObj"] == {"rejected": 1}
    assert first.actions["fxiaoke:ActiveRecordObj"] == {"parked": 1}
    (parked,) = h.store.outcomes.for_run(first.run_id, status=OutcomeStatus.PARKED)
    assert parked.message is not None
    assert parked.message.startswith("waiting for its contact zoho:Contacts:")
    assert parked.message.endswith("which is not in fxiaoke:ContactObj yet")
    # Nothing is skipped without a trace: the note is a dead letter that says why, and the
    # run does not call itself a success.
    letters = {d.source.object: d for d in h.store.dead_letters.list_open("notes")}
    assert letters["Notes"].outcome == "parked"
    assert first.left_behind == {"rejected": 1, "parked": 1}
    assert first.exit_code == 3

    h.fxiaoke.refuse = None
    second = h.run()
    (fx_contact,) = h.fxiaoke.rows("ContactObj")
    (followup,) = h.fxiaoke.rows("ActiveRecordObj").values()
    assert followup["contact_id"] == fx_contact
    assert second.actions == {
        "fxiaoke:ContactObj": {"created": 1},
        "fxiaoke:ActiveRecordObj": {"created": 1},
    }


def _accounts_job() -> JobConfig:
    """zoho Accounts and Contacts -> fxiaoke AccountObj and ContactObj."""
    return JobConfig.model_validate(
        {
            "name": "accounts",
            "kind": "sync",
            "sources": [
                endpoint("zoho", "Accounts", "zoho_accounts.yaml"),
                endpoint("zoho", "Contacts", "zoho_contacts.yaml"),
            ],
            "targets": [
                endpoint("fxiaoke", "AccountObj", "fxiaoke_accounts.yaml"),
                endpoint("fxiaoke", "ContactObj", "fxiaoke_contacts.yaml"),
            ],
        }
    )


def test_a_contact_moved_to_another_account_is_moved_in_the_target(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, _accounts_job())
    old = h.zoho.put("Accounts", {"Account_Name": "华为技术有限公司"})
    new = h.zoho.put("Accounts", {"Account_Name": "腾讯科技有限公司"})
    contact = h.zoho.put(
        "Contacts", zoho_contact(0, Account_Name={"id": old, "name": "华为技术有限公司"})
    )
    h.run()
    fx_accounts = {f["name"]: rid for rid, f in h.fxiaoke.rows("AccountObj").items()}
    (fx_contact,) = h.fxiaoke.rows("ContactObj")
    assert h.fxiaoke.rows("ContactObj")[fx_contact]["account_id"] == fx_accounts["华为技术有限公司"]

    h.reset_calls()
    h.zoho.edit("Contacts", contact, Account_Name={"id": new, "name": "腾讯科技有限公司"})
    moved = h.run()

    assert moved.actions == {"fxiaoke:ContactObj": {"updated": 1}}
    assert h.fxiaoke.sent == [
        ("update", (fx_contact, {"account_id": fx_accounts["腾讯科技有限公司"]}))
    ]
    assert h.fxiaoke.rows("ContactObj")[fx_contact]["account_id"] == fx_accounts["腾讯科技有限公司"]
    assert h.run().actions == {}  # settled: the move is not sent again
