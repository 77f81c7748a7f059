"""What a writer reports to while it writes one end: the applier's bookkeeping, as a Protocol.

``EndWriter`` and ``ActionWriter`` (``flows.sync.write.writers``, ``.actions``) are driven by
the ``Applier`` and call back into it for outcomes, dead letters and progress. They know it only
through ``WriteHost``, so the applier imports the writers and never the other way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from pydantic import JsonValue

from canonical.models import RejectedOutcome as DeadLetterOutcome
from canonical.models import SourceRef
from flows.quality import QualityReport
from flows.store import OutcomeStatus, StateStore
from flows.sync.planning.plan import PlanItem
from flows.sync.planning.values import ValueBridge
from flows.sync.routes import Route, SyncEnd
from flows.sync.write.commit import UnitOfWork

if TYPE_CHECKING:  # the type only
    from flows.backup import RunBackup

__all__ = ["ApplyStats", "WriteHost"]


@dataclass
class ApplyStats:
    """Outcomes per (end label, action, status), for the run report, and the records left
    behind (rejected, parked, failed) with their reasons, for its data-quality report."""

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    routes: dict[str, Counter[str]] = field(default_factory=dict)  # route label -> status -> n
    quality: QualityReport = field(default_factory=QualityReport)

    def merge(self, other: ApplyStats) -> None:
        self.counts.update(other.counts)
        for label, counts in other.routes.items():
            self.routes.setdefault(label, Counter()).update(counts)
        self.quality.merge(other.quality)

    def total(self, status: OutcomeStatus) -> int:
        return sum(n for (_, _, s), n in self.counts.items() if s == status.value)

    def by_status(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (_, _, status), n in self.counts.items():
            out[status] += n
        return dict(out)


class WriteHost(Protocol):
    """The applier as its writers see it: where the run's outcomes and dead letters go."""

    store: StateStore
    job: str
    run_id: str
    orphans: str
    backup: RunBackup | None
    progress: Callable[[str, int], None] | None
    stats: ApplyStats

    def outcome(
        self,
        work: UnitOfWork,
        end: SyncEnd,
        item: PlanItem | None,
        status: OutcomeStatus,
        *,
        action: str | None = None,
        record_id: str | None = None,
        message: str | None = None,
        canonical_id: str | None = None,
        label: str | None = None,
    ) -> None:
        """Count an outcome (as ``label`` when given, else its status) and queue it in
        ``work`` for the batch's commit."""

    def bridge(self, route: Route) -> ValueBridge | None:
        """The value bridge of a two-way route, for reading written records back; else None."""

    def left_behind(
        self,
        ref: SourceRef,
        outcome: DeadLetterOutcome,
        reason: str,
        raw: Mapping[str, JsonValue] | None,
        field_name: str | None = None,
    ) -> None:
        """Keep a record that did not reach its target as a dead letter with the reason."""

    def resolved(self, refs: Sequence[SourceRef]) -> None:
        """Mark earlier dead letters of these records as written now."""
