"""A later run of the dedupe index: match only new records against the stored golden records.

See ``flows.dedupe.index`` for the rules; this module is the one pass that applies them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence

from canonical import Account, Contact
from canonical.dedupe import (
    Cluster,
    ClusterDecision,
    DedupeSettings,
    MatchModel,
    RecordFeatures,
    StageTiming,
    match_one,
)
from canonical.dedupe.survivorship import GoldenRecord
from flows.dedupe.evidence import Evidence, RefPair
from flows.dedupe.fragments import cluster_key
from flows.dedupe.golden_cache import Goldens
from flows.dedupe.golden_records import GoldenRecords
from flows.dedupe.indexing import (
    FeatureCache,
    IndexedRun,
    IndexStats,
    RunOverlay,
    StoreCandidates,
    entity_state,
)
from flows.dedupe.phase_clock import PhaseClock
from flows.dedupe.record_list import sources_of
from flows.dedupe.stored_pairs import Shared, stored_cluster
from flows.store import StateStore
from flows.store.entities import EntityMember, EntityState

__all__ = ["IncrementalRun"]

log = logging.getLogger(__name__)

Record = Contact | Account


class IncrementalRun:
    def __init__(
        self, store: StateStore, job: str, settings: DedupeSettings, goldens: Goldens
    ) -> None:
        self._store, self._job, self._settings, self._goldens = store, job, settings, goldens
        self._entities = store.entities
        self._overlay = RunOverlay(
            StoreCandidates(self._entities, job, max_per_key=settings.max_block_size)
        )
        self._states: dict[str, EntityState] = {}  # entities this run changes
        self._evidence: dict[str, tuple[str, str]] = {}  # (decision, pairs) of the others
        self._touched: set[str] = set()
        self._members: dict[str, list[int]] = {}  # entity id -> indices of its records read
        self._positions: dict[str, int] = {}  # str(SourceRef) -> index of the record read
        self._cache = FeatureCache()
        # Golden records of the changed entities, made together before they are saved.
        self._merged: dict[str, tuple[tuple[int, ...], GoldenRecord]] = {}
        # The golden record each saved entity was saved with (its members then): the run
        # reports those rather than making them again.
        self._saved: dict[str, tuple[tuple[int, ...], GoldenRecord]] = {}
        self._clock = PhaseClock()

    def run(
        self,
        records: Sequence[Record],
        model: MatchModel,
        prints: Sequence[str],
        placed: Callable[[IndexedRun], None],
    ) -> IndexedRun:
        clock = self._clock = PhaseClock()
        stats = IndexStats(mode="incremental")
        with clock.phase("members"):
            refs = sources_of(records)
            found = self._entities.members_at(self._job, refs)
        entity_ids = [""] * len(records)
        new: list[int] = []
        for i, member in enumerate(found):
            if member is None:
                new.append(i)
                continue
            entity_id, stored_print = member
            entity_ids[i] = entity_id
            self._members.setdefault(entity_id, []).append(i)
            if stored_print != prints[i]:
                stats.changed += 1
                self._touched.add(entity_id)
        with clock.phase("members"):
            # Each ref as evidence JSON names it -> its record (a row read twice: the last).
            self._positions = {str(ref): i for i, ref in enumerate(refs)}
            known = sum(1 for i in self._positions.values() if found[i] is not None)
            stats.unchanged = known - stats.changed
            gone = self._gone(known)
        stats.removed = len(gone)
        clustered = {e for e, indices in self._members.items() if len(indices) > 1}
        with clock.phase("entities"):
            self._states = self._entities.get_many(self._job, self._touched)
            # Of the clusters this run does not change, only what the run reports of them.
            self._evidence = self._entities.evidence_of(self._job, clustered - self._touched)
        with clock.phase("changed entities"):
            # The features of every record whose entity changes, and of every new record,
            # from one feature table (entity by entity, each record would build its own).
            wanted = {i for e in self._touched for i in self._members.get(e, ())} | set(new)
            self._cache.fill([records[i] for i in sorted(wanted)], self._settings.workers)
            self._merge_touched(records)
            for entity_id in sorted(self._touched):  # changed members and leavers
                self._refresh(entity_id, records)
        with clock.phase("matching new"):
            for i in new:
                entity_ids[i] = self._place(i, records, model, stats)
        stats.new = len(new)
        with clock.phase("clusters"):
            run = self._result(records, entity_ids, model, stats)
        with clock.phase("outputs fork"):
            placed(run)
        with clock.phase("writing"):
            self._write(records, entity_ids, prints, new, gone, stats)
        stats.goldens_reused = self._goldens.reused
        log.info(
            "job %s: incremental index %s in %.2fs, %.2f CPU (%s)",
            self._job,
            stats,
            clock.wall(),
            clock.cpu(),
            clock.summary(),
        )
        match_seconds = clock.seconds("matching new")
        run.timings = [
            StageTiming("match_new", match_seconds, len(new)),
            StageTiming("index", clock.wall() - match_seconds, len(records)),
        ]
        return run

    def _gone(self, known: int) -> list[EntityMember]:
        """Members the index has, not read by this run (``known`` were): they left."""
        if self._entities.count_members(self._job) == known:
            return []
        read = self._positions
        gone = [m for m in self._entities.all_members(self._job) if str(m.ref) not in read]
        self._touched.update(m.entity_id for m in gone)
        return gone

    def _merge_touched(self, records: Sequence[Record]) -> None:
        """The golden records of the changed entities of two or more members, made at once
        (forked workers choose the values) and their features from one feature table: made
        entity by entity, each golden record built a one-row feature table of its own (half
        a millisecond or more each)."""
        groups = [
            (entity_id, tuple(self._members[entity_id]))
            for entity_id in sorted(self._touched)
            if len(self._members.get(entity_id, ())) > 1
        ]
        if not groups:
            return
        made = self._goldens.make(records, [indices for _, indices in groups])
        self._cache.fill([g.record for g in made], self._settings.workers)
        for (entity_id, indices), golden in zip(groups, made, strict=True):
            self._merged[entity_id] = (indices, golden)

    def _refresh(self, entity_id: str, records: Sequence[Record]) -> None:
        indices = self._members.get(entity_id, [])
        if not indices:
            self._overlay.dropped.add(entity_id)
            return
        old = self._states.get(entity_id)
        evidence = Evidence.from_json(old.pairs) if old is not None else Evidence()
        decision = ClusterDecision(old.decision) if old is not None else ClusterDecision.SINGLE
        if len(indices) == 1:
            decision, evidence = ClusterDecision.SINGLE, Evidence()
        self._save(entity_id, indices, records, decision, evidence)

    def _place(
        self, i: int, records: Sequence[Record], model: MatchModel, stats: IndexStats
    ) -> str:
        record = records[i]
        features = RecordFeatures.from_json(self._cache.get(record)[0])
        match = match_one(features, self._overlay, model, self._settings)
        if match.entity_id is None or match.decision is ClusterDecision.SINGLE:
            entity_id = str(uuid.uuid4())
            self._members[entity_id] = [i]
            self._save(entity_id, [i], records, ClusterDecision.SINGLE, Evidence())
            stats.created += 1
            return entity_id
        entity_id = match.entity_id
        if entity_id not in self._states:  # an entity none of this run's records belongs to
            self._states.update(self._entities.get_many(self._job, [entity_id]))
        old = self._states[entity_id]
        evidence = Evidence.from_json(old.pairs)
        if match.pair is not None and old.master is not None:
            evidence = evidence.with_pair(RefPair.of(match.pair, old.master, record.source))
        decision = ClusterDecision(old.decision)
        if match.decision is ClusterDecision.REVIEW:
            decision = ClusterDecision.REVIEW
        elif decision is ClusterDecision.SINGLE:
            decision = ClusterDecision.AUTO
        self._members.setdefault(entity_id, []).append(i)
        self._save(entity_id, self._members[entity_id], records, decision, evidence)
        stats.attached += 1
        return entity_id

    def _save(
        self,
        entity_id: str,
        indices: Sequence[int],
        records: Sequence[Record],
        decision: ClusterDecision,
        evidence: Evidence,
    ) -> None:
        members = [records[i] for i in indices]
        made = self._merged.pop(entity_id, None)
        if len(members) == 1:
            golden, master = members[0], members[0].source
        else:
            if made is not None and made[0] == tuple(indices):
                merged = made[1]
            else:
                merged = self._goldens.make(records, [indices])[0]
            golden, master = merged.record, merged.master
            self._saved[entity_id] = (tuple(indices), merged)
        state = entity_state(entity_id, golden, master, members, decision, evidence, self._cache)
        self._states[entity_id] = state
        self._touched.add(entity_id)
        self._overlay.put(state)

    def _write(
        self,
        records: Sequence[Record],
        entity_ids: list[str],
        prints: Sequence[str],
        new: list[int],
        gone: list[EntityMember],
        stats: IndexStats,
    ) -> None:
        changed = {i for entity_id in self._touched for i in self._members.get(entity_id, ())}
        members = [
            EntityMember(records[i].source, entity_ids[i], prints[i])
            for i in sorted(changed | set(new))
        ]
        with self._store.transaction() as tx:
            tx.entities.remove_members(self._job, (m.ref for m in gone))
            tx.entities.delete(self._job, self._overlay.dropped)
            tx.entities.save(
                self._job,
                [self._states[e] for e in sorted(self._touched - self._overlay.dropped)],
            )
            tx.entities.set_members(self._job, members)

    def _result(
        self,
        records: Sequence[Record],
        entity_ids: list[str],
        model: MatchModel,
        stats: IndexStats,
    ) -> IndexedRun:
        shared: Shared = {}
        clusters: list[Cluster] = []
        cluster_ids: list[str] = []
        grouped = [(e, indices) for e, indices in sorted(self._members.items()) if len(indices) > 1]
        known: dict[str, GoldenRecord] = {}
        for entity_id, indices in grouped:
            saved = self._saved.get(entity_id)
            if saved is not None and saved[0] == tuple(indices):
                known[entity_id] = saved[1]
        unsaved = [(e, indices) for e, indices in grouped if e not in known]
        # The others' golden records are built only if asked for (golden_records).
        goldens = GoldenRecords(records, known)
        with self._clock.phase("golden records"):
            chosen = self._goldens.choose(records, [indices for _, indices in unsaved])
        rows: dict[str, bytes | None] = {}
        for (entity_id, indices), choices, key in zip(
            unsaved, chosen.choices, chosen.keys, strict=True
        ):
            goldens.add(entity_id, indices, choices)
            rows[entity_id] = key
        keys: list[bytes | None] = []
        for entity_id, indices in grouped:
            state = self._states.get(entity_id)
            stored, pairs_json = (
                (state.decision, state.pairs) if state is not None else self._evidence[entity_id]
            )
            cluster = stored_cluster(indices, stored, pairs_json, self._positions, shared)
            clusters.append(cluster)
            cluster_ids.append(entity_id)
            found = rows[entity_id] if entity_id in rows else self._goldens.group_key(indices)
            keys.append(cluster_key(entity_id, cluster.decision, pairs_json, found))
        return IndexedRun(
            entity_ids=entity_ids,
            clusters=clusters,
            cluster_entity_ids=cluster_ids,
            goldens=goldens,
            model=model,
            stats=stats,
            cluster_keys=keys,
        )
