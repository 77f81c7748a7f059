"""Running a job with its switches, as the command line and the Prefect flows both do.

The switches are what a person may change for one run: ``dry_run`` (sync and migrate: plan
only, write nothing), ``confirm_deletes`` (sync and migrate: let a run delete past
``sync.max_delete_share``), ``apply``, ``full`` and ``decisions`` (dedupe). After the run, the
job's alerts are evaluated (flows.alerts). No Prefect here: the flows pass a step runner and
their flow-run id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from canonical import Rejected
from flows.alerts import notify
from flows.config import ConfigError, FlowsConfig, JobConfig, JobKind
from flows.context import StageCallback, run_inline
from flows.jobs import RUNNERS, ProgressCallback, StepRunner
from flows.report import RunReport
from flows.runner import check_runnable, journaled_run
from flows.store import JobLockedError, StateStore
from mapping.yamldoc import Problem

if TYPE_CHECKING:
    from flows.sync.planning.plan import Plan

__all__ = ["SYNC_KINDS", "JobSwitches", "PlanOutcome", "execute", "plan_job"]

log = logging.getLogger(__name__)

SYNC_KINDS = (JobKind.SYNC, JobKind.MIGRATE)
# Kinds whose dry run is their own option (plan, report, write nothing), not the sync plan.
PLANNING_KINDS = (JobKind.TIER, JobKind.ASSIGN, JobKind.FEEDBACK)


@dataclass(frozen=True)
class JobSwitches:
    """One run's overrides of flows.yaml. None/False: as flows.yaml says."""

    dry_run: bool = False
    confirm_deletes: bool = False
    apply: bool | None = None
    full: bool = False
    decisions: Path | None = None

    def problems(self, job: JobConfig) -> list[str]:
        """The switches that mean nothing for ``job``'s kind."""
        given = []
        if job.kind in SYNC_KINDS:
            given = [n for n in ("apply", "full", "decisions") if self._set(n)]
            where = "dedupe jobs"
        elif job.kind is JobKind.DEDUPE:
            given = [n for n in ("dry_run", "confirm_deletes") if self._set(n)]
            where = "sync and migrate jobs (a dedupe job's dry run is apply: false)"
        elif job.kind in PLANNING_KINDS:
            given = [n for n in ("confirm_deletes", "apply", "full", "decisions") if self._set(n)]
            where = "sync, migrate and dedupe jobs"
        else:
            given = [n for n in ("dry_run", "confirm_deletes", "apply", "full", "decisions")
                     if self._set(n)]  # fmt: skip
            where = "sync, migrate and dedupe jobs"
        return [f"{name} applies to {where}, not to {job.kind.value} job {job.name!r}"
                for name in given]  # fmt: skip

    def _set(self, name: str) -> bool:
        value = getattr(self, name)
        return value is not None and value is not False

    def applied_to(self, job: JobConfig) -> JobConfig:
        """``job`` with these switches; raise ConfigError for a switch its kind has not."""
        problems = self.problems(job)
        if problems:
            raise ConfigError(Path("switches"), [Problem(None, "", p) for p in problems])
        if job.kind in PLANNING_KINDS and self.dry_run:
            section = str(job.kind.value)
            options = getattr(job, section).model_copy(update={"dry_run": True})
            return job.model_copy(update={section: options})
        if job.kind in SYNC_KINDS and self.confirm_deletes:
            return job.model_copy(
                update={"sync": job.sync.model_copy(update={"confirm_deletes": True})}
            )
        if job.kind is JobKind.DEDUPE:
            update: dict[str, object] = {}
            if self.apply is not None:
                update["apply"] = self.apply
            if self.decisions is not None:
                update["decisions"] = self.decisions.absolute()
            if self.full:
                update["incremental"] = False
            if update:
                return job.model_copy(update={"dedupe": job.dedupe.model_copy(update=update)})
        return job


@dataclass
class PlanOutcome:
    """A sync's dry run: the journaled report, the plan, what would be rejected, and the
    mass-delete guard's objection (None when the plan passes it)."""

    report: RunReport
    plan: Plan
    rejects: list[Rejected] = field(default_factory=list)
    guard: str | None = None


def plan_job(
    config: FlowsConfig,
    job: JobConfig,
    *,
    step: StepRunner = run_inline,
    progress: ProgressCallback | None = None,
    flow_run_id: str | None = None,
    started: list[RunReport] | None = None,
) -> PlanOutcome:
    """Plan a sync or migrate job, journaled as a ``plan`` run; nothing is written anywhere
    but the state store's journal and dead letters."""
    from flows.jobs.sync import job_engine, open_job_systems
    from flows.sync.gather.planned import plan_sources
    from flows.sync.planning.guard import MassDeleteError

    with journaled_run(
        config, job, "plan", step=step, progress=progress, flow_run_id=flow_run_id
    ) as ctx:
        if started is not None:
            started.append(ctx.report)
        systems = open_job_systems(job, config)
        engine = job_engine(job, ctx, systems)
        planned = step(f"plan {job.name}", engine.plan)
        sources, rejects = plan_sources(planned.routes)
        ctx.report.sources += sources
        if ctx.dead_letters is not None and rejects:
            ctx.dead_letters.record(rejects)
        ctx.report.api_calls.update({n: s.api_calls for n, s in systems.items()})
        try:
            engine.check_deletes(planned.plan.items)
            guard = None
        except MassDeleteError as exc:
            guard = str(exc)
    return PlanOutcome(report=ctx.report, plan=planned.plan, rejects=list(rejects), guard=guard)


def execute(
    config: FlowsConfig,
    job: JobConfig,
    switches: JobSwitches | None = None,
    *,
    step: StepRunner = run_inline,
    progress: ProgressCallback | None = None,
    flow_run_id: str | None = None,
    stage: StageCallback | None = None,
) -> RunReport:
    """Run ``job`` with ``switches`` and evaluate its alerts; a failed run is journaled and
    alerted, then its error goes on."""
    switches = switches or JobSwitches()
    started: list[RunReport] = []
    try:
        job = switches.applied_to(job)
        if switches.dry_run and job.kind in SYNC_KINDS:
            report = plan_job(
                config, job, step=step, progress=progress, flow_run_id=flow_run_id,
                started=started,
            ).report  # fmt: skip
        else:
            check_runnable(job)
            with journaled_run(
                config, job, step=step, progress=progress, flow_run_id=flow_run_id, stage=stage
            ) as ctx:
                started.append(ctx.report)
                RUNNERS[job.kind](job, ctx)
            report = ctx.report
    except Exception as exc:
        if not isinstance(exc, JobLockedError):  # another run of it is going on: not a failure
            _alert(config, job, started[0] if started else None, f"{type(exc).__name__}: {exc}")
        raise
    _alert(config, job, report, None)
    return report


def _alert(
    config: FlowsConfig, job: JobConfig, report: RunReport | None, error: str | None
) -> None:
    if job.alerts is None:
        return
    try:
        with StateStore.open(config.state_url) as store:
            notify(store, job, report, error=error, project=config.project_name)
    except Exception as exc:
        log.warning("job %s: alerts not evaluated: %s", job.name, exc)
