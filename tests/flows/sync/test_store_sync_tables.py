"""Shadow values, write intents and write outcomes of the sync engine."""

from __future__ import annotations

from datetime import timedelta

from canonical.models import SourceRef
from flows.store import OutcomeStatus, StateStore, WriteOutcome
from flows.store.statements import CHUNK
from tests.flows.conftest import FakeClock


def test_shadow_values_upsert_per_job_and_delete(store: StateStore, clock: FakeClock) -> None:
    store.shadow.put_many("a", [("c1", {"email": "a@x.cn", "region.city": "北京"}, "f1")])
    clock.advance(timedelta(minutes=1))
    store.shadow.put_many("a", [("c1", {"email": "b@x.cn"}, "f2"), ("c2", {}, "f0")])
    store.shadow.put_many("b", [("c1", {"email": "other@x.cn"}, "fb")])

    found = store.shadow.get_many("a", ["c1", "c2", "c3"])
    assert set(found) == {"c1", "c2"}
    assert found["c1"].values == {"email": "b@x.cn"}
    assert (found["c1"].fingerprint, found["c1"].updated_at) == ("f2", clock.now)
    assert store.shadow.get_many("b", ["c1"])["c1"].fingerprint == "fb"

    assert store.shadow.delete_many("a", ["c1", "c9"]) == 1
    assert set(store.shadow.get_many("a", ["c1", "c2"])) == {"c2"}


def test_shadow_lookups_span_chunks(store: StateStore) -> None:
    ids = [f"c{i}" for i in range(CHUNK + 3)]
    store.shadow.put_many("a", [(i, {"n": i}, i) for i in ids])
    assert len(store.shadow.get_many("a", ids)) == CHUNK + 3


def test_intents_open_resolve_and_reopen(store: StateStore, clock: FakeClock) -> None:
    run = store.runs.start("contacts", "sync")
    keys = {"c1": {"email": "a@x.cn"}, "c2": {"mobile": "+8613800138000"}}
    assert store.intents.open_many("contacts", run.id, "zoho", "Contacts", keys) == 2
    store.intents.open_many("contacts", run.id, "zoho", "Accounts", {"c9": {}})

    open_ = store.intents.list_open("contacts", "zoho", "Contacts")
    assert [(i.canonical_id, dict(i.keys)) for i in open_] == list(keys.items())

    clock.advance(timedelta(seconds=5))
    assert store.intents.resolve_many("contacts", "zoho", "Contacts", {"c1": "z-1"}) == 1
    assert store.intents.resolve_many("contacts", "zoho", "Contacts", {"c1": "z-2"}) == 0
    assert [i.canonical_id for i in store.intents.list_open("contacts", "zoho")] == ["c2", "c9"]
    done = store.intents.get_many("contacts", "zoho", "Contacts", ["c1"])["c1"]
    assert (done.record_id, done.resolved_at) == ("z-1", clock.now)

    # Announcing the create again (a later run resends it) reopens the intent.
    second = store.runs.start("contacts", "sync")
    store.intents.open_many("contacts", second.id, "zoho", "Contacts", {"c1": {"email": "a"}})
    again = store.intents.get_many("contacts", "zoho", "Contacts", ["c1"])["c1"]
    assert (again.resolved_at, again.record_id, again.run_id) == (None, None, second.id)
    assert store.intents.list_open("other") == []


def test_outcomes_in_order_by_status_and_counted(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    outcomes = [
        WriteOutcome("zoho", "Contacts", "create", OutcomeStatus.CREATED, "z1", "c1"),
        WriteOutcome("zoho", "Contacts", "create", OutcomeStatus.REJECTED, None, "c2", "bad"),
        WriteOutcome("zoho", "Contacts", "update", OutcomeStatus.UPDATED, "z3", "c3"),
        WriteOutcome("zoho", "Contacts", "create", OutcomeStatus.CREATED, "z4", "c4"),
    ]
    store.outcomes.record(run.id, outcomes)

    assert store.outcomes.for_run(run.id) == outcomes
    assert store.outcomes.for_run(run.id, status=OutcomeStatus.REJECTED) == [outcomes[1]]
    assert store.outcomes.counts(run.id) == {
        ("Contacts", "create", "created"): 2,
        ("Contacts", "create", "rejected"): 1,
        ("Contacts", "update", "updated"): 1,
    }


def test_retries_are_kept_per_object_counted_and_removed(store: StateStore) -> None:
    first, second = store.runs.start("contacts", "sync"), store.runs.start("contacts", "sync")
    a = SourceRef(system="zoho", object="Contacts", id="z1")
    b = SourceRef(system="zoho", object="Contacts", id="z2")
    other = SourceRef(system="zoho", object="Accounts", id="z1")
    store.retries.add_many("contacts", first.id, [(a, "refused"), (other, "parent missing")])
    store.retries.add_many("contacts", second.id, [(a, "refused again"), (b, "lost reply")])

    assert store.retries.pending("contacts", "zoho", "Contacts") == {
        "z1": "refused again",
        "z2": "lost reply",
    }
    assert store.retries.pending("other", "zoho", "Contacts") == {}
    assert store.retries.count("contacts") == 3
    assert store.retries.remove_many("contacts", [a, other]) == 2
    assert store.retries.pending("contacts", "zoho", "Contacts") == {"z2": "lost reply"}


def test_crosswalk_records_in_one_object_and_counts(store: StateStore) -> None:
    refs = [SourceRef(system="zoho", object="Contacts", id=f"z{i}") for i in range(CHUNK + 2)]
    store.crosswalk.link_many([(f"c{i}", ref) for i, ref in enumerate(refs)])
    store.crosswalk.link("c0", SourceRef(system="fxiaoke", object="ContactObj", id="f0"))

    found = store.crosswalk.records_in([f"c{i}" for i in range(CHUNK + 5)], "zoho", "Contacts")
    assert len(found) == CHUNK + 2
    assert found["c3"] == "z3"
    assert store.crosswalk.records_in(["c0", "c1"], "fxiaoke", "ContactObj") == {"c0": "f0"}
    assert store.crosswalk.count("zoho", "Contacts") == CHUNK + 2
    assert store.crosswalk.count("zoho", "Accounts") == 0


def test_crosswalk_unlink_many_removes_only_the_given_records(store: StateStore) -> None:
    refs = [SourceRef(system="zoho", object="Contacts", id=f"z{i}") for i in range(CHUNK + 5)]
    other = SourceRef(system="fxiaoke", object="ContactObj", id="z1")  # same id, other system
    store.crosswalk.link_many([(f"c{i}", ref) for i, ref in enumerate(refs)])
    store.crosswalk.link("c1", other)

    gone = [*refs[: CHUNK + 2], SourceRef(system="zoho", object="Contacts", id="never-linked")]
    assert store.crosswalk.unlink_many(gone) == CHUNK + 2
    assert store.crosswalk.count("zoho", "Contacts") == 3
    assert store.crosswalk.lookup(other) == "c1"
    assert store.crosswalk.unlink_many([]) == 0
