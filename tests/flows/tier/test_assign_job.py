"""The assign job over memory systems: region rules, round-robin across runs, owners kept
unless told, owners matched by email in every system holding the account, a report of every
change, nothing written twice, and undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors.record_system import SystemUser
from flows.config import JobConfig
from flows.store import StateStore
from flows.sync.undo import undo_run
from tests.flows.sync.memory_system import MemorySystem
from tests.flows.tier.helpers import TierHarness, endpoint

ADMIN = SystemUser("z0", "admin@acme.cn", "Admin")
TEAM = [
    SystemUser("z1", "wang@acme.cn", "Wang"),
    SystemUser("z2", "li@acme.cn", "Li"),
    SystemUser("z3", "zhao@acme.cn", "Zhao"),
]
RULES = [
    {"name": "south", "when": {"region_in": ["广东省"]}, "team": ["wang@acme.cn", "li@acme.cn"]},
    {"name": "rest", "team": ["zhao@acme.cn"], "balance": "least_loaded"},
]


def assign_job(tmp: Path, systems: tuple[str, ...] = ("zoho",), **assign: Any) -> JobConfig:
    objects = {
        "zoho": ("Accounts", "zoho_accounts_tiering.yaml"),
        "fxiaoke": ("AccountObj", "fxiaoke_accounts_tiering.yaml"),
    }
    ends = [endpoint(*objects[s], system=s) for s in systems]
    options = {"rules": RULES, "unowned": ["admin@acme.cn"], "outputs": str(tmp / "out"), **assign}
    return JobConfig.model_validate(
        {"name": "owners", "kind": "assign", "sources": ends, "assign": options}
    )


def owner(user: SystemUser) -> dict[str, str]:
    return {"id": user.id, "name": user.name or "", "email": user.email or ""}


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[TierHarness]:
    with StateStore.open(tmp_path / "state.db") as store:
        h = TierHarness(tmp_path, store)
        h.zoho.user_list = [ADMIN, *TEAM]
        for i, province in enumerate(["广东省", "广东省", "上海市", "广东省"]):
            h.zoho.put(
                "Accounts",
                {"Account_Name": f"A{i}", "Billing_State": province, "Owner": owner(ADMIN)},
                f"a{i}",
            )
        h.zoho.put(
            "Accounts",
            {"Account_Name": "Kept", "Billing_State": "广东省", "Owner": owner(TEAM[2])},
            "kept",
        )
        yield h


def run(h: TierHarness, job: JobConfig) -> Any:
    from flows.assign.job import run_assign_with

    return h.run(job, runner=run_assign_with)


def owners(h: TierHarness) -> dict[str, str]:
    return {k: v["Owner"]["id"] for k, v in h.accounts().items()}


def test_rules_round_robin_and_owners_kept(harness: TierHarness, tmp_path: Path) -> None:
    report = run(harness, assign_job(tmp_path))
    assert owners(harness) == {"a0": "z1", "a1": "z2", "a2": "z3", "a3": "z1", "kept": "z3"}
    assert [
        (r["name"], r["from_owner"], r["to_owner"], r["rule"]) for r in report.figures["reassigned"]
    ] == [
        ("A0", "admin@acme.cn", "wang@acme.cn", "south"),
        ("A1", "admin@acme.cn", "li@acme.cn", "south"),
        ("A2", "admin@acme.cn", "zhao@acme.cn", "rest"),
        ("A3", "admin@acme.cn", "wang@acme.cn", "south"),
    ]
    assert harness.updates()[0] == ("a0", {"Owner": {"id": "z1"}})
    text = (tmp_path / "out" / "reassignments.csv").read_text(encoding="utf-8-sig")
    assert "region 广东省 ∈ [广东省]; round robin 1/2" in text


def test_a_rerun_writes_nothing_and_the_rotation_goes_on(
    harness: TierHarness, tmp_path: Path
) -> None:
    job = assign_job(tmp_path)
    run(harness, job)
    second = run(harness, job)
    assert harness.updates() == []
    assert second.figures["reassigned"] == []
    harness.zoho.put(
        "Accounts", {"Account_Name": "A9", "Billing_State": "广东省", "Owner": owner(ADMIN)}, "a9"
    )
    run(harness, job)
    assert owners(harness)["a9"] == "z2"  # wang had the last turn of the first run


def test_overwrite_moves_owners_outside_the_team_only(harness: TierHarness, tmp_path: Path) -> None:
    rules = [{**RULES[0], "overwrite": True}]
    run(harness, assign_job(tmp_path, rules=rules))
    assert owners(harness)["kept"] == "z2"  # zhao is not in the south team
    again = run(harness, assign_job(tmp_path, rules=rules))
    assert again.figures["reassigned"] == []


def test_undo_puts_the_owners_back(harness: TierHarness, tmp_path: Path) -> None:
    report = run(harness, assign_job(tmp_path))
    assert undo_run(harness.store, report.run_id, harness.systems).undone == {"updated": 4}
    assert set(owners(harness).values()) == {"z0", "z3"}


def test_an_account_in_two_systems_gets_the_same_owner_in_both(
    harness: TierHarness, tmp_path: Path
) -> None:
    fxiaoke = MemorySystem("fxiaoke", type="fxiaoke")
    fxiaoke.user_list = [
        SystemUser("F0", "admin@acme.cn", "管理员"),
        SystemUser("F1", "wang@acme.cn", "王"),
    ]
    fxiaoke.put(
        "AccountObj",
        {
            "name": "A0",
            "province": "广东省",
            "owner": ["F0"],
            "owner__r": {"id": "F0", "name": "管理员"},
        },
        "f0",
    )
    cid = harness.store.crosswalk.assign([harness_ref("zoho", "Accounts", "a0")])
    harness.store.crosswalk.link(
        next(iter(cid.values())), harness_ref("fxiaoke", "AccountObj", "f0")
    )
    original = harness.systems

    class Both(TierHarness):
        @property
        def systems(self) -> dict[str, Any]:
            return {**original, "fxiaoke": fxiaoke}

    both = Both(harness.tmp, harness.store, harness.zoho)
    report = run(both, assign_job(tmp_path, systems=("zoho", "fxiaoke")))
    assert fxiaoke.sent == [("update", ("f0", {"owner": ["F1"]}))]
    row = next(r for r in report.figures["reassigned"] if r["name"] == "A0")
    assert row["to_owner"] == "wang@acme.cn"
    assert row["written_to"] == "zoho:Accounts, fxiaoke:AccountObj"
    li = next(r for r in report.figures["reassigned"] if r["to_owner"] == "li@acme.cn")
    assert li["not_written"] == ""  # li's accounts are in Zoho only


def harness_ref(system: str, obj: str, record_id: str) -> Any:
    from canonical.models import SourceRef

    return SourceRef(system=system, object=obj, id=record_id)


def test_a_sync_job_with_owner_rules_assigns_the_accounts_it_creates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assignment as part of sync: Fxiaoke accounts created in Zoho by this run get owners
    by the rules; accounts the run did not create are left alone."""
    from flows.jobs import sync as sync_job

    fxiaoke = MemorySystem("fxiaoke", type="fxiaoke")
    for i, province in enumerate(["广东省", "上海市"]):
        fxiaoke.put("AccountObj", {"name": f"N{i}", "province": province}, f"f{i}")
    with StateStore.open(tmp_path / "state.db") as store:
        h = TierHarness(tmp_path, store)
        h.zoho.user_list = [ADMIN, *TEAM]
        h.zoho.put(
            "Accounts",
            {"Account_Name": "Old", "Billing_State": "广东省", "Owner": owner(ADMIN)},
            "old",
        )
        job = JobConfig.model_validate(
            {
                "name": "in",
                "kind": "sync",
                "sources": [endpoint("AccountObj", "fxiaoke_accounts.yaml", system="fxiaoke")],
                "targets": [endpoint("Accounts", "zoho_accounts.yaml")],
                "sync": {"match_on": []},
                "assign": {"rules": RULES, "unowned": ["admin@acme.cn"]},
            }
        )
        systems = {"zoho": h.zoho, "fxiaoke": fxiaoke}
        monkeypatch.setattr(sync_job, "open_job_systems", lambda job, config: systems)

        def run_sync(job: JobConfig, ctx: Any, _systems: Any) -> None:
            ctx.config = object()
            sync_job.run_sync(job, ctx)

        report = h.run(job, runner=run_sync)
    created = {
        v["Account_Name"]: v.get("Owner", {}).get("id") for v in h.zoho.rows("Accounts").values()
    }
    assert created == {"Old": "z0", "N0": "z1", "N1": "z3"}
    assert [r["name"] for r in report.figures["reassigned"]] == ["N0", "N1"]
