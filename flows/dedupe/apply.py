"""Applying a merge plan to the systems, with an undo journal entry for every change.

Per item, on Zoho: merge the duplicates into the master (Zoho moves their notes and related
records; the adapter sends two children a call), then set the golden values on the master.
On Fxiaoke, which has no merge: re-point the duplicates' children (contacts, follow-ups,
opportunities) to the master, invalidate the duplicates, then set the golden values. The
golden values go last because a unique field may hold a duplicate's value until it is gone;
the undo, newest change first, then restores the master before it brings the duplicates back.

Every write is journaled right after the system confirmed it, with the before-image the
generic ``crmbridge undo`` needs: the master's and each child's changed fields ('updated':
writing them back undoes the change) and each duplicate's whole record ('merged' or
'invalidated': recreated or recovered from it). A write the system refused is not journaled
and stops the item (its journaled part can be undone).
CSV items need no write here: the job writes the deduplicated file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from canonical import SourceRef
from flows.config.dedupe import ChildLink
from flows.dedupe.plan import MergeMethod, MergePlan, PlannedMerge
from flows.store.records import UndoAction, UndoEntry
from flows.systems import JsonValue, RawRecord, RecordSystem, WriteInterruptedError, WriteResult

__all__ = ["DEFAULT_CHILDREN", "ApplyReport", "JournalSink", "MergeApplier"]

log = logging.getLogger(__name__)

DEFAULT_CHILDREN: Mapping[str, tuple[ChildLink, ...]] = {
    "AccountObj": (
        ChildLink(object="ContactObj", field="account_id"),
        ChildLink(object="ActiveRecordObj", field="account_id"),
        ChildLink(object="OpportunityObj", field="account_id"),
    ),
    "ContactObj": (
        ChildLink(object="ActiveRecordObj", field="contact_id"),
        ChildLink(object="OpportunityObj", field="contact_id"),
    ),
}
"""Fxiaoke objects that point at a deduplicated parent, per parent object."""

JournalSink = Callable[[Sequence[UndoEntry]], object]
"""Records undo entries of the running apply (``store.undo.record`` bound to the run)."""


@dataclass
class ApplyReport:
    """What an apply did; ``problems`` name the entity and what went wrong."""

    items: int = 0
    merged: int = 0
    masters_updated: int = 0
    children_moved: int = 0
    skipped: int = 0
    journaled: int = 0
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "items": self.items,
            "merged": self.merged,
            "masters_updated": self.masters_updated,
            "children_moved": self.children_moved,
            "skipped": self.skipped,
            "journaled": self.journaled,
            "failed": len(self.problems),
        }


class _ItemFailedError(Exception):
    """One plan item could not be applied; the others go on."""


class MergeApplier:
    """Applies plan items to live systems, given by their flows.yaml names."""

    def __init__(
        self,
        systems: Mapping[str, RecordSystem],
        journal: JournalSink,
        *,
        children: Sequence[ChildLink] | None = None,
    ) -> None:
        self._systems = systems
        self._journal = journal
        self._children = children
        # parent field values -> child records, per (system, child object, field); read once.
        self._child_index: dict[tuple[str, str, str], dict[str, list[RawRecord]]] = {}
        self._report = ApplyReport()

    def apply(self, plan: MergePlan) -> ApplyReport:
        report = self._report = ApplyReport()
        for item in plan.items:
            if not item.merge or item.method is MergeMethod.REWRITE:
                report.skipped += not item.merge
                continue
            report.items += 1
            try:
                self._apply_item(item, report)
            except _ItemFailedError as exc:
                message = f"entity {item.entity_id} ({item.system}:{item.object}): {exc}"
                log.warning("%s", message)
                report.problems.append(message)
        return report

    def _apply_item(self, item: PlannedMerge, report: ApplyReport) -> None:
        system = self._systems[item.system]
        wanted = [item.master_id, *item.duplicate_ids]
        current = {r.id: r for r in system.get_many(item.object, wanted)}
        if item.master_id not in current:
            raise _ItemFailedError(f"master {item.master_id} no longer exists; run dedupe again")
        duplicates = [d for d in item.duplicate_ids if d in current]
        if len(duplicates) < len(item.duplicate_ids):
            gone = sorted(set(item.duplicate_ids) - set(duplicates))
            log.info("entity %s: duplicates %s are already gone", item.entity_id, gone)
        if not duplicates:
            return
        if item.method is MergeMethod.MERGE:
            action = UndoAction.MERGED

            def write() -> list[WriteResult]:
                return system.merge(item.object, item.master_id, duplicates)
        else:
            report.children_moved += self._move_children(system, item, duplicates)
            action = UndoAction.INVALIDATED

            def write() -> list[WriteResult]:
                return system.invalidate(item.object, duplicates)

        entries = [
            UndoEntry(ref=self._ref(item, d), action=action, before=dict(current[d].fields))
            for d in duplicates
        ]
        report.merged += self._write(write, entries, f"{item.method.value} of duplicates")
        # The golden values last: a unique field (Zoho's Email, Fxiaoke's mobile) may hold a
        # duplicate's value, which the CRM refuses while that duplicate is still live.
        if item.updates:
            before = current[item.master_id].fields
            self._write(
                lambda: system.update(item.object, [(item.master_id, item.updates)]),
                [self._updated(item.master, {k: before.get(k) for k in item.updates})],
                "updating the master with the golden values",
            )
            report.masters_updated += 1

    def _move_children(
        self, system: RecordSystem, item: PlannedMerge, duplicates: list[str]
    ) -> int:
        moved = 0
        for link in self._links(item.object):
            by_parent = self._children_of(system, item.system, link)
            children = [child for d in duplicates for child in by_parent.get(d, ())]
            if not children:
                continue
            changes = [(child.id, {link.field: item.master_id}) for child in children]
            entries = [
                self._updated(
                    SourceRef(system=item.system, object=link.object, id=child.id),
                    {link.field: child.fields.get(link.field)},
                )
                for child in children
            ]
            moved += self._write(
                lambda: system.update(link.object, changes),  # noqa: B023 (called at once)
                entries,
                f"moving {link.object} children",
            )
            by_parent.setdefault(item.master_id, []).extend(children)
            for d in duplicates:
                by_parent.pop(d, None)
        return moved

    def _links(self, object_: str) -> Sequence[ChildLink]:
        return self._children if self._children is not None else DEFAULT_CHILDREN.get(object_, ())

    def _children_of(
        self, system: RecordSystem, name: str, link: ChildLink
    ) -> dict[str, list[RawRecord]]:
        key = (name, link.object, link.field)
        index = self._child_index.get(key)
        if index is None:
            index = self._child_index[key] = {}
            for page in system.read(link.object):
                for record in page:
                    parent = record.fields.get(link.field)
                    if isinstance(parent, str) and parent:
                        index.setdefault(parent, []).append(record)
        return index

    def _write(
        self, call: Callable[[], list[WriteResult]], entries: list[UndoEntry], what: str
    ) -> int:
        """Write, journal the entries whose write succeeded, fail the item if any did not.

        A write that stopped the system for good (credits, quota, auth) journals what it did
        and stops the whole apply: every later call would fail the same way.
        """
        try:
            results = call()
        except WriteInterruptedError as exc:
            self._record([entries[r.index] for r in exc.results if r.ok])
            raise
        done = [entries[r.index] for r in results if r.ok]
        self._record(done)
        failed = [r for r in results if not r.ok]
        if failed:
            first = failed[0]
            detail = f"{first.status.value} {first.message or ''}".rstrip()
            raise _ItemFailedError(
                f"{what}: {len(failed)} of {len(entries)} writes failed, "
                f"e.g. {entries[first.index].ref.id}: {detail}"
            )
        return len(done)

    def _record(self, entries: list[UndoEntry]) -> None:
        self._journal(entries)
        self._report.journaled += len(entries)

    @staticmethod
    def _updated(ref: SourceRef, before: Mapping[str, JsonValue]) -> UndoEntry:
        return UndoEntry(ref=ref, action=UndoAction.UPDATED, before=dict(before))

    @staticmethod
    def _ref(item: PlannedMerge, record_id: str) -> SourceRef:
        return SourceRef(system=item.system, object=item.object, id=record_id)
