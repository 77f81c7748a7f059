"""Write-back on the sync engine's applier: only differing fields are sent, records that hold
the desired values cost nothing (a rerun plans nothing), undo restores the before-images,
a refused record is a dead letter, and a saved plan refuses records changed since."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import JsonValue

from flows.config import JobConfig
from flows.runner import StoreDeadLetters
from flows.store import StateStore
from flows.sync.undo import undo_run
from flows.writeback import EndRecords, apply_updates, open_end, plan_updates, read_end, recheck
from tests.flows.sync.memory_system import MemorySystem

MAPPING = Path(__file__).resolve().parents[3] / "mapping" / "files" / "zoho_accounts_tiering.yaml"
FIELDS = ("tier", "stage", "tier_reason", "at_risk")
JOB = JobConfig.model_validate({
    "name": "tiers", "kind": "tier",
    "targets": [{"system": "zoho", "object": "Accounts", "mapping": str(MAPPING)}],
})  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore.open(tmp_path / "state.db") as opened:
        yield opened


def zoho(accounts: int) -> MemorySystem:
    system = MemorySystem("zoho", type="zoho")
    for i in range(accounts):
        system.put("Accounts", {"Account_Name": f"A{i}", "Customer_Tier": "普通",
                                "Lifecycle_Stage": "潜在", "At_Risk": False}, f"a{i}")  # fmt: skip
    return system


def read(system: MemorySystem, store: StateStore) -> EndRecords:
    end = open_end(JOB.targets[0], {"zoho": system}, JOB.transform_context(), JOB)
    return read_end(end, store)


def run_id(store: StateStore) -> str:
    return store.runs.start(JOB.name, "tier").id


def desired_for(records: EndRecords, values: dict[str, dict[str, JsonValue]]) -> dict[str, dict[str, JsonValue]]:  # fmt: skip
    ids = {ref.id: cid for ref, cid in records.cids.items()}
    return {ids[record_id]: wanted for record_id, wanted in values.items()}


def test_only_differing_fields_are_sent_and_a_rerun_sends_nothing(store: StateStore) -> None:
    system = zoho(3)
    records = read(system, store)
    desired = desired_for(records, {
        "a0": {"tier": "vip", "stage": "prospect", "tier_reason": "big", "at_risk": False},
        "a1": {"tier": "standard", "stage": "prospect", "at_risk": False},  # holds these
    })  # fmt: skip
    items = plan_updates(records, desired, FIELDS, winner="tiers")
    assert [(i.target.id, [c.field for c in i.changes]) for i in items if i.target] == [
        ("a0", ["tier", "tier_reason"])]  # fmt: skip
    stats = apply_updates(store, JOB.name, run_id(store), records, items)
    assert stats.by_status() == {"updated": 1}
    assert system.sent == [("update", ("a0", {"Customer_Tier": "VIP", "Tier_Reason": "big"}))]
    again = plan_updates(read(system, store), desired, FIELDS, winner="tiers")
    assert again == []


def test_undo_puts_the_before_images_back(store: StateStore) -> None:
    system = zoho(2)
    records = read(system, store)
    run = run_id(store)
    desired = desired_for(records, {"a0": {"tier": "strategic", "at_risk": True},
                                    "a1": {"stage": "loyal"}})  # fmt: skip
    apply_updates(store, JOB.name, run, records, plan_updates(records, desired, FIELDS,
                                                              winner="t"))  # fmt: skip
    assert system.rows("Accounts")["a0"]["Customer_Tier"] == "战略"
    report = undo_run(store, run, {"zoho": system})
    assert report.undone == {"updated": 2}
    rows = system.rows("Accounts")
    assert (rows["a0"]["Customer_Tier"], rows["a0"]["At_Risk"]) == ("普通", False)
    assert rows["a1"]["Lifecycle_Stage"] == "潜在"


def test_a_refused_record_is_a_dead_letter_and_others_go_through(store: StateStore) -> None:
    system = zoho(2)
    system.refuse = lambda payload: (
        "INVALID_DATA" if payload.get("Customer_Tier") == "战略" else None
    )
    records = read(system, store)
    run = run_id(store)
    letters = StoreDeadLetters(store, JOB.name, run)
    desired = desired_for(records, {"a0": {"tier": "strategic"}, "a1": {"tier": "vip"}})
    stats = apply_updates(store, JOB.name, run, records,
                          plan_updates(records, desired, FIELDS, winner="t"), dead_letters=letters)  # fmt: skip
    letters.flush()
    assert stats.by_status() == {"updated": 1, "rejected": 1}
    (letter,) = store.dead_letters.list_open(job=JOB.name)
    assert letter.source.id == "a0"
    assert "INVALID_DATA" in letter.reason


def test_a_saved_plan_refuses_records_changed_since(store: StateStore) -> None:
    system = zoho(2)
    records = read(system, store)
    desired = desired_for(records, {"a0": {"tier": "vip"}, "a1": {"tier": "vip"}})
    items = plan_updates(records, desired, FIELDS, winner="t")
    system.edit("Accounts", "a1", Lifecycle_Stage="忠诚")  # someone edits it in the CRM
    kept, refused = recheck(read(system, store), items)
    assert [i.target.id for i in kept if i.target] == ["a0"]
    assert [(i.target.id, why) for i, why in refused if i.target] == [
        ("a1", "zoho:Accounts:a1 changed since the plan was made")]  # fmt: skip


values = st.fixed_dictionaries({
    "tier": st.sampled_from(["standard", "vip", "strategic"]),
    "stage": st.sampled_from(["prospect", "target", "loyal", "churned"]),
    "tier_reason": st.sampled_from(["a", "b", "monetary 1.2M ≥ 1M in 365 days"]),
    "at_risk": st.booleans(),
})  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(values, min_size=1, max_size=6))
def test_after_apply_a_rerun_changes_nothing(tmp_path: Path, wanted: list[dict[str, JsonValue]]) -> None:  # fmt: skip
    with StateStore.open(tmp_path / f"p{len(list(tmp_path.iterdir()))}.db") as store:
        system = zoho(len(wanted))
        records = read(system, store)
        desired = desired_for(records, {f"a{i}": w for i, w in enumerate(wanted)})
        apply_updates(store, JOB.name, run_id(store), records,
                      plan_updates(records, desired, FIELDS, winner="t"))  # fmt: skip
        assert plan_updates(read(system, store), desired, FIELDS, winner="t") == []
