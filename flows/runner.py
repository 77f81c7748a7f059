"""Run one job: lock it, journal it, dispatch it to its kind, keep its rejects.

This is the same code with or without Prefect; Prefect only wraps the steps in tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from canonical import Rejected, SourceRef
from flows.config import FlowsConfig, JobConfig
from flows.jobs import RUNNERS, JobContext, ProgressCallback, StepRunner
from flows.jobs.context import StageCallback, run_inline
from flows.report import RunReport
from flows.store import StateStore
from flows.store.records import RunStatus

__all__ = ["StoreDeadLetters", "UnsupportedJobError", "check_runnable", "journaled_run", "run_job"]

log = logging.getLogger(__name__)


class UnsupportedJobError(Exception):
    """flows.yaml names a job kind this version cannot run yet."""


class StoreDeadLetters:
    """Dead letters of one run, written to the store in groups as the job goes."""

    # One transaction per few thousand rejects rather than per batch: a very dirty file
    # would otherwise spend its time in commits.
    FLUSH_AT = 5_000

    def __init__(self, store: StateStore, job: str, run_id: str) -> None:
        self._store, self._job, self._run_id = store, job, run_id
        # Resolving costs a query per batch; skip it when the job has nothing open.
        self.resolving = store.dead_letters.count_open(job) > 0
        self.resolved = 0
        self._pending: list[Rejected] = []

    def record(self, rejects: Sequence[Rejected]) -> None:
        self._pending.extend(rejects)
        if len(self._pending) >= self.FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._store.dead_letters.record_rejects(self._run_id, self._job, self._pending)
            self._pending = []

    def resolve(self, refs: Sequence[SourceRef]) -> None:
        if self.resolving and refs:
            self.flush()  # keep the order of events: a later success resolves an earlier reject
            self.resolved += self._store.dead_letters.resolve(self._job, refs, self._run_id)


def check_runnable(job: JobConfig) -> None:
    if job.kind not in RUNNERS:
        kinds = ", ".join(sorted(RUNNERS))
        raise UnsupportedJobError(
            f"job '{job.name}' is of kind '{job.kind}', which this version of crmbridge cannot "
            f"run yet (it runs: {kinds})"
        )


def run_job(
    config: FlowsConfig,
    job: JobConfig,
    *,
    step: StepRunner = run_inline,
    progress: ProgressCallback | None = None,
    stage: StageCallback | None = None,
) -> RunReport:
    """Run ``job`` to the end and return its report; a failed run is journaled, then re-raised."""
    check_runnable(job)
    runner = RUNNERS[job.kind]
    with journaled_run(config, job, step=step, progress=progress) as context:
        if stage is not None:
            context.stage = stage
        runner(job, context)
    return context.report


@contextmanager
def journaled_run(
    config: FlowsConfig,
    job: JobConfig,
    kind: str | None = None,
    *,
    step: StepRunner = run_inline,
    progress: ProgressCallback | None = None,
) -> Iterator[JobContext]:
    """Lock ``job`` and journal a run of it around the block, which gets the run's context.

    ``kind`` is what the journal calls the run (default: the job's kind; the CLI's ``plan``
    and ``apply`` steps name themselves). A block that raises leaves a failed run, then the
    error goes on; the rejects found until then are kept either way.
    """
    run_kind = kind or job.kind
    with StateStore.open(config.state_url) as store, store.lock(job.name):
        # A run still marked running under a free lock was killed; say so in the journal.
        aborted = store.runs.abort_running(job.name, "the process ended before the run finished")
        if aborted:
            log.warning("job %s: marked %d interrupted run(s) as aborted", job.name, aborted)
        run = store.runs.start(job.name, run_kind)
        report = RunReport(run_id=run.id, job=job.name, kind=run_kind, started_at=run.started_at)
        dead_letters = StoreDeadLetters(store, job.name, run.id)
        context = JobContext(
            report=report,
            dead_letters=dead_letters,
            rejects_path=job.rejects.path,
            timezone=job.timezone or config.defaults.timezone,
            step=step,
            store=store,
            config=config,
        )
        if progress is not None:
            context.progress = progress
        try:
            try:
                yield context
            finally:
                dead_letters.flush()  # a failed run keeps the rejects it found, too
        except BaseException as exc:
            report.status = RunStatus.FAILED
            report.message = f"{type(exc).__name__}: {exc}"
            report.finish(datetime.now(UTC))
            store.runs.finish(run.id, report.status, report.counts, report.message)
            raise
        report.resolved_dead_letters = dead_letters.resolved
        report.finish(datetime.now(UTC))
        store.runs.finish(run.id, report.status, report.counts, report.message)
        log.info("run %s of %s: %s in %.2fs", run.id, job.name, report.status, report.seconds)
