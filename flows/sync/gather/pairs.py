"""Planning one route: read what changed, pair it with the other side, ask the planner.

Reads are incremental: each end from its watermark minus ``sync.lookback_seconds``, plus the
records kept for a retry. A record read again whose values are what the last sync saw (the
shadow's side fingerprint) is settled and costs nothing more; the other records are paired
through the crosswalk (one ``get_many`` per 100 linked records), and records without a link
are matched on business keys against the other side, read once (``matcher``).

Each side's values are compared with what that side held right after the last sync (the
shadow's ``sides``): a value a CRM derived from our own write is not taken for an edit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta

from pydantic import JsonValue

from canonical.models import SourceRef
from connectors.record_system import UnsupportedOperationError
from flows.config import JobConfig
from flows.config.sync import DeleteMode, SyncDirection
from flows.store import ShadowEntry, StateStore
from flows.sync.gather.deletions import deletion_pairs
from flows.sync.gather.matcher import BUSINESS_KEYS, KeyIndex, match_keys
from flows.sync.gather.planned import PlannedRoute, ledger_hash, parse_watermark, record_state
from flows.sync.gather.reading import ReadBatch, SideReader, SideRecord
from flows.sync.gather.sides import SideFingerprints, SyncSides, settled_values
from flows.sync.planning.fingerprint import fingerprint
from flows.sync.planning.planner import PairState, RecordState, plan_sync
from flows.sync.routes import Route, SyncEnd

__all__ = ["PlannedRoute", "RoutePlanner", "parse_watermark"]

log = logging.getLogger(__name__)


class RoutePlanner:
    def __init__(
        self,
        store: StateStore,
        job: JobConfig,
        route: Route,
        sides: SyncSides,
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        self.store, self.job, self.route, self.sides = store, job, route, sides
        self.options = job.sync
        self.two_way = self.options.direction is SyncDirection.TWO_WAY
        self._progress = progress
        self._indexes: dict[str, KeyIndex] = {}
        # cid -> the other end's record matched on business keys, linked when apply commits.
        self._matches: dict[str, SourceRef] = {}

    @property
    def _ends(self) -> dict[str, SyncEnd]:
        ends = {"a": self.route.a}
        if self.two_way:
            ends["b"] = self.route.b
        return ends

    def _watches_deletes(self) -> bool:
        o = self.options
        return o.deletes is not DeleteMode.IGNORE or o.merges is not DeleteMode.IGNORE

    def plan(self) -> PlannedRoute:
        planned = PlannedRoute(self.route)
        changed: dict[str, list[SideRecord]] = {}
        deleted: dict[str, list[str]] = {}
        for side, end in self._ends.items():
            batch, gone = self._read_side(end, planned)
            changed[side] = batch.records
            deleted[side] = gone
            planned.rejects += batch.rejects
            for record in batch.records:
                planned.records[record.ref] = record
        cids = self._canonical_ids(changed, planned)
        shadows = self.store.shadow.get_many(self.job.name, set(cids.values()))
        pending = self._unsettled(changed, cids, shadows, planned)
        pairs = self._pairs(pending, cids, shadows, planned)
        pairs += deletion_pairs(self.store, self.job.name, self.route, deleted, planned)
        if pairs:
            side_a, side_b = self.sides.for_route(self.route)
            planned.items = plan_sync(pairs, self.options, a=side_a, b=side_b)
        return planned

    # -- reading -----------------------------------------------------------------------------
    def _read_side(self, end: SyncEnd, planned: PlannedRoute) -> tuple[ReadBatch, list[str]]:
        reader = SideReader(self.store, self.route, end, self._progress)
        mark = parse_watermark(
            self.store.watermarks.get(self.job.name, end.system_name, end.object)
        )
        since = None if mark is None else mark - timedelta(seconds=self.options.lookback_seconds)
        batch = reader.read(since)
        if batch.newest is not None and (mark is None or batch.newest > mark):
            planned.watermarks[(end.system_name, end.object)] = batch.newest
        seen = {record.ref.id for record in batch.records} | {r.source.id for r in batch.rejects}
        retry = self.store.retries.pending(self.job.name, end.system_name, end.object)
        planned.retried.update(end.ref(i) for i in retry)
        planned.retry_reasons.update((end.ref(i), reason) for i, reason in retry.items())
        batch.extend(reader.fetch([i for i in retry if i not in seen]))
        planned.read[end.label] = planned.read.get(end.label, 0) + batch.read
        for ref, issue in batch.issues:
            planned.quality.add(
                self.route.label, issue.field, issue.action, issue.reason, str(ref), issue.value
            )
        gone: list[str] = []
        if self._watches_deletes():
            try:
                gone = reader.deleted(since)
            except UnsupportedOperationError:
                log.info("%s cannot list deleted records; deletes are not followed", end.label)
        return batch, gone

    def _canonical_ids(
        self, changed: Mapping[str, list[SideRecord]], planned: PlannedRoute
    ) -> dict[SourceRef, str]:
        """Canonical ids of every record read. A record without a counterpart linked on the
        other side (new, or left behind by an earlier run: parked, failed, killed) is first
        looked for there by business keys, so a record already in the target is linked, not
        created again."""
        refs = [record.ref for records in changed.values() for record in records]
        cids = self.store.crosswalk.lookup_many(refs)
        for side, records in changed.items():
            other = self.route.b if side == "a" else self.route.a
            counterparts = self.store.crosswalk.records_in(
                {cids[r.ref] for r in records if r.ref in cids}, other.system_name, other.object
            )
            unlinked = [r for r in records if cids.get(r.ref) not in counterparts]
            if not unlinked or not self.options.match_on:
                cids.update(self.store.crosswalk.assign(r.ref for r in unlinked))
                continue
            index = self._index(other, planned)
            found = index.match([match_keys(r.values, BUSINESS_KEYS) for r in unlinked])
            matched = [
                (record, other.ref(record_id))
                for record, record_id in zip(unlinked, found, strict=True)
                if record_id is not None
            ]
            cids.update(self.store.crosswalk.assign(r.ref for r in unlinked if r.ref not in cids))
            for record, other_ref in matched:
                # Linked for real when apply commits the pair (a dry run links nothing).
                cids.setdefault(other_ref, cids[record.ref])
                self._matches[cids[record.ref]] = other_ref
        return cids

    def _index(self, end: SyncEnd, planned: PlannedRoute) -> KeyIndex:
        """The other end, read whole once, indexed by business keys (linked records taken)."""
        key = f"{end.system_name}:{end.object}"
        if key not in self._indexes:
            index = KeyIndex(self.options.match_on)
            batch = SideReader(self.store, self.route, end, self._progress).read(None)
            linked = self.store.crosswalk.lookup_many(r.ref for r in batch.records)
            index.claim_taken(ref.id for ref in linked)
            for record in batch.records:
                planned.records.setdefault(record.ref, record)
                index.add(record.ref.id, record.values)
            self._indexes[key] = index
            log.info("%s: %d records indexed for the initial match", end.label, len(index))
        return self._indexes[key]

    # -- pairing -----------------------------------------------------------------------------
    def _unsettled(
        self,
        changed: Mapping[str, list[SideRecord]],
        cids: Mapping[SourceRef, str],
        shadows: Mapping[str, ShadowEntry],
        planned: PlannedRoute,
    ) -> dict[str, dict[str, SideRecord]]:
        """cid -> side -> record read, for the pairs that need planning."""
        by_cid: dict[str, dict[str, SideRecord]] = {}
        for side, records in changed.items():
            for record in records:
                by_cid.setdefault(cids[record.ref], {})[side] = record
        pending: dict[str, dict[str, SideRecord]] = {}
        linked = self._linked_on_both_ends([cid for cid in by_cid if cid in shadows])
        for cid, sides in by_cid.items():
            shadow = shadows.get(cid)
            retried = any(r.ref in planned.retried for r in sides.values())
            stored = SideFingerprints.parse(shadow.fingerprint if shadow else None)
            # Unchanged since the last sync *and* still a pair: a record whose target link
            # was taken by another canonical id (a create that found that record as its
            # duplicate) has a shadow but no target any more, and must be planned again.
            settled = (
                shadow is not None
                and cid in linked
                and not retried
                and cid not in self._matches
                and all(stored.get(side) == fingerprint(r.values) for side, r in sides.items())
            )
            if settled:
                planned.settled += len(sides)
            else:
                pending[cid] = sides
        return pending

    def _linked_on_both_ends(self, cids: list[str]) -> set[str]:
        """The canonical ids among ``cids`` that the crosswalk links on both ends."""
        if not cids:
            return set()
        a, b = self.route.a, self.route.b
        on_a = self.store.crosswalk.records_in(cids, a.system_name, a.object)
        on_b = self.store.crosswalk.records_in(list(on_a), b.system_name, b.object)
        return set(on_b)

    def _pairs(
        self,
        pending: Mapping[str, Mapping[str, SideRecord]],
        cids: Mapping[SourceRef, str],
        shadows: Mapping[str, ShadowEntry],
        planned: PlannedRoute,
    ) -> list[PairState]:
        route = self.route
        missing: dict[str, list[str]] = {"a": [], "b": []}
        for cid, sides in pending.items():
            for side in ("a", "b"):
                if side not in sides and cid not in self._matches:
                    missing[side].append(cid)
        known: dict[str, dict[str, SourceRef]] = {"a": {}, "b": {}}
        unmappable: set[SourceRef] = set()  # linked records that exist but do not map
        for side, end in (("a", route.a), ("b", route.b)):
            links = self.store.crosswalk.records_in(missing[side], end.system_name, end.object)
            known[side] = {cid: end.ref(rid) for cid, rid in links.items()}
            fetched = SideReader(self.store, route, end).fetch(list(links.values()))
            for record in fetched.records:
                planned.records[record.ref] = record
            unmappable.update(r.source for r in fetched.rejects)
            planned.rejects += fetched.rejects
        for cid, ref in self._matches.items():
            side = (
                "b" if ref.system == route.b.system_name and ref.object == route.b.object else "a"
            )
            known[side][cid] = ref
        refs = [r.ref for sides in pending.values() for r in sides.values()]
        refs += [ref for side in known.values() for ref in side.values()]
        ledger = self.store.ledger.get_many(refs)
        pairs: list[PairState] = []
        for cid, sides in pending.items():
            states: dict[str, RecordState | None] = {}
            for side in ("a", "b"):
                read = sides.get(side)
                found = read.ref if read is not None else known[side].get(cid)
                states[side] = self._state(found, planned)
            if any(known[side].get(cid) in unmappable for side in ("a", "b")):
                continue  # the other side's record is a dead letter until it maps
            shadow = shadows.get(cid)
            snapshot: dict[str, Mapping[str, JsonValue]] = {}
            for side, state in states.items():
                if state is None or state.deleted:
                    continue
                snapshot[side] = state.values
                if shadow is not None and shadow.sides is not None:
                    values = settled_values(state.values, shadow.sides.get(side), shadow.values)
                    states[side] = replace(state, values=values)
            planned.snapshots[cid] = snapshot
            fps = SideFingerprints.parse(shadow.fingerprint if shadow else None)
            planned.side_fps[cid] = fps.with_read(
                {side: fingerprint(r.values) for side, r in sides.items()}
            )
            a_state, b_state = states["a"], states["b"]
            pairs.append(
                PairState(
                    canonical_id=cid,
                    entity=route.entity,
                    a=a_state,
                    b=b_state,
                    base=shadow.values if shadow else None,
                    ledger_a=ledger_hash(ledger, a_state),
                    ledger_b=ledger_hash(ledger, b_state),
                )
            )
        return pairs

    def _state(self, ref: SourceRef | None, planned: PlannedRoute) -> RecordState | None:
        return record_state(ref, planned)
