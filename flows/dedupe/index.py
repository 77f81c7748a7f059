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
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial

from canonical import Account, Contact, SourceRef
from canonical.dedupe import (
    DedupeSettings,
    MatchModel,
    StageTiming,
    preset_for,
    resolve,
)
from canonical.dedupe.gcpause import gc_paused
from canonical.dedupe.survivorship import SurvivorshipRules
from flows.dedupe.bulk_index import IndexPlan, index_batches
from flows.dedupe.evidence import ClusterEvidence, fingerprint
from flows.dedupe.forked import ForkedStream
from flows.dedupe.fragments import cluster_key
from flows.dedupe.golden_cache import Goldens
from flows.dedupe.golden_records import GoldenRecords
from flows.dedupe.incremental import IncrementalRun
from flows.dedupe.indexing import IndexedRun, IndexStats, StoreCandidates, entity_state
from flows.dedupe.phase_clock import PhaseClock
from flows.dedupe.progress import StageProgress
from flows.store import StateStore
from flows.store.entities import EntityMember
from flows.store.entity_load import LoadRows, load_rows

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
        self,
        store: StateStore,
        job: str,
        settings: DedupeSettings,
        rules: SurvivorshipRules,
        progress: StageProgress | None = None,
        goldens: Goldens | None = None,
    ) -> None:
        """``goldens`` makes the golden records by ``rules`` (it may know some already)."""
        if goldens is not None and goldens.rules != rules:
            raise ValueError("the golden records must be made by the index's survivorship rules")
        self._store, self._job, self._settings = store, job, settings
        self._progress = progress or StageProgress()
        self._goldens = goldens or Goldens(rules, settings.workers)

    def _stage(self, stage: str, items: int) -> None:
        self._progress.start(f"match.{stage}", items)

    def _advance(self, stage: str, count: int) -> None:
        self._progress.advance(f"match.{stage}", count)

    def run(
        self,
        records: Sequence[Record],
        *,
        incremental: bool = True,
        fingerprints: Sequence[str] | None = None,
        placed: Callable[[IndexedRun], None] | None = None,
    ) -> IndexedRun:
        """Place ``records`` in entities; ``fingerprints`` (``evidence.fingerprint`` of each
        record, in order) when the reader computed them already. ``placed`` is called with
        the run's entities, clusters and golden records as soon as they are known, before
        the index is written (the caller writes its outputs meanwhile)."""
        placed = placed or _nothing
        prints = fingerprints if fingerprints is not None else [fingerprint(r) for r in records]
        entities = self._store.entities
        stored = entities.model(self._job) if incremental else None
        if stored is not None and records and entities.count(self._job) > 0:
            model = MatchModel.from_json(stored)
            kind = preset_for(records[0]).spec.kind
            if model.spec.kind == kind:
                self._stage("incremental", len(records))
                run = IncrementalRun(self._store, self._job, self._settings, self._goldens)
                with gc_paused():
                    return run.run(records, model, prints, placed)
            log.warning(
                "job %s: the index holds %s records, this run read %s records; resolving anew",
                self._job,
                model.spec.kind,
                kind,
            )
        return self._full(records, prints, placed)

    def _full(
        self,
        records: Sequence[Record],
        prints: Sequence[str],
        placed: Callable[[IndexedRun], None],
    ) -> IndexedRun:
        if len(records) < 2:
            raise NothingToCompareError(
                f"job '{self._job}': {len(records)} record(s) read; the first dedupe run of a "
                "job needs at least two to estimate its match model"
            )
        resolution = resolve(records, self._settings, listener=self._stage)  # type: ignore[arg-type]
        assert resolution.table is not None  # resolve always keeps the records' features
        clock = PhaseClock()
        entities = self._store.entities
        self._stage("index", len(records))
        # Lists and strings by the hundred thousand, no cycles: the collector would rescan
        # every record for each burst of them (see canonical.dedupe.gcpause).
        with clock.phase("entity ids"), gc_paused():
            known = (
                entities.members_of(self._job, (r.source for r in records))
                if entities.count_members(self._job)
                else {}
            )
            groups = [list(c.members) for c in resolution.clusters]
            clustered = {i for c in resolution.clusters for i in c.members}
            groups += [[i] for i in range(len(records)) if i not in clustered]
            ids = _stable_ids(groups, records, known)
            entity_ids = [""] * len(records)
            for entity_id, group in zip(ids, groups, strict=True):
                for i in group:
                    entity_ids[i] = entity_id
        cluster_groups = groups[: len(resolution.clusters)]
        with clock.phase("golden records"), gc_paused():
            chosen = self._goldens.choose(records, cluster_groups)
            goldens = self._goldens.assemble(records, cluster_groups, chosen)
        cluster_ids = ids[: len(resolution.clusters)]
        with clock.phase("cluster keys"), gc_paused():
            # The keys only: the evidence texts, made again batch by batch for the index,
            # held whole from here raised the run's peak by a quarter of a gigabyte at 1M.
            made = ClusterEvidence(records)
            keys = [
                cluster_key(entity_id, c.decision, made.json(c.min_probability, c.pairs), rows)
                for entity_id, c, rows in zip(
                    cluster_ids, resolution.clusters, chosen.keys, strict=True
                )
            ]
            del made
        plan = IndexPlan(
            records, groups, ids, resolution.clusters, goldens, resolution.table, prints
        )
        run = IndexedRun(
            entity_ids=entity_ids,
            clusters=list(resolution.clusters),
            cluster_entity_ids=cluster_ids,
            goldens=GoldenRecords(records, dict(zip(cluster_ids, goldens, strict=True))),
            model=resolution.model,
            pairs_compared=resolution.pairs_compared,
            cluster_keys=keys,
            stats=IndexStats(
                mode="full",
                new=len(records),
                created=len(groups),
                goldens_reused=self._goldens.reused,
            ),
        )
        with clock.phase("outputs fork"):
            placed(run)
        with clock.phase("commit"), self._store.transaction() as tx:
            with clock.phase("clear"):
                tx.entities.clear(self._job)
            # The rows of each batch are made by a forked process while this one writes
            # the batch before: on two cores the index takes the longer of the two, not
            # their sum (a million records: 33 CPU-seconds of rows, 42 of writing).
            fork = self._settings.workers > 1
            stream = ForkedStream(partial(_index_rows, plan, self._job), fork=fork)
            try:
                rows = iter(stream)
                while True:
                    with clock.phase("index rows"):
                        batch = next(rows, None)
                    if batch is None:
                        break
                    with clock.phase("writing"):
                        tx.entities.load_rows(self._job, batch)
                    self._advance("index", len(batch.members))
            finally:
                stream.close()  # at once when a write failed, not when the generator goes
            if stream.forked:
                log.info("job %s: index rows made in %.2fs by a forked process (waited for "
                         "%.2fs of it)", self._job, stream.seconds,
                         clock.seconds("index rows"))  # fmt: skip
            with clock.phase("writing"):
                tx.entities.save_model(self._job, resolution.model.to_json())
                tx.entities.analyze()
        seconds = clock.wall()
        log.info(
            "job %s: indexed %d entities in %.2fs, %.2f CPU (%s)",
            self._job,
            len(groups),
            seconds,
            clock.cpu(),
            clock.summary(),
        )
        run.timings = [*resolution.timings, StageTiming("index", seconds, len(groups))]
        return run


def _index_rows(plan: IndexPlan, job: str) -> Iterator[LoadRows]:
    """The index rows of ``plan``, batch by batch, each golden records' feature table made
    in this process: a forked (daemon) process cannot fork workers of its own, and without
    fork the run has one process to give."""
    for entities, members in index_batches(plan, 1):
        yield load_rows(job, entities, members)


def _nothing(run: IndexedRun) -> None:
    return None


def _stable_ids(
    groups: Sequence[Sequence[int]],
    records: Sequence[Record],
    known: Mapping[SourceRef, EntityMember],
) -> list[str]:
    """An id per group: the entity most of its records had before, if no bigger group took
    it first, else a new one. Biggest groups choose first, so a split keeps the id with the
    larger part."""
    ids = [""] * len(groups)
    order = sorted(range(len(groups)), key=lambda p: -len(groups[p]))
    if not known:  # a job's first run: every id is new (drawn in the same order)
        for position in order:
            ids[position] = str(uuid.uuid4())
        return ids
    taken: set[str] = set()
    for position in order:
        votes = Counter(
            known[records[i].source].entity_id
            for i in groups[position]
            if records[i].source in known
        )
        choice = next((eid for eid, _ in votes.most_common() if eid not in taken), None)
        ids[position] = choice or str(uuid.uuid4())
        taken.add(ids[position])
    return ids
