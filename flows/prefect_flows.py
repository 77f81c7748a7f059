"""The Prefect layer: one thin flow per job kind, one task per step, deployments.

Importing this module imports Prefect (about a second), so only the CLI's Prefect commands
and Prefect's own runners import it. What the flows decide (states, tags, names, artifacts)
is in ``flows.orchestration``; what they run is ``flows.execution``; what each flow run
does around its job is in ``flows.prefect_run`` (whose errors are re-exported here).

A flow run of a job:

* logs crmbridge's own records into the run's log (redacted, ``flows.runlog``);
* runs each step as a task tagged ``crm-<system>`` for the CRMs it calls (concurrency);
* takes the job's ``retries``/``retry_delay_seconds`` (set on the run when it starts, so a
  worker that loads the flow by its module path honours them too) and ``timeout_seconds``;
* publishes a table and a markdown artifact (counts of any job kind, the reports' paths);
* ends Completed, "Completed with rejects" (exit code 3) or Failed with the reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import State, flow, get_client

from flows.config import FlowsConfig, JobConfig, JobKind, load_config
from flows.execution import JobSwitches
from flows.orchestration import (
    FLOW_NAMES,
    DeploymentSpec,
    deployment_specs,
    system_limits,
)
from flows.prefect_run import JobFailedError, JobTimeoutError, run_job_flow
from flows.report import RunReport

__all__ = [
    "JobFailedError",
    "JobTimeoutError",
    "crmbridge_assign",
    "crmbridge_dedupe",
    "crmbridge_feedback",
    "crmbridge_normalise",
    "crmbridge_sync",
    "crmbridge_tier",
    "deploy_jobs",
    "ensure_system_limits",
    "flow_for",
    "run_as_flow",
    "serve_jobs",
]


@flow(name=FLOW_NAMES[JobKind.NORMALISE], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_normalise(config_path: str, job_name: str) -> State[RunReport]:
    """Normalise source files into canonical records (a normalise job of flows.yaml)."""
    return run_job_flow(config_path, job_name, JobSwitches())


@flow(name=FLOW_NAMES[JobKind.DEDUPE], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_dedupe(
    config_path: str,
    job_name: str,
    apply: bool | None = None,
    full: bool = False,
    decisions: str | None = None,
) -> State[RunReport]:
    """Find duplicates and write the review report; ``apply`` merges (None: as flows.yaml
    says), ``full`` resolves every record again, ``decisions`` names a reviewer's CSV."""
    switches = JobSwitches(apply=apply, full=full, decisions=Path(decisions) if decisions else None)
    return run_job_flow(config_path, job_name, switches)


@flow(name=FLOW_NAMES[JobKind.SYNC], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_sync(
    config_path: str, job_name: str, dry_run: bool = False, confirm_deletes: bool = False
) -> State[RunReport]:
    """Sync or migrate; ``dry_run`` only plans (writes nothing), ``confirm_deletes`` lets
    this run delete more than the job's ``sync.max_delete_share``."""
    switches = JobSwitches(dry_run=dry_run, confirm_deletes=confirm_deletes)
    return run_job_flow(config_path, job_name, switches)


@flow(name=FLOW_NAMES[JobKind.TIER], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_tier(config_path: str, job_name: str, dry_run: bool = False) -> State[RunReport]:
    """Tier, stage and flag customers and write them back; ``dry_run`` plans and reports
    (upgrades, downgrades, the writes it would make) without writing."""
    return run_job_flow(config_path, job_name, JobSwitches(dry_run=dry_run))


@flow(name=FLOW_NAMES[JobKind.ASSIGN], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_assign(config_path: str, job_name: str, dry_run: bool = False) -> State[RunReport]:
    """Give accounts without an owner to a team member by the job's rules; ``dry_run``
    reports the reassignments without writing them."""
    return run_job_flow(config_path, job_name, JobSwitches(dry_run=dry_run))


@flow(name=FLOW_NAMES[JobKind.FEEDBACK], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_feedback(config_path: str, job_name: str, dry_run: bool = False) -> State[RunReport]:
    """Sync feedback (cases, follow-ups, survey answers) with its customers and report
    satisfaction per account; ``dry_run`` plans without writing."""
    return run_job_flow(config_path, job_name, JobSwitches(dry_run=dry_run))


_FLOWS: dict[str, Any] = {
    FLOW_NAMES[JobKind.NORMALISE]: crmbridge_normalise,
    FLOW_NAMES[JobKind.DEDUPE]: crmbridge_dedupe,
    FLOW_NAMES[JobKind.SYNC]: crmbridge_sync,
    FLOW_NAMES[JobKind.TIER]: crmbridge_tier,
    FLOW_NAMES[JobKind.ASSIGN]: crmbridge_assign,
    FLOW_NAMES[JobKind.FEEDBACK]: crmbridge_feedback,
}


def flow_for(spec_or_kind: DeploymentSpec | JobKind) -> Any:
    """The flow object that runs a deployment (or a job kind)."""
    if isinstance(spec_or_kind, DeploymentSpec):
        return _FLOWS[spec_or_kind.flow_name]
    return _FLOWS[FLOW_NAMES[spec_or_kind]]


def _flow_parameters(job: JobConfig, switches: JobSwitches) -> dict[str, object]:
    if job.kind is JobKind.DEDUPE:
        decisions = str(switches.decisions) if switches.decisions else None
        return {"apply": switches.apply, "full": switches.full, "decisions": decisions}
    if job.kind in (JobKind.SYNC, JobKind.MIGRATE):
        return {"dry_run": switches.dry_run, "confirm_deletes": switches.confirm_deletes}
    if job.kind in (JobKind.TIER, JobKind.ASSIGN, JobKind.FEEDBACK):
        return {"dry_run": switches.dry_run}
    return {}


def run_as_flow(config: FlowsConfig, job: JobConfig, switches: JobSwitches) -> RunReport:
    """Run ``job`` as a flow run in this process and return its report; a failed run raises
    its error (JobFailedError carries the report of a run that failed without one)."""
    if job.kind not in FLOW_NAMES:
        raise ValueError(f"job '{job.name}' is of kind '{job.kind.value}', which has no flow")
    job_flow = flow_for(job.kind)
    state: State[RunReport] = job_flow(
        str(config.path), job.name, **_flow_parameters(job, switches), return_state=True
    )
    result = state.result(raise_on_failure=True)
    if not isinstance(result, RunReport):
        raise RuntimeError(f"the flow run ended {state.name} without a report")
    return result


# -- deployments -------------------------------------------------------------------------------


def ensure_system_limits(limits: dict[str, int]) -> dict[str, str]:
    """A concurrency limit per ``crm-<system>`` tag; returns tag -> created/updated/unchanged."""
    from prefect.exceptions import ObjectNotFound

    outcome: dict[str, str] = {}
    with get_client(sync_client=True) as client:
        for tag, slots in sorted(limits.items()):
            try:
                existing = client.read_concurrency_limit_by_tag(tag)
            except ObjectNotFound:
                existing = None
            if existing is not None and existing.concurrency_limit == slots:
                outcome[tag] = "unchanged"
                continue
            client.create_concurrency_limit(tag=tag, concurrency_limit=slots)
            outcome[tag] = "created" if existing is None else "updated"
    return outcome


def _schedules(spec: DeploymentSpec) -> list[Any]:
    from prefect.schedules import Cron

    return [Cron(spec.cron, timezone=spec.timezone)] if spec.cron else []


def _fingerprint(spec: DeploymentSpec, pool: str | None) -> str:
    """What a deployment is made of, hashed: ``crmbridge deploy`` leaves one alone when its
    fingerprint (kept as the deployment's version) has not changed."""
    from importlib.metadata import version

    material = json.dumps(
        {"spec": spec.__dict__, "pool": pool, "crmbridge": version("crmbridge")},
        sort_keys=True,
        default=str,
    )
    return "crmbridge-" + hashlib.sha256(material.encode()).hexdigest()[:12]


def _deployment(spec: DeploymentSpec, *, pool: str | None) -> Any:
    from prefect.types.entrypoint import EntrypointType

    return flow_for(spec).to_deployment(
        name=spec.name,
        schedules=_schedules(spec),
        parameters=spec.parameters,
        description=spec.description,
        tags=spec.tags,
        version=_fingerprint(spec, pool),
        # Two runs of one job never overlap (the state store's job lock enforces it too).
        concurrency_limit=1,
        # Workers import the flow from the installed package, wherever they run.
        entrypoint_type=EntrypointType.MODULE_PATH,
        work_pool_name=pool,
    )


def serve_jobs(config_path: Path, job_names: Sequence[str]) -> None:
    """Serve the scheduled jobs as deployments of this process (cron from flows.yaml) until
    stopped. Raises ValueError when there is nothing to serve."""
    from prefect import serve

    config = load_config(config_path)
    specs = [s for s in deployment_specs(config, job_names) if s.cron]
    if not specs:
        raise ValueError("no job with a schedule to serve; add `schedule:` to a job in flows.yaml")
    ensure_system_limits(system_limits(config, [s.job for s in specs]))
    serve(*(_deployment(s, pool=None) for s in specs))


@dataclass(frozen=True)
class DeployOutcome:
    spec: DeploymentSpec
    status: str  # created, updated, unchanged


def ensure_work_pool(pool: str) -> str:
    """Create the process work pool ``pool`` if the server has none of that name."""
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
            return "unchanged"
        except ObjectNotFound:
            client.create_work_pool(
                WorkPoolCreate(
                    name=pool,
                    type="process",
                    base_job_template=ProcessWorker.get_default_base_job_template(),
                )
            )
            return "created"


def deploy_jobs(config: FlowsConfig, job_names: Sequence[str], pool: str) -> list[DeployOutcome]:
    """Register the jobs' deployments on ``pool``; a deployment whose fingerprint is
    unchanged is not touched, so a second deploy changes nothing."""
    from prefect.exceptions import ObjectNotFound

    specs = deployment_specs(config, job_names)
    outcomes = []
    with get_client(sync_client=True) as client:
        for spec in specs:
            wanted = _fingerprint(spec, pool)
            try:
                existing = client.read_deployment_by_name(spec.full_name)
            except ObjectNotFound:
                existing = None
            if existing is not None and existing.version == wanted:
                outcomes.append(DeployOutcome(spec, "unchanged"))
                continue
            _deployment(spec, pool=pool).apply(work_pool_name=pool)
            outcomes.append(DeployOutcome(spec, "created" if existing is None else "updated"))
    return outcomes
