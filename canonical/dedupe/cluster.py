"""Clustering scored pairs into entities without chaining.

Single linkage (connected components) chains: a shared switchboard number or a common name
links A-B and B-C and merges A with C although nothing says A is C. Here links at or above
the review threshold only propose groups (connected components); inside each group with
three or more records every pair is scored, and two parts merge only when

- no pair across them is in strong conflict (different names and different mobiles, or
  disagreeing evidence over the spec's conflict weight), and
- the average match weight (log-odds) over all pairs across them still reaches the review
  threshold, so one strong link cannot drag in records the rest of the part speaks against.

Among the parts allowed to merge, the strongest single link goes first and is the merge's
value; a cluster's weakest merge decides AUTO or REVIEW. A true chain of variants (张伟 -
Zhang Wei - Wei ZHANG) merges because nothing contradicts it; colleagues sharing a landline
do not, because their names conflict.

Groups where every pair is a confident match and none conflicts (most of them) are settled
at once, vectorised; only the others go through the loop. Groups larger than
``max_component_size`` are first cut by raising their link threshold.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from canonical.dedupe.blocking import pairs_within_groups
from canonical.dedupe.features import Codes

__all__ = [
    "EVIDENCE_AGAINST",
    "EVIDENCE_IDENTIFIED",
    "EVIDENCE_SOFT",
    "ClusterDraft",
    "PairLookup",
    "cluster_pairs",
    "connected_components",
]

logger = logging.getLogger(__name__)

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Kinds = NDArray[np.int8]
# What a pair's evidence is, beside its weight: its comparisons together speak against a
# match; one comparison alone outweighs the prior (a shared mobile or address); or neither
# (a name and a company: colleagues can share both).
EVIDENCE_AGAINST: Final = -1
EVIDENCE_SOFT: Final = 0
EVIDENCE_IDENTIFIED: Final = 1
# (left, right) -> (match weight, conflict, evidence kind) for any pairs of records.
PairLookup = Callable[[Codes, Codes], tuple[Floats, Bools, Kinds]]


@dataclass(frozen=True)
class ClusterDraft:
    """Clusters as flat arrays: cluster i holds ``members[starts[i]:starts[i] + sizes[i]]``
    (sorted record indices); ``min_probability[i]`` is its weakest link."""

    members: Codes
    sizes: Codes
    min_probability: Floats

    @property
    def starts(self) -> Codes:
        return np.cumsum(self.sizes) - self.sizes

    def __len__(self) -> int:
        return len(self.sizes)


def connected_components(n: int, left: Codes, right: Codes) -> Codes:
    """Component label per record (the smallest index in its component)."""
    labels = np.arange(n, dtype=np.int64)
    if len(left) == 0:
        return labels
    while True:
        low = np.minimum(labels[left], labels[right])
        before = labels.copy()
        np.minimum.at(labels, left, low)
        np.minimum.at(labels, right, low)
        while True:  # pointer jumping: every label points at its root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


def _cut_large(
    n: int, left: Codes, right: Codes, prob: Floats, max_size: int
) -> tuple[Codes, Codes, Floats]:
    """Drop the weakest links of components over ``max_size`` until none is."""
    while len(left):
        labels = connected_components(n, left, right)
        sizes = np.bincount(labels, minlength=n)
        big = sizes[labels[left]] > max_size
        if not big.any():
            break
        cut = float(np.quantile(prob[big], 0.1))
        if cut >= prob[big].max():  # mostly equal links: drop only the weakest
            cut = float(prob[big].min())
        keep = ~big | (prob > cut)
        logger.info(
            "cutting %d oversized components at probability %.4f", len(set(labels[left[big]])), cut
        )
        left, right, prob = left[keep], right[keep], prob[keep]
    return left, right, prob


def _guarded_linkage(
    size: int,
    pairs: dict[tuple[int, int], tuple[float, bool, int]],
    threshold: float,
    match_threshold: float = 1.0,
) -> list[tuple[list[int], float]]:
    """Agglomerate one small group given every pair (i < j) as (match weight, conflict,
    evidence kind).

    Two parts may merge when no cross pair conflicts and the average cross-pair weight
    (log-odds) still reaches ``threshold``; of those, the parts with the highest average
    merge first. The merge's value is that average, or its strongest identified link (a
    shared mobile or address) when that is stronger and no cross pair speaks against the
    merge: a sparse record (a name and a work address) joins its entity as surely as the
    address says, though it shares little with the entity's other records; a name and a
    company alone never lift a merge above its average.

    Parts whose average falls short may still merge when an identified link between them
    reaches ``match_threshold`` and no cross pair speaks against it, at the value of their
    average, so for a person to confirm: one person's records under each of two mobiles,
    joined by one address, where every other cross pair counts the two mobiles against.

    Returns (member positions, weakest merge value) of parts of two or more. Plain Python:
    groups hold a handful of records, where numpy costs more than it saves.
    """
    floor = math.log2(threshold / (1.0 - threshold))
    strong = (
        math.log2(match_threshold / (1.0 - match_threshold)) if match_threshold < 1 else math.inf
    )
    parts: dict[int, list[int]] = {i: [i] for i in range(size)}
    weakest: dict[int, float] = dict.fromkeys(range(size), math.inf)
    # Between live parts a < b: (sum of weights, number of pairs, strongest identified
    # weight, any conflict, any pair against).
    links = {
        key: (w, 1, w if kind == EVIDENCE_IDENTIFIED else -math.inf, bad, kind == EVIDENCE_AGAINST)
        for key, (w, bad, kind) in pairs.items()
    }
    while True:
        best_key, best = None, -math.inf
        for key, (total, count, identified, bad, against) in links.items():
            if bad:
                continue
            mean = total / count
            allowed = mean >= floor or (identified >= strong and not against)
            if allowed and mean > best:
                best_key, best = key, mean
        if best_key is None:
            break
        a, b = best_key
        _total, _count, identified, _bad, against = links[best_key]
        value = best if against or best < floor else max(best, identified)
        parts[a].extend(parts.pop(b))
        weakest[a] = min(weakest[a], weakest.pop(b), value)
        merged: dict[tuple[int, int], tuple[float, int, float, bool, bool]] = {}
        for (x, y), link in links.items():
            if (x, y) == (a, b):
                continue
            x2, y2 = (a if x == b else x), (a if y == b else y)
            key = (min(x2, y2), max(x2, y2))
            if key in merged:
                t0, c0, s0, b0, n0 = merged[key]
                merged[key] = (
                    t0 + link[0], c0 + link[1], max(s0, link[2]), b0 or link[3], n0 or link[4]
                )  # fmt: skip
            else:
                merged[key] = link
        links = merged
    return [(sorted(parts[i]), _probability(weakest[i])) for i in parts if len(parts[i]) > 1]


def _probability(weight: float) -> float:
    return float(1.0 / (1.0 + 2.0 ** -min(max(weight, -1000.0), 1000.0)))


def cluster_pairs(
    n: int,
    left: Codes,
    right: Codes,
    probability: Floats,
    conflict: Bools,
    lookup: PairLookup,
    *,
    review_threshold: float,
    match_threshold: float,
    max_component_size: int,
) -> ClusterDraft:
    """Clusters of two or more records from scored candidate pairs."""
    link = (probability >= review_threshold) & ~conflict
    el, er, ep = _cut_large(n, left[link], right[link], probability[link], max_component_size)
    labels = connected_components(n, el, er)
    sizes = np.bincount(labels, minlength=n)
    members: list[Codes] = []
    counts: list[Codes] = []
    weakest: list[Floats] = []

    # Two records: the link itself.
    two = sizes[labels[el]] == 2
    members.append(
        np.column_stack([np.minimum(el[two], er[two]), np.maximum(el[two], er[two])]).reshape(-1)
    )
    counts.append(np.full(int(two.sum()), 2, dtype=np.int64))
    weakest.append(ep[two])

    # Three or more: score every pair inside, settle the clean groups at once.
    rows = np.flatnonzero(sizes[labels] >= 3)
    if len(rows):
        rows = rows[np.argsort(labels[rows], kind="stable")]  # ascending within each group
        group = labels[rows]
        i, j = pairs_within_groups(group)
        a, b = rows[i], rows[j]
        weight, bad, kind = lookup(a, b)
        prob = 1.0 / (1.0 + np.exp2(-np.clip(weight, -1000.0, 1000.0)))
        pair_starts = np.flatnonzero(np.r_[True, group[i][1:] != group[i][:-1]])
        lowest = np.minimum.reduceat(prob, pair_starts)
        clean = (lowest >= match_threshold) & ~np.logical_or.reduceat(bad, pair_starts)
        _, group_starts, group_sizes = np.unique(group, return_index=True, return_counts=True)
        in_clean = np.repeat(clean, group_sizes)
        members.append(rows[in_clean])
        counts.append(group_sizes[clean])
        weakest.append(lowest[clean])
        _split_groups(
            rows, group_starts, group_sizes, i, weight, bad, kind, pair_starts, ~clean,
            review_threshold, match_threshold, members, counts, weakest,
        )  # fmt: skip
    return ClusterDraft(np.concatenate(members), np.concatenate(counts), np.concatenate(weakest))


def _split_groups(
    rows: Codes,
    group_starts: Codes,
    group_sizes: Codes,
    first: Codes,
    weight: Floats,
    bad: Bools,
    kind: Kinds,
    pair_starts: Codes,
    chosen: Bools,
    threshold: float,
    match_threshold: float,
    members: list[Codes],
    counts: list[Codes],
    weakest: list[Floats],
) -> None:
    """Guarded linkage over each chosen group, in plain Python over lists: the pairs of a
    group are (i, j) for i < j in row order, as ``pairs_within_groups`` lists them."""
    pair_ends = np.r_[pair_starts[1:], len(first)]
    found_members: list[int] = []
    found_counts: list[int] = []
    found_weakest: list[float] = []
    row_list = rows.tolist()
    for index in np.flatnonzero(chosen).tolist():
        start, size = int(group_starts[index]), int(group_sizes[index])
        lo, hi = int(pair_starts[index]), int(pair_ends[index])
        weights = weight[lo:hi].tolist()
        conflicts = bad[lo:hi].tolist()
        kinds = kind[lo:hi].tolist()
        pairs: dict[tuple[int, int], tuple[float, bool, int]] = {}
        position = 0
        for x in range(size - 1):
            for y in range(x + 1, size):
                pairs[(x, y)] = (weights[position], conflicts[position], kinds[position])
                position += 1
        for parts, link in _guarded_linkage(size, pairs, threshold, match_threshold):
            found_members.extend(row_list[start + k] for k in parts)
            found_counts.append(len(parts))
            found_weakest.append(link)
    members.append(np.array(found_members, dtype=np.int64))
    counts.append(np.array(found_counts, dtype=np.int64))
    weakest.append(np.array(found_weakest, dtype=np.float64))
