"""A sync or migrate job's work on open systems: plan every route, guard deletes, apply, report.

``sync_once`` plans and applies a job once; ``apply_saved_plan`` executes a plan saved by
``crmbridge plan``. The job kinds' runner is ``flows.jobs.sync.run_sync``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence

from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.context import JobContext
from flows.report import RunReport, SourceReport
from flows.store import OutcomeStatus
from flows.sync.engine import PlannedSync, SyncEngine
from flows.sync.gather.pairs import PlannedRoute
from flows.sync.planning.plan import Plan
from flows.sync.write.applier import ApplyStats

__all__ = ["apply_saved_plan", "fill_report", "job_engine", "sync_once"]

log = logging.getLogger(__name__)

_WRITTEN = (
    OutcomeStatus.CREATED,
    OutcomeStatus.UPDATED,
    OutcomeStatus.DELETED,
    OutcomeStatus.MERGED,
    OutcomeStatus.LINKED,  # in the target: found there and linked instead of created twice
)
_REJECTED = (OutcomeStatus.INVALID, OutcomeStatus.REJECTED)
_DETAILS = ("created", "updated", "deleted", "linked", "unchanged", "left alone", "conflict",
            "not writable", "refused")  # fmt: skip
"""What a route's report details: writes, and what records that need none are (see
``flows.sync.write.applier.settled_label``)."""


def job_engine(job: JobConfig, ctx: JobContext, systems: Mapping[str, RecordSystem]) -> SyncEngine:
    """The sync engine of ``job`` on open systems, working for the run of ``ctx``."""
    return SyncEngine(
        job,
        ctx.require_store(),
        systems,
        run_id=ctx.report.run_id,
        context=job.transform_context(),
        dead_letters=ctx.dead_letters,
        progress=ctx.progress,
    )


def _api_calls(systems: Mapping[str, RecordSystem]) -> dict[str, int]:
    return {name: system.api_calls for name, system in systems.items()}


def _calls_since(before: Mapping[str, int], systems: Mapping[str, RecordSystem]) -> dict[str, int]:
    """The API calls each system made since ``before`` was taken (see ``_api_calls``)."""
    return {name: calls - before[name] for name, calls in _api_calls(systems).items()}


def fill_report(
    report: RunReport,
    routes: Sequence[PlannedRoute],
    stats: ApplyStats,
    api_calls: Mapping[str, int],
) -> None:
    """Per route a source row (read, written, rejected); per object the outcomes."""
    for planned in routes:
        label = planned.route.label
        outcomes = stats.routes.get(label, Counter())
        details = {
            status: str(outcomes.get(status, 0)) for status in _DETAILS if outcomes.get(status)
        }
        if planned.settled:  # equal by fingerprint before planning, plus those found equal
            details["unchanged"] = str(outcomes.get("unchanged", 0) + planned.settled)
        report.sources.append(
            SourceReport(
                label=label,
                read=sum(planned.read.values()),
                written=sum(outcomes.get(s.value, 0) for s in _WRITTEN),
                rejected=sum(outcomes.get(s.value, 0) for s in _REJECTED),
                parked=outcomes.get(OutcomeStatus.PARKED.value, 0),
                failed=outcomes.get(OutcomeStatus.FAILED.value, 0),
                details=details,
            )
        )
        report.quality.merge(planned.quality)
    for (end, _action, status), n in sorted(stats.counts.items()):
        row = report.actions.setdefault(end, {})
        row[status] = row.get(status, 0) + n
    report.quality.merge(stats.quality)
    report.api_calls.update(api_calls)


def sync_once(
    job: JobConfig,
    ctx: JobContext,
    systems: Mapping[str, RecordSystem],
    *,
    confirm_deletes: bool = False,
) -> PlannedSync:
    """Plan and apply ``job`` once on open systems; the outcome goes into ``ctx.report``."""
    before = _api_calls(systems)
    engine = job_engine(job, ctx, systems)
    planned = ctx.step(f"plan {job.name}", engine.plan)
    engine.check_deletes(planned.plan.items, confirmed=confirm_deletes)
    stats = ApplyStats()
    try:
        for route in planned.routes:
            done = ctx.step(f"apply {route.route.label}", lambda r=route: engine.apply([r]))  # type: ignore[misc]
            stats.merge(done)
    finally:
        calls = _calls_since(before, systems)
        fill_report(ctx.report, planned.routes, stats, calls)
        if engine.backup is not None and engine.backup.written:
            ctx.report.outputs["backup"] = engine.backup.path
    log.info("job %s: %s; API calls %s", job.name, dict(planned.plan.counts()), calls)
    return planned


def apply_saved_plan(
    job: JobConfig,
    ctx: JobContext,
    systems: Mapping[str, RecordSystem],
    plan: Plan,
    *,
    confirm_deletes: bool = False,
) -> list[PlannedRoute]:
    """Execute a plan saved by ``crmbridge plan``; refused items are in the routes' ``refused``."""
    before = _api_calls(systems)
    engine = job_engine(job, ctx, systems)
    routes: list[PlannedRoute] = []
    stats = ApplyStats()
    try:
        routes, stats = engine.apply_plan(
            plan, confirmed=confirm_deletes or job.sync.confirm_deletes
        )
    finally:
        calls = _calls_since(before, systems)
        fill_report(ctx.report, routes, stats, calls)
        if engine.backup is not None and engine.backup.written:
            ctx.report.outputs["backup"] = engine.backup.path
    return routes
