"""The Zoho sandbox's record store: owners stored as Zoho stores them, unique values kept
unique through inserts, updates, upserts, merges and deletes (by an index, not a scan)."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from connectors.zoho.sandbox import DEFAULT_MODULES
from connectors.zoho.sandbox.store import RecordStore, UserRef

USER = UserRef(id="5725767000000411001", name="Sandbox Admin", email="sandbox01@local.com")


@pytest.fixture
def store() -> RecordStore:
    return RecordStore(DEFAULT_MODULES, USER, lambda: 1_700_000_000.0, timezone(timedelta(hours=8)))


def _contact(email: str, **extra: object) -> dict[str, object]:
    return {"Last_Name": "王", "Email": email, **extra}


def test_an_owner_written_by_id_is_stored_as_the_whole_user(store: RecordStore) -> None:
    (added,) = store.insert("Contacts", [_contact("a@x.cn", Owner={"id": USER.id})])
    assert added.ok
    record = store.get("Contacts", added.body["details"]["id"])
    assert record is not None
    assert record.values["Owner"] == {"name": USER.name, "id": USER.id, "email": USER.email}

    (moved,) = store.update("Contacts", [{"id": record.id, "Owner": {"id": USER.id}}])
    assert moved.ok and record.values["Owner"]["email"] == USER.email


def test_an_owner_no_user_has_is_refused(store: RecordStore) -> None:
    (refused,) = store.insert("Contacts", [_contact("a@x.cn", Owner={"id": "404"})])
    assert not refused.ok
    assert refused.body["code"] == "INVALID_DATA"
    assert refused.body["details"]["api_name"] == "Owner"
    assert refused.body["details"]["expected_data_type"] == "ownerlookup"
    assert store.count("Contacts") == 0


def test_unique_values_stay_unique_through_every_write(store: RecordStore) -> None:
    first, second = store.insert("Contacts", [_contact("Li@X.cn"), _contact("wang@x.cn")])
    assert first.ok and second.ok
    li, wang = first.body["details"]["id"], second.body["details"]["id"]

    (dup,) = store.insert("Contacts", [_contact(" li@x.CN ")])  # trimmed, case-folded
    assert dup.body["code"] == "DUPLICATE_DATA" and dup.body["details"]["id"] == li

    # An update frees the old value and takes the new one; a record may keep its own value.
    assert store.update("Contacts", [{"id": li, "Email": "li.new@x.cn"}])[0].ok
    assert store.update("Contacts", [{"id": li, "Email": "li.new@x.cn"}])[0].ok
    (taken,) = store.update("Contacts", [{"id": wang, "Email": "LI.NEW@x.cn"}])
    assert taken.body["code"] == "DUPLICATE_DATA"
    assert store.insert("Contacts", [_contact("li@x.cn")])[0].ok

    # An upsert finds the record by its unique value and updates it.
    (upserted,) = store.upsert("Contacts", [_contact("wang@x.cn", Title="经理")], None)
    assert upserted.body["action"] == "update" and upserted.body["details"]["id"] == wang

    # A deleted record's value is free again.
    assert store.delete("Contacts", [wang])[0].ok
    assert store.insert("Contacts", [_contact("wang@x.cn")])[0].ok


def test_a_merge_moves_unique_values_with_the_fields_taken(store: RecordStore) -> None:
    results = store.insert("Accounts", [{"Account_Name": "华为"}, {"Account_Name": "腾讯"}])
    master, child = (r.body["details"]["id"] for r in results)
    merged = store.merge("Accounts", master, [(child, ["Account_Name"])])
    assert merged.values["Account_Name"] == "腾讯"
    assert store.insert("Accounts", [{"Account_Name": "华为"}])[0].ok  # freed by the master
    assert store.insert("Accounts", [{"Account_Name": "腾讯"}])[0].body["code"] == "DUPLICATE_DATA"
