"""The behaviour every CRM RecordSystem shares, against the real sandboxes over sockets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.fxiaoke.sandbox import ManualClock
from flows.systems import RawRecord, RecordSystem, WriteStatus
from tests.flows.sandboxes import (
    Seeded,
    fxiaoke_sandbox,
    fxiaoke_system,
    seed_fxiaoke,
    seed_zoho,
    zoho_sandbox,
    zoho_system,
)

T0 = 1_750_000_000.0  # in the past: Fxiaoke reads stop at the real "now"


def at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


@dataclass
class Case:
    system: RecordSystem
    contacts: str
    title: str
    """The API name of the contact's job title."""
    email: str
    seeded: Seeded
    clock: ManualClock
    new_contact: Callable[[int], dict[str, Any]]
    refused_contact: dict[str, Any]
    """A payload the CRM refuses (a required field missing)."""


def _zoho_case(clock: ManualClock) -> Iterator[Case]:
    with zoho_sandbox(clock=clock) as sandbox:
        seeded = seed_zoho(sandbox, accounts=2, contacts=6, modified=at(T0))
        yield Case(
            system=zoho_system(sandbox),
            contacts="Contacts",
            title="Title",
            email="Email",
            seeded=seeded,
            clock=clock,
            new_contact=lambda i: {
                "Last_Name": "新",
                "First_Name": f"客户{i}",
                "Email": f"n{i}@x.cn",
            },
            refused_contact={"First_Name": "无姓"},
        )


def _fxiaoke_case(clock: ManualClock) -> Iterator[Case]:
    with fxiaoke_sandbox(clock=clock) as sandbox:
        seeded = seed_fxiaoke(sandbox, accounts=2, contacts=6, modified=at(T0))
        owner = [sandbox.credentials.admin.open_user_id]
        account = seeded.accounts[0]
        yield Case(
            system=fxiaoke_system(sandbox),
            contacts="ContactObj",
            title="job_title",
            email="email",
            seeded=seeded,
            clock=clock,
            new_contact=lambda i: {
                "name": f"新客户{i}",
                "account_id": account,
                "owner": owner,
                "email": f"n{i}@x.cn",
            },
            refused_contact={"name": "无客户", "owner": owner},
        )


@pytest.fixture(params=["zoho", "fxiaoke"])
def case(request: pytest.FixtureRequest) -> Iterator[Case]:
    clock = ManualClock(T0 + 100)
    make = _zoho_case if request.param == "zoho" else _fxiaoke_case
    yield from make(clock)


def ids_of(pages: Iterator[list[RawRecord]] | list[list[RawRecord]]) -> list[str]:
    return [record.id for page in pages for record in page]


def test_is_a_record_system_that_counts_its_calls(case: Case) -> None:
    assert isinstance(case.system, RecordSystem)
    assert case.system.type in ("zoho", "fxiaoke")
    assert case.system.max_write_batch == 100
    before = case.system.api_calls
    list(case.system.read(case.contacts))
    assert case.system.api_calls > before


def test_full_read_returns_every_record_with_its_id_and_utc_time(case: Case) -> None:
    pages = list(case.system.read(case.contacts))
    records = [r for page in pages for r in page]
    assert sorted(r.id for r in records) == sorted(case.seeded.contacts)
    for record in records:
        assert record.modified_at == at(T0)
        assert record.modified_at.tzinfo is UTC
        assert record.fields[case.email]  # the mapped fields are there
    emails = {r.fields[case.email] for r in records}
    assert "person00000@example.com" in emails


def test_since_returns_only_later_changes_and_deletions(case: Case) -> None:
    changed, removed = case.seeded.contacts[0], case.seeded.contacts[1]
    case.clock.advance(900)  # now T0 + 1000
    updated = case.system.update(case.contacts, [(changed, {case.title: "CTO"})])
    deleted = case.system.delete(case.contacts, [removed])
    assert [r.status for r in updated] == [WriteStatus.UPDATED]
    assert [r.status for r in deleted] == [WriteStatus.DELETED]

    later = [r for page in case.system.read(case.contacts, since=at(T0 + 500)) for r in page]
    assert [r.id for r in later] == [changed]
    assert later[0].fields[case.title] == "CTO"
    assert later[0].modified_at is not None and later[0].modified_at >= at(T0 + 1000)
    assert ids_of(case.system.read(case.contacts, since=at(T0 + 2000))) == []

    assert [i for page in case.system.read_deleted(case.contacts) for i in page] == [removed]
    gone = case.system.read_deleted(case.contacts, since=at(T0 + 500))
    assert [i for page in gone for i in page] == [removed]
    assert list(case.system.read_deleted(case.contacts, since=at(T0 + 2000))) == []
    # A deleted record is no longer read, in full or by id.
    assert removed not in ids_of(case.system.read(case.contacts))
    assert case.system.get_many(case.contacts, [removed, changed])[0].id == changed


def test_get_many_keeps_the_order_asked_and_leaves_out_unknown_ids(case: Case) -> None:
    wanted = [case.seeded.contacts[3], "000000000000000000000000", case.seeded.contacts[0]]
    records = case.system.get_many(case.contacts, [*wanted, case.seeded.contacts[3]])
    assert [r.id for r in records] == [case.seeded.contacts[3], case.seeded.contacts[0]]
    assert records[1].fields[case.email] == "person00000@example.com"
    assert case.system.get_many(case.contacts, []) == []


def test_writes_report_each_record_including_a_refused_one(case: Case) -> None:
    created = case.system.create(
        case.contacts, [case.new_contact(1), case.refused_contact, case.new_contact(2)]
    )
    assert [r.index for r in created] == [0, 1, 2]
    assert [r.status for r in created] == [
        WriteStatus.CREATED,
        WriteStatus.REJECTED,
        WriteStatus.CREATED,
    ]
    assert created[1].message and not created[1].ok and created[1].record_id is None
    new_ids = [r.record_id for r in created if r.ok]
    assert all(new_ids) and len(set(new_ids)) == 2
    stored = case.system.get_many(case.contacts, [i for i in new_ids if i])
    assert [r.fields[case.email] for r in stored] == ["n1@x.cn", "n2@x.cn"]

    first = new_ids[0]
    assert first is not None
    updated = case.system.update(
        case.contacts, [("999999999999999999", {case.title: "x"}), (first, {case.title: "CFO"})]
    )
    assert [(r.status, r.record_id) for r in updated] == [
        (WriteStatus.REJECTED, "999999999999999999"),
        (WriteStatus.UPDATED, first),
    ]
    assert case.system.get_many(case.contacts, [first])[0].fields[case.title] == "CFO"

    deleted = case.system.invalidate(case.contacts, [first, "999999999999999999"])
    assert [r.status for r in deleted] == [WriteStatus.DELETED, WriteStatus.REJECTED]
    assert deleted[1].message
    assert case.system.get_many(case.contacts, [first]) == []


def test_an_empty_update_is_unchanged_without_a_call(case: Case) -> None:
    record = case.seeded.contacts[2]
    case.system.get_many(case.contacts, [record])  # token (and field list) fetched first
    before = case.system.api_calls
    results = case.system.update(case.contacts, [(record, {}), (record, {case.title: "CEO"})])
    assert [(r.status, r.record_id) for r in results] == [
        (WriteStatus.UNCHANGED, record),
        (WriteStatus.UPDATED, record),
    ]
    assert case.system.api_calls - before == 1


def test_users_have_ids_and_emails(case: Case) -> None:
    users = case.system.users()
    assert users and all(u.id for u in users)
    assert any(u.email and "@" in u.email for u in users)
