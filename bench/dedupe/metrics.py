"""Quality figures of a deduplication against true entity labels.

Pairwise precision, recall and F1 are computed from the contingency table of predicted cluster
against true entity (a cell of size k holds k(k-1)/2 correct pairs), never by listing pairs,
so they cost O(n) at a million records. Records outside every predicted cluster are
singletons. Blocking recall needs the candidate pairs themselves and takes them as two index
arrays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from canonical.dedupe.types import Cluster, ClusterDecision

__all__ = [
    "BlockingScores",
    "DecisionScores",
    "PairwiseScores",
    "blocking_scores",
    "decision_scores",
    "linkage_scores",
    "missed_pairs_by_tag",
    "pairs_among",
    "pairwise_scores",
    "tag_counts",
    "true_pair_arrays",
    "wrong_pairs_by_tag",
]


def _pairs(counts: NDArray[np.int64]) -> int:
    return int((counts * (counts - 1) // 2).sum())


def _ratio(part: int, whole: int) -> float:
    """part / whole, 1.0 when there is nothing to measure (no pairs: none wrong, none missed)."""
    return part / whole if whole else 1.0


@dataclass(frozen=True)
class PairwiseScores:
    true_pairs: int
    predicted_pairs: int
    true_positives: int

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.predicted_pairs)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_pairs)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class BlockingScores:
    candidate_pairs: int
    true_candidate_pairs: int  # candidate pairs whose records share a label
    true_pairs: int

    @property
    def recall(self) -> float:
        """Share of the true pairs that blocking let through to scoring."""
        return _ratio(self.true_candidate_pairs, self.true_pairs)


@dataclass(frozen=True)
class DecisionScores:
    clusters: int
    auto_clusters: int
    review_clusters: int
    auto_pairs: PairwiseScores  # predicted pairs of AUTO clusters only; recall over all true pairs

    @property
    def review_share(self) -> float:
        """Share of the clusters (of >= 2 records) a human must look at."""
        return self.review_clusters / self.clusters if self.clusters else 0.0

    @property
    def auto_precision(self) -> float:
        return self.auto_pairs.precision


def _labels(labels: ArrayLike) -> NDArray[np.int64]:
    return np.unique(np.asarray(labels), return_inverse=True)[1].astype(np.int64)


def _assignment(clusters: Iterable[Sequence[int]], n: int) -> NDArray[np.int64]:
    """Predicted cluster id per record; records in no cluster get ids of their own."""
    assigned = np.arange(n, dtype=np.int64) + n  # singletons: n..2n-1, never a cluster id
    for number, members in enumerate(clusters):
        index = np.asarray(members, dtype=np.int64)
        if (assigned[index] < n).any():
            raise ValueError(f"cluster {number} shares records with an earlier cluster")
        assigned[index] = number
    return assigned


def pairwise_scores(clusters: Iterable[Sequence[int]], labels: ArrayLike) -> PairwiseScores:
    """Pairwise figures of disjoint predicted clusters (record indices) against labels."""
    truth = _labels(labels)
    n = len(truth)
    predicted = _assignment(clusters, n)
    joint = predicted * (int(truth.max(initial=0)) + 1) + truth
    return PairwiseScores(
        true_pairs=_pairs(np.unique(truth, return_counts=True)[1]),
        predicted_pairs=_pairs(np.unique(predicted, return_counts=True)[1]),
        true_positives=_pairs(np.unique(joint, return_counts=True)[1]),
    )


def linkage_scores(
    clusters: Iterable[Sequence[int]], labels: ArrayLike, split: int
) -> PairwiseScores:
    """Pairwise figures counting only pairs across two files (records before ``split`` are
    file A, the rest B): record linkage, where pairs within one file are not asked about."""
    truth = _labels(labels)
    n = len(truth)
    predicted = _assignment(clusters, n)
    in_b = np.arange(n) >= split

    def cross(groups: NDArray[np.int64]) -> int:
        _, group = np.unique(groups, return_inverse=True)
        a = np.bincount(group[~in_b], minlength=int(group.max(initial=-1)) + 1)
        b = np.bincount(group[in_b], minlength=int(group.max(initial=-1)) + 1)
        return int((a * b).sum())

    joint = predicted * (int(truth.max(initial=0)) + 1) + truth
    return PairwiseScores(
        true_pairs=cross(truth), predicted_pairs=cross(predicted), true_positives=cross(joint)
    )


def blocking_scores(left: ArrayLike, right: ArrayLike, labels: ArrayLike) -> BlockingScores:
    """How many distinct candidate pairs (left[i], right[i]) are true pairs; a pair given twice
    or in both orders counts once."""
    truth = _labels(labels)
    a = np.asarray(left, dtype=np.int64)
    b = np.asarray(right, dtype=np.int64)
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    keys = np.unique(low[keep] * len(truth) + high[keep])
    low, high = keys // len(truth), keys % len(truth)
    return BlockingScores(
        candidate_pairs=len(keys),
        true_candidate_pairs=int((truth[low] == truth[high]).sum()),
        true_pairs=_pairs(np.unique(truth, return_counts=True)[1]),
    )


def decision_scores(clusters: Sequence[Cluster], labels: ArrayLike) -> DecisionScores:
    auto = [c.members for c in clusters if c.decision is ClusterDecision.AUTO]
    return DecisionScores(
        clusters=len(clusters),
        auto_clusters=len(auto),
        review_clusters=sum(c.decision is ClusterDecision.REVIEW for c in clusters),
        auto_pairs=pairwise_scores(auto, labels),
    )


def true_pair_arrays(labels: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every pair (i < j) of records sharing a label, as two index arrays."""
    truth = _labels(labels)
    order = np.argsort(truth, kind="stable")
    starts = np.flatnonzero(np.r_[True, truth[order][1:] != truth[order][:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    lefts: list[NDArray[np.int64]] = []
    rights: list[NDArray[np.int64]] = []
    for size in np.unique(sizes[sizes > 1]).tolist():
        groups = order[starts[sizes == size][:, None] + np.arange(size)]  # one row per entity
        i, j = np.triu_indices(size, k=1)
        lefts.append(groups[:, i].ravel())
        rights.append(groups[:, j].ravel())
    if not lefts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    left, right = np.concatenate(lefts), np.concatenate(rights)
    return np.minimum(left, right), np.maximum(left, right)


def pairs_among(
    left: ArrayLike, right: ArrayLike, candidate_left: ArrayLike, candidate_right: ArrayLike
) -> NDArray[np.bool_]:
    """For each pair (left[i], right[i]), whether it is among the candidate pairs (either
    order)."""
    a, b = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    c, d = np.asarray(candidate_left, dtype=np.int64), np.asarray(candidate_right, dtype=np.int64)
    n = int(max(a.max(initial=0), b.max(initial=0), c.max(initial=0), d.max(initial=0))) + 1
    keys = np.unique(np.minimum(c, d) * n + np.maximum(c, d))
    wanted = np.minimum(a, b) * n + np.maximum(a, b)
    at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    return keys[at] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)


def tag_counts(
    left: ArrayLike,
    right: ArrayLike,
    tags: Sequence[Sequence[str]],
    *,
    alone: bool = False,
) -> Counter[str]:
    """Pairs counted once under each tag either record carries ("clean" when neither has
    one); with ``alone``, only pairs whose records carry one tag between them, so each count
    is due to that variant alone."""
    counts: Counter[str] = Counter()
    for i, j in zip(np.asarray(left).tolist(), np.asarray(right).tolist(), strict=True):
        union = set(tags[i]) | set(tags[j]) or {"clean"}
        if not alone or len(union) == 1:
            counts.update(union)
    return counts


def missed_pairs_by_tag(
    clusters: Iterable[Sequence[int]], labels: Sequence[int], tags: Sequence[Sequence[str]]
) -> Counter[str]:
    """True pairs left apart, by the variant tags of their records: which kinds of variant
    cost recall."""
    predicted = _assignment(clusters, len(labels))
    left, right = true_pair_arrays(labels)
    apart = predicted[left] != predicted[right]
    return tag_counts(left[apart], right[apart], tags)


def wrong_pairs_by_tag(
    clusters: Iterable[Sequence[int]], labels: Sequence[int], tags: Sequence[Sequence[str]]
) -> Counter[str]:
    """Predicted pairs of different entities, by the variant tags of their records: which
    kinds of look-alike cost precision."""
    counts: Counter[str] = Counter()
    for members in clusters:
        for i, j in combinations(members, 2):
            if labels[i] != labels[j]:
                counts.update(set(tags[i]) | set(tags[j]) or {"clean"})
    return counts
