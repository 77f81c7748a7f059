"""Dry run and apply: a saved plan is executed exactly, and refused where the target moved."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.context import JobContext
from flows.jobs.sync import apply_saved_plan
from flows.report import RunReport
from flows.store import OutcomeStatus
from flows.sync.engine import PlanMismatchError, SyncEngine
from flows.sync.planning.plan import Plan, PlanAction
from tests.flows.sync.engine_helpers import Harness, contacts_job, target_people, zoho_contact


def _plan(h: Harness) -> Plan:
    run = h.store.runs.start(h.job.name, "plan")
    engine = SyncEngine(
        h.job,
        h.store,
        h.systems,
        run_id=run.id,
        context=h.job.model_copy(update={"timezone": "UTC"}).transform_context(),
    )
    return Plan.from_json(engine.plan().plan.to_json())  # through JSON, as `--out` saves it


def _apply(h: Harness, plan: Plan) -> tuple[RunReport, list[tuple[str, str]]]:
    run = h.store.runs.start(h.job.name, "apply")
    report = RunReport(run_id=run.id, job=h.job.name, kind="apply", started_at=run.started_at)
    ctx = JobContext(
        report=report, dead_letters=_NoLetters(), rejects_path=Path("r.csv"), store=h.store
    )
    routes = apply_saved_plan(h.job, ctx, h.systems, plan)
    report.finish(datetime.now(UTC))
    return report, [(str(item.target), why) for r in routes for item, why in r.refused]


class _NoLetters:
    resolving = False

    def record(self, rejects: object) -> None:
        raise AssertionError(f"no dead letters expected: {rejects}")

    def resolve(self, refs: object) -> None:
        return None


def test_a_plan_writes_nothing_and_apply_executes_exactly_it(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    for i in range(3):
        h.zoho.put("Contacts", zoho_contact(i))

    plan = _plan(h)
    assert [i.action for i in plan.items] == [PlanAction.CREATE] * 3
    assert h.fxiaoke.rows("ContactObj") == {}
    assert not [c for c in h.fxiaoke.calls if not c.startswith("read")]
    h.zoho.put("Contacts", zoho_contact(3))  # after the plan: not in it, so not applied

    report, refused = _apply(h, plan)
    assert set(target_people(h.fxiaoke)) == {"p0@example.cn", "p1@example.cn", "p2@example.cn"}
    assert report.actions == {"fxiaoke:ContactObj": {"created": 3}}
    assert refused == []

    # Applying the same plan again creates nothing twice.
    again, _ = _apply(h, plan)
    assert len(h.fxiaoke.rows("ContactObj")) == 3
    assert again.actions == {"fxiaoke:ContactObj": {"refused": 3}}


def test_apply_refuses_an_update_whose_target_changed_since_the_plan(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    ids = [h.zoho.put("Contacts", zoho_contact(i)) for i in range(2)]
    h.run()
    for record_id in ids:
        h.zoho.edit("Contacts", record_id, Title="总监")
    plan = _plan(h)
    assert [i.action for i in plan.items] == [PlanAction.UPDATE] * 2
    moved = next(
        i for i, f in h.fxiaoke.rows("ContactObj").items() if f["email"] == "p0@example.cn"
    )
    h.fxiaoke.edit("ContactObj", moved, job_title="被别人改了")

    report, refused = _apply(h, plan)

    assert refused == [
        (
            f"fxiaoke:ContactObj:{moved}",
            f"fxiaoke:ContactObj:{moved} changed since the plan was made",
        )
    ]
    assert target_people(h.fxiaoke)["p0@example.cn"]["job_title"] == "被别人改了"
    assert target_people(h.fxiaoke)["p1@example.cn"]["job_title"] == "总监"
    assert report.actions == {"fxiaoke:ContactObj": {"refused": 1, "updated": 1}}
    refusals = h.store.outcomes.for_run(report.run_id, status=OutcomeStatus.REFUSED)
    assert [o.record_id for o in refusals] == [moved]


def test_a_plan_of_another_job_is_refused(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    plan = Plan.new("other", "r1", [], datetime.now(UTC))
    with pytest.raises(PlanMismatchError, match="made for job 'other'"):
        _apply(h, plan)
