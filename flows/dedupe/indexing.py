"""Shared pieces of the dedupe index: the store as a candidate source, entity states, results.

See ``flows.dedupe.index`` for how a run uses them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from canonical import Account, Contact, SourceRef
from canonical.dedupe import (
    Cluster,
    ClusterDecision,
    MatchModel,
    RecordFeatures,
    StageTiming,
    blocking_keys,
    preset_for,
    record_features,
)
from canonical.dedupe.index_rows import FeatureTexts, key_rows
from flows.dedupe.evidence import Evidence, golden_json
from flows.dedupe.golden_records import GoldenRecords
from flows.store.entities import Entities, EntityState

__all__ = [
    "FeatureCache",
    "IndexStats",
    "IndexedRun",
    "RunOverlay",
    "StoreCandidates",
    "entity_state",
]

Record = Contact | Account


class StoreCandidates:
    """A ``CandidateSource`` over the store: golden features of entities sharing a key."""

    def __init__(self, entities: Entities, job: str, *, max_per_key: int) -> None:
        self._entities, self._job, self._max = entities, job, max_per_key

    def candidates(self, keys: Sequence[str]) -> Mapping[str, RecordFeatures]:
        rows = self._entities.candidates(self._job, keys, max_per_key=self._max)
        return {entity_id: RecordFeatures.from_json(text) for entity_id, text in rows.items()}


class FeatureCache:
    """Features JSON and blocking keys of records, computed for many at once from one feature
    table (``record_features`` builds a table per record: half a millisecond each); a record
    not filled in is computed alone when asked for."""

    def __init__(self) -> None:
        self._found: dict[int, tuple[str, tuple[str, ...]]] = {}
        self._held: list[Record] = []  # keeps each id() above pointing at its record

    def fill(self, records: Sequence[Record], workers: int = 1) -> None:
        records = [r for r in records if id(r) not in self._found]
        if not records:
            return
        preset = preset_for(records)  # type: ignore[arg-type]
        table = preset.table(records, workers)
        rows = np.arange(len(records), dtype=np.int64)
        texts = FeatureTexts(table, preset.spec).rows(rows)
        positions, keys = key_rows(table, preset.spec, rows)
        per_row: list[list[str]] = [[] for _ in records]
        for position, key in zip(positions.tolist(), keys, strict=True):
            per_row[position].append(key)
        for record, text, row_keys in zip(records, texts, per_row, strict=True):
            self._found[id(record)] = (text, tuple(row_keys))
        self._held.extend(records)

    def get(self, record: Record) -> tuple[str, tuple[str, ...]]:
        """(features JSON, blocking keys) of ``record``."""
        found = self._found.get(id(record))
        if found is None:
            features = record_features(record)
            found = (features.to_json(), tuple(blocking_keys(features)))
        return found


def entity_state(
    entity_id: str,
    golden: Record,
    master: SourceRef,
    members: Sequence[Record],
    decision: ClusterDecision,
    evidence: Evidence,
    cache: FeatureCache | None = None,
) -> EntityState:
    """An entity as stored: the golden features, and every member's keys so that a new record
    like any one of them finds the entity, not only one like the golden record."""
    cache = cache or FeatureCache()
    features, golden_keys = cache.get(golden)
    keys = dict.fromkeys(golden_keys)
    for member in members:
        if member is not golden:
            keys.update(dict.fromkeys(cache.get(member)[1]))
    single = len(members) == 1 and members[0] is golden
    return EntityState(
        entity_id=entity_id,
        decision=decision.value,
        master=master,
        features=features,
        golden="" if single else golden_json(golden),  # a single record is its own golden
        keys=tuple(keys),
        pairs=evidence.to_json(),
    )


@dataclass
class IndexStats:
    mode: str = "full"
    unchanged: int = 0
    changed: int = 0
    new: int = 0
    attached: int = 0
    created: int = 0
    removed: int = 0
    goldens_reused: int = 0  # golden records made from the choices of the run before


@dataclass
class IndexedRun:
    """The run's records placed in entities; clusters are the entities of >= 2 records read."""

    entity_ids: list[str]
    clusters: list[Cluster]
    cluster_entity_ids: list[str]
    goldens: GoldenRecords
    model: MatchModel
    pairs_compared: int = 0
    timings: list[StageTiming] = field(default_factory=list)
    stats: IndexStats = field(default_factory=IndexStats)
    # Each cluster's key (``fragments.cluster_key``: its text in the output files is copied
    # from the run before's when the key is the same), when the run has them.
    cluster_keys: list[bytes | None] | None = None


class RunOverlay:
    """The index as this run changes it: store candidates, with this run's entities on top."""

    def __init__(self, base: StoreCandidates) -> None:
        self.base = base
        self.features: dict[str, RecordFeatures] = {}
        self.by_key: dict[str, set[str]] = {}
        self.dropped: set[str] = set()

    def put(self, state: EntityState) -> None:
        self.features[state.entity_id] = RecordFeatures.from_json(state.features)
        for key in state.keys:
            self.by_key.setdefault(key, set()).add(state.entity_id)

    def candidates(self, keys: Sequence[str]) -> Mapping[str, RecordFeatures]:
        found = dict(self.base.candidates(keys))
        for key in keys:
            for entity_id in self.by_key.get(key, ()):
                found[entity_id] = self.features[entity_id]
        for entity_id in found.keys() & self.features.keys():
            found[entity_id] = self.features[entity_id]
        return {k: v for k, v in found.items() if k not in self.dropped}
