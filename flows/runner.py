"""Run one job: lock it, journal it, dispatch it to its kind, keep its rejects.

This is the same code with or without Prefect; Prefect only wraps the steps in tasks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from canonical import Rejected, SourceRef
from flows.config import FlowsConfig, JobConfig
from flows.context import StageCallback, run_inline
from flows.jobs import RUNNERS, JobContext, ProgressCallback, StepRunner
from flows.report import RunReport
from flows.store import JobLockedError, StateStore
from flows.store.records import RunStatus

__all__ = [
    "RunDeadlineError",
    "StoreDeadLetters",
    "UnsupportedJobError",
    "check_runnable",
    "journaled_run",
    "run_job",
]

log = logging.getLogger(__name__)


class RunDeadlineError(TimeoutError):
    """A run went past its job's ``timeout_seconds``; it stopped after its last commit."""


def _with_deadline(progress: ProgressCallback, job: JobConfig) -> ProgressCallback:
    """``progress`` that stops the run once ``timeout_seconds`` have passed. Every job reports
    progress after a page read or a batch committed, so the run stops at such a boundary:
    what it wrote is committed and its watermarks did not move past it; the next run goes on.
    """
    assert job.timeout_seconds is not None
    seconds = job.timeout_seconds
    deadline = time.monotonic() + seconds

    def checked(label: str, count: int) -> None:
        progress(label, count)
        if time.monotonic() > deadline:
            raise RunDeadlineError(
                f"job {job.name} ran past its timeout_seconds ({seconds} s) and stopped after "
                "its last committed batch; the next run goes on from there"
            )

    return checked


class UnsupportedJobError(Exception):
    """flows.yaml names a job kind this version cannot run yet."""


class StoreDeadLetters:
    """Dead letters of one run, written to the store in groups as the job goes."""

    # One transaction per few thousand rejects rather than per batch: a very dirty file
    # would otherwise spend its time in commits.
    FLUSH_AT = 5_000

    def __init__(self, store: StateStore, job: str, run_id: str, *, payloads: bool = True) -> None:
        self._store, self._job, self._run_id = store, job, run_id
        self._payloads = payloads  # False: ids, field and reason only (options.store_payloads)
        # Resolving costs a query per batch; skip it when the job has nothing open.
        self.resolving = store.dead_letters.count_open(job) > 0
        self.resolved = 0
        self._pending: list[Rejected] = []

    def record(self, rejects: Sequence[Rejected]) -> None:
        if not self._payloads:
            rejects = [r.model_copy(update={"raw": {}, "value": None}) for r in rejects]
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


def _write_quality_page(report: RunReport, rejects_path: Path) -> None:
    """The run's data-quality page beside its rejects file (``<job>-quality.html``)."""
    from flows.files import write_text_atomic
    from flows.quality_html import render_quality_html

    path = rejects_path.with_name(f"{report.job}-quality.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, render_quality_html(report))
    report.outputs["quality"] = path


@contextmanager
def _locked(store: StateStore, job: str, kind: str) -> Iterator[None]:
    """The job's lock for the block. A run refused because another holds it is journaled as
    failed, naming the holder, so the history shows every attempt (a scheduler's too)."""
    with ExitStack() as stack:
        try:
            stack.enter_context(store.lock(job))
        except JobLockedError as exc:
            refused = store.runs.start(job, kind)
            store.runs.finish(refused.id, RunStatus.FAILED, {}, f"refused: {exc}")
            raise
        yield


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
    flow_run_id: str | None = None,
    stage: StageCallback | None = None,
) -> RunReport:
    """Run ``job`` to the end and return its report; a failed run is journaled, then re-raised.

    ``flow_run_id``: the Prefect flow run this run is, kept in the journal."""
    check_runnable(job)
    runner = RUNNERS[job.kind]
    with journaled_run(
        config, job, step=step, progress=progress, flow_run_id=flow_run_id, stage=stage
    ) as context:
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
    flow_run_id: str | None = None,
    stage: StageCallback | None = None,
) -> Iterator[JobContext]:
    """Lock ``job`` and journal a run of it around the block, which gets the run's context.

    ``kind`` is what the journal calls the run (default: the job's kind; the CLI's ``plan``
    and ``apply`` steps name themselves). A block that raises leaves a failed run, then the
    error goes on; the rejects found until then are kept either way.
    """
    run_kind = kind or job.kind
    with StateStore.open(config.state_url) as store, _locked(store, job.name, run_kind):
        # A run still marked running under a free lock was killed; say so in the journal.
        aborted = store.runs.abort_running(job.name, "the process ended before the run finished")
        if aborted:
            log.warning("job %s: marked %d interrupted run(s) as aborted", job.name, aborted)
        run = store.runs.start(job.name, run_kind, flow_run_id=flow_run_id)
        report = RunReport(run_id=run.id, job=job.name, kind=run_kind, started_at=run.started_at)
        dead_letters = StoreDeadLetters(
            store, job.name, run.id, payloads=job.options.store_payloads
        )
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
        if stage is not None:
            context.stage = stage
        if job.timeout_seconds and flow_run_id is None:  # a Prefect run has its own timeout
            context.progress = _with_deadline(context.progress, job)
        try:
            try:
                yield context
            finally:
                dead_letters.flush()  # a failed run keeps the rejects it found, too
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):  # Ctrl-C: stopped, not broken
                report.status, report.message = RunStatus.ABORTED, "interrupted (Ctrl-C)"
            else:
                report.status = RunStatus.FAILED
                report.message = f"{type(exc).__name__}: {exc}"
            report.finish(datetime.now(UTC))
            store.runs.finish(run.id, report.status, report.counts, report.message)
            raise
        report.resolved_dead_letters = dead_letters.resolved
        report.finish(datetime.now(UTC))
        _write_quality_page(report, context.rejects_path)
        store.runs.finish(run.id, report.status, report.counts, report.message)
        log.info("run %s of %s: %s in %.2fs", run.id, job.name, report.status, report.seconds)
