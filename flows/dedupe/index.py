"""The incremental dedupe index: stable entity ids, golden records kept in the state store.

The first run of a job (or any run with ``incremental: false``) resolves every record at
once and stores the result: one entity per cluster and per single record, its golden record's
features and blocking keys, and the trained match model. A later run only matches what is
new: a record the index knows keeps its entity (a changed one refreshes its entity's golden
record), a new record is matched with ``match_one`` against the golden records that share a
blocking key with it (one indexed query) and joins the best entity or starts its own, and a
record no longer read leaves its entity. Records new in the same run can match each other:
each one is visible to the next as soon as it is placed. Everything is written in one
transaction at the end, so a failed run leaves the index as it was.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence

from canonical import Account, Contact, SourceRef
from canonical.dedupe import (
    ClusterDecision,
    DedupeSettings,
    MatchModel,
    StageTiming,
    preset_for,
    resolve,
)
from canonical.dedupe.survivorship import GoldenRecord, SurvivorshipRules, golden_record
from flows.dedupe.evidence import Evidence, fingerprint
from flows.dedupe.incremental import IncrementalRun
from flows.dedupe.indexing import IndexedRun, IndexStats, StoreCandidates, entity_state
from flows.store import StateStore
from flows.store.entities import EntityMember, EntityState

__all__ = [
    "DedupeIndex",
    "IndexStats",
    "IndexedRun",
    "NothingToCompareError",
    "StoreCandidates",
    "entity_state",
]

log = logging.getLogger(__name__)

Record = Contact | Account


class NothingToCompareError(ValueError):
    """The first run of a job read too few records to learn how duplicates look."""


class DedupeIndex:
    """Places a run's records in the entities of job ``job``; see the module docstring."""

    def __init__(
        self, store: StateStore, job: str, settings: DedupeSettings, rules: SurvivorshipRules
    ) -> None:
        self._store, self._job, self._settings, self._rules = store, job, settings, rules

    def run(self, records: Sequence[Record], *, incremental: bool = True) -> IndexedRun:
        entities = self._store.entities
        stored = entities.model(self._job) if incremental else None
        if stored is not None and records and entities.count(self._job) > 0:
            model = MatchModel.from_json(stored)
            kind = preset_for(records[0]).spec.kind
            if model.spec.kind == kind:
                run = IncrementalRun(self._store, self._job, self._settings, self._rules)
                return run.run(records, model)
            log.warning(
                "job %s: the index holds %s records, this run read %s records; resolving anew",
                self._job,
                model.spec.kind,
                kind,
            )
        return self._full(records)

    def _full(self, records: Sequence[Record]) -> IndexedRun:
        if len(records) < 2:
            raise NothingToCompareError(
                f"job '{self._job}': {len(records)} record(s) read; the first dedupe run of a "
                "job needs at least two to estimate its match model"
            )
        resolution = resolve(records, self._settings)  # type: ignore[arg-type]
        started = time.perf_counter()
        known = self._store.entities.members_of(self._job, (r.source for r in records))
        groups = [list(c.members) for c in resolution.clusters]
        clustered = {i for c in resolution.clusters for i in c.members}
        groups += [[i] for i in range(len(records)) if i not in clustered]
        ids = _stable_ids(groups, records, known)
        entity_ids = [""] * len(records)
        states: list[EntityState] = []
        goldens: dict[str, GoldenRecord] = {}
        for position, (entity_id, group) in enumerate(zip(ids, groups, strict=True)):
            members = [records[i] for i in group]
            for i in group:
                entity_ids[i] = entity_id
            if position < len(resolution.clusters):
                cluster = resolution.clusters[position]
                golden = goldens[entity_id] = golden_record(members, self._rules)  # type: ignore[arg-type]
                evidence = Evidence.of_cluster(cluster.min_probability, cluster.pairs, records)
                state = entity_state(
                    entity_id, golden.record, golden.master, members, cluster.decision, evidence
                )
            else:
                record = members[0]
                single = ClusterDecision.SINGLE
                state = entity_state(entity_id, record, record.source, members, single, Evidence())
            states.append(state)
        fingerprints = [
            EntityMember(r.source, entity_ids[i], fingerprint(r)) for i, r in enumerate(records)
        ]
        with self._store.transaction() as tx:
            tx.entities.clear(self._job)
            tx.entities.load(self._job, states, fingerprints)
            tx.entities.save_model(self._job, resolution.model.to_json())
        seconds = time.perf_counter() - started
        log.info("job %s: indexed %d entities in %.2fs", self._job, len(states), seconds)
        return IndexedRun(
            entity_ids=entity_ids,
            clusters=list(resolution.clusters),
            cluster_entity_ids=ids[: len(resolution.clusters)],
            goldens=goldens,
            model=resolution.model,
            pairs_compared=resolution.pairs_compared,
            timings=[*resolution.timings, StageTiming("index", seconds, len(states))],
            stats=IndexStats(mode="full", new=len(records), created=len(states)),
        )


def _stable_ids(
    groups: Sequence[Sequence[int]],
    records: Sequence[Record],
    known: Mapping[SourceRef, EntityMember],
) -> list[str]:
    """An id per group: the entity most of its records had before, if no bigger group took
    it first, else a new one. Biggest groups choose first, so a split keeps the id with the
    larger part."""
    ids = [""] * len(groups)
    taken: set[str] = set()
    for position in sorted(range(len(groups)), key=lambda p: -len(groups[p])):
        votes = Counter(
            known[records[i].source].entity_id
            for i in groups[position]
            if records[i].source in known
        )
        choice = next((eid for eid, _ in votes.most_common() if eid not in taken), None)
        ids[position] = choice or str(uuid.uuid4())
        taken.add(ids[position])
    return ids
