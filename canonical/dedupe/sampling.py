"""u, how often non-matches agree, from random pairs: nearly all random pairs are non-matches.

A first level of exact equality on one column gets its u exactly from value counts (sum of
c(c-1) over values / P(P-1)), which sampling could not resolve for phone numbers. A comparison
that depends on another (an email address spells its owner's name) also gets u among the
non-matching pairs that agree on that other comparison, by EM.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from canonical.dedupe.blocking import pairs_within_groups
from canonical.dedupe.compare import Levels, compare_pairs
from canonical.dedupe.features import Codes, FeatureTable
from canonical.dedupe.model import Floats, MatchModel, probabilities
from canonical.dedupe.scoring import TableFrequencies, tf_adjustments
from canonical.dedupe.spec import LevelKind, LinkageSpec

__all__ = [
    "estimate_u",
    "estimate_u_given",
    "pairs_agreeing",
    "random_pairs",
    "without_matches",
]

_PSEUDO_COUNT = 0.5  # per level, for u from a sample
# u never drops below this share of what random pairs show: the correction for matches among
# random pairs relies on m and the prior, which are estimates too.
_MIN_U_SHARE = 0.05
_GIVEN_PRIOR_PAIRS = 20.0  # pseudo-pairs at the unconditional u behind a conditional u


def random_pairs(n: int, count: int, rng: np.random.Generator) -> tuple[Codes, Codes]:
    """``count`` random pairs of distinct rows, or every pair when there are fewer."""
    total = n * (n - 1) // 2
    if total <= count:
        left, right = np.triu_indices(n, k=1)
        return left.astype(np.int64), right.astype(np.int64)
    left = rng.integers(0, n, size=count, dtype=np.int64)
    right = rng.integers(0, n - 1, size=count, dtype=np.int64)
    right += right >= left
    return left, right


def _exact_u(table: FeatureTable, column: str) -> float | None:
    codes = table.codes(column)
    counts = np.bincount(codes[codes >= 0]).astype(np.float64)
    present = counts.sum()
    if present < 2:
        return None
    return float((counts * (counts - 1)).sum() / (present * (present - 1)))


def estimate_u(
    table: FeatureTable, spec: LinkageSpec, sample: int, rng: np.random.Generator
) -> list[Floats]:
    """u per comparison and level from random pairs."""
    left, right = random_pairs(table.n, sample, rng)
    levels = compare_pairs(table, spec.comparisons, left, right)
    result = []
    for index, comparison in enumerate(spec.comparisons):
        count = len(comparison.levels)
        observed = levels[:, index]
        counts = np.bincount(observed[observed >= 0], minlength=count).astype(np.float64)
        u = (counts + _PSEUDO_COUNT) / (counts.sum() + _PSEUDO_COUNT * count)
        first = comparison.levels[0]
        if (
            first.kind is LevelKind.EXACT
            and len(first.columns) == 1
            and comparison.null_columns == first.columns
        ):
            exact = _exact_u(table, first.columns[0])
            if exact is not None:
                rest = u[1:] / u[1:].sum()
                u = np.concatenate([[max(exact, 1e-9)], rest * (1.0 - max(exact, 1e-9))])
        result.append(u)
    return result


def without_matches(model: MatchModel) -> MatchModel:
    """``model`` with the matches taken out of its u.

    Random pairs are a mixture: a share ``prior`` of them match and agree as m says, the rest
    as u says. On a small input with many duplicates (5,000 contacts, a pair in 3,000 a
    match) the matches among random pairs are most of those sharing a mobile, and u read
    straight off them makes one shared mobile look far more common among strangers than it
    is. So u = (observed - prior * m) / (1 - prior), per level, at least ``_MIN_U_SHARE`` of
    the observed rate, renormalised. On a million records the prior is ~1e-6 and nothing
    changes.
    """
    prior = model.prior
    u = []
    for m_row, u_row in zip(model.m, model.u, strict=True):
        observed, m = np.asarray(u_row), np.asarray(m_row)
        corrected = np.maximum((observed - prior * m) / (1.0 - prior), _MIN_U_SHARE * observed)
        u.append(tuple(float(x) for x in corrected / corrected.sum()))
    return replace(model, u=tuple(u))


def pairs_agreeing(
    table: FeatureTable, column: str, count: int, rng: np.random.Generator
) -> tuple[Codes, Codes]:
    """``count`` random pairs of rows that agree on ``column`` (or all of them, if fewer)."""
    codes = table.codes(column)
    rows = np.flatnonzero(codes >= 0)
    rows = rows[np.argsort(codes[rows], kind="stable")]
    _, starts, sizes = np.unique(codes[rows], return_index=True, return_counts=True)
    per_group = sizes * (sizes - 1) // 2
    total = int(per_group.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    if total <= count:
        i, j = pairs_within_groups(codes[rows])
        return rows[i], rows[j]
    group = np.searchsorted(np.cumsum(per_group), rng.random(count) * total, side="right")
    size = sizes[group]
    first = (rng.random(count) * size).astype(np.int64)
    second = (rng.random(count) * (size - 1)).astype(np.int64)
    second += second >= first
    return rows[starts[group] + first], rows[starts[group] + second]


def estimate_u_given(
    table: FeatureTable,
    model: MatchModel,
    sample: int,
    rng: np.random.Generator,
    iterations: int = 4,
) -> tuple[tuple[float, ...] | None, ...]:
    """For each comparison that depends on another, u among the non-matching pairs that agree
    on that other comparison, by EM with m and the other u fixed.

    Pairs agreeing on it are sampled from the groups of its agreeing level's first column.
    Some of them match (two records of one person share a name), so each pair counts with its
    probability of being a non-match under the current model: duplicates do not teach the
    model that namesakes share email addresses.
    """
    spec = model.spec
    samples: dict[int, tuple[Codes, Codes, Levels, NDArray[np.bool_]]] = {}
    for index in range(len(spec.comparisons)):
        dependency = spec.dependency(index)
        if dependency is None:
            continue
        other, agreeing = dependency
        column = spec.comparisons[other].levels[agreeing - 1].columns[0]
        left, right = pairs_agreeing(table, column, sample, rng)
        levels = compare_pairs(table, spec.comparisons, left, right)
        holds = (levels[:, other] >= 0) & (levels[:, other] < agreeing) & (levels[:, index] >= 0)
        samples[index] = (left, right, levels, holds)
    u_given: list[tuple[float, ...] | None] = [
        tuple(model.u[i]) if i in samples else None for i in range(len(spec.comparisons))
    ]
    source = TableFrequencies(table)
    for _ in range(iterations):
        current = replace(model, u_given=tuple(u_given))
        for index, (left, right, levels, holds) in samples.items():
            chosen = levels[holds]
            tf = tf_adjustments(current, chosen, left[holds], right[holds], source)
            weights = current.weights(chosen, tf.sum(axis=1, dtype=np.float64))
            if spec.identifiers and spec.comparisons[index].name not in spec.identifiers:
                # Judged without the comparison itself: two colleagues of one name look like
                # one person by their name alone and would never count as the non-match they
                # are. An identifier (a shared address) stays in: it is what tells them apart.
                weights -= current.column_weights(index, chosen) + tf[:, index]
            else:
                weights += _equal_level_fixed(model, current, index, chosen)
            non_match = 1.0 - probabilities(weights)
            count = len(spec.comparisons[index].levels)
            mass = np.bincount(chosen[:, index], weights=non_match, minlength=count)
            # A prior of _GIVEN_PRIOR_PAIRS pseudo-pairs at the unconditional u: few pairs
            # (a small table) leave u where it was.
            start = np.asarray(model.u[index])
            u = (mass + _GIVEN_PRIOR_PAIRS * start) / (mass.sum() + _GIVEN_PRIOR_PAIRS)
            u_given[index] = tuple(float(x) for x in u)
    return tuple(u_given)


def _equal_level_fixed(
    model: MatchModel, current: MatchModel, index: int, levels: Levels
) -> Floats:
    """What judging the pairs at comparison ``index``'s first (equal) level by its weight
    among all random pairs, instead of the current conditional one, adds to their weights.

    Left to itself EM feeds on that level: the rarer it thinks a shared address is proof,
    the more pairs sharing one look like non-matches (a job changer's other fields all
    disagree), and the more common sharing among non-matches it finds. On generator 4 this
    took equal e-mail between two records of one name from +13.6 to +5.2 bits, although not
    one of the 527 such pairs sampled was two people. The unconditional weight is a fixed
    judge: it does not move with the estimate.
    """
    equal = levels[:, index] == 0
    shift = np.zeros(len(levels), dtype=np.float64)
    if equal.any():
        fixed = float(model.level_weights()[index][0])
        moving = current.column_weights(index, levels[equal])
        shift[equal] = fixed - moving
    return shift
