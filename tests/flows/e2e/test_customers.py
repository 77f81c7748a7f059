"""Tiers, stages, owners and feedback end to end, through both sandboxes over sockets.

One story in module-scoped steps (see customers_world for the cast): Fxiaoke accounts and
contacts move to Zoho; a feedback run syncs a Zoho complaint to Fxiaoke and survey answers
to Fxiaoke and on to Zoho; a tier run writes the expected tiers, stages and at-risk flags to
both CRMs by picklist value; a second run writes nothing; one changed deal moves exactly its
account; undo puts the previous values back; an assign run gives every account an owner by
region in both systems (matched by email), writes nothing the second time, and undoes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from flows.report import RunReport, RunStatus
from tests.flows.e2e import customers_world as world
from tests.flows.e2e.harness import (
    Harness,
    fxiaoke_live,
    fxiaoke_write_calls,
    harness,
    zoho_snapshot,
    zoho_write_calls,
)
from tests.flows.sandboxes import fxiaoke_sandbox, zoho_sandbox
from tests.sandbox_tenants import FXIAOKE_CUSTOM_FIELDS, ZOHO_CUSTOM_FIELDS

EXPECTED = {  # account -> (tier, stage, at risk)
    "A0": ("strategic", "loyal", False),
    "A1": ("vip", "target", False),
    "A2": ("vip", "target", True),
    "A3": ("standard", "loyal", True),
    "A4": ("standard", "churned", False),
    "A5": ("standard", "prospect", False),
    "A6": ("strategic", "prospect", False),
}
ZOHO_TIER = {"standard": "普通", "vip": "VIP", "strategic": "战略"}
ZOHO_STAGE = {"prospect": "潜在", "target": "目标", "loyal": "忠诚", "churned": "流失"}
FX_TIER = {"standard": "2", "vip": "1", "strategic": "4"}
FX_STAGE = {"prospect": "1", "target": "2", "loyal": "3", "churned": "4"}


@dataclass
class World:
    h: Harness
    fx_ids: dict[str, str]
    feedback: RunReport


def writes(h: Harness) -> tuple[int, int]:
    return zoho_write_calls(h.zoho), fxiaoke_write_calls(h.fxiaoke)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    directory = tmp_path_factory.mktemp("customers")
    with (
        zoho_sandbox(users=world.zoho_users(), custom_fields=ZOHO_CUSTOM_FIELDS) as zoho,
        fxiaoke_sandbox(credentials=world.fxiaoke_credentials(),
                        custom_fields=FXIAOKE_CUSTOM_FIELDS) as fxiaoke,
        harness(directory, world.jobs(directory), zoho, fxiaoke) as h,
    ):  # fmt: skip
        fx_ids = world.seed_fxiaoke(fxiaoke)
        moved = h.run("move")
        assert moved.status is RunStatus.SUCCEEDED, moved.message
        zoho_ids = {
            v["Account_Name"].split()[0]: k for k, v in zoho_snapshot(zoho, "Accounts").items()
        }
        world.seed_zoho(zoho, zoho_ids)
        feedback = h.run("feedback")
        yield World(h, fx_ids, feedback)


def zoho_accounts(h: Harness) -> dict[str, dict[str, Any]]:
    return {v["Account_Name"].split()[0]: v for v in zoho_snapshot(h.zoho, "Accounts").values()}


def fx_accounts(h: Harness) -> dict[str, dict[str, Any]]:
    return {r["name"].split()[0]: r for r in fxiaoke_live(h.fxiaoke, "AccountObj")}


# -- feedback -----------------------------------------------------------------------------------
def test_feedback_links_answers_and_syncs_cases_with_their_parents(built: World) -> None:
    report, h = built.feedback, built.h
    assert report.status is RunStatus.FINISHED_WITH_REJECTS  # the stranger's answer
    with h.store() as store:
        letters = store.dead_letters.list_open(job="feedback")
    stranger, broken = sorted((d for d in letters if d.source.system == "csv"),
                              key=lambda d: d.source.id)  # fmt: skip
    assert stranger.source.id == "S5" and "nobody@else.cn" in stranger.reason
    assert broken.source.id == "survey.csv:8" and "header has 8" in broken.reason
    survey = next(s for s in report.sources if s.label.startswith("survey.csv"))
    assert (survey.read, survey.written, survey.rejected) == (7, 5, 2)
    dropped = [row for row in report.quality if row.outcome == "dropped" and row.name == "csat"]
    assert dropped and dropped[0].samples[0].value == "9"
    answers = [r for r in fxiaoke_live(h.fxiaoke, "ActiveRecordObj")
               if r.get("field_feedback_type__c") == "5"]  # fmt: skip
    assert len(answers) == 5
    a3_contact = next(r["_id"] for r in fxiaoke_live(h.fxiaoke, "ContactObj")
                      if r["email"] == "a3@customer.cn")  # fmt: skip
    assert sorted(r["field_csat__c"] for r in answers if r.get("contact_id") == a3_contact) == [
        "2",
        "2",
    ]
    case = next(iter(fxiaoke_live(h.fxiaoke, "CasesObj")))
    assert (case["subject"], case["case_type"], case["case_status"]) == ("发票金额错误", "1", "1")
    assert case["account_id"] == built.fx_ids["A2"]
    notes = [n.values["Note_Content"] for n in h.zoho.store.records("Notes")]
    assert "交付太慢" in notes  # an answer went on to Zoho as a note under its contact
    accounts = {r["name"]: r for r in report.figures["accounts"]}  # type: ignore[union-attr]
    a2 = next(r for name, r in accounts.items() if name.startswith("A2"))
    assert (a2["open_complaints"], a2["overdue"]) == (1, True)


def test_a_second_feedback_run_writes_nothing(built: World) -> None:
    before = writes(built.h)
    report = built.h.run("feedback")
    assert writes(built.h) == before
    assert report.counts["written"] == 0


# -- tiers --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiered(built: World) -> RunReport:
    return built.h.run("tiers")


def test_expected_tiers_stages_and_flags_are_written_to_both_crms(
    built: World, tiered: RunReport
) -> None:
    assert tiered.status is RunStatus.SUCCEEDED, tiered.message
    zoho, fx = zoho_accounts(built.h), fx_accounts(built.h)
    for name, (tier, stage, risk) in EXPECTED.items():
        assert (
            zoho[name]["Customer_Tier"],
            zoho[name]["Lifecycle_Stage"],
            zoho[name]["At_Risk"],
        ) == (ZOHO_TIER[tier], ZOHO_STAGE[stage], risk), name
        assert (
            fx[name]["account_level"],
            fx[name]["field_lifecycle__c"],
            fx[name]["field_at_risk__c"],
        ) == (FX_TIER[tier], FX_STAGE[stage], risk), name
    assert zoho["A0"]["Tier_Reason"] == "key account: monetary 6M ≥ 5M in 365 days"
    assert zoho["A2"]["Tier_Reason"] == (
        "big spender: monetary 1.4M ≥ 1M in 365 days; at risk: 1 complaint(s) open over 14 days"
    )
    assert zoho["A3"]["Tier_Reason"].endswith("at risk: CSAT 2.0 < 3, NPS -100 < 0")
    assert zoho["A6"]["Tier_Reason"] == "marked by hand: marked strategic"
    assert tiered.figures["tiers"] == {"strategic": 2, "vip": 2, "standard": 3}
    assert tiered.figures["at_risk"] == 2


def test_a_second_tier_run_writes_nothing(built: World, tiered: RunReport) -> None:
    before = writes(built.h)
    again = built.h.run("tiers")
    assert writes(built.h) == before
    assert again.figures["moves"] == {"upgrade": 0, "downgrade": 0, "same": 0, "new": 0}
    assert again.extra_counts["planned_writes"] == 0


@pytest.fixture(scope="module")
def one_deal_changed(
    built: World, tiered: RunReport
) -> tuple[RunReport, dict[str, Any], dict[str, Any]]:
    h = built.h
    zoho_before, fx_before = zoho_accounts(h), fx_accounts(h)
    deal = next(r for r in fxiaoke_live(h.fxiaoke, "OpportunityObj")
                if r["account_id"] == built.fx_ids["A1"])  # fmt: skip
    h.fxiaoke.store.modify("OpportunityObj", deal["_id"], {"amount": "800000"})
    start = writes(h)
    report = h.run("tiers")
    end = writes(h)
    return (
        report,
        {"zoho": zoho_before, "fx": fx_before},
        {"calls": (end[0] - start[0], end[1] - start[1])},
    )


def test_changing_one_deal_moves_exactly_that_account(built: World, one_deal_changed: Any) -> None:
    report, before, calls = one_deal_changed
    assert calls["calls"] == (1, 1)  # one Zoho update call (one record), one Fxiaoke update
    zoho, fx = zoho_accounts(built.h), fx_accounts(built.h)
    changed_zoho = {n for n in zoho if zoho[n]["Customer_Tier"] != before["zoho"][n]["Customer_Tier"]
                    or zoho[n]["Tier_Reason"] != before["zoho"][n]["Tier_Reason"]}  # fmt: skip
    changed_fx = {n for n in fx if fx[n]["account_level"] != before["fx"][n]["account_level"]}
    assert changed_zoho == changed_fx == {"A1"}
    assert zoho["A1"]["Customer_Tier"] == "普通"
    assert [
        (m["name"].split()[0], m["direction"], m["from_tier"], m["to_tier"])
        for m in report.figures["moved"]
    ] == [("A1", "downgrade", "vip", "standard")]  # type: ignore[union-attr]


def test_undo_restores_the_previous_values(built: World, one_deal_changed: Any) -> None:
    report, before, _ = one_deal_changed
    undone = built.h.undo("tiers", report.run_id)
    assert undone.undone == {"updated": 2} and not undone.failed
    zoho, fx = zoho_accounts(built.h), fx_accounts(built.h)
    for key in ("Customer_Tier", "Lifecycle_Stage", "Tier_Reason", "At_Risk"):
        assert zoho["A1"][key] == before["zoho"]["A1"][key], key
    for key in ("account_level", "field_lifecycle__c", "field_tier_reason__c", "field_at_risk__c"):
        assert fx["A1"].get(key) == before["fx"]["A1"].get(key), key


def test_the_report_is_offline_and_escapes_customer_text(built: World, tiered: RunReport) -> None:
    html = tiered.outputs["report"].read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert html.count("<svg") >= 5
    assert "A2 测试有限公司" in html


# -- owners -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def assigned(built: World, one_deal_changed: Any) -> RunReport:
    return built.h.run("owners")


def owners(h: Harness) -> tuple[dict[str, str], dict[str, str]]:
    fx_email = {u.open_user_id: u.email for u in h.fxiaoke.credentials.users}
    zoho = {n: v["Owner"]["email"] for n, v in zoho_accounts(h).items()}
    fx = {n: fx_email[r["owner"][0]] for n, r in fx_accounts(h).items()}
    return zoho, fx


def test_owners_by_region_in_both_systems(built: World, assigned: RunReport) -> None:
    assert assigned.status is RunStatus.SUCCEEDED, assigned.message
    zoho, fx = owners(built.h)
    wang, li, zhao = (world.EMAILS[k] for k in ("wang", "li", "zhao"))
    assert zoho == fx == {"A0": wang, "A1": li, "A6": wang, "A2": zhao, "A3": zhao, "A4": zhao,
                          "A5": zhao}  # fmt: skip
    assert len(assigned.figures["reassigned"]) == 7  # type: ignore[arg-type]


def test_a_second_assign_writes_nothing_and_undo_puts_owners_back(
    built: World, assigned: RunReport
) -> None:
    before = writes(built.h)
    again = built.h.run("owners")
    assert writes(built.h) == before and again.figures["reassigned"] == []
    built.h.undo("owners", assigned.run_id)
    zoho, fx = owners(built.h)
    assert set(zoho.values()) == set(fx.values()) == {world.ZOHO_ADMIN_EMAIL}
