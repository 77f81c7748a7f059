"""Creates of one end: announced as write intents, in their own commit, before they are sent.

A create lands or not; a lost reply leaves its intent open, so the next run adopts the record
(or sends it again) instead of creating it twice. A create the target refuses as the
duplicate of a record it holds is linked to that record, unless that record is already the
copy of another source record (then a person decides).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import JsonValue

from connectors.record_system import WriteResult, WriteStatus
from flows.store import OutcomeStatus, UndoAction, UndoEntry, WriteAction
from flows.sync.gather.resume import intent_keys
from flows.sync.planning.plan import PlanItem
from flows.sync.planning.values import RecordValuesError
from flows.sync.write.commit import UnitOfWork
from flows.sync.write.parents import ParentWriter
from flows.sync.write.writers import WriteJob, ledger_write

__all__ = ["CreateWriter"]


class CreateWriter(ParentWriter):
    """Writes the creates of one end."""

    def _creates(self, items: list[PlanItem]) -> None:
        work = UnitOfWork()
        parents = self._parents(items, work)
        existing = self.store.crosswalk.records_in(parents, self.end.system_name, self.end.object)
        jobs: list[WriteJob[Mapping[str, JsonValue]]] = []
        for item in items:
            if item.canonical_id not in parents:
                continue
            if item.canonical_id in existing:
                message = f"already created as {existing[item.canonical_id]}"
                self._not_done(work, item, OutcomeStatus.REFUSED, message)
                continue
            try:
                payload = self.payloads.create(item.values, parents[item.canonical_id])
                jobs.append(WriteJob(item, payload))
            except RecordValuesError as exc:
                self._not_done(work, item, OutcomeStatus.INVALID, str(exc))
        work.commit(self.store, self.applier.job, self.applier.run_id)
        end, route = self.end, self.planned.route

        def announce(batch: Sequence[WriteJob[Mapping[str, JsonValue]]]) -> None:
            keys: dict[str, dict[str, str]] = {}
            for job in batch:
                cid = job.item.canonical_id
                fps = self.planned.side_fps.get(cid)
                written = fps.written([self.side]) if fps is not None else None
                keys[cid] = intent_keys(route, end, job.item, written)
            self.store.intents.open_many(
                self.applier.job, self.applier.run_id, end.system_name, end.object, keys
            )

        def commit(work: UnitOfWork, item: PlanItem, result: WriteResult) -> None:
            cid = item.canonical_id
            if result.status is WriteStatus.FAILED:
                # The create may have landed: the intent stays open for the next run.
                self._not_done(
                    work, item, OutcomeStatus.FAILED, result.message or "outcome unknown"
                )
                return
            if result.ok and result.record_id:
                ref = end.ref(result.record_id)
                work.resolve_intent(end.system_name, end.object, cid, ref.id)
                work.links.append((cid, ref))
                work.undo.append(UndoEntry(ref, UndoAction.CREATED, None, cid))
                ledger = ledger_write(ref, item, WriteAction.CREATE)
                self._ok(work, item, OutcomeStatus.CREATED, ref.id, ledger)
                return
            work.resolve_intent(end.system_name, end.object, cid, None)
            if result.duplicate_of is not None and self._link_duplicate(work, item, result):
                return
            if not self._result(work, item, result):
                self._not_done(work, item, OutcomeStatus.FAILED, f"no record id ({result.status})")

        self._send(jobs, lambda p: end.system.create(end.object, p), commit, announce)

    def _source_of(self, cid: str) -> str:
        other = self.planned.route.a if self.side == "b" else self.planned.route.b
        found = self.store.crosswalk.records_in([cid], other.system_name, other.object)
        return str(other.ref(found[cid])) if cid in found else f"canonical record {cid}"

    def _link_duplicate(self, work: UnitOfWork, item: PlanItem, result: WriteResult) -> bool:
        """A create refused because the target holds the record already (a user entered it
        by hand, or the state store was lost): link to it, so its children find their parent
        and the next run brings its values up to date. Not when that record is the copy of
        another source record: two source records then share a unique value, a person
        decides (rejected, with the reason). True if dealt with here."""
        assert result.duplicate_of is not None
        ref = self.end.ref(result.duplicate_of)
        owner = self.store.crosswalk.lookup_many([ref]).get(ref)
        if owner is None:
            # Taken in this run, too: linked in this unit of work, or the target of another
            # record's planned write (an initial match links when its update commits).
            owner = next((c for c, r in work.links if r == ref), None) or next(
                (other.canonical_id for other in self.planned.items if other.target == ref),
                None,
            )
        if owner not in (None, item.canonical_id):
            holder = self._source_of(owner)
            message = (
                f"{result.message}; {ref} is already the copy of {holder}: two source "
                "records share a value the target keeps unique; merge them (crmbridge dedupe) "
                "or change one, and the next run writes it"
            )
            self._not_done(work, item, OutcomeStatus.REJECTED, message)
            return True
        work.links.append((item.canonical_id, ref))
        message = f"already in {self.end.label} as {ref.id} ({result.message}); linked"
        self.applier.outcome(
            work, self.end, item, OutcomeStatus.LINKED, record_id=ref.id, message=message
        )
        self.tracker.failed(item)  # no shadow or ledger: the next run compares both sides
        if item.source is not None:
            # Read again next run, which brings the record found there up to date.
            work.retry.append((item.source, f"linked to {ref}; its values follow"))
            self.failed.add(item.source)
        return True
