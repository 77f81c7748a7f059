"""Creates, updates, tags, merges and deletes of one end (see ``flows.sync.write.applier``).

Creates wait for their parent to be in the target and are announced as write intents
(``creates``); updates send a field diff (``updates``); updates, deletes and merges journal
their before-images first (``removals``); parents are linked in ``parents``. ``ActionWriter``
puts them together and sends each plan action to its writer.
"""

from __future__ import annotations

from flows.store import OutcomeStatus
from flows.sync.planning.plan import PlanAction, PlanItem
from flows.sync.write.commit import UnitOfWork
from flows.sync.write.creates import CreateWriter
from flows.sync.write.removals import RemovalWriter
from flows.sync.write.updates import UpdateWriter

__all__ = ["ActionWriter"]


class ActionWriter(CreateWriter, UpdateWriter, RemovalWriter):
    """Writes plan items of every action to one end."""

    def write(self, action: PlanAction, items: list[PlanItem]) -> None:
        if action is PlanAction.PARK:
            self._park(items)
        elif action is PlanAction.CREATE:
            self._creates(items)
        elif action is PlanAction.UPDATE:
            self._updates(items)
        elif action is PlanAction.MERGE:
            self._merges(items)
        else:
            self._deletes(items)

    def _park(self, items: list[PlanItem]) -> None:
        """Items the plan parked: each a dead letter with its reason, retried next run."""
        work = UnitOfWork()
        for item in items:
            self._not_done(work, item, OutcomeStatus.PARKED, item.reason)
        work.commit(self.store, self.applier.job, self.applier.run_id)
