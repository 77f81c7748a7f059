"""The store's tiering tables: decisions per customer, run figures, feedback facts and
round-robin positions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.store import FeedbackFact, StateStore, TierAssignment
from tests.flows.conftest import FakeClock


def decision(customer: str, tier: str = "vip", reason: str = "big") -> TierAssignment:
    return TierAssignment(customer, "account", tier, "loyal", False, reason, "v1")


def test_assignments_upsert_and_forget(store: StateStore) -> None:
    store.tier_assignments.put_many("t", "run-1", [decision("a"), decision("b")])
    store.tier_assignments.put_many("t", "run-2", [decision("b", "strategic", "flag")])
    store.tier_assignments.put_many("other", "run-3", [decision("a", "standard")])
    current = store.tier_assignments.all("t")
    assert {k: (v.tier, v.run_id) for k, v in current.items()} == {
        "a": ("vip", "run-1"), "b": ("strategic", "run-2")}  # fmt: skip
    assert current["b"].reason == "flag"
    assert current["a"].same_decision(decision("a"))
    assert not current["a"].same_decision(decision("a", reason="other"))
    assert store.tier_assignments.forget("t", ["a", "zz"]) == 1
    assert set(store.tier_assignments.all("t")) == {"b"}
    assert set(store.tier_assignments.all("other")) == {"a"}


def test_snapshots_come_back_oldest_first(store: StateStore, clock: FakeClock) -> None:
    for n in range(3):
        store.tier_snapshots.put("t", f"run-{n}", {"tiers": {"vip": n}, "label": "中文"})
        clock.advance(timedelta(minutes=1))
    recent = store.tier_snapshots.recent("t", limit=2)
    assert [s.run_id for s in recent] == ["run-1", "run-2"]
    assert recent[-1].figures == {"tiers": {"vip": 2}, "label": "中文"}


def test_feedback_facts_latest_read_wins(store: StateStore) -> None:
    when = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    fact = FeedbackFact("f1", "a", "a", None, "complaint", "open", None, None, when, "zoho:Cases:1")
    store.feedback_facts.put_many("fb", [fact])
    closed = FeedbackFact("f1", "a", "a", None, "complaint", "closed", 4, 9, when, "zoho:Cases:1")
    store.feedback_facts.put_many("fb", [closed])
    (got,) = store.feedback_facts.all()
    assert (got.status, got.csat, got.nps, got.received_at) == ("closed", 4, 9, when)


def test_rotation_positions_per_job(store: StateStore) -> None:
    assert store.owner_rotation.positions("a") == {}
    store.owner_rotation.put("a", {"south": 2, "north": 0})
    store.owner_rotation.put("a", {"south": 1})
    store.owner_rotation.put("b", {"south": 9})
    assert store.owner_rotation.positions("a") == {"south": 1, "north": 0}
