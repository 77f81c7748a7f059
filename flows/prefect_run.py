"""One job as a Prefect flow run: what every flow of ``prefect_flows`` does around the job.

The job's records go to the run's log (``flows.runlog``), its ``retries`` are set on the run
when it starts, each step is a task under the job's tags, ``timeout_seconds`` bounds it, and
the report is published as artifacts; the run ends Completed, "Completed with rejects" or
Failed. Importing this module imports Prefect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from prefect import State, get_client, get_run_logger, tags, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.states import Completed
from prefect.utilities.timeout import timeout

from flows.config import FlowsConfig, JobConfig, load_config
from flows.execution import JobSwitches, execute
from flows.orchestration import artifact_key, count_rows, final_state, job_tags, summary_markdown
from flows.report import RunReport
from flows.runlog import forward_logs

__all__ = [
    "JobFailedError",
    "JobTimeoutError",
    "apply_retries",
    "prefect_step",
    "publish",
    "run_job_flow",
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


def prefect_step(label: str, work: Callable[[], T]) -> T:
    """Run one step of a job as a Prefect task named ``label``."""
    # Steps are coarse (a source file, a batch); HTTP retries stay in the connectors.
    return task(name=label, cache_policy=NONE)(work)()


def apply_retries(job: JobConfig) -> None:
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


def publish(config: FlowsConfig, report: RunReport, flow_run_id: str | None) -> None:
    """The run's counts, summary and figures as artifacts of its flow run."""
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


def run_job_flow(config_path: str, job_name: str, switches: JobSwitches) -> State[RunReport]:
    """What every flow of a job kind does: run the job inside the current flow run (its
    log, retries, tags, timeout), publish its artifacts and end in the run's final state."""
    logger = get_run_logger()
    with forward_logs(logger):
        config = load_config(Path(config_path))
        job = config.job(job_name)
        apply_retries(job)
        context = FlowRunContext.get()
        flow_run_id = str(context.flow_run.id) if context and context.flow_run else None
        with tags(*job_tags(config, job)), timeout(job.timeout_seconds, JobTimeoutError):
            report = execute(config, job, switches, step=prefect_step, flow_run_id=flow_run_id)
        publish(config, report, flow_run_id)
        final = final_state(report)
        logger.info("%s", final.message)
        if final.type == "failed":
            raise JobFailedError(final.message, report)
        return Completed(name=final.name or "Completed", message=final.message, data=report)
