"""Entry points of the customer-management kinds: tier, assign and feedback jobs.

Each imports its engine on use: the tiering engine loads numpy, which the other commands
need not pay for.
"""

from __future__ import annotations

from flows.config import JobConfig
from flows.context import JobContext

__all__ = ["run_assign_job", "run_feedback_job", "run_tier_job"]


def run_tier_job(job: JobConfig, ctx: JobContext) -> None:
    from flows.tier.job import run_tier

    run_tier(job, ctx)


def run_assign_job(job: JobConfig, ctx: JobContext) -> None:
    from flows.assign.job import run_assign

    run_assign(job, ctx)


def run_feedback_job(job: JobConfig, ctx: JobContext) -> None:
    from flows.feedback.job import run_feedback

    run_feedback(job, ctx)
