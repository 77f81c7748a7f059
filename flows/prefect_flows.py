"""The Prefect layer: one thin flow per job, one task per step (a source file or a batch).

Importing this module imports Prefect (about a second), so only the CLI's Prefect path and
deployments import it. The logic it runs lives in ``flows.runner`` and ``flows.jobs``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE

from flows.config import load_config
from flows.report import RunReport
from flows.runner import run_job

__all__ = ["crmbridge_job", "serve_jobs"]

T = TypeVar("T")


def _prefect_step(label: str, work: Callable[[], T]) -> T:
    # Steps are coarse (a source file, a batch); retries stay in the connectors' HTTP layer.
    return task(name=label, cache_policy=NONE)(work)()


def _publish(report: RunReport) -> None:
    rows = [
        {"source": s.label, "read": s.read, "written": s.written, "rejected": s.rejected,
         "duplicates": s.duplicates}
        for s in report.sources
    ]  # fmt: skip
    # Sync and migrate runs: one row per target object with its outcomes, then API calls.
    rows += [{"source": name, **outcomes} for name, outcomes in sorted(report.actions.items())]
    rows += [{"source": f"api calls: {name}", "calls": n} for name, n in report.api_calls.items()]
    create_table_artifact(
        key=f"crmbridge-{report.job}".lower().replace("_", "-"),
        table=rows,
        description=f"crmbridge run {report.run_id}: {report.status.value}",
    )


@flow(name="crmbridge-job", flow_run_name="{job_name}", validate_parameters=True)
def crmbridge_job(config_path: str, job_name: str) -> RunReport:
    """Run one job of flows.yaml as a Prefect flow run."""
    config = load_config(Path(config_path))
    report = run_job(config, config.job(job_name), step=_prefect_step)
    _publish(report)
    return report


def serve_jobs(config_path: Path, job_names: list[str]) -> None:
    """Serve the scheduled jobs as Prefect deployments (cron from flows.yaml) until stopped."""
    from prefect import serve
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Cron

    config = load_config(config_path)
    deployments: list[RunnerDeployment] = []
    for job in config.jobs:
        if (job_names and job.name not in job_names) or not job.schedule:
            continue
        deployment = crmbridge_job.to_deployment(
            name=job.name,
            schedules=[Cron(job.schedule, timezone=job.timezone)],
            parameters={"config_path": str(config_path.resolve()), "job_name": job.name},
            description=job.description or None,
            # Two runs of one job never overlap; the state store's lock enforces it as well.
            concurrency_limit=1,
        )
        assert isinstance(deployment, RunnerDeployment)
        deployments.append(deployment)
    if not deployments:
        raise ValueError("no job with a schedule to serve; add `schedule:` to a job in flows.yaml")
    serve(*deployments)
