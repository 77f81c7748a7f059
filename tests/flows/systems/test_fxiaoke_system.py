"""FxiaokeRecordSystem against the Fxiaoke sandbox: owners, invalidation, lost replies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from connectors.fxiaoke import FxiaokeClient
from connectors.fxiaoke.sandbox import FaultConfig, FxiaokeSandbox
from connectors.fxiaoke.system import SYSTEM_FIELDS
from flows.systems import (
    FxiaokeRecordSystem,
    JsonValue,
    UnsupportedOperationError,
    WriteInterruptedError,
    WriteStatus,
)
from tests.flows.sandboxes import fxiaoke_sandbox, fxiaoke_system, seed_fxiaoke
from tests.sandbox_clients import fxiaoke_settings

QUERY = "/cgi/crm/v2/data/query"
CREATE = "/cgi/crm/v2/data/create"


@pytest.fixture
def sandbox() -> Iterator[FxiaokeSandbox]:
    with fxiaoke_sandbox() as running:
        yield running


def test_get_many_queries_100_ids_at_a_time_and_skips_invalidated(
    sandbox: FxiaokeSandbox,
) -> None:
    seeded = seed_fxiaoke(sandbox, accounts=150)
    system = fxiaoke_system(sandbox)
    dead = seeded.accounts[7]
    assert system.invalidate("AccountObj", [dead])[0].status is WriteStatus.DELETED
    before = sandbox.calls.by_path[QUERY]
    records = system.get_many("AccountObj", seeded.accounts[::-1])
    assert [r.id for r in records] == [i for i in seeded.accounts[::-1] if i != dead]
    assert sandbox.calls.by_path[QUERY] - before == 2
    assert records[-1].fields["name"] == "深圳市测试0000科技有限公司"


def test_a_projection_keeps_the_fields_a_sync_needs(sandbox: FxiaokeSandbox) -> None:
    seed_fxiaoke(sandbox, accounts=1, contacts=3)
    system = fxiaoke_system(sandbox, fields={"ContactObj": ["name", "mobile1"]})
    records = [r for page in system.read("ContactObj") for r in page]
    assert len(records) == 3
    assert set(records[0].fields) == {"_id", "name", "mobile1", *SYSTEM_FIELDS}
    assert records[0].fields["owner"] == [sandbox.credentials.admin.open_user_id]


def test_windowed_reads_return_each_record_once(sandbox: FxiaokeSandbox) -> None:
    now = datetime.now(UTC)
    older = seed_fxiaoke(sandbox, accounts=2, modified=now - timedelta(minutes=10))
    newer = seed_fxiaoke(sandbox, accounts=2, start=2, modified=now - timedelta(minutes=2))
    client = fxiaoke_system(sandbox).client
    system = FxiaokeRecordSystem("fxiaoke", client, window=timedelta(minutes=1))
    before = sandbox.calls.by_path[QUERY]
    pages = list(system.read("AccountObj", since=now - timedelta(minutes=15)))
    assert sorted(r.id for page in pages for r in page) == sorted(older.accounts + newer.accounts)
    assert sandbox.calls.by_path[QUERY] - before >= 15  # one query per minute-long window
    recent = list(system.read("AccountObj", since=now - timedelta(minutes=5)))
    assert sorted(r.id for page in recent for r in page) == sorted(newer.accounts)


def test_update_changes_the_owner_through_change_owner(sandbox: FxiaokeSandbox) -> None:
    seeded = seed_fxiaoke(sandbox, accounts=1, contacts=3)
    system = fxiaoke_system(sandbox)
    sales = sandbox.credentials.users[1].open_user_id
    first, second, third = seeded.contacts
    results = system.update(
        "ContactObj",
        [
            (first, {"job_title": "CTO", "owner": [sales]}),
            (second, {"owner": sales}),
            (third, {"owner": {"not": "an id"}}),
        ],
    )
    assert [r.status for r in results] == [
        WriteStatus.UPDATED,
        WriteStatus.UPDATED,
        WriteStatus.REJECTED,
    ]
    assert results[2].message and "owner" in results[2].message
    stored = {r.id: r.fields for r in system.get_many("ContactObj", seeded.contacts)}
    assert stored[first]["owner"] == [sales] and stored[first]["job_title"] == "CTO"
    assert stored[second]["owner"] == [sales]
    assert stored[third]["owner"] == [sandbox.credentials.admin.open_user_id]


def test_an_owner_change_waits_for_a_successful_patch(sandbox: FxiaokeSandbox) -> None:
    seeded = seed_fxiaoke(sandbox, accounts=1, contacts=1)
    system = fxiaoke_system(sandbox)
    sales = sandbox.credentials.users[1].open_user_id
    (contact,) = seeded.contacts
    results = system.update("ContactObj", [(contact, {"email": "not-an-email", "owner": [sales]})])
    assert results[0].status is WriteStatus.REJECTED
    assert sandbox.calls.by_path["/cgi/crm/v2/data/changeOwner"] == 0


def test_merge_is_not_supported(sandbox: FxiaokeSandbox) -> None:
    with pytest.raises(UnsupportedOperationError, match="no merge API"):
        fxiaoke_system(sandbox).merge("ContactObj", "a", ["b"])


def test_a_create_whose_reply_is_lost_is_failed_and_never_resent() -> None:
    with fxiaoke_sandbox(faults=FaultConfig(lost_reply=1.0)) as sandbox:
        seeded = seed_fxiaoke(sandbox, accounts=1)
        owner: list[JsonValue] = [sandbox.credentials.admin.open_user_id]
        system = fxiaoke_system(sandbox)
        payload: dict[str, JsonValue] = {
            "name": "新客户",
            "account_id": seeded.accounts[0],
            "owner": owner,
        }
        results = system.create("ContactObj", [payload])
        assert results[0].status is WriteStatus.FAILED and results[0].record_id is None
        # The record was created: resending blindly would have made a duplicate.
        assert sandbox.store.count("ContactObj") == 1
        assert sandbox.calls.by_path[CREATE] == 1


def test_an_exhausted_daily_quota_stops_the_call_with_every_result(
    sandbox: FxiaokeSandbox,
) -> None:
    settings = fxiaoke_settings(sandbox, daily_call_quota=2, write_concurrency=1)
    system = FxiaokeRecordSystem("fxiaoke", FxiaokeClient(settings))
    owner: list[JsonValue] = [sandbox.credentials.admin.open_user_id]
    payloads: list[dict[str, JsonValue]] = [{"name": f"客户{i}", "owner": owner} for i in range(5)]
    with pytest.raises(WriteInterruptedError, match="daily call quota") as caught:
        system.create("AccountObj", payloads)
    statuses = [r.status for r in caught.value.results]
    assert statuses == [WriteStatus.CREATED] * 2 + [WriteStatus.NOT_SENT] * 3
    assert sandbox.store.count("AccountObj") == 2


def test_recover_brings_invalidated_records_back(sandbox: FxiaokeSandbox) -> None:
    seeded = seed_fxiaoke(sandbox, accounts=1, contacts=3)
    system = fxiaoke_system(sandbox)
    first, second, live = seeded.contacts
    assert {r.status for r in system.invalidate("ContactObj", [first, second])} == {
        WriteStatus.DELETED
    }
    assert [r.id for r in system.get_many("ContactObj", seeded.contacts)] == [live]

    results = system.recover("ContactObj", [second, live, first])

    assert [(r.index, r.status, r.record_id) for r in results] == [
        (0, WriteStatus.RECOVERED, second),
        (1, WriteStatus.REJECTED, live),
        (2, WriteStatus.RECOVERED, first),
    ]
    assert results[0].ok and not results[1].ok and results[1].message
    assert sandbox.calls.by_path["/cgi/crm/v2/data/recover"] == 3
    back = system.get_many("ContactObj", seeded.contacts)
    assert [r.id for r in back] == seeded.contacts
    assert {r.fields["life_status"] for r in back} == {"normal"}
    assert ids_deleted(system, "ContactObj") == []


def test_read_deleted_lists_invalidated_ids_since_a_time(sandbox: FxiaokeSandbox) -> None:
    seeded = seed_fxiaoke(sandbox, accounts=3, modified=datetime.now(UTC) - timedelta(hours=2))
    system = fxiaoke_system(sandbox)
    system.invalidate("AccountObj", seeded.accounts[1:])
    assert sorted(ids_deleted(system, "AccountObj")) == sorted(seeded.accounts[1:])
    later = datetime.now(UTC) + timedelta(hours=1)
    assert ids_deleted(system, "AccountObj", since=later) == []


def test_users_are_the_working_employees_by_open_user_id(sandbox: FxiaokeSandbox) -> None:
    users = fxiaoke_system(sandbox).users()
    assert [(u.id, u.email, u.name) for u in users] == [
        (u.open_user_id, u.email, u.name) for u in sandbox.credentials.users
    ]
    assert sandbox.calls.by_path["/cgi/user/list"] == 1


def ids_deleted(
    system: FxiaokeRecordSystem, object: str, since: datetime | None = None
) -> list[str]:
    return [i for page in system.read_deleted(object, since=since) for i in page]
