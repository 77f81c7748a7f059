from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from canonical.models import SourceRef
from flows.cli.plan_view import plan_counts_table, plan_table
from flows.sync.planning.plan import FieldChange, Plan, PlanAction, PlanItem

ZOHO = SourceRef(system="zoho_cn", object="Contacts", id="z1")
FXK = SourceRef(system="fxk", object="ContactObj", id="f1")


def sample_plan() -> Plan:
    items = [
        PlanItem(
            action=PlanAction.CREATE,
            canonical_id="c1",
            entity="contact",
            source=ZOHO,
            target_system="fxk",
            target_object="ContactObj",
            values={"name": "张伟", "region.city": "上海市", "csat": 4, "vip": True},
            reason="not in the target yet",
            result_fingerprint="ab" * 32,
            shadow={"name": "张伟"},
            parent_canonical_id="acc-1",
        ),
        PlanItem(
            action=PlanAction.UPDATE,
            canonical_id="c2",
            entity="contact",
            source=ZOHO,
            target=FXK,
            target_system="fxk",
            target_object="ContactObj",
            changes=(FieldChange(field="title", before="CTO", after="CEO", winner="zoho_cn"),),
            reason="last_modified_wins: changed on one side only",
            expected_fingerprint="cd" * 32,
        ),
        PlanItem(
            action=PlanAction.SKIP,
            canonical_id="a1",
            entity="account",
            target_system="fxk",
            target_object="AccountObj",
            reason="unchanged",
        ),
        PlanItem(
            action=PlanAction.MERGE,
            canonical_id="a2",
            entity="account",
            target=SourceRef(system="fxk", object="AccountObj", id="f9"),
            target_system="fxk",
            target_object="AccountObj",
            master_canonical_id="a1",
            reason="merged in zoho_cn into a1",
        ),
    ]
    return Plan(
        job="zoho-to-fxk", run_id="run-1", created_at=datetime(2024, 6, 1, tzinfo=UTC), items=items
    )


def test_plan_json_round_trip_is_exact() -> None:
    plan = sample_plan()
    text = plan.to_json()
    again = Plan.from_json(text)
    assert again == plan
    assert again.items[0].values == {
        "name": "张伟",
        "region.city": "上海市",
        "csat": 4,
        "vip": True,
    }
    assert again.items[1].changes[0].winner == "zoho_cn"
    assert again.items[1].target == FXK
    assert "张伟" in text  # kept readable, not escaped
    assert Plan.from_json(again.to_json(indent=None)) == plan


def test_counts_per_action_and_entity() -> None:
    plan = sample_plan()
    counts = plan.counts()
    assert {k: counts[k] for k in ("create", "update", "delete", "merge", "skip", "conflict")} == {
        "create": 1,
        "update": 1,
        "delete": 0,
        "merge": 1,
        "skip": 1,
        "conflict": 0,
    }
    assert counts["contact.create"] == 1
    assert counts["account.merge"] == 1
    assert "account.create" not in counts
    assert plan.counts_by_entity()["account"]["skip"] == 1
    assert plan.writes == 3


def render(table: object) -> str:
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(table)
    return out.getvalue()


def test_plan_table_shows_action_entity_target_and_fields() -> None:
    text = render(plan_table(sample_plan()))
    assert "create" in text
    assert "fxk:ContactObj:f1" in text
    assert "title: CTO → CEO" in text
    assert "4 fields" in text
    assert "merged in zoho_cn into a1" in text
    assert "unchanged" not in text  # skips are hidden unless asked for
    assert "unchanged" in render(plan_table(sample_plan(), include_skips=True))
    limited = render(plan_table(sample_plan(), limit=1))
    assert "2 more items not shown" in limited


def test_counts_table() -> None:
    text = render(plan_counts_table(sample_plan()))
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if cells[0] in ("account", "contact"):
            rows[cells[0]] = cells[1:]
    # columns: create, update, delete, merge, skip, conflict, tag, park
    assert rows == {
        "account": ["0", "0", "0", "1", "1", "0", "0", "0"],
        "contact": ["1", "1", "0", "0", "0", "0", "0", "0"],
    }
