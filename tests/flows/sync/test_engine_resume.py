"""A run killed at any write, or whose replies were lost, ends like an uninterrupted run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from pydantic import JsonValue

from canonical.models import SourceRef
from connectors.record_system import WriteResult
from flows.store import WriteAction
from tests.flows.sync.engine_helpers import (
    Harness,
    contacts_job,
    memory_systems,
    target_people,
    zoho_contact,
)
from tests.flows.sync.memory_system import Killed

State = frozenset[tuple[str, frozenset[tuple[str, str]]]]


def _state(h: Harness) -> State:
    return frozenset(
        (email, frozenset((k, str(v)) for k, v in fields.items()))
        for email, fields in target_people(h.fxiaoke).items()
    )


def _phases(h: Harness) -> list[Callable[[], None]]:
    ids: list[str] = []

    def first() -> None:
        ids.extend(h.zoho.put("Contacts", zoho_contact(i)) for i in range(7))

    def second() -> None:
        for record_id in ids[:3]:
            h.zoho.edit("Contacts", record_id, Title="总监", Department="销售部")
        h.zoho.put("Contacts", zoho_contact(7))
        h.zoho.put("Contacts", zoho_contact(8))

    return [first, second]


def _scenario(tmp_path: Path, kill_at: int | None) -> tuple[Harness, bool]:
    h = Harness.open(tmp_path, contacts_job(), **memory_systems())
    h.fxiaoke.max_write_batch = 2
    h.fxiaoke.kill_after_writes = kill_at
    killed = False
    for phase in _phases(h):
        phase()
        try:
            h.run()
        except Killed:
            killed = True
            h.run()  # the scheduler starts the job again
    return h, killed


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> State:
    h, killed = _scenario(tmp_path_factory.mktemp("reference"), None)
    assert not killed
    return _state(h)


@pytest.mark.parametrize("kill_at", range(1, 8))
def test_a_run_killed_after_any_write_resumes_to_the_same_result(
    tmp_path: Path, uninterrupted: State, kill_at: int
) -> None:
    h, killed = _scenario(tmp_path, kill_at)

    assert killed
    assert _state(h) == uninterrupted  # nothing lost, nothing duplicated
    assert len(h.fxiaoke.rows("ContactObj")) == 9
    assert h.store.crosswalk.count("fxiaoke", "ContactObj") == 9
    assert h.store.intents.list_open("contacts") == []
    assert h.store.retries.count("contacts") == 0


def test_creates_whose_replies_were_lost_are_found_not_resent(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    for i in range(5):
        h.zoho.put("Contacts", zoho_contact(i))
    h.fxiaoke.lose_replies = 2

    first = h.run()
    assert first.actions == {"fxiaoke:ContactObj": {"created": 3, "failed": 2}}
    assert len(h.store.intents.list_open("contacts")) == 2

    second = h.run()
    assert len(h.fxiaoke.rows("ContactObj")) == 5  # the lost two were found, not created again
    assert h.fxiaoke.count("create") == 1
    assert h.store.intents.list_open("contacts") == []
    # Adopted as if the replies had come: linked, in the ledger and the shadow, so they are
    # settled without being read or planned again.
    assert second.actions == {}
    found = [o for o in h.store.outcomes.for_run(second.run_id) if o.action == "create"]
    assert [o.message for o in found] == [f"created by run {first.run_id}; its reply was lost"] * 2
    # The first run created all five, so undoing it would delete all five.
    created = [e for e in h.store.undo.entries(first.run_id) if e.entry.action.value == "created"]
    assert len(created) == 5


@pytest.mark.parametrize("lost", [1, 2])
def test_lost_creates_of_two_records_sharing_an_email_each_adopt_their_own(
    tmp_path: Path, lost: int
) -> None:
    """A messy source holds one person twice (one email, two mobiles). Their creates' replies
    are lost; the next run adopts each landed record for its own intent, by its values first,
    and never links one record to both (which stopped every later run on the crosswalk)."""
    h = Harness.open(tmp_path, contacts_job())
    h.zoho.put("Contacts", zoho_contact(0))
    h.zoho.put("Contacts", zoho_contact(0, Mobile="13900000000", Title="总监"))
    h.fxiaoke.lose_replies = lost

    h.run()
    assert len(h.store.intents.list_open("contacts")) == lost

    second = h.run()
    assert second.status.value != "failed"
    assert h.store.intents.list_open("contacts") == []
    rows = h.fxiaoke.rows("ContactObj")
    assert len(rows) == 2
    sources = [SourceRef(system="zoho", object="Contacts", id=i) for i in h.zoho.rows("Contacts")]
    cids = h.store.crosswalk.lookup_many(sources)
    targets = h.store.crosswalk.records_in(cids.values(), "fxiaoke", "ContactObj")
    assert sorted(targets.values()) == sorted(rows)
    by_source = {
        h.zoho.rows("Contacts")[ref.id]["Mobile"]: rows[targets[cids[ref]]].get("mobile1")
        for ref in sources
    }
    assert by_source == {"13800000000": "+8613800000000", "13900000000": "+8613900000000"}
    assert h.run().actions == {}


@pytest.mark.parametrize("landed", ["+8613800000000", "+8613900000000"])
def test_of_two_open_creates_sharing_an_email_only_the_landed_one_is_adopted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, landed: str
) -> None:
    """Killed after the first of two creates landed (both intents open, one record in the
    target): the record is adopted once, by the intent whose values it holds, and the other
    is created again. Linking it to both stopped every later run on the crosswalk."""
    h = Harness.open(tmp_path, contacts_job())
    h.zoho.put("Contacts", zoho_contact(0, Mobile="13900000000", Title="总监"))
    h.zoho.put("Contacts", zoho_contact(0))
    create = h.fxiaoke.create

    def killed(object: str, payloads: Sequence[Mapping[str, JsonValue]]) -> list[WriteResult]:
        create(object, [p for p in payloads if p.get("mobile1") == landed])
        raise Killed("killed after one record of the batch landed")

    with monkeypatch.context() as patch:
        patch.setattr(h.fxiaoke, "create", killed)
        with pytest.raises(Killed):
            h.run()
    assert len(h.store.intents.list_open("contacts")) == 2

    second = h.run()
    assert second.status.value != "failed"
    assert h.store.intents.list_open("contacts") == []
    rows = h.fxiaoke.rows("ContactObj")
    assert sorted(r.get("mobile1") for r in rows.values()) == ["+8613800000000", "+8613900000000"]
    sources = [SourceRef(system="zoho", object="Contacts", id=i) for i in h.zoho.rows("Contacts")]
    cids = h.store.crosswalk.lookup_many(sources)
    targets = h.store.crosswalk.records_in(cids.values(), "fxiaoke", "ContactObj")
    by_source = {
        h.zoho.rows("Contacts")[ref.id]["Mobile"]: rows[targets[cids[ref]]].get("mobile1")
        for ref in sources
    }
    assert by_source == {"13800000000": "+8613800000000", "13900000000": "+8613900000000"}
    assert h.run().actions == {}


@pytest.mark.parametrize("landed", ["p0@example.cn", "p1@example.cn"])
def test_an_open_create_never_adopts_a_record_that_shares_only_its_switchboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, landed: str
) -> None:
    """Two people of one company with the switchboard typed into their mobile field; only
    one create landed, and the CRM stored it a little differently (so its values no longer
    find it). The other's intent must not adopt it by the shared mobile: that left one
    person unwritten (its link taken back by the owner's create) and the other overwritten
    (the chaos bench's one lost contact at 10,000 accounts)."""
    h = Harness.open(tmp_path, contacts_job())
    h.zoho.put("Contacts", zoho_contact(0, Mobile="13800000000"))
    h.zoho.put("Contacts", zoho_contact(1, Mobile="13800000000"))
    create = h.fxiaoke.create

    def killed(object: str, payloads: Sequence[Mapping[str, JsonValue]]) -> list[WriteResult]:
        stored = [{**p, "job_title": "经理（总部）"} for p in payloads if p.get("email") == landed]
        create(object, stored)
        raise Killed("killed after one record of the batch landed")

    with monkeypatch.context() as patch:
        patch.setattr(h.fxiaoke, "create", killed)
        with pytest.raises(Killed):
            h.run()
    assert len(h.store.intents.list_open("contacts")) == 2

    h.run()
    h.run()

    rows = h.fxiaoke.rows("ContactObj")
    assert sorted(r.get("email") for r in rows.values()) == ["p0@example.cn", "p1@example.cn"]
    sources = [SourceRef(system="zoho", object="Contacts", id=i) for i in h.zoho.rows("Contacts")]
    cids = h.store.crosswalk.lookup_many(sources)
    targets = h.store.crosswalk.records_in(cids.values(), "fxiaoke", "ContactObj")
    assert {
        h.zoho.rows("Contacts")[ref.id]["Email"]: rows[targets[cids[ref]]].get("email")
        for ref in sources
    } == {"p0@example.cn": "p0@example.cn", "p1@example.cn": "p1@example.cn"}
    assert h.run().actions == {}


def test_a_create_killed_before_it_was_sent_is_sent_on_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = Harness.open(tmp_path, contacts_job())
    h.zoho.put("Contacts", zoho_contact(0))

    def killed(object: str, payloads: Sequence[Mapping[str, JsonValue]]) -> list[WriteResult]:
        raise Killed("killed after the intent was committed, before the request went out")

    with monkeypatch.context() as patch:
        patch.setattr(h.fxiaoke, "create", killed)
        with pytest.raises(Killed):
            h.run()
    assert len(h.store.intents.list_open("contacts")) == 1

    h.run()
    assert list(target_people(h.fxiaoke)) == ["p0@example.cn"]
    assert h.store.intents.list_open("contacts") == []


def test_a_create_adopted_on_resume_gets_the_ledger_entry_and_shadow_of_a_create(
    tmp_path: Path,
) -> None:
    h = Harness.open(tmp_path, contacts_job())
    for i in range(4):
        h.zoho.put("Contacts", zoho_contact(i))
    h.fxiaoke.lose_replies = 2
    h.run()
    h.run()

    refs = [
        SourceRef(system="fxiaoke", object="ContactObj", id=i) for i in h.fxiaoke.rows("ContactObj")
    ]
    ledger = h.store.ledger.get_many(refs)
    assert set(ledger) == set(refs)
    assert {entry.action for entry in ledger.values()} == {WriteAction.CREATE}
    # The same fingerprints a create answered in time stores: one per distinct record.
    assert len({entry.payload_hash for entry in ledger.values()}) == 4
    cids = h.store.crosswalk.lookup_many(refs)
    shadows = h.store.shadow.get_many("contacts", cids.values())
    assert set(shadows) == set(cids.values())
    assert all(
        s.fingerprint.startswith("a=") and s.fingerprint.endswith(";b=") for s in shadows.values()
    )

    h.reset_calls()
    h.zoho.edit("Contacts", next(iter(h.zoho.rows("Contacts"))), Title="总监")
    third = h.run()
    assert third.actions == {"fxiaoke:ContactObj": {"updated": 1}}
    assert h.fxiaoke.count("create") == 0
