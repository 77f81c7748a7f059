"""A full run's entity index, built for every entity at once and handed over in batches.

What ``indexing.entity_state`` builds for one entity (golden features, blocking keys of the
golden record and of every member, the evidence) is built here from the feature tables the
resolution already has: the records' own, and one more over the golden records of all
clusters. Entity by entity that cost half a millisecond of feature building per record (108 of
139 s at 156,000 records); the texts come out the same (tests/flows/dedupe/test_index.py).
Batches bound the memory the texts take; the caller writes them in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from canonical import Account, Contact
from canonical.dedupe import Cluster, ClusterDecision, FeatureTable, LinkageSpec
from canonical.dedupe.gcpause import gc_paused
from canonical.dedupe.index_rows import FeatureTexts, first_of_each, key_texts
from canonical.dedupe.presets import preset_for
from canonical.dedupe.survivorship import GoldenRecord
from flows.dedupe.evidence import ClusterEvidence, Evidence, golden_json
from flows.store.entities import EntityMember, EntityState

__all__ = ["BATCH_ENTITIES", "IndexPlan", "index_batches"]

Record = Contact | Account

BATCH_ENTITIES: Final = 50_000


@dataclass(frozen=True)
class IndexPlan:
    """The entities of a full run: ``groups[i]`` holds the record indices of entity
    ``ids[i]``; the first ``len(clusters)`` groups are the clusters, in order, with their
    golden records; the others single records."""

    records: Sequence[Record]
    groups: Sequence[Sequence[int]]
    ids: Sequence[str]
    clusters: Sequence[Cluster]
    goldens: Sequence[GoldenRecord]
    table: FeatureTable
    fingerprints: Sequence[str]  # per record


def index_batches(
    plan: IndexPlan, workers: int, size: int = BATCH_ENTITIES
) -> Iterator[tuple[list[EntityState], list[EntityMember]]]:
    """(entities, members) in batches of ``size`` entities, every entity once."""
    preset = preset_for(plan.records)  # type: ignore[arg-type]
    spec = preset.spec
    features = FeatureTexts(plan.table, spec)
    for start in range(0, len(plan.groups), size):
        end = min(start + size, len(plan.groups))
        # The golden records' feature table one batch at a time: made for all clusters at
        # once, it held a few hundred megabytes through the whole index write (a million
        # rows), at the run's peak of memory.
        goldens = [g.record for g in plan.goldens[start : min(end, len(plan.clusters))]]
        golden_table = preset.table(goldens, workers) if goldens else None
        texts = _Texts(spec, plan.table, features, golden_table)
        with gc_paused():  # many small acyclic objects: see canonical.dedupe.gcpause
            yield _batch(plan, texts, start, end)


@dataclass(frozen=True)
class _Texts:
    spec: LinkageSpec
    table: FeatureTable  # the records'
    features: FeatureTexts  # of the records' table
    golden_table: FeatureTable | None  # the golden records of the batch's clusters, in order
    golden_features: FeatureTexts | None = field(init=False)

    def __post_init__(self) -> None:
        table = self.golden_table
        object.__setattr__(
            self, "golden_features", None if table is None else FeatureTexts(table, self.spec)
        )


def _batch(
    plan: IndexPlan, texts: _Texts, start: int, end: int
) -> tuple[list[EntityState], list[EntityMember]]:
    records, groups, ids = plan.records, plan.groups, plan.ids
    clustered = len(plan.clusters)
    entity_keys = _entity_keys(plan, texts, start, end)
    golden_features = (
        [] if texts.golden_features is None else texts.golden_features.rows(_golden_rows(texts))
    )
    singles = np.array([groups[g][0] for g in range(max(start, clustered), end)], dtype=np.int64)
    single_features = texts.features.rows(singles)
    states: list[EntityState] = []
    members: list[EntityMember] = []
    no_pairs = Evidence().to_json()  # every single record's, made once
    evidence = ClusterEvidence(records)
    single = ClusterDecision.SINGLE.value
    for g in range(start, end):
        group = groups[g]
        entity_id = ids[g]
        if g < clustered:
            cluster, golden = plan.clusters[g], plan.goldens[g]
            states.append(
                EntityState(
                    entity_id=entity_id,
                    decision=cluster.decision.value,
                    master=golden.master,
                    features=golden_features[g - start],
                    golden=golden_json(golden.record),
                    keys=entity_keys[g - start],
                    pairs=evidence.json(cluster.min_probability, cluster.pairs),
                )
            )
        else:
            record = records[group[0]]
            states.append(
                EntityState(
                    entity_id=entity_id,
                    decision=single,
                    master=record.source,
                    features=single_features[g - max(start, clustered)],
                    golden="",  # a single record is its own golden record
                    keys=entity_keys[g - start],
                    pairs=no_pairs,
                )
            )
        members.extend(
            EntityMember(records[i].source, entity_id, plan.fingerprints[i]) for i in group
        )
    return states, members


def _entity_keys(plan: IndexPlan, texts: _Texts, start: int, end: int) -> list[tuple[str, ...]]:
    """The blocking keys of entities ``start`` to ``end``, each once: a cluster's golden
    record's first, then its members', in member order (a single record's are its own)."""
    groups, spec = plan.groups, texts.spec
    sizes = np.fromiter((len(groups[g]) for g in range(start, end)), dtype=np.int64)
    member_rows = np.fromiter((i for g in range(start, end) for i in groups[g]), dtype=np.int64)
    member_entity = np.repeat(np.arange(end - start, dtype=np.int64), sizes)
    # Rank within the entity: the golden record 0, members 1, 2, ... (member rows are in
    # entity order, members in group order).
    member_rank = (
        np.arange(len(member_rows), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    )
    at_member, member_texts = key_texts(plan.table, spec, member_rows)
    at_golden, golden_texts = (
        (np.empty(0, dtype=np.int64), np.empty(0, dtype=object))
        if texts.golden_table is None
        else key_texts(texts.golden_table, spec, _golden_rows(texts))
    )
    entity = np.concatenate([at_golden, member_entity[at_member]])
    rank = np.concatenate([np.zeros(len(at_golden), np.int64), member_rank[at_member]])
    every = np.concatenate([golden_texts, member_texts])
    order = np.lexsort((rank, entity))  # stable: a row's keys stay in rule order
    entity, every = entity[order], every[order]
    kept = first_of_each(entity, every)
    keys: list[str] = every[kept].tolist()
    bounds = np.searchsorted(entity[kept], np.arange(end - start + 1)).tolist()
    return [tuple(keys[bounds[e] : bounds[e + 1]]) for e in range(end - start)]


def _golden_rows(texts: _Texts) -> np.ndarray:
    """Every row of the batch's golden table: its clusters' golden records, in order."""
    assert texts.golden_table is not None
    return np.arange(texts.golden_table.n, dtype=np.int64)
