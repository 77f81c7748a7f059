"""Deletes and merges of one end: the record's before-image is journaled before it goes.

How a delete retires a record is the system's to say (``RecordSystem.retirement``): Fxiaoke
invalidates (recoverable), the others delete; the journal keeps which, so an undo recovers or
recreates. A merge needs its master linked in this system, and a system with a merge API.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from connectors.record_system import (
    Retirement,
    UnsupportedOperationError,
    WriteResult,
    WriteStatus,
)
from flows.store import OutcomeStatus, UndoAction, UndoEntry
from flows.sync.planning.plan import PlanItem
from flows.sync.planning.values import RecordValuesError
from flows.sync.write.commit import UnitOfWork
from flows.sync.write.writers import EndWriter, WriteJob

__all__ = ["RemovalWriter"]


class RemovalWriter(EndWriter):
    """Writes the deletes and merges of one end."""

    def _before_image(self, item: PlanItem, action: UndoAction) -> UndoEntry | None:
        record = self.planned.records.get(item.target) if item.target else None
        if item.target is None or record is None:
            return None
        try:
            before = self.payloads.full(record.values)
        except RecordValuesError:
            before = dict(record.raw.fields)
        return UndoEntry(item.target, action, before, item.canonical_id)

    def _deletes(self, items: list[PlanItem]) -> None:
        invalidates = self.end.system.retirement is Retirement.INVALIDATE
        action = UndoAction.INVALIDATED if invalidates else UndoAction.DELETED
        self._removals(items, action, lambda ids: self.end.system.delete(self.end.object, ids))

    def _merges(self, items: list[PlanItem]) -> None:
        end = self.end
        masters = self.store.crosswalk.records_in(
            [i.master_canonical_id for i in items if i.master_canonical_id],
            end.system_name,
            end.object,
        )
        for item in items:
            master = masters.get(item.master_canonical_id or "")

            def merge(ids: Sequence[str], master: str | None = master) -> list[WriteResult]:
                if master is None:
                    return [
                        WriteResult(i, WriteStatus.NOT_SENT, d, "the master is not linked")
                        for i, d in enumerate(ids)
                    ]
                try:
                    return end.system.merge(end.object, master, ids)
                except UnsupportedOperationError as exc:
                    return [
                        WriteResult(i, WriteStatus.REJECTED, d, str(exc)) for i, d in enumerate(ids)
                    ]

            self._removals([item], UndoAction.MERGED, merge)

    def _removals(
        self,
        items: list[PlanItem],
        action: UndoAction,
        send: Callable[[Sequence[str]], list[WriteResult]],
    ) -> None:
        work = UnitOfWork()
        jobs: list[WriteJob[str]] = []
        for item in items:
            entry = self._before_image(item, action)
            if entry is None or item.target is None:
                self._not_done(work, item, OutcomeStatus.FAILED, "the target record was not read")
                continue
            jobs.append(WriteJob(item, item.target.id, entry))
        work.commit(self.store, self.applier.job, self.applier.run_id)

        def commit(work: UnitOfWork, item: PlanItem, result: WriteResult) -> None:
            assert item.target is not None
            if not result.ok:
                self._result(work, item, result)
                return
            work.unlinks += [r for r in (item.target, item.source) if r is not None]
            work.shadow_deletes.append(item.canonical_id)
            merged = action is UndoAction.MERGED
            status = OutcomeStatus.MERGED if merged else OutcomeStatus.DELETED
            self.applier.outcome(work, self.end, item, status, record_id=item.target.id)
            self.tracker.done(item, self.side, work, None)

        self._send(jobs, send, commit)
