"""Job kinds: plain functions that run one job, with no Prefect in sight."""

from __future__ import annotations

from collections.abc import Callable

from flows.config import JobConfig
from flows.jobs.context import DeadLetterSink, JobContext, ProgressCallback, StepRunner
from flows.jobs.normalise import run_normalise

__all__ = [
    "RUNNERS",
    "DeadLetterSink",
    "JobContext",
    "JobRunner",
    "ProgressCallback",
    "StepRunner",
]

JobRunner = Callable[[JobConfig, JobContext], None]

RUNNERS: dict[str, JobRunner] = {
    "normalise": run_normalise,
}
"""Kinds this version can run; flows.yaml may name the others, which come in later versions."""
