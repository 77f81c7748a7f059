"""What one write batch leaves in the state store, committed in one transaction.

Links, ledger fingerprints, shadows, undo entries, outcomes, resolved intents, retries and
(after a route's last batch) watermarks go in together or not at all: a process killed
before the commit leaves the store as if the batch had not been answered, which the next run
repairs (intents for creates, the unchanged watermark and the shadow for the rest).

A canonical id with several writes (two-way: one to each side) gets its ledger entries and
shadow only once all of them went through: a shadow that ran ahead of one side would make a
later run read that side's old value as a fresh change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import JsonValue

from canonical.models import SourceRef
from flows.store import LedgerWrite, StateStore, StoreTransaction, UndoEntry, WriteOutcome
from flows.sync.gather.sides import SideFingerprints
from flows.sync.planning.plan import PlanItem

__all__ = ["CanonicalProgress", "ReadBack", "UnitOfWork"]

log = logging.getLogger(__name__)


@dataclass
class UnitOfWork:
    links: list[tuple[str, SourceRef]] = field(default_factory=list)
    unlinks: list[SourceRef] = field(default_factory=list)
    ledger: list[LedgerWrite] = field(default_factory=list)
    shadows: dict[str, tuple[Mapping[str, JsonValue], str]] = field(default_factory=dict)
    shadow_sides: dict[str, dict[str, Mapping[str, JsonValue]]] = field(default_factory=dict)
    shadow_deletes: list[str] = field(default_factory=list)
    undo: list[UndoEntry] = field(default_factory=list)
    undone: list[int] = field(default_factory=list)
    outcomes: list[WriteOutcome] = field(default_factory=list)
    intents: dict[tuple[str, str], dict[str, str | None]] = field(default_factory=dict)
    retry: list[tuple[SourceRef, str]] = field(default_factory=list)
    retried: list[SourceRef] = field(default_factory=list)
    watermarks: list[tuple[str, str, datetime]] = field(default_factory=list)

    def resolve_intent(self, system: str, object: str, cid: str, record_id: str | None) -> None:
        self.intents.setdefault((system, object), {})[cid] = record_id

    def commit(self, store: StateStore, job: str, run_id: str) -> None:
        with store.transaction() as tx:
            _link(tx, self.links)
            tx.crosswalk.unlink_many(self.unlinks)
            tx.ledger.upsert_many(run_id, self.ledger)
            entries = [(c, v, f) for c, (v, f) in self.shadows.items()]
            tx.shadow.put_many(job, entries, self.shadow_sides)
            tx.shadow.delete_many(job, self.shadow_deletes)
            tx.undo.record(run_id, self.undo)
            if self.undone:
                tx.undo.mark_undone(run_id, self.undone)
            tx.outcomes.record(run_id, self.outcomes)
            for (system, object_), resolved in self.intents.items():
                tx.intents.resolve_many(job, system, object_, resolved)
            tx.retries.remove_many(job, self.retried)
            tx.retries.add_many(job, run_id, self.retry)
            for system, object_, value in self.watermarks:
                # The run id keeps the value it replaces, for `crmbridge undo` to put back.
                tx.watermarks.set(job, system, object_, value.isoformat(), run_id=run_id)


def _link(tx: StoreTransaction, links: Iterable[tuple[str, SourceRef]]) -> None:
    """Link pairs, leaving out (with a warning) any that would contradict the crosswalk."""
    wanted = list(dict.fromkeys(links))
    if not wanted:
        return
    known = tx.crosswalk.lookup_many(ref for _, ref in wanted)
    # Pairs linked already (a create's source, an update's two sides) need nothing more.
    wanted = [(cid, ref) for cid, ref in wanted if known.get(ref) != cid]
    if not wanted:
        return
    taken: dict[tuple[str, str, str], str] = {}
    objects: dict[tuple[str, str], set[str]] = {}
    for cid, ref in wanted:
        objects.setdefault((ref.system, ref.object), set()).add(cid)
    for (system, object_), cids in objects.items():
        for cid, record_id in tx.crosswalk.records_in(cids, system, object_).items():
            taken[(cid, system, object_)] = record_id
    safe: list[tuple[str, SourceRef]] = []
    for cid, ref in wanted:
        key = (cid, ref.system, ref.object)
        if known.get(ref, cid) != cid:
            log.warning("not linking %s to %s: it is linked to %s", ref, cid, known[ref])
        elif taken.get(key, ref.id) != ref.id:
            log.warning("not linking %s to %s: that id is linked to %s", ref, cid, taken[key])
        else:
            safe.append((cid, ref))
            known[ref] = cid
            taken[key] = ref.id
    tx.crosswalk.link_many(safe)


@dataclass(frozen=True)
class ReadBack:
    """A record read right after we wrote it: its ledger fingerprint (as the planner computes
    it), its side fingerprint and its values."""

    ledger: str
    fingerprint: str
    values: Mapping[str, JsonValue]


@dataclass
class _Cid:
    remaining: int = 0
    failed: bool = False
    ledger: list[LedgerWrite] = field(default_factory=list)
    written: set[str] = field(default_factory=set)
    read_back: dict[str, ReadBack] = field(default_factory=dict)  # side -> read after write
    shadow: Mapping[str, JsonValue] | None = None


class CanonicalProgress:
    """Holds back a canonical id's ledger entries and shadow until all its writes are done."""

    def __init__(
        self,
        items: Iterable[PlanItem],
        side_fps: Mapping[str, SideFingerprints],
        snapshots: Mapping[str, Mapping[str, Mapping[str, JsonValue]]] | None = None,
    ) -> None:
        self._side_fps = side_fps
        self._snapshots = snapshots or {}
        self._cids: dict[str, _Cid] = {}
        for item in items:
            state = self._cids.setdefault(item.canonical_id, _Cid())
            if item.writes:
                state.remaining += 1
            if item.shadow is not None:
                state.shadow = item.shadow

    def settle(self, item: PlanItem, work: UnitOfWork) -> None:
        """A SKIP or CONFLICT item: its shadow is stored unless writes of its id are pending."""
        state = self._cids.get(item.canonical_id)
        if state is not None and state.remaining == 0 and not state.failed:
            self._store_shadow(item.canonical_id, state, work)

    def done(
        self,
        item: PlanItem,
        side: str,
        work: UnitOfWork,
        ledger: LedgerWrite | None,
        read_back: ReadBack | None = None,
    ) -> None:
        """One write of the item's id went through; ``read_back``: the written side as read
        after the write (two-way), which settles its echo next run."""
        state = self._cids.setdefault(item.canonical_id, _Cid(remaining=1))
        state.remaining -= 1
        state.written.add(side)
        if read_back is not None:
            state.read_back[side] = read_back
        if ledger is not None:
            state.ledger.append(ledger)
        if state.remaining <= 0 and not state.failed:
            work.ledger += state.ledger
            self._store_shadow(item.canonical_id, state, work)

    def failed(self, item: PlanItem) -> None:
        state = self._cids.setdefault(item.canonical_id, _Cid())
        state.remaining -= 1
        state.failed = True

    def _store_shadow(self, cid: str, state: _Cid, work: UnitOfWork) -> None:
        if state.shadow is None:
            return
        fps = self._side_fps.get(cid, SideFingerprints()).written(state.written)
        fps = fps.with_read({side: back.fingerprint for side, back in state.read_back.items()})
        work.shadows[cid] = (state.shadow, str(fps))
        # Each side's values after the sync: as read this run, or read back after our write;
        # a side written without a read-back is unknown until it is read again.
        sides = {
            side: values
            for side, values in self._snapshots.get(cid, {}).items()
            if side not in state.written
        }
        sides.update({side: back.values for side, back in state.read_back.items()})
        if sides:
            work.shadow_sides[cid] = sides
