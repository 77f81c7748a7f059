"""The Prefect layer: one thin flow per job kind, one task per step, deployments.

Importing this module imports Prefect (about a second), so only the CLI's Prefect commands
and Prefect's own runners import it. What the flows decide (states, tags, names, artifacts)
is in ``flows.orchestration``; what they run is ``flows.execution``.

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
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from prefect import State, flow, get_client, get_run_logger, tags, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.states import Completed
from prefect.utilities.timeout import timeout

from flows.config import FlowsConfig, JobConfig, JobKind, load_config
from flows.execution import JobSwitches, execute
from flows.orchestration import (
    FLOW_NAMES,
    DeploymentSpec,
    artifact_key,
    count_rows,
    deployment_specs,
    final_state,
    job_tags,
    summary_markdown,
    system_limits,
)
from flows.report import RunReport
from flows.runlog import forward_logs

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

log = logging.getLogger(__name__)

T = TypeVar("T")


class JobFailedError(Exception):
    """The job finished as failed without raising (e.g. merges that failed); the run's report
    is kept for whoever called the flow in-process."""

    def __init__(self, message: str, report: RunReport) -> None:
        super().__init__(message)
        self.report = report


class JobTimeoutError(TimeoutError):
    """The job ran past its ``timeout_seconds``."""


def _prefect_step(label: str, work: Callable[[], T]) -> T:
    # Steps are coarse (a source file, a batch); HTTP retries stay in the connectors.
    return task(name=label, cache_policy=NONE)(work)()


def _apply_retries(job: JobConfig) -> None:
    """Give this flow run the job's retries. The server decides retries from the run's
    policy when the run fails, so setting it now works however the flow was loaded."""
    context = FlowRunContext.get()
    run = context.flow_run if context is not None else None
    if run is None or not job.retries:
        return
    policy = run.empirical_policy.model_copy(
        update={"retries": job.retries, "retry_delay": job.retry_delay_seconds}
    )
    with get_client(sync_client=True) as client:
        client.update_flow_run(run.id, empirical_policy=policy)


def _publish(config: FlowsConfig, report: RunReport, flow_run_id: str | None) -> None:
    try:
        create_table_artifact(
            key=artifact_key(config, report.job, "counts"),
            table=count_rows(report),
            description=f"crmbridge run {report.run_id}: {report.status.value}",
        )
        create_markdown_artifact(
            key=artifact_key(config, report.job, "summary"),
            markdown=summary_markdown(report, flow_run_id),
            description=f"crmbridge run {report.run_id}: counts and reports",
        )
        # Tier, assign and feedback figures (distribution, moves, at-risk, load...): a table each.
        for name, rows in report.tables.items():
            create_table_artifact(
                key=artifact_key(config, report.job, name),
                table=rows,
                description=f"crmbridge run {report.run_id}: {name}",
            )
    except Exception as exc:  # the run's outcome stands without its artifacts
        log.warning("could not publish the run's artifacts: %s", exc)


def _run(config_path: str, job_name: str, switches: JobSwitches) -> State[RunReport]:
    logger = get_run_logger()
    with forward_logs(logger):
        config = load_config(Path(config_path))
        job = config.job(job_name)
        _apply_retries(job)
        context = FlowRunContext.get()
        flow_run_id = str(context.flow_run.id) if context and context.flow_run else None
        with tags(*job_tags(config, job)), timeout(job.timeout_seconds, JobTimeoutError):
            report = execute(config, job, switches, step=_prefect_step, flow_run_id=flow_run_id)
        _publish(config, report, flow_run_id)
        final = final_state(report)
        logger.info("%s", final.message)
        if final.type == "failed":
            raise JobFailedError(final.message, report)
        return Completed(name=final.name or "Completed", message=final.message, data=report)


@flow(name=FLOW_NAMES[JobKind.NORMALISE], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_normalise(config_path: str, job_name: str) -> State[RunReport]:
    """Normalise source files into canonical records (a normalise job of flows.yaml)."""
    return _run(config_path, job_name, JobSwitches())


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
    return _run(config_path, job_name, switches)


@flow(name=FLOW_NAMES[JobKind.SYNC], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_sync(
    config_path: str, job_name: str, dry_run: bool = False, confirm_deletes: bool = False
) -> State[RunReport]:
    """Sync or migrate; ``dry_run`` only plans (writes nothing), ``confirm_deletes`` lets
    this run delete more than the job's ``sync.max_delete_share``."""
    switches = JobSwitches(dry_run=dry_run, confirm_deletes=confirm_deletes)
    return _run(config_path, job_name, switches)


@flow(name=FLOW_NAMES[JobKind.TIER], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_tier(config_path: str, job_name: str, dry_run: bool = False) -> State[RunReport]:
    """Tier, stage and flag customers and write them back; ``dry_run`` plans and reports
    (upgrades, downgrades, the writes it would make) without writing."""
    return _run(config_path, job_name, JobSwitches(dry_run=dry_run))


@flow(name=FLOW_NAMES[JobKind.ASSIGN], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_assign(config_path: str, job_name: str, dry_run: bool = False) -> State[RunReport]:
    """Give accounts without an owner to a team member by the job's rules; ``dry_run``
    reports the reassignments without writing them."""
    return _run(config_path, job_name, JobSwitches(dry_run=dry_run))


@flow(name=FLOW_NAMES[JobKind.FEEDBACK], flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_feedback(config_path: str, job_name: str, dry_run: bool = False) -> State[RunReport]:
    """Sync feedback (cases, follow-ups, survey answers) with its customers and report
    satisfaction per account; ``dry_run`` plans without writing."""
    return _run(config_path, job_name, JobSwitches(dry_run=dry_run))


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
