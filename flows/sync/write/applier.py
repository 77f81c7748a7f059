"""Applying a route's plan items: batches at the target's maximum, one commit per batch.

Order per route: settled pairs (SKIP, CONFLICT: links and shadows only), then per end the
parked items, creates, updates and tags, merges, deletes. A child whose parent is not in the
target (planned so, or its parent failed in this run) is parked: a dead letter with the reason,
retried by every run until the parent lands; or, with ``sync.orphans: without_parent``,
written without the link. Creates are announced as write intents before they are sent, and
updates and deletes journal their before-images before they are sent, so a run killed between
the send and the commit can be resumed and undone (``flows.sync.gather.resume``,
``flows.sync.undo``).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import JsonValue

from canonical.models import Rejected, SourceRef
from canonical.models import RejectedOutcome as DeadLetterOutcome
from connectors.batching import chunks
from flows.store import OutcomeStatus, StateStore, WriteOutcome
from flows.sync.gather.pairs import PlannedRoute
from flows.sync.gather.sides import SyncSides
from flows.sync.planning.plan import PlanAction, PlanItem
from flows.sync.planning.values import ValueBridge
from flows.sync.routes import Route, SyncEnd
from flows.sync.write.actions import ActionWriter
from flows.sync.write.bookkeeping import ApplyStats
from flows.sync.write.commit import CanonicalProgress, UnitOfWork

if TYPE_CHECKING:  # the types only
    from flows.backup import RunBackup
    from flows.context import DeadLetterSink

__all__ = ["Applier", "ApplyStats"]

log = logging.getLogger(__name__)

_ORDER = (
    (PlanAction.PARK,),
    (PlanAction.CREATE,),
    (PlanAction.UPDATE, PlanAction.TAG),
    (PlanAction.MERGE,),
    (PlanAction.DELETE,),
)
_SETTLE_BATCH = 500


_LEFT_BY_POLICY = ("target deleted", "not in the source", "deleted or absent on both sides")


def settled_label(item: PlanItem) -> str:
    """What a plan item that writes nothing is in the run report: ``conflict`` (changed on
    both sides, waiting for a person: see the plan), ``left alone`` (a deletion or event the
    job's policy leaves as it is; the ledger has the reason) or ``unchanged`` (equal once
    merged, or our own last write read back)."""
    if item.action is PlanAction.CONFLICT:
        return "conflict"
    reason = item.reason
    if reason in _LEFT_BY_POLICY or reason.endswith((": ignore", "already tagged")):
        return "left alone"
    return "unchanged"


class Applier:
    def __init__(
        self,
        store: StateStore,
        job: str,
        run_id: str,
        *,
        dead_letters: DeadLetterSink | None = None,
        progress: Callable[[str, int], None] | None = None,
        sides: SyncSides | None = None,
        orphans: str = "park",
        backup: RunBackup | None = None,
    ) -> None:
        self.store, self.job, self.run_id = store, job, run_id
        self.backup = backup
        self.orphans = orphans
        self._sides = sides
        self.dead_letters = dead_letters
        self.progress = progress
        self.stats = ApplyStats()
        self._route = ""

    # -- bookkeeping shared with EndWriter ---------------------------------------------------
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
        """Record one outcome; ``label`` is what the run report counts it as (its status
        unless given: a settled record is counted as what it is, not as "skipped")."""
        name = action or (item.action.value if item is not None else "read")
        counted = label or status.value
        self.stats.counts[(end.label, name, counted)] += 1
        self.stats.routes.setdefault(self._route, Counter())[counted] += 1
        work.outcomes.append(
            WriteOutcome(
                system=end.system_name,
                object=end.object,
                action=name,
                status=status,
                record_id=record_id,
                canonical_id=canonical_id or (item.canonical_id if item is not None else None),
                message=message,
            )
        )

    def bridge(self, route: Route) -> ValueBridge | None:
        """The value bridge of a two-way route, for reading written records back; else None."""
        return self._sides.bridge(route) if self._sides is not None else None

    def left_behind(
        self,
        ref: SourceRef,
        outcome: DeadLetterOutcome,
        reason: str,
        raw: Mapping[str, JsonValue] | None,
        field_name: str | None = None,
    ) -> None:
        """Keep a record that did not reach its target as a dead letter with the reason
        (people see them in `crmbridge rejects`; the next run retries them), and count it."""
        self.stats.quality.add(self._route, field_name, outcome, reason, str(ref))
        if self.dead_letters is None:
            return
        cells = {
            k: v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False)
            for k, v in (raw or {}).items()
        }
        self.dead_letters.record(
            [Rejected(source=ref, outcome=outcome, reason=reason, field=field_name, raw=cells)]
        )

    def resolved(self, refs: Sequence[SourceRef]) -> None:
        if self.dead_letters is not None and refs:
            self.dead_letters.resolve(list(refs))

    # -- a route -----------------------------------------------------------------------------
    def apply_route(self, planned: PlannedRoute) -> None:
        route = planned.route
        self._route = route.label
        self._invalid(planned)
        tracker = CanonicalProgress(planned.items, planned.side_fps, planned.snapshots)
        failed: set[SourceRef] = set()
        self._settle(planned, tracker)
        by_end: dict[tuple[str, str], list[PlanItem]] = {}
        for item in planned.items:
            if item.writes or item.action is PlanAction.PARK:
                by_end.setdefault((item.target_system, item.target_object), []).append(item)
        for (system, object_), items in by_end.items():
            writer = ActionWriter(self, planned, route.end(system, object_), tracker, failed)
            for actions in _ORDER:
                chosen = [item for item in items if item.action in actions]
                if chosen:
                    writer.write(actions[0], chosen)
        done = UnitOfWork()
        done.retried = [ref for ref in planned.retried if ref not in failed]
        done.watermarks = [(s, o, value) for (s, o), value in planned.watermarks.items()]
        done.commit(self.store, self.job, self.run_id)

    def _invalid(self, planned: PlannedRoute) -> None:
        if not planned.rejects and not planned.refused:
            return
        work = UnitOfWork()
        rejects = planned.distinct_rejects()
        for reject in rejects:
            end = planned.route.end(reject.source.system, reject.source.object)
            self.stats.quality.add(
                self._route, reject.field, "rejected", reject.reason, str(reject.source),
                reject.value,
            )  # fmt: skip
            self.outcome(
                work,
                end,
                None,
                OutcomeStatus.INVALID,
                action="read",
                record_id=reject.source.id,
                message=reject.reason,
            )
        for item, message in planned.refused:
            end = planned.route.end(item.target_system, item.target_object)
            target = item.target.id if item.target is not None else None
            self.outcome(work, end, item, OutcomeStatus.REFUSED, record_id=target, message=message)
        work.commit(self.store, self.job, self.run_id)
        if self.dead_letters is not None and rejects:
            self.dead_letters.record(rejects)

    def _settle(self, planned: PlannedRoute, tracker: CanonicalProgress) -> None:
        settled = [i for i in planned.items if not i.writes and i.action is not PlanAction.PARK]
        for _, batch in chunks(settled, _SETTLE_BATCH):
            work = UnitOfWork()
            sources: list[SourceRef] = []
            for item in batch:
                end = planned.route.end(item.target_system, item.target_object)
                work.links += [(item.canonical_id, r) for r in (item.source, item.target) if r]
                status = OutcomeStatus.SKIPPED
                message = (
                    item.reason if item.action is PlanAction.SKIP else f"conflict: {item.reason}"
                )
                target = item.target.id if item.target is not None else None
                self.outcome(work, end, item, status, record_id=target, message=message,
                             label=settled_label(item))  # fmt: skip
                tracker.settle(item, work)
                if item.source is not None:
                    sources.append(item.source)
            work.commit(self.store, self.job, self.run_id)
            self.resolved(sources)
