"""Job kinds: plain functions that run one job, with no Prefect in sight."""

from __future__ import annotations

from collections.abc import Callable

from flows.config import JobConfig
from flows.context import DeadLetterSink, JobContext, ProgressCallback, StepRunner
from flows.jobs.normalise import run_normalise
from flows.jobs.tier import run_assign_job, run_feedback_job, run_tier_job

__all__ = [
    "RUNNERS",
    "DeadLetterSink",
    "JobContext",
    "JobRunner",
    "ProgressCallback",
    "StepRunner",
]

JobRunner = Callable[[JobConfig, JobContext], None]


def _run_dedupe(job: JobConfig, ctx: JobContext) -> None:
    # Imported on use: the dedupe engine loads numpy, which other commands need not pay for.
    from flows.dedupe.job import run_dedupe

    run_dedupe(job, ctx)


def _run_sync(job: JobConfig, ctx: JobContext) -> None:
    # Imported on use, like dedupe: the sync engine is not needed by the other kinds.
    from flows.jobs.sync import run_sync

    run_sync(job, ctx)


RUNNERS: dict[str, JobRunner] = {
    "normalise": run_normalise,
    "dedupe": _run_dedupe,
    "sync": _run_sync,
    "migrate": _run_sync,
    "tier": run_tier_job,
    "assign": run_assign_job,
    "feedback": run_feedback_job,
}
"""The runner of each job kind flows.yaml may name."""
