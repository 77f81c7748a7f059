"""Undoing a run from its journal: newest change first, each marked undone as it is taken back.

* created -> deleted (a record already gone counts as undone) and unlinked;
* updated -> the before-image written back (only the fields the run changed);
* invalidated -> recovered from the recycle bin (Fxiaoke: the same id) where the system can;
* deleted, merged (and invalidated records that cannot be recovered) -> created again from
  the before-image and linked to its canonical id in place of the old record id.

Entries are sent in batches at the system's maximum and marked undone in the commit of their
batch, so an undo that stops half-way resumes where it stopped, and one that finished does
nothing when run again.

The job's state is taken back with the records: the watermarks the run moved go back to where
they stood before it, and a record the run created and the undo deleted loses its crosswalk
link and its sync shadow. The next run reads again what the undone run read and finds those
source records without a counterpart: it creates them once more (undoing a full load is not a
dead end). Records the run only updated keep their shadow, so an undone update stays undone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from pydantic import JsonValue

from canonical.models import SourceRef
from connectors.batching import write_batches
from connectors.record_system import (
    RecordSystem,
    UnsupportedOperationError,
    WriteResult,
    WriteStatus,
)
from flows.store import JournalEntry, StateStore, StoreTransaction, UndoAction

__all__ = ["UndoError", "UndoReport", "undo_run"]

log = logging.getLogger(__name__)

# Raw fields a CRM sets itself: never sent back when restoring or recreating a record.
_SYSTEM_FIELDS = frozenset(
    {
        "id",
        "_id",
        "Created_Time",
        "Modified_Time",
        "Created_By",
        "Modified_By",
        "Last_Activity_Time",
        "create_time",
        "last_modified_time",
        "created_by",
        "last_modified_by",
        "life_status",
        "lock_status",
        "version",
    }
)


class UndoError(Exception):
    """A run cannot be undone as asked (unknown run, a system not in flows.yaml)."""


@dataclass
class UndoReport:
    run_id: str
    undone: Counter[str] = field(default_factory=Counter)  # action -> entries undone
    failed: list[tuple[JournalEntry, str]] = field(default_factory=list)
    pending_before: int = 0
    watermarks_restored: int = 0

    @property
    def nothing_to_do(self) -> bool:
        return self.pending_before == 0


def restorable(before: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    """The before-image without the fields a CRM sets itself or derives (``*__r``)."""
    return {
        k: v
        for k, v in before.items()
        if k not in _SYSTEM_FIELDS and not k.endswith("__r") and not k.startswith("$")
    }


def _runs(entries: Sequence[JournalEntry]) -> Iterator[list[JournalEntry]]:
    """Newest first, consecutive entries of one system object and action together."""
    newest = list(reversed(entries))

    def key(entry: JournalEntry) -> tuple[str, str, str]:
        ref = entry.entry.ref
        return ref.system, ref.object, entry.entry.action.value

    for _, group in groupby(newest, key=key):
        yield list(group)


def undo_run(
    store: StateStore,
    run_id: str,
    systems: Mapping[str, RecordSystem],
    *,
    progress: Callable[[str, int], None] | None = None,
) -> UndoReport:
    """Take back every pending change of ``run_id``; see the module docstring."""
    run = store.runs.get(run_id)
    if run is None:
        raise UndoError(f"there is no run {run_id!r}; `crmbridge runs` lists them")
    pending = store.undo.entries(run_id, pending_only=True)
    report = UndoReport(run_id, pending_before=len(pending))
    job = _JobState(
        run.job, run_id, [(w.system, w.object) for w in store.watermarks.for_job(run.job)]
    )
    missing = sorted({e.entry.ref.system for e in pending} - set(systems))
    if missing:
        names = ", ".join(missing)
        raise UndoError(f"run {run_id} changed {names}, which flows.yaml does not name")
    for entries in _runs(pending):
        ref = entries[0].entry.ref
        system = systems[ref.system]
        for chunk in write_batches(system, entries):
            _undo_chunk(store, job, system, chunk, report)
            if progress is not None:
                progress(f"undo {ref.system}:{ref.object}", len(chunk))
    # Moving a watermark back only makes the next run read more; it never loses a change.
    report.watermarks_restored = store.watermarks.restore(run_id)
    return report


@dataclass(frozen=True)
class _JobState:
    """The job whose state an undo takes back, and the objects it reads (those it keeps a
    watermark for): their records whose copy the undo deleted are read again next run."""

    name: str
    run_id: str
    reads: list[tuple[str, str]]


def _undo_chunk(
    store: StateStore,
    job: _JobState,
    system: RecordSystem,
    chunk: Sequence[JournalEntry],
    report: UndoReport,
) -> None:
    action = chunk[0].entry.action
    object_ = chunk[0].entry.ref.object
    ids = [e.entry.ref.id for e in chunk]
    if action is UndoAction.CREATED:
        results = system.delete(object_, ids)
        refused = [e.entry.ref.id for e, r in zip(chunk, results, strict=True) if not r.ok]
        # A record someone deleted already is undone as well.
        still = {r.id for r in system.get_many(object_, refused)} if refused else set()
        results = [
            r if r.ok or e.entry.ref.id in still else _gone(r)
            for e, r in zip(chunk, results, strict=True)
        ]
    elif action is UndoAction.UPDATED:
        changes = [(e.entry.ref.id, restorable(e.entry.before or {})) for e in chunk]
        results = system.update(object_, changes)
    else:
        results = _bring_back(system, object_, chunk, action)
    done: list[int] = []
    unlinks: list[SourceRef] = []
    forgotten: list[str] = []  # canonical ids whose created record is gone: no shadow left
    relinks: dict[str, SourceRef] = {}  # canonical id -> the record that stands for it now
    for entry, result in zip(chunk, results, strict=True):
        if not result.ok:
            message = result.message or result.status.value
            report.failed.append((entry, message))
            log.warning("could not undo %s of %s: %s", action.value, entry.entry.ref, message)
            continue
        done.append(entry.seq)
        report.undone[action.value] += 1
        ref, cid = entry.entry.ref, entry.entry.canonical_id
        if action is UndoAction.CREATED:
            unlinks.append(ref)
            if cid is not None:
                forgotten.append(cid)
        elif action is not UndoAction.UPDATED and result.record_id:
            unlinks.append(ref)  # a recovered record keeps its id and is linked again
            if cid is not None:
                relinks[cid] = ref.model_copy(update={"id": result.record_id})
    # One statement per batch, not one per record: undoing a full load unlinks thousands.
    with store.transaction() as tx:
        tx.crosswalk.unlink_many(unlinks)
        _forget(tx, job, chunk[0].entry.ref, forgotten)
        if relinks:
            where = chunk[0].entry.ref
            taken = tx.crosswalk.records_in(relinks, where.system, where.object)
            tx.crosswalk.link_many((c, r) for c, r in relinks.items() if c not in taken)
        tx.undo.mark_undone(chunk[0].run_id, done)


def _forget(tx: StoreTransaction, job: _JobState, deleted: SourceRef, cids: list[str]) -> None:
    """The records a run created and the undo deleted: their pairs are no longer settled (no
    shadow), and their sources are read again by the next run whatever its watermark says
    (a later run may have moved it past them), so that run creates them once more."""
    if not cids:
        return
    tx.shadow.delete_many(job.name, cids)
    reason = f"undo of run {job.run_id[:8]} deleted its copy in {deleted.system}:{deleted.object}"
    for system, object_ in job.reads:
        if (system, object_) == (deleted.system, deleted.object):
            continue
        sources = tx.crosswalk.records_in(cids, system, object_)
        refs = [SourceRef(system=system, object=object_, id=rid) for rid in sources.values()]
        tx.retries.add_many(job.name, job.run_id, ((ref, reason) for ref in refs))


def _gone(result: WriteResult) -> WriteResult:
    return WriteResult(result.index, WriteStatus.DELETED, result.record_id, "already gone")


def _bring_back(
    system: RecordSystem, object_: str, chunk: Sequence[JournalEntry], action: UndoAction
) -> list[WriteResult]:
    """Recover invalidated records from the recycle bin (same id) where the system can;
    recreate the others from their before-images (a new id)."""
    results: dict[int, WriteResult] = {}
    if action is UndoAction.INVALIDATED:
        try:
            recovered = system.recover(object_, [e.entry.ref.id for e in chunk])
        except UnsupportedOperationError:
            recovered = []
        for index, result in enumerate(recovered):
            if result.ok:
                results[index] = WriteResult(index, result.status, chunk[index].entry.ref.id)
    rest = [i for i in range(len(chunk)) if i not in results]
    if rest:
        created = system.create(object_, [restorable(chunk[i].entry.before or {}) for i in rest])
        for index, result in zip(rest, created, strict=True):
            results[index] = WriteResult(index, result.status, result.record_id, result.message)
    return [results[i] for i in range(len(chunk))]
