"""Creates, updates, tags, merges and deletes of one end (see ``flows.sync.write.applier``).

Creates wait for their parent to be in the target and are announced as write intents;
updates send a field diff; updates, deletes and merges journal their before-images first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence

from pydantic import JsonValue

from connectors.record_system import (
    Retirement,
    UnsupportedOperationError,
    WriteResult,
    WriteStatus,
)
from flows.store import OutcomeStatus, UndoAction, UndoEntry, WriteAction
from flows.sync.gather.parking import missing_parent
from flows.sync.gather.reading import UNLINKED
from flows.sync.gather.resume import intent_keys
from flows.sync.planning.plan import PlanAction, PlanItem
from flows.sync.planning.values import RecordValuesError
from flows.sync.write.commit import UnitOfWork
from flows.sync.write.payloads import clear_parent_payload, parent_payload
from flows.sync.write.writers import EndWriter, WriteJob, ledger_write

__all__ = ["ActionWriter"]

log = logging.getLogger(__name__)


class ActionWriter(EndWriter):
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

    # -- parents -----------------------------------------------------------------------------
    def _parent_links(self, values: Sequence[Mapping[str, JsonValue]]) -> dict[str, dict[str, str]]:
        """Parent object -> parent canonical id -> its record id in this end's system, for
        the parent fields of ``values`` (one crosswalk query per parent object)."""
        route, system = self.planned.route, self.end.system_name
        wanted: dict[str, set[str]] = {}
        for record in values:
            for name in self.end.parent_keys:
                value = record.get(name)
                parent_object = route.parent_object(name, system)
                if isinstance(value, str) and parent_object and not value.startswith(UNLINKED):
                    wanted.setdefault(parent_object, set()).add(value)
        return {
            obj: self.store.crosswalk.records_in(ids, system, obj) for obj, ids in wanted.items()
        }

    def _parent_raws(
        self,
        values: Mapping[str, JsonValue],
        fields: Iterable[str],
        links: Mapping[str, Mapping[str, str]],
    ) -> tuple[dict[str, dict[str, JsonValue]], str | None]:
        """Parent field -> its raw payload, for ``fields`` of ``values``; or why a parent is
        missing from this end's system (the write is parked, or goes without the link)."""
        system = self.end.system_name
        raws: dict[str, dict[str, JsonValue]] = {}
        missing: list[str] = []
        for name in fields:
            value = values.get(name)
            parent_object = self.planned.route.parent_object(name, system)
            if parent_object is None or name not in self.end.parent_keys:
                continue
            if value is None:
                raws[name] = clear_parent_payload(self.end, name)
                continue
            target_id = links.get(parent_object, {}).get(str(value))
            if target_id is None:
                route = self.planned.route
                missing.append(
                    missing_parent(self.store, route, self.end, name, str(value), parent_object)
                )
                continue
            raws[name] = parent_payload(self.end, name, target_id, parent_object)
        return raws, "; ".join(missing) or None

    # -- parking -------------------------------------------------------------------------
    def _park(self, items: list[PlanItem]) -> None:
        """Items the plan parked: each a dead letter with its reason, retried next run."""
        work = UnitOfWork()
        for item in items:
            self._not_done(work, item, OutcomeStatus.PARKED, item.reason)
        work.commit(self.store, self.applier.job, self.applier.run_id)

    def _orphaned(self, work: UnitOfWork, item: PlanItem, missing: str) -> bool:
        """A write whose parent is missing: parked (True), or, with ``sync.orphans:
        without_parent``, let through without the link and flagged (False)."""
        if self.applier.orphans == "park":
            self._not_done(work, item, OutcomeStatus.PARKED, missing)
            return True
        if item.source is not None:
            self.applier.stats.quality.add(
                self.planned.route.label, "parent", "flagged",
                f"written without its parent: {missing}", str(item.source),
            )  # fmt: skip
            work.retry.append((item.source, f"written without its parent: {missing}"))
        return False

    # -- creates -----------------------------------------------------------------------------
    def _parents(
        self, items: list[PlanItem], work: UnitOfWork
    ) -> dict[str, dict[str, dict[str, JsonValue]]]:
        """cid -> parent field -> raw parent field; items whose parent is missing are parked
        (or, with ``orphans: without_parent``, go without the missing link)."""
        links = self._parent_links([item.values for item in items])
        out: dict[str, dict[str, dict[str, JsonValue]]] = {}
        for item in items:
            present = [name for name in self.end.parent_keys if item.values.get(name) is not None]
            raws, missing = self._parent_raws(item.values, present, links)
            if missing is not None and self._orphaned(work, item, missing):
                continue
            out[item.canonical_id] = raws
        return out

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

    # -- updates and tags --------------------------------------------------------------------
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

    # -- deletes and merges ------------------------------------------------------------------
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
