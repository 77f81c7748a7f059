"""The sync and migrate jobs' runner (a migration is a one-way sync that never deletes).

The work itself is the sync engine's (``flows.sync.job``); the names the command line and
the tests use to drive a sync on systems they opened are re-exported here.
"""

from __future__ import annotations

from flows.config import JobConfig
from flows.context import JobContext
from flows.sync.job import apply_saved_plan, fill_report, job_engine, sync_once
from flows.systems.open import open_job_systems

__all__ = [
    "apply_saved_plan",
    "fill_report",
    "job_engine",
    "open_job_systems",
    "run_sync",
    "sync_once",
]


def run_sync(job: JobConfig, ctx: JobContext) -> None:
    """The runner of ``sync`` and ``migrate`` jobs (flows.jobs.RUNNERS); with ``assign:``
    rules, the accounts the run created get their owners next (flows.assign)."""
    systems = open_job_systems(job, ctx.require_config())
    planned = sync_once(job, ctx, systems, confirm_deletes=job.sync.confirm_deletes)
    if job.assign.rules:
        from flows.assign.job import assign_created

        assign_created(job, ctx, systems, planned.plan)
