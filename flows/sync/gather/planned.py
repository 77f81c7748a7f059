"""What planning a route leaves for apply: items, the records read, side fingerprints and
snapshots, watermarks to commit, retries and rejects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import JsonValue

from canonical.models import Rejected, SourceRef
from flows.quality import QualityReport
from flows.report import SourceReport
from flows.store import LedgerEntry
from flows.sync.gather.reading import SideRecord
from flows.sync.gather.sides import SideFingerprints
from flows.sync.planning.plan import PlanAction, PlanItem
from flows.sync.planning.planner import RecordState
from flows.sync.routes import Route

__all__ = ["PlannedRoute", "ledger_hash", "parse_watermark", "plan_sources", "record_state"]


def parse_watermark(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


@dataclass
class PlannedRoute:
    """A route's plan items and what apply needs that the items do not carry."""

    route: Route
    items: list[PlanItem] = field(default_factory=list)
    records: dict[SourceRef, SideRecord] = field(default_factory=dict)
    side_fps: dict[str, SideFingerprints] = field(default_factory=dict)
    # cid -> side -> the values read this run: each side's snapshot for the next shadow
    snapshots: dict[str, dict[str, Mapping[str, JsonValue]]] = field(default_factory=dict)
    watermarks: dict[tuple[str, str], datetime] = field(default_factory=dict)
    retried: set[SourceRef] = field(default_factory=set)
    rejects: list[Rejected] = field(default_factory=list)
    refused: list[tuple[PlanItem, str]] = field(default_factory=list)  # apply of a saved plan
    read: dict[str, int] = field(default_factory=dict)
    settled: int = 0  # records read again that had not changed since the last sync
    # Values that did not normalise cleanly, per field, for the run's data-quality report.
    quality: QualityReport = field(default_factory=QualityReport)
    # Why records kept for a retry were kept (the last run's outcome), for the plan to say.
    retry_reasons: dict[SourceRef, str] = field(default_factory=dict)

    def distinct_rejects(self) -> list[Rejected]:
        """One reject per source record (a record can be read twice: changed and retried)."""
        return list({reject.source: reject for reject in self.rejects}.values())


def plan_sources(routes: Sequence[PlannedRoute]) -> tuple[list[SourceReport], list[Rejected]]:
    """What a plan reports per route as a run would (read, rejected), and the rejects."""
    sources: list[SourceReport] = []
    found: list[Rejected] = []
    for planned in routes:
        rejects = planned.distinct_rejects()
        found += rejects
        writes = sum(1 for item in planned.items if item.writes)
        parked = sum(1 for item in planned.items if item.action is PlanAction.PARK)
        sources.append(
            SourceReport(
                label=planned.route.label,
                read=sum(planned.read.values()),
                rejected=len(rejects),
                parked=parked,  # a plan that parks records exits 3, as the run would
                details={"planned": str(writes)} if writes else {},
            )
        )
    return sources, found


def record_state(ref: SourceRef | None, planned: PlannedRoute) -> RecordState | None:
    """A side as read this run; a linked record that was not found is deleted."""
    if ref is None:
        return None
    record = planned.records.get(ref)
    if record is None:
        return RecordState(ref=ref, values={}, modified_at=None, deleted=True)
    return RecordState(ref=ref, values=record.values, modified_at=record.modified_at)


def ledger_hash(ledger: Mapping[SourceRef, LedgerEntry], state: RecordState | None) -> str | None:
    entry = None if state is None else ledger.get(state.ref)
    return None if entry is None else entry.payload_hash
