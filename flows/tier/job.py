"""The tier job: read customers, deals and feedback; tier, stage and flag every customer;
plan the write-back; apply it (unless a dry run); keep the decisions; report.

``run_tier`` is the runner (flows.jobs.RUNNERS); the writes are the sync engine's applier's
(field diffs, undo journal, dead letters), so ``crmbridge undo RUN`` takes a tier run back.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import JsonValue

from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.context import JobContext
from flows.files import write_text_atomic
from flows.report import SourceReport
from flows.store import StateStore, TierAssignment, TierSnapshot
from flows.sync.planning.plan import Plan, PlanItem
from flows.sync.write.applier import ApplyStats
from flows.tier.decide import Decisions, decide
from flows.tier.figures import figure_tables, tier_figures
from flows.tier.inputs import TierInputs, read_inputs
from flows.tier.report_html import render_tier_report
from flows.writeback import EndRecords, apply_updates, plan_updates, recheck

__all__ = ["run_tier", "run_tier_with"]

log = logging.getLogger(__name__)


def _today(job: JobConfig) -> date:
    return datetime.now(ZoneInfo(job.timezone or "Asia/Shanghai")).date()


def _desired(d: TierAssignment, fields: tuple[str, ...]) -> dict[str, JsonValue]:
    values: dict[str, JsonValue] = {
        "tier": d.tier,
        "stage": d.stage,
        "tier_reason": d.reason,
        "at_risk": d.at_risk,
    }
    return {k: v for k, v in values.items() if k in fields}


def _crm_values(inputs: TierInputs) -> dict[str, Mapping[str, JsonValue]]:
    """Customer id -> what its first target record holds (a first run's "before")."""
    out: dict[str, Mapping[str, JsonValue]] = {}
    for records in inputs.targets:
        for ref, record in records.records.items():
            out.setdefault(records.cids[ref], record.values)
    return out


def _plan(
    job: JobConfig, inputs: TierInputs, decisions: Decisions, run_id: str
) -> tuple[Plan, list[tuple[EndRecords, list[PlanItem]]]]:
    options = job.tier
    desired = {cid: _desired(d, options.write) for cid, d in decisions.decisions.items()}
    reasons = {cid: d.reason for cid, d in decisions.decisions.items()}
    plan = Plan.new(job.name, run_id, [], datetime.now(UTC))
    per_target: list[tuple[EndRecords, list[PlanItem]]] = []
    for records in inputs.targets:
        fields = set(options.write) & records.end.access.writes
        items = plan_updates(records, desired, fields, winner=job.name, reasons=reasons)
        plan.items += items
        per_target.append((records, items))
    return plan, per_target


def _saved(
    path: Path,
    job: JobConfig,
    per_target: list[tuple[EndRecords, list[PlanItem]]],
    refused: list[tuple[PlanItem, str]],
) -> list[tuple[EndRecords, list[PlanItem]]]:
    """The saved plan's items per target, rechecked against the records as read now."""
    saved = Plan.from_json(path.read_bytes())
    if saved.job != job.name:
        raise ValueError(f"{path} is a plan of job {saved.job!r}, not {job.name!r}")
    out = []
    for records, _ in per_target:
        end = records.end
        mine = [
            i
            for i in saved.items
            if (i.target_system, i.target_object) == (end.system_name, end.object)
        ]
        kept, gone = recheck(records, mine)
        refused += gone
        out.append((records, kept))
    return out


def run_tier(job: JobConfig, ctx: JobContext) -> None:
    """The runner of ``tier`` jobs (flows.jobs.RUNNERS)."""
    from flows.systems.open import open_job_systems

    run_tier_with(job, ctx, open_job_systems(job, ctx.require_config()))


def run_tier_with(job: JobConfig, ctx: JobContext, systems: Mapping[str, RecordSystem]) -> None:
    """The tier job on systems the caller opened (tests, benchmarks)."""
    options, store, report = job.tier, ctx.require_store(), ctx.report
    calls = {name: system.api_calls for name, system in systems.items()}
    inputs = ctx.step("read", lambda: read_inputs(job, store, systems, ctx.progress))
    as_of = options.as_of or _today(job)
    previous = store.tier_assignments.all(job.name)
    decisions = ctx.step(
        "tier",
        lambda: decide(inputs, options, as_of, previous, _crm_values(inputs), inputs.quality),
    )
    plan, per_target = _plan(job, inputs, decisions, report.run_id)
    refused: list[tuple[PlanItem, str]] = []
    if options.plan_file is not None:
        per_target = _saved(options.plan_file, job, per_target, refused)
    writes: dict[str, Counter[str]] = {}
    stats = ApplyStats()
    for records, items in per_target:
        counts = writes.setdefault(records.end.label, Counter())
        counts["planned"] = len(items)
        counts["unchanged"] = sum(
            1 for r in records.records if records.cids.get(r) in decisions.decisions
        ) - len(items)
        if options.dry_run or not items:
            continue
        done = ctx.step(
            f"write {records.end.label}",
            lambda r=records, i=items: apply_updates(  # type: ignore[misc]
                store,
                job.name,
                report.run_id,
                r,
                i,
                dead_letters=ctx.dead_letters,
                progress=ctx.progress,
            ),
        )
        stats.merge(done)
        counts.update(done.routes.get(records.end.label + " -> " + records.end.label, Counter()))
    if not options.dry_run:
        _remember(store, job, report.run_id, decisions, previous)
    figures = tier_figures(
        decisions, inputs, options, as_of, _last_snapshot(store, job), writes, options.report_rows
    )
    if not options.dry_run:
        store.tier_snapshots.put(job.name, report.run_id, _snapshot(figures))
    _report(job, ctx, inputs, decisions, stats, figures, plan, refused)
    report.api_calls.update({n: s.api_calls - calls[n] for n, s in systems.items()})


def _remember(
    store: StateStore,
    job: JobConfig,
    run_id: str,
    decisions: Decisions,
    previous: Mapping[str, TierAssignment],
) -> None:
    store.tier_assignments.put_many(job.name, run_id, decisions.changed)
    gone = set(previous) - set(decisions.decisions)
    if gone:
        store.tier_assignments.forget(job.name, gone)


def _last_snapshot(store: StateStore, job: JobConfig) -> TierSnapshot | None:
    recent = store.tier_snapshots.recent(job.name, limit=1)
    return recent[-1] if recent else None


def _snapshot(figures: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    keys = ("as_of", "rule_version", "customers", "tiers", "stages", "at_risk", "moves")
    return {k: figures[k] for k in keys if k in figures}


def _report(
    job: JobConfig,
    ctx: JobContext,
    inputs: TierInputs,
    decisions: Decisions,
    stats: ApplyStats,
    figures: dict[str, JsonValue],
    plan: Plan,
    refused: list[tuple[PlanItem, str]],
) -> None:
    report, options = ctx.report, job.tier
    targets = {(r.end.system_name, r.end.object) for r in inputs.targets}
    for records in inputs.ends:
        label = records.end.label
        outcomes = stats.routes.get(f"{label} -> {label}", Counter())
        written = (
            outcomes.get("updated", 0)
            if (records.end.system_name, records.end.object) in targets
            else 0
        )
        report.sources.append(
            SourceReport(
                label=label,
                read=records.read,
                written=written,
                rejected=len(records.rejects)
                + outcomes.get("rejected", 0)
                + outcomes.get("invalid", 0),
                failed=outcomes.get("failed", 0),
            )
        )
        if records.rejects:
            ctx.dead_letters.record(records.rejects)
        if ctx.dead_letters.resolving and records.records:
            ctx.dead_letters.resolve(list(records.records))
    for (end, _action, status), n in sorted(stats.counts.items()):
        row = report.actions.setdefault(end, {})
        row[status] = row.get(status, 0) + n
    report.quality.merge(inputs.quality)
    report.quality.merge(stats.quality)
    moves = figures.get("moves")
    report.extra_counts.update(
        {
            "customers": len(decisions.decisions),
            "planned_writes": len(plan.items),
            "at_risk": sum(d.at_risk for d in decisions.decisions.values()),
            **(
                {
                    f"{k}s": v
                    for k, v in moves.items()
                    if isinstance(v, int) and k in ("upgrade", "downgrade")
                }
                if isinstance(moves, dict)
                else {}
            ),
            "refused": len(refused),
        }
    )
    if options.dry_run:
        report.message = f"dry run: {len(plan.items)} write(s) planned, nothing written"
    report.figures = figures
    report.tables = figure_tables(figures)
    _outputs(job, ctx, figures, plan)


def _outputs(job: JobConfig, ctx: JobContext, figures: dict[str, JsonValue], plan: Plan) -> None:
    out_dir = job.tier.outputs or ctx.rejects_path.parent / job.name
    out_dir.mkdir(parents=True, exist_ok=True)
    state = "dry run (nothing written)" if job.tier.dry_run else "applied"
    heading = {"job": job.name, "run": ctx.report.run_id[:8], "writes": state}
    html = render_tier_report(figures, heading, title=f"Tiers of {job.name}")
    paths = {
        "report": out_dir / "report.html",
        "figures": out_dir / "figures.json",
        "plan": out_dir / "plan.json",
    }
    write_text_atomic(paths["report"], html)
    write_text_atomic(paths["figures"], json.dumps(figures, ensure_ascii=False, indent=2))
    write_text_atomic(paths["plan"], plan.to_json())
    ctx.report.outputs.update(paths)
