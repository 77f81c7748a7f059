"""Comparison levels for many pairs at once.

For each comparison a pair gets the index of the first level that holds (-1 when the
comparison is null). Equality runs on integer codes; string similarities (Jaro-Winkler,
Damerau-Levenshtein, token set) run through rapidfuzz's ``cpdist`` in one batch, once per
distinct pair of values, since a column of names holds far fewer distinct pairs than pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from canonical.dedupe.features import Codes, FeatureTable
from canonical.dedupe.spec import Comparison, Level, LevelKind

__all__ = ["Levels", "compare_pairs", "comparison_levels", "prefix_holds", "similarity"]

Levels = NDArray[np.int8]
Mask = NDArray[np.bool_]
Scores = NDArray[np.float64]


_SCORERS: dict[LevelKind, Callable[..., float]] = {
    LevelKind.JARO_WINKLER: JaroWinkler.normalized_similarity,
    LevelKind.DAMERAU_LEVENSHTEIN: DamerauLevenshtein.distance,
    LevelKind.TOKEN_SET: fuzz.token_set_ratio,
}


def similarity(
    table: FeatureTable,
    kind: LevelKind,
    column: str,
    left: Codes,
    right: Codes,
    cutoff: float | None = None,
) -> Scores:
    """Scores of ``kind`` between the rows' values of ``column`` (NaN where one is missing):
    similarities in [0, 1], distances in edits.

    Computed once per distinct (left value, right value) pair. With ``cutoff`` (the loosest
    threshold any level asks) rapidfuzz stops early on hopeless pairs: a similarity below it
    reads 0, a distance above it reads cutoff + 1."""
    codes = table.codes(column)
    lc, rc = codes[left], codes[right]
    present = (lc >= 0) & (rc >= 0)
    result = np.full(len(left), np.nan)
    if not present.any():
        return result
    width = len(table.vocabulary(column)) + 1
    pair_key = lc[present] * width + rc[present]
    distinct, inverse = np.unique(pair_key, return_inverse=True)
    vocabulary = np.array(table.vocabulary(column), dtype=object)
    queries = vocabulary[distinct // width]
    choices = vocabulary[distinct % width]
    scale = 100.0 if kind is LevelKind.TOKEN_SET else 1.0
    limit: float | None = None
    if cutoff is not None:
        limit = int(cutoff) if kind is LevelKind.DAMERAU_LEVENSHTEIN else cutoff * scale
    scores = process.cpdist(queries, choices, scorer=_SCORERS[kind], workers=-1, score_cutoff=limit)
    result[present] = (np.asarray(scores, dtype=np.float64) / scale)[inverse.reshape(-1)]
    return result


def _level_holds(
    table: FeatureTable,
    level: Level,
    left: Codes,
    right: Codes,
    cache: dict[tuple[LevelKind, str], Scores],
    cutoffs: dict[tuple[LevelKind, str], float],
    subset: Codes,
) -> Mask:
    """Whether ``level`` holds for the pairs at positions ``subset``."""
    lsub, rsub = left[subset], right[subset]
    if level.kind is LevelKind.EXACT:
        holds = np.ones(len(subset), dtype=bool)
        for column in level.columns:
            codes = table.codes(column)
            lc = codes[lsub]
            holds &= (lc >= 0) & (lc == codes[rsub])
        for column in level.differ:
            codes = table.codes(column)
            lc, rc = codes[lsub], codes[rsub]
            holds &= (lc >= 0) & (rc >= 0) & (lc != rc)
        return holds
    if level.kind is LevelKind.ANY_EXACT:
        joint = table.joint_codes(level.columns)
        holds = np.zeros(len(subset), dtype=bool)
        for lcodes in joint:
            lc = lcodes[lsub]
            for rcodes in joint:
                holds |= (lc >= 0) & (lc == rcodes[rsub])
        return holds
    if level.kind is LevelKind.CROSS:
        first, second = table.joint_codes(level.columns)
        ll, lr, rl, rr = first[lsub], second[lsub], first[rsub], second[rsub]
        return np.asarray(((ll >= 0) & (ll == rr)) | ((lr >= 0) & (lr == rl)))
    if level.kind is LevelKind.PREFIX:
        return prefix_holds(table, level.columns, int(level.threshold), lsub, rsub)
    if level.kind is LevelKind.ELSE:
        return np.ones(len(subset), dtype=bool)
    key = (level.kind, level.columns[0])
    scores = cache.get(key)
    if scores is None:
        scores = np.full(len(left), np.nan)
        scores[subset] = similarity(
            table, level.kind, level.columns[0], lsub, rsub, cutoffs.get(key)
        )
        cache[key] = scores
    values = scores[subset]
    with np.errstate(invalid="ignore"):
        if level.kind is LevelKind.DAMERAU_LEVENSHTEIN:
            return np.asarray(values <= level.threshold)
        return np.asarray(values >= level.threshold)


def prefix_holds(
    table: FeatureTable, columns: tuple[str, ...], shortest: int, left: Codes, right: Codes
) -> Mask:
    """PREFIX per pair: for one column the shorter value is a prefix of the longer; for two
    (a, b) a of one side is a prefix of b of the other. The prefix is ``shortest`` characters
    or more."""
    first, second = columns[0], columns[-1]
    return _is_prefix(table, first, second, left, right, shortest) | _is_prefix(
        table, first, second, right, left, shortest
    )


def _is_prefix(
    table: FeatureTable, column: str, other: str, left: Codes, right: Codes, shortest: int
) -> Mask:
    """Whether ``column`` of ``left`` is a prefix of ``other`` of ``right``, once per
    distinct pair of values."""
    lc, rc = table.codes(column)[left], table.codes(other)[right]
    present = (lc >= 0) & (rc >= 0)
    result = np.zeros(len(left), dtype=bool)
    if not present.any():
        return result
    width = len(table.vocabulary(other)) + 1
    distinct, inverse = np.unique(lc[present] * width + rc[present], return_inverse=True)
    prefixes, values = table.vocabulary(column), table.vocabulary(other)
    holds = np.fromiter(
        (
            len(prefixes[p]) >= shortest and values[v].startswith(prefixes[p])
            for p, v in zip((distinct // width).tolist(), (distinct % width).tolist(), strict=True)
        ),
        dtype=bool,
        count=len(distinct),
    )
    result[present] = holds[inverse.reshape(-1)]
    return result


def _cutoffs(comparison: Comparison) -> dict[tuple[LevelKind, str], float]:
    """Per (kind, column), the loosest threshold of the comparison's levels."""
    loosest: dict[tuple[LevelKind, str], float] = {}
    for level in comparison.levels:
        if level.kind not in _SCORERS:
            continue
        key = (level.kind, level.columns[0])
        pick = max if level.kind is LevelKind.DAMERAU_LEVENSHTEIN else min
        loosest[key] = pick(loosest.get(key, level.threshold), level.threshold)
    return loosest


def comparison_levels(
    table: FeatureTable, comparison: Comparison, left: Codes, right: Codes
) -> Levels:
    """Level index per pair for one comparison; -1 where the comparison is null."""
    missing = [
        (table.codes(column)[left] < 0) | (table.codes(column)[right] < 0)
        for column in comparison.null_columns
    ]
    null = (
        np.logical_or.reduce(missing)
        if comparison.null_when == "any"
        else np.logical_and.reduce(missing)
    )
    result = np.full(len(left), -1, dtype=np.int8)
    undecided = np.flatnonzero(~null)
    cache: dict[tuple[LevelKind, str], Scores] = {}
    cutoffs = _cutoffs(comparison)
    for index, level in enumerate(comparison.levels):
        if len(undecided) == 0:
            break
        holds = _level_holds(table, level, left, right, cache, cutoffs, undecided)
        result[undecided[holds]] = index
        undecided = undecided[~holds]
    return result


def compare_pairs(
    table: FeatureTable, comparisons: Sequence[Comparison], left: Codes, right: Codes
) -> Levels:
    """Levels matrix, one row per pair and one column per comparison."""
    matrix = np.empty((len(left), len(comparisons)), dtype=np.int8)
    for column, comparison in enumerate(comparisons):
        matrix[:, column] = comparison_levels(table, comparison, left, right)
    return matrix
