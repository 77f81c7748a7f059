"""The tier job over memory systems: tiers, stages and reasons written by picklist value,
unchanged values cost no write, one changed deal moves one account, moves reported, undo,
dry run and saved plans, and nothing read is lost (rejects, flags)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.report import RunStatus
from flows.sync.planning.plan import Plan
from flows.sync.undo import undo_run
from tests.flows.tier.helpers import TierHarness, account, deal, tier_job

RULES = [
    {"tier": "strategic", "when": {"monetary_gte": 5_000_000}, "name": "key account"},
    {"tier": "vip", "when": {"monetary_gte": 1_000_000}, "name": "big spender"},
    {"tier": "standard", "name": "everyone else"},
]


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[TierHarness]:
    from flows.store import StateStore

    with StateStore.open(tmp_path / "state.db") as store:
        h = TierHarness(tmp_path, store)
        z = h.zoho
        z.put("Accounts", account("Big"), "a1")
        z.put("Accounts", account("Mid", Customer_Tier="VIP"), "a2")
        z.put("Accounts", account("New"), "a3")
        for n in range(3):
            z.put("Deals", deal("a1", 2_000_000, f"2025-0{n + 1}-15"), f"d1{n}")
        z.put("Deals", deal("a2", 400_000, "2025-05-01"), "d20")
        z.put("Deals", deal("a3", 10_000, "2025-06-01", stage="Qualification"), "d30")
        yield h


def test_tiers_stages_and_reasons_are_written_by_picklist_label(
    harness: TierHarness, tmp_path: Path
) -> None:
    report = harness.run(tier_job(tmp_path, rules=RULES, rates={"USD": 1.0}, currency="USD"))
    assert report.status is RunStatus.SUCCEEDED, report.message
    rows = harness.accounts()
    assert (rows["a1"]["Customer_Tier"], rows["a1"]["Lifecycle_Stage"]) == ("战略", "忠诚")
    assert rows["a1"]["Tier_Reason"] == "key account: monetary 6M ≥ 5M in 365 days"
    assert (rows["a2"]["Customer_Tier"], rows["a2"]["Lifecycle_Stage"]) == ("普通", "目标")
    assert (rows["a3"]["Customer_Tier"], rows["a3"]["Lifecycle_Stage"]) == ("普通", "目标")
    assert rows["a1"]["At_Risk"] is False
    figures = report.figures
    assert figures["tiers"] == {"strategic": 1, "vip": 0, "standard": 2}
    assert figures["moves"] == {"upgrade": 0, "downgrade": 1, "same": 0, "new": 2}
    moved = {m["name"]: (m["from_tier"], m["to_tier"]) for m in figures["moved"]}  # type: ignore[index,union-attr]
    assert moved["Mid"] == ("vip", "standard")  # what the CRM held before the first run
    assert report.extra_counts["downgrades"] == 1
    assert (tmp_path / "out" / "report.html").is_file()


def test_a_second_run_writes_nothing_and_one_changed_deal_moves_one_account(
    harness: TierHarness, tmp_path: Path
) -> None:
    job = tier_job(tmp_path, rules=RULES, rates={"USD": 1.0}, currency="USD")
    harness.run(job)
    second = harness.run(job)
    assert harness.updates() == []
    assert second.figures["moves"] == {"upgrade": 0, "downgrade": 0, "same": 0, "new": 0}
    harness.zoho.edit("Deals", "d20", Amount=1_500_000)
    third = harness.run(job)
    assert harness.updates() == [("a2", {"Customer_Tier": "VIP", "Tier_Reason":
                                         "big spender: monetary 1.5M ≥ 1M in 365 days"})]  # fmt: skip
    assert [(m["name"], m["direction"]) for m in third.figures["moved"]] == [("Mid", "upgrade")]  # type: ignore[index,union-attr]
    assert harness.store.tier_assignments.all("tiers")
    assert {a.tier for a in harness.store.tier_assignments.all("tiers").values()} == {
        "strategic", "vip", "standard"}  # fmt: skip


def test_undo_restores_what_the_run_changed(harness: TierHarness, tmp_path: Path) -> None:
    before = {k: dict(v) for k, v in harness.accounts().items()}
    report = harness.run(tier_job(tmp_path, rules=RULES, rates={"USD": 1.0}, currency="USD"))
    undone = undo_run(harness.store, report.run_id, harness.systems)
    assert undone.undone["updated"] == 3
    after = harness.accounts()
    for key in ("Customer_Tier", "Lifecycle_Stage", "Tier_Reason", "At_Risk"):
        assert {k: v.get(key) for k, v in after.items()} == {
            k: v.get(key) for k, v in before.items()}, key  # fmt: skip


def test_a_dry_run_plans_and_writes_nothing_then_the_saved_plan_applies(
    harness: TierHarness, tmp_path: Path
) -> None:
    dry = harness.run(tier_job(tmp_path, rules=RULES, dry_run=True))
    assert harness.updates() == []
    assert dry.extra_counts["planned_writes"] == 3
    assert harness.store.tier_assignments.all("tiers") == {}
    saved = tmp_path / "out" / "plan.json"
    plan = Plan.from_json(saved.read_bytes())
    assert len(plan.items) == 3
    harness.zoho.edit("Accounts", "a3", Lifecycle_Stage="流失")  # edited after planning
    applied = harness.run(tier_job(tmp_path, rules=RULES, plan_file=str(saved)))
    assert sorted(rid for rid, _ in harness.updates()) == ["a1", "a2"]
    assert applied.extra_counts["refused"] == 1


def test_nothing_read_is_lost(harness: TierHarness, tmp_path: Path) -> None:
    z = harness.zoho
    z.put("Deals", deal("a2", 1.0, "2025-05-02", stage="Made Up Stage"), "bad")
    z.put("Deals", {"Deal_Name": "orphan", "Stage": "Closed Won", "Amount": 5,
                    "Closing_Date": "2025-05-02"}, "orphan")  # fmt: skip
    report = harness.run(tier_job(tmp_path, rules=RULES))  # USD deals, no rate given
    assert report.status is RunStatus.FINISHED_WITH_REJECTS
    (letter,) = harness.store.dead_letters.list_open(job="tiers")
    assert letter.source.id == "bad"
    reasons = {row.reason for row in report.quality}
    assert any("no exchange rate for USD to CNY" in r for r in reasons)
    assert any(r.startswith("deal not counted") for r in reasons)
