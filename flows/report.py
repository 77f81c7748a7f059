"""What one run did: counts per source, outputs, rejects, duration, and the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from pathlib import Path

from flows.store.records import RunStatus

__all__ = ["ExitCode", "RunReport", "RunStatus", "SourceReport"]


class ExitCode(IntEnum):
    """The documented exit codes of the ``crmbridge`` command."""

    OK = 0
    FAILURE = 1
    CONFIG_ERROR = 2
    REJECTS = 3


@dataclass
class SourceReport:
    """Counts for one source of a run."""

    label: str
    read: int = 0
    written: int = 0
    rejected: int = 0
    duplicates: int = 0
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class RunReport:
    run_id: str
    job: str
    kind: str
    started_at: datetime
    finished_at: datetime | None = None
    status: RunStatus = RunStatus.RUNNING
    sources: list[SourceReport] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    resolved_dead_letters: int = 0
    message: str | None = None

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sources)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "read": sum(s.read for s in self.sources),
            "written": sum(s.written for s in self.sources),
            "rejected": self.rejected,
            "duplicates": sum(s.duplicates for s in self.sources),
            "resolved_dead_letters": self.resolved_dead_letters,
        }

    @property
    def seconds(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()

    def finish(self, finished_at: datetime) -> None:
        self.finished_at = finished_at
        if self.status is RunStatus.RUNNING:
            self.status = RunStatus.FINISHED_WITH_REJECTS if self.rejected else RunStatus.SUCCEEDED

    @property
    def exit_code(self) -> ExitCode:
        return {
            RunStatus.SUCCEEDED: ExitCode.OK,
            RunStatus.FINISHED_WITH_REJECTS: ExitCode.REJECTS,
        }.get(self.status, ExitCode.FAILURE)
