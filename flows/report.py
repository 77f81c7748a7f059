"""What one run did: counts per source, outputs, rejects, duration, and the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from pathlib import Path

from pydantic import JsonValue

from flows.quality import FIELD_OUTCOMES, QualityReport
from flows.store.records import RunStatus

__all__ = ["ExitCode", "RunReport", "RunStatus", "SourceReport"]

_BASE = frozenset(
    {"read", "written", "rejected", "duplicates", "resolved_dead_letters", "parked", "failed"}
)


class ExitCode(IntEnum):
    """The documented exit codes of the ``crmbridge`` command."""

    OK = 0
    FAILURE = 1
    CONFIG_ERROR = 2
    REJECTS = 3
    DIFFERENCES = 4  # reconcile: the target does not hold what the source holds


@dataclass
class SourceReport:
    """Counts for one source of a run."""

    label: str
    read: int = 0
    written: int = 0
    rejected: int = 0
    duplicates: int = 0
    parked: int = 0  # waiting for a parent that is not in the target yet
    failed: int = 0  # outcome unknown (a lost reply); retried by the next run
    details: dict[str, str] = field(default_factory=dict)

    @property
    def left_behind(self) -> int:
        """Records of this source not in the target (yet)."""
        return self.rejected + self.parked + self.failed


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
    # Sync and migrate runs: outcomes per object ("zoho:Contacts" -> {"created": 3, ...}),
    # API calls per system, and the plan file a run applied or wrote.
    actions: dict[str, dict[str, int]] = field(default_factory=dict)
    api_calls: dict[str, int] = field(default_factory=dict)
    # Kind-specific figures that belong in the run history (dedupe: entities, clusters, ...).
    extra_counts: dict[str, int] = field(default_factory=dict)
    quality: QualityReport = field(default_factory=QualityReport)
    # What tier, assign and feedback runs report beyond counts (distribution, moves, ...):
    # in --json as ``figures``, and as Prefect table artifacts (``tables``, one per name).
    figures: dict[str, JsonValue] = field(default_factory=dict)
    tables: dict[str, list[dict[str, JsonValue]]] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sources)

    @property
    def left_behind(self) -> dict[str, int]:
        """Records not in the target (yet), by why: rejected, parked, failed (non-zero only)."""
        counts = {
            "rejected": self.rejected,
            "parked": sum(s.parked for s in self.sources),
            "failed": sum(s.failed for s in self.sources),
        }
        return {name: n for name, n in counts.items() if n}

    @property
    def counts(self) -> dict[str, int]:
        counts = {
            "read": sum(s.read for s in self.sources),
            "written": sum(s.written for s in self.sources),
            "rejected": self.rejected,
            "duplicates": sum(s.duplicates for s in self.sources),
            "resolved_dead_letters": self.resolved_dead_letters,
        }
        for name, n in self.left_behind.items():
            counts[name] = n
        totals = self.quality.totals()
        for name in FIELD_OUTCOMES:
            if totals.get(name):
                counts[f"values_{name}"] = totals[name]
        for outcomes in self.actions.values():
            for status, n in outcomes.items():
                if status not in _BASE:  # rejects are counted per source already
                    counts[status] = counts.get(status, 0) + n
        if self.api_calls:
            counts["api_calls"] = sum(self.api_calls.values())
        for name, n in self.extra_counts.items():
            counts.setdefault(name, n)
        return counts

    def to_dict(self) -> dict[str, object]:
        """The report as JSON-ready data (``--json`` output)."""
        data = self._base_dict()
        if self.figures:
            data["figures"] = self.figures
        return data

    def _base_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "job": self.job,
            "kind": self.kind,
            "status": self.status.value,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "seconds": round(self.seconds, 3),
            "counts": self.counts,
            "sources": [
                {
                    "label": s.label,
                    "read": s.read,
                    "written": s.written,
                    "rejected": s.rejected,
                    "parked": s.parked,
                    "failed": s.failed,
                    "duplicates": s.duplicates,
                    "details": dict(s.details),
                }
                for s in self.sources
            ],
            "actions": {name: dict(outcomes) for name, outcomes in self.actions.items()},
            "api_calls": dict(self.api_calls),
            "outputs": {name: str(path) for name, path in self.outputs.items()},
            "quality": self.quality.to_dict(),
            "message": self.message,
        }

    @property
    def seconds(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()

    def finish(self, finished_at: datetime) -> None:
        """Close the report. A run that leaves any record behind (rejected, parked, failed)
        never succeeded: it finished with rejects, and its message says how many and why."""
        self.finished_at = finished_at
        if self.status is not RunStatus.RUNNING:
            return
        left = self.left_behind
        if not left:
            self.status = RunStatus.SUCCEEDED
            return
        self.status = RunStatus.FINISHED_WITH_REJECTS
        why = ", ".join(f"{n} {name}" for name, n in left.items())
        total = sum(left.values())
        summary = f"{total} record(s) not in the target: {why}; see `crmbridge rejects`"
        self.message = f"{self.message}; {summary}" if self.message else summary

    @property
    def exit_code(self) -> ExitCode:
        return {
            RunStatus.SUCCEEDED: ExitCode.OK,
            RunStatus.FINISHED_WITH_REJECTS: ExitCode.REJECTS,
        }.get(self.status, ExitCode.FAILURE)
