"""ZohoRecordSystem against the Zoho sandbox: batching, merge, fields, and stopped writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.zoho import ZohoClient, ZohoFieldLimitError
from connectors.zoho.sandbox import FaultConfig, ZohoSandbox
from connectors.zoho.system import SYSTEM_FIELDS
from flows.systems import (
    UnsupportedOperationError,
    WriteInterruptedError,
    WriteStatus,
    ZohoRecordSystem,
    mapping_fields,
)
from mapping import load_mapping
from tests.flows.sandboxes import mapping_file, seed_zoho, zoho_sandbox, zoho_system
from tests.sandbox_clients import zoho_settings

LIST = "GET /crm/v8/Contacts"
MERGE = "POST /crm/v8/Contacts/{id}/actions/merge"


@pytest.fixture
def sandbox() -> Iterator[ZohoSandbox]:
    with zoho_sandbox() as running:
        yield running


def test_get_many_asks_100_ids_per_call(sandbox: ZohoSandbox) -> None:
    seeded = seed_zoho(sandbox, accounts=1, contacts=150)
    system = zoho_system(sandbox)
    wanted = [*seeded.contacts[::-1][:140], "5725767999999999999"]
    records = system.get_many("Contacts", wanted)
    assert [r.id for r in records] == seeded.contacts[::-1][:140]
    assert sandbox.calls[LIST] == 2


def test_reads_mapping_fields_when_given_else_the_module_metadata(sandbox: ZohoSandbox) -> None:
    seed_zoho(sandbox, accounts=1, contacts=2)
    fields = mapping_fields(load_mapping(Path(mapping_file("zoho_contacts.yaml"))))
    assert "Account_Name" in fields and "Owner" in fields and "id" not in fields
    narrow = zoho_system(sandbox, fields={"Contacts": fields})
    record = next(iter(narrow.read("Contacts")))[0]
    assert set(record.fields) == {"id", *fields, *SYSTEM_FIELDS}
    assert record.fields["Owner"] == {
        "id": sandbox.user.id,
        "name": sandbox.user.name,
        "email": sandbox.user.email,
    }
    wide = zoho_system(sandbox)
    assert "Lead_Source" in next(iter(wide.read("Contacts")))[0].fields
    assert "Lead_Source" in wide.read_fields("Contacts")


def test_more_than_50_fields_is_refused_with_what_to_do(sandbox: ZohoSandbox) -> None:
    system = zoho_system(sandbox, fields={"Contacts": [f"Field_{i}" for i in range(49)]})
    with pytest.raises(ZohoFieldLimitError, match=r"52 fields.*fields=\{'Contacts'"):
        list(system.read("Contacts"))


def test_writes_go_in_batches_of_100_with_results_in_input_order(sandbox: ZohoSandbox) -> None:
    system = zoho_system(sandbox)
    payloads = [{"Last_Name": f"L{i}", "Email": f"p{i}@x.cn"} for i in range(150)]
    payloads[120] = {"Last_Name": "dup", "Email": "p3@x.cn"}  # Email is unique in Zoho
    created = system.create("Contacts", payloads)
    assert sandbox.calls["POST /crm/v8/Contacts"] == 2
    assert [r.index for r in created] == list(range(150))
    assert created[120].status is WriteStatus.REJECTED
    assert created[120].message is not None and "DUPLICATE_DATA" in created[120].message
    assert created[120].message.endswith(f"duplicate of {created[3].record_id}")
    ids = [r.record_id for r in created if r.ok]
    assert len(ids) == 149 and sandbox.store.count("Contacts") == 149

    changes = [(i, {"Title": "T"}) for i in ids if i]
    assert {r.status for r in system.update("Contacts", changes)} == {WriteStatus.UPDATED}
    assert sandbox.calls["PUT /crm/v8/Contacts"] == 2
    deleted = system.delete("Contacts", [i for i in ids if i])
    assert {r.status for r in deleted} == {WriteStatus.DELETED}
    assert sandbox.store.count("Contacts") == 0


def test_merge_sends_two_duplicates_per_call(sandbox: ZohoSandbox) -> None:
    seeded = seed_zoho(sandbox, accounts=1, contacts=6, followups=6)
    master, *duplicates = seeded.contacts
    results = zoho_system(sandbox).merge("Contacts", master, duplicates)
    assert sandbox.calls[MERGE] == 3
    assert [(r.index, r.status, r.record_id) for r in results] == [
        (i, WriteStatus.MERGED, master) for i in range(5)
    ]
    assert all(r.ok for r in results)
    assert [r.id for r in sandbox.store.records("Contacts")] == [master]
    # The duplicates' notes now hang on the master.
    parents = {n.values["Parent_Id"]["id"] for n in sandbox.store.records("Notes")}
    assert parents == {master}


def test_a_refused_merge_call_rejects_its_two_duplicates_only(sandbox: ZohoSandbox) -> None:
    seeded = seed_zoho(sandbox, accounts=1, contacts=4)
    master, a, b, c = seeded.contacts
    results = zoho_system(sandbox).merge("Contacts", master, [a, "5725767999999999999", b, c])
    assert [r.status for r in results] == [
        WriteStatus.REJECTED,
        WriteStatus.REJECTED,
        WriteStatus.MERGED,
        WriteStatus.MERGED,
    ]
    assert results[0].message and "INVALID_DATA" in results[0].message
    assert {r.id for r in sandbox.store.records("Contacts")} == {master, a}


def test_an_insert_whose_reply_is_lost_is_failed_and_not_resent() -> None:
    faults = FaultConfig(rate_timeout=1.0, timeout_seconds=2.0)
    with zoho_sandbox(faults=faults) as sandbox:
        system = zoho_system(sandbox, read_timeout=0.3)
        results = system.create("Contacts", [{"Last_Name": "A"}, {"Last_Name": "B"}])
        assert [r.status for r in results] == [WriteStatus.FAILED, WriteStatus.FAILED]
        assert results[0].message and results[0].message.startswith("outcome unknown")
        assert sandbox.calls["POST /crm/v8/Contacts"] == 1


def test_an_exhausted_credit_budget_stops_the_call_with_every_result(
    sandbox: ZohoSandbox,
) -> None:
    settings = zoho_settings(sandbox, daily_credit_budget=10)  # one insert of 100 costs 10
    system = ZohoRecordSystem("zoho", ZohoClient(settings))
    payloads = [{"Last_Name": f"L{i}"} for i in range(250)]
    with pytest.raises(WriteInterruptedError, match="credit budget exhausted") as caught:
        system.create("Contacts", payloads)
    results = caught.value.results
    assert [r.index for r in results] == list(range(250))
    assert {r.status for r in results[:100]} == {WriteStatus.CREATED}
    assert {r.status for r in results[100:]} == {WriteStatus.NOT_SENT}
    assert sandbox.store.count("Contacts") == 100


def test_users_are_the_active_users_with_their_emails(sandbox: ZohoSandbox) -> None:
    users = zoho_system(sandbox).users()
    assert [(u.id, u.email, u.name) for u in users] == [
        (sandbox.user.id, sandbox.user.email, sandbox.user.name)
    ]
    assert sandbox.calls["GET /crm/v8/users"] == 1


def test_module_metadata_is_read_once_through_the_connector(sandbox: ZohoSandbox) -> None:
    system = zoho_system(sandbox)
    first = system.read_fields("Contacts")
    assert system.read_fields("Contacts") == first
    assert "Email" in first and set(SYSTEM_FIELDS) <= set(first)
    assert sandbox.calls["GET /crm/v8/settings/fields"] == 1


def test_recover_is_not_supported_and_says_where_to_restore(sandbox: ZohoSandbox) -> None:
    seeded = seed_zoho(sandbox, accounts=1, contacts=1)
    system = zoho_system(sandbox)
    system.delete("Contacts", seeded.contacts)
    with pytest.raises(UnsupportedOperationError, match="recycle bin"):
        system.recover("Contacts", seeded.contacts)
    assert sandbox.store.count("Contacts") == 0
