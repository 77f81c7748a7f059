"""Updates and tags of one end: a field diff, its before-image journaled before it is sent.

Only the raw fields the changes touch are sent (``payloads``); a re-parented record gets its
new parent's record id in this system. A change no field of the target can take is settled
as skipped, not sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import JsonValue

from connectors.record_system import WriteResult
from flows.store import OutcomeStatus, UndoAction, UndoEntry, WriteAction
from flows.sync.planning.plan import PlanItem
from flows.sync.planning.values import RecordValuesError
from flows.sync.write.commit import UnitOfWork
from flows.sync.write.parents import ParentWriter
from flows.sync.write.writers import WriteJob, ledger_write

__all__ = ["UpdateWriter"]


class UpdateWriter(ParentWriter):
    """Writes the updates (and tags) of one end."""

    def _updates(self, items: list[PlanItem]) -> None:
        work = UnitOfWork()
        jobs: list[WriteJob[tuple[str, Mapping[str, JsonValue]]]] = []
        moved = [
            {c.field: c.after for c in item.changes if c.field in self.end.parent_keys}
            for item in items
        ]
        links = self._parent_links(moved)
        for item, parents in zip(items, moved, strict=True):
            record = self.planned.records.get(item.target) if item.target else None
            if item.target is None or record is None:
                self._not_done(work, item, OutcomeStatus.FAILED, "the target record was not read")
                continue
            # A re-parented record gets its new parent's record id in this system.
            raws, missing = self._parent_raws(parents, parents, links)
            if missing is not None and self._orphaned(work, item, missing):
                continue
            try:
                payload = self.payloads.update(item.target.id, record.values, item.changes)
            except RecordValuesError as exc:
                self._not_done(work, item, OutcomeStatus.INVALID, str(exc))
                continue
            for raw in raws.values():
                payload.update(raw)
            if not payload:
                ledger = ledger_write(item.target, item, WriteAction.UPDATE)
                message = "no field of the change is writable"
                self._ok(work, item, OutcomeStatus.SKIPPED, item.target.id, ledger, message,
                         label="not writable")  # fmt: skip
                continue
            before = {key: record.raw.fields.get(key) for key in payload}
            entry = UndoEntry(item.target, UndoAction.UPDATED, before, item.canonical_id)
            jobs.append(WriteJob(item, (item.target.id, payload), entry))
        work.commit(self.store, self.applier.job, self.applier.run_id)

        def commit(work: UnitOfWork, item: PlanItem, result: WriteResult) -> None:
            assert item.target is not None
            if result.ok:
                ledger = ledger_write(item.target, item, WriteAction.UPDATE)
                self._ok(work, item, OutcomeStatus.UPDATED, item.target.id, ledger)
            else:
                self._result(work, item, result)

        end = self.end
        self._send(jobs, lambda changes: end.system.update(end.object, changes), commit)
