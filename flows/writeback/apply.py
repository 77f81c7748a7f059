"""Carrying out write-back items with the sync engine's applier, and refusing the items of a
saved plan whose record changed since it was planned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from flows.store import StateStore
from flows.sync.gather.pairs import PlannedRoute
from flows.sync.planning.fingerprint import fingerprint
from flows.sync.planning.plan import PlanItem
from flows.sync.routes import Route
from flows.sync.write.applier import Applier, ApplyStats
from flows.writeback.ends import EndRecords

if TYPE_CHECKING:
    from flows.context import DeadLetterSink

__all__ = ["apply_updates", "recheck"]


def apply_updates(
    store: StateStore,
    job: str,
    run_id: str,
    records: EndRecords,
    items: Sequence[PlanItem],
    *,
    dead_letters: DeadLetterSink | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ApplyStats:
    """Write ``items`` to their end in batches at its maximum: each sends only the raw fields
    of its changes, its before-image is journaled first (``crmbridge undo RUN``), and a
    record the CRM refuses becomes a dead letter with the CRM's message."""
    end = records.end
    route = Route(end.entity, end, end)
    planned = PlannedRoute(route, items=list(items), records=dict(records.records))
    planned.retried = {item.source for item in items if item.source is not None}
    applier = Applier(store, job, run_id, dead_letters=dead_letters, progress=progress)
    applier.apply_route(planned)
    return applier.stats


def recheck(
    records: EndRecords, items: Sequence[PlanItem]
) -> tuple[list[PlanItem], list[tuple[PlanItem, str]]]:
    """A saved plan's items for this end against the records as read now: those whose record
    is unchanged since planning, and the others with why they are refused."""
    kept: list[PlanItem] = []
    refused: list[tuple[PlanItem, str]] = []
    for item in items:
        record = records.records.get(item.target) if item.target is not None else None
        if record is None:
            refused.append((item, f"{item.target} no longer exists"))
        elif fingerprint(record.values) != item.expected_fingerprint:
            refused.append((item, f"{item.target} changed since the plan was made"))
        else:
            kept.append(item)
    return kept, refused
