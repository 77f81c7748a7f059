"""What a running job is handed: its report, its dead-letter sink and a progress callback."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from canonical import Rejected, SourceRef
from flows.report import RunReport

if TYPE_CHECKING:
    from flows.config import FlowsConfig
    from flows.store import StateStore

__all__ = [
    "DeadLetterSink",
    "JobContext",
    "ProgressCallback",
    "StageCallback",
    "StepRunner",
    "run_inline",
]

ProgressCallback = Callable[[str, int], None]
"""Called with a source label and how many more records of it were processed."""

StageCallback = Callable[[str, int | None], None]
"""Called when a stage (label) starts, with how many items it will count to (None: unknown);
``ProgressCallback`` then advances it."""

T = TypeVar("T")


class StepRunner(Protocol):
    """Runs one coarse step of a job (a source, a batch); Prefect makes each a task."""

    def __call__(self, label: str, work: Callable[[], T]) -> T: ...


def run_inline(label: str, work: Callable[[], T]) -> T:
    return work()


class DeadLetterSink(Protocol):
    @property
    def resolving(self) -> bool:
        """Whether earlier dead letters are open, so mapped records should be resolved."""

    def record(self, rejects: Sequence[Rejected]) -> None:
        """Keep rejected records, with their reasons, for a later run to retry."""

    def resolve(self, refs: Sequence[SourceRef]) -> None:
        """Mark earlier dead letters of these records as mapped now."""


def _no_progress(label: str, count: int) -> None:
    return None


def _no_stage(label: str, total: int | None) -> None:
    return None


@dataclass
class JobContext:
    report: RunReport
    dead_letters: DeadLetterSink
    rejects_path: Path
    timezone: str = "Asia/Shanghai"
    progress: ProgressCallback = field(default=_no_progress)
    stage: StageCallback = field(default=_no_stage)
    step: StepRunner = field(default=run_inline)
    # Set by the runner; jobs that keep state (sync, migrate, dedupe) need them.
    store: StateStore | None = None
    config: FlowsConfig | None = None

    def require_store(self) -> StateStore:
        if self.store is None:
            raise RuntimeError("this job needs the state store; run it with flows.runner.run_job")
        return self.store

    def require_config(self) -> FlowsConfig:
        if self.config is None:
            raise RuntimeError("this job needs flows.yaml; run it through flows.runner.run_job")
        return self.config
