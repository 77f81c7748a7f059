"""Writing to one end, batch by batch: outcomes, intents, journal, commit, read-back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from canonical.models import RejectedOutcome as DeadLetterOutcome
from canonical.models import SourceRef
from connectors.batching import write_batches
from connectors.record_system import (
    WriteInterruptedError,
    WriteResult,
    WriteStatus,
)
from flows.store import LedgerWrite, OutcomeStatus, UndoEntry, WriteAction
from flows.sync.gather.pairs import PlannedRoute
from flows.sync.gather.reading import SideReader
from flows.sync.planning.fingerprint import fingerprint, fingerprint_of
from flows.sync.planning.plan import PlanAction, PlanItem
from flows.sync.routes import SyncEnd
from flows.sync.write.batches import send_isolating
from flows.sync.write.bookkeeping import WriteHost
from flows.sync.write.commit import CanonicalProgress, ReadBack, UnitOfWork
from flows.sync.write.payloads import Payloads

__all__ = ["EndWriter", "WriteJob", "ledger_write"]

_RETRIED = (PlanAction.CREATE, PlanAction.UPDATE, PlanAction.TAG, PlanAction.PARK)
_LEFT_BEHIND: dict[OutcomeStatus, DeadLetterOutcome] = {
    OutcomeStatus.REJECTED: "rejected",
    OutcomeStatus.INVALID: "rejected",
    OutcomeStatus.PARKED: "parked",
    OutcomeStatus.FAILED: "failed",
}

log = logging.getLogger(__name__)

P = TypeVar("P")


@dataclass(frozen=True)
class WriteJob(Generic[P]):
    """An item, what to send for it, and the before-image to journal before sending."""

    item: PlanItem
    payload: P
    before: UndoEntry | None = None


class EndWriter:
    def __init__(
        self,
        applier: WriteHost,
        planned: PlannedRoute,
        end: SyncEnd,
        tracker: CanonicalProgress,
        failed: set[SourceRef],
    ) -> None:
        self.applier, self.planned, self.end = applier, planned, end
        self.store = applier.store
        self.tracker, self.failed = tracker, failed
        self.payloads = Payloads(end)
        self._echoes: dict[str, ReadBack] = {}
        route = planned.route
        self.side = (
            "b" if (end.system_name, end.object) == (route.b.system_name, route.b.object) else "a"
        )

    # -- outcomes ----------------------------------------------------------------------------
    def _ok(
        self,
        work: UnitOfWork,
        item: PlanItem,
        status: OutcomeStatus,
        record_id: str | None,
        ledger: LedgerWrite | None,
        message: str | None = None,
        label: str | None = None,
    ) -> None:
        self.applier.outcome(
            work, self.end, item, status, record_id=record_id, message=message, label=label
        )
        echo = self._echoes.get(ledger.ref.id) if ledger is not None else None
        if ledger is not None and echo is not None:
            ledger = LedgerWrite(ref=ledger.ref, payload_hash=echo.ledger, action=ledger.action)
        self.tracker.done(item, self.side, work, ledger, echo)
        work.links += [(item.canonical_id, r) for r in (item.source, item.target) if r]

    def _not_done(
        self,
        work: UnitOfWork,
        item: PlanItem,
        status: OutcomeStatus,
        message: str,
        *,
        record_id: str | None = None,
    ) -> None:
        """An item that did not reach its target. A create, update or tag is kept for the
        next run (retry) and, unless it is already in the target (REFUSED: created by an
        earlier run), as a dead letter with its reason: rejected, parked or failed."""
        self.applier.outcome(work, self.end, item, status, record_id=record_id, message=message)
        self.tracker.failed(item)
        ref = item.source
        if ref is None or item.action not in _RETRIED:
            return
        work.retry.append((ref, f"{status.value}: {message}"))
        self.failed.add(ref)
        outcome = _LEFT_BEHIND.get(status)
        if outcome is None:
            return
        record = self.planned.records.get(ref)
        raw = dict(record.raw.fields) if record is not None else None
        if outcome == "parked":
            reason = f"not written to {self.end.label}: {message}"
        else:
            verb = "lost track of" if outcome == "failed" else "refused"
            reason = f"{self.end.label} {verb} the {item.action.value}: {message}"
        self.applier.left_behind(ref, outcome, reason, raw)

    def _result(self, work: UnitOfWork, item: PlanItem, result: WriteResult) -> bool:
        """Outcomes shared by every action for a result that is not a success; True if handled."""
        status = result.status
        if status is WriteStatus.REJECTED:
            message = result.message or "refused"
            self._not_done(work, item, OutcomeStatus.REJECTED, message, record_id=result.record_id)
        elif status is WriteStatus.FAILED:
            self._not_done(work, item, OutcomeStatus.FAILED, result.message or "outcome unknown")
        elif status is WriteStatus.NOT_SENT:
            self._not_done(work, item, OutcomeStatus.FAILED, f"not sent: {result.message}")
        else:
            return False
        return True

    def _send(
        self,
        jobs: Sequence[WriteJob[P]],
        send: Callable[[Sequence[P]], list[WriteResult]],
        commit: Callable[[UnitOfWork, PlanItem, WriteResult], None],
        announce: Callable[[Sequence[WriteJob[P]]], None] | None = None,
    ) -> None:
        """Send in batches: announce (intents), journal before-images, send, commit."""
        run_id = self.applier.run_id
        for batch in write_batches(self.end.system, jobs):
            if announce is not None:
                announce(batch)
            seqs: dict[int, int] = {}
            journaled = [(i, job.before) for i, job in enumerate(batch) if job.before is not None]
            if journaled:
                with self.store.transaction() as tx:
                    first = tx.undo.next_seq(run_id)
                    tx.undo.record(run_id, [entry for _, entry in journaled])
                seqs = {i: first + n for n, (i, _) in enumerate(journaled)}
                if self.applier.backup is not None:  # the job's backup: before sending too
                    self.applier.backup.add([entry for _, entry in journaled])
            interrupted: WriteInterruptedError | None = None
            try:
                results = send_isolating([job.payload for job in batch], send)
            except WriteInterruptedError as exc:
                results, interrupted = exc.results, exc
            self._echoes = self._read_back(batch, results)
            work = UnitOfWork()
            for index, (job, result) in enumerate(zip(batch, results, strict=True)):
                if index in seqs and not result.ok and result.status is not WriteStatus.FAILED:
                    work.undone.append(seqs[index])  # nothing changed: nothing to undo
                commit(work, job.item, result)
            work.commit(self.store, self.applier.job, run_id)
            done = [
                j.item.source for j in batch if j.item.source and j.item.source not in self.failed
            ]
            self.applier.resolved(done)
            if self.applier.progress is not None:
                self.applier.progress(f"write {self.end.label}", len(batch))
            if interrupted is not None:
                raise interrupted

    def _read_back(
        self, batch: Sequence[WriteJob[P]], results: Sequence[WriteResult]
    ) -> dict[str, ReadBack]:
        """Two-way: read the records just written (one call per 100) and fingerprint them as
        the next run will see them. A CRM derives fields from what we write (Zoho's Full_Name
        from the name parts), so what it holds is not always what we sent; the ledger keeps
        what it holds, so reading it back next run is an echo, not a change to send back."""
        bridge = self.applier.bridge(self.planned.route)
        if bridge is None:
            return {}
        ids: list[str] = []
        for job, result in zip(batch, results, strict=True):
            if not result.ok or job.item.action is PlanAction.DELETE:
                continue
            target = job.item.target
            record_id = result.record_id or (target.id if target else None)
            if record_id:
                ids.append(record_id)
        complete = bridge.complete_b if self.side == "b" else bridge.complete_a
        echoes: dict[str, ReadBack] = {}
        for record in SideReader(self.store, self.planned.route, self.end).fetch(ids).records:
            ledger_fp = fingerprint_of(complete(record.values), bridge.compared)
            echoes[record.ref.id] = ReadBack(ledger_fp, fingerprint(record.values), record.values)
        return echoes


def ledger_write(ref: SourceRef, item: PlanItem, action: WriteAction) -> LedgerWrite | None:
    if item.result_fingerprint is None:
        return None
    return LedgerWrite(ref=ref, payload_hash=item.result_fingerprint, action=action)
