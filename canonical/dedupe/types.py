"""The value types of entity resolution, shared by the engine, survivorship and the flows.

Indices in ``ScoredPair`` and ``Cluster`` point into the sequence given to ``resolve``.
Probabilities are posterior match probabilities from the Fellegi-Sunter model; weights are
log2 Bayes factors (the prior included in ``ScoredPair.weight``, not in the contributions).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from canonical.dedupe.model import Contribution

if TYPE_CHECKING:
    from canonical.dedupe.features import FeatureTable
    from canonical.dedupe.model import MatchModel

__all__ = [
    "BlockingRuleReport",
    "CandidateSource",
    "Cluster",
    "ClusterDecision",
    "Contribution",
    "DedupeSettings",
    "IncrementalMatch",
    "RecordFeatures",
    "Resolution",
    "ScoredPair",
    "StageTiming",
]


class ClusterDecision(StrEnum):
    AUTO = "auto"  # merge without review
    REVIEW = "review"  # a human must look
    SINGLE = "single"  # no match: the record stands alone


@dataclass(frozen=True, slots=True)
class ScoredPair:
    left: int
    right: int
    probability: float
    weight: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Records that are one entity. ``min_probability`` is the weakest link holding the cluster
    together: for two records their pair's probability; for more, the lowest probability at
    which two of its parts were joined (the average match weight over all pairs across them);
    when every pair inside is a confident match, the lowest pair probability. ``pairs`` are
    all pairs inside the cluster, scored and explained (a tuple from the engine; a later
    run's index may give a sequence that reads them from the stored evidence when first
    asked for)."""

    members: tuple[int, ...]
    decision: ClusterDecision
    pairs: Sequence[ScoredPair]
    min_probability: float


@dataclass(frozen=True, slots=True)
class StageTiming:
    stage: str
    seconds: float
    items: int


@dataclass(frozen=True)
class DedupeSettings:
    """Thresholds and limits of one resolution run.

    Pairs at or above ``review_threshold`` may join records into a cluster; a cluster whose
    weakest link reaches ``match_threshold`` and that holds no conflicting pair is merged
    automatically (AUTO), any other cluster goes to REVIEW. Blocks larger than
    ``max_block_size`` are compared only within a sliding window of ``subblock_window``
    records, sorted by the rule's sort column (or skipped when the rule has none). Groups of
    linked records larger than ``max_component_size`` are cut at their weakest links first.
    ``u_sample_pairs`` random pairs estimate u; EM runs on at most ``em_max_pairs`` candidate
    pairs; the model keeps the ``tf_table_size`` commonest values of each term-frequency
    column for incremental matching. ``workers`` processes run the normalisers.

    Inputs of fewer than ``min_records_for_em`` records (or with fewer candidate pairs than
    ``min_pairs_for_em``) take m from the preset's reference model (learned by EM on a large
    generated set, see reference.py) instead of EM on the input: a few dozen records give EM
    too few duplicates to tell a shared mobile from a shared job title. u, the prior and term
    frequencies still come from the input. On held-out generated contacts EM catches up with
    the reference at about 500 records (bench.dedupe.reference_model); 1,000 leaves a margin
    for real data, and 200 candidate pairs give EM's sessions (one per blocking rule) a few
    duplicates each. Presets without a reference file (accounts) always run EM;
    set both to 0 to always run EM.

    ``match_threshold`` 0.995 was chosen on generated contacts of seed 1 (calibrated
    profile, 5,000 to 300,000 records) as the lowest of 0.99 / 0.995 / 0.999 whose automatic
    merges stayed >= 0.999 precise at every size (0.9995 at 300,000; 0.99 fell to 0.9989).
    On sparse data (a quarter of records without email, a fifth without mobile) AUTO
    precision at 0.995 was 0.9985 at 31,000 records: raise it to 0.999 there, at the cost of
    more clusters to review (bench/dedupe_quality.py prints both).
    """

    match_threshold: float = 0.995
    review_threshold: float = 0.7
    max_block_size: int = 32
    subblock_window: int = 12
    max_component_size: int = 64
    u_sample_pairs: int = 100_000
    em_max_pairs: int = 400_000
    em_iterations: int = 40
    tf_table_size: int = 2_000
    seed: int = 0
    min_records_for_em: int = 1_000
    min_pairs_for_em: int = 200
    workers: int = 2  # processes for the normalisers over distinct values (1: none forked)


@dataclass(frozen=True)
class BlockingRuleReport:
    """Candidate pairs one blocking rule produced; ``new_pairs`` were not produced by an
    earlier rule. Oversized blocks were windowed (``subblocked``) or ``skipped``."""

    rule: str
    pairs: int
    new_pairs: int
    oversized_blocks: int
    subblocked_records: int
    skipped_records: int


@dataclass(frozen=True)
class Resolution:
    clusters: tuple[Cluster, ...]  # every cluster of >= 2 members
    pairs_compared: int
    timings: tuple[StageTiming, ...]
    model: MatchModel
    blocking: tuple[BlockingRuleReport, ...] = ()
    # The records' features, one row each (an entity index stores them): None when the
    # resolution was put together from elsewhere.
    table: FeatureTable | None = None


@dataclass(frozen=True)
class RecordFeatures:
    """The normalised keys of one record (missing keys are absent), for incremental matching.

    ``kind`` names the preset that made them ("contact", "account").
    """

    kind: str
    values: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {"k": self.kind, "v": dict(self.values)}, ensure_ascii=False, separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> RecordFeatures:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("k"), str):
            raise ValueError(f"not RecordFeatures JSON: {text[:80]!r}")
        values = data.get("v", {})
        if not isinstance(values, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            raise ValueError(f"RecordFeatures JSON values must be strings: {text[:80]!r}")
        return cls(kind=data["k"], values=values)


class CandidateSource(Protocol):
    """Where incremental matching finds candidates: entity id -> golden features, for every
    entity holding at least one of the blocking keys."""

    def candidates(self, keys: Sequence[str]) -> Mapping[str, RecordFeatures]: ...


@dataclass(frozen=True)
class IncrementalMatch:
    """The best candidate for one record; ``entity_id`` is None when nothing matched."""

    entity_id: str | None
    probability: float
    decision: ClusterDecision
    pair: ScoredPair | None
