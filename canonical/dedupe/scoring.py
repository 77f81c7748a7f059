"""Scoring pairs with a match model: term-frequency adjustments, weights, conflicts."""

from __future__ import annotations

from typing import Final, Protocol

import numpy as np
from numpy.typing import NDArray

from canonical.dedupe.cluster import EVIDENCE_AGAINST, EVIDENCE_IDENTIFIED, EVIDENCE_SOFT
from canonical.dedupe.compare import Levels, compare_pairs
from canonical.dedupe.features import Codes, FeatureTable
from canonical.dedupe.model import Floats, MatchModel, TermFrequencies, probabilities
from canonical.dedupe.rule_levels import (
    conflicts,
    forgiven,
    review_held,
    rule_conflicts,
    rules_hold,
)
from canonical.dedupe.spec import LinkageSpec

__all__ = [
    "FrequencySource",
    "ModelFrequencies",
    "PairScores",
    "TableFrequencies",
    "conflicts",
    "forgiven",
    "review_held",
    "rule_conflicts",
    "score_pairs",
    "term_frequency_tables",
    "tf_adjustments",
]

# Below this many values a column's own shares are too coarse to trust (in a table of 50
# records every value has a share of at least 2%); the model's stored shares are used instead.
MIN_ROWS_FOR_OWN_FREQUENCIES: Final = 1_000


class FrequencySource(Protocol):
    """Per row, the share of ``column``'s value (1.0 for a missing value, NaN if unknown)."""

    def shares(self, column: str, rows: Codes) -> Floats: ...


class TableFrequencies:
    """Shares counted in the table itself."""

    def __init__(self, table: FeatureTable) -> None:
        self._table = table
        self._cache: dict[str, Floats] = {}

    def shares(self, column: str, rows: Codes) -> Floats:
        if column not in self._cache:
            self._cache[column] = np.append(self._table.frequencies(column), 1.0)
        # Missing (-1) reads the appended 1.0: no adjustment can come from it.
        return self._cache[column][self._table.codes(column)[rows]]


class ModelFrequencies:
    """Shares stored in the model (its commonest values), for small tables and single records."""

    def __init__(self, table: FeatureTable, model: MatchModel) -> None:
        self._table = table
        self._model = model

    def shares(self, column: str, rows: Codes) -> Floats:
        tf = self._model.term_frequencies.get(column)
        if tf is None:
            return np.full(len(rows), np.nan)  # unknown: no adjustment
        values = self._table.values(column)[rows]
        return np.fromiter((tf.lookup(v) for v in values), dtype=np.float64, count=len(rows))


def frequency_source(table: FeatureTable, model: MatchModel) -> FrequencySource:
    if table.n >= MIN_ROWS_FOR_OWN_FREQUENCIES:
        return TableFrequencies(table)
    return ModelFrequencies(table, model)


def term_frequency_tables(
    table: FeatureTable, spec: LinkageSpec, size: int
) -> dict[str, TermFrequencies]:
    """The ``size`` commonest values' shares of every term-frequency column, for the model;
    none from a table too small to tell common values from rare ones."""
    result: dict[str, TermFrequencies] = {}
    if table.n < MIN_ROWS_FOR_OWN_FREQUENCIES:
        return result
    columns = {column for c in spec.comparisons for lv in c.levels for column in lv.tf_columns}
    for column in sorted(columns):
        shares = table.frequencies(column)
        if len(shares) == 0:
            continue
        vocabulary = table.vocabulary(column)
        top = np.argsort(-shares, kind="stable")[:size]
        floor = float(shares[top[-1]]) if len(top) < len(shares) else float(shares.min())
        result[column] = TermFrequencies(
            values={vocabulary[i]: float(shares[i]) for i in top}, floor=floor
        )
    return result


def tf_adjustments(
    model: MatchModel,
    levels: Levels,
    left: Codes,
    right: Codes,
    source: FrequencySource,
) -> NDArray[np.float32]:
    """Per pair and comparison, the weight added by term frequencies: log2(u_level / share)
    (float32: millions of pairs times comparisons). None where the comparison's dependency
    agrees: its conditional u stands as it is."""
    result = np.zeros(levels.shape, dtype=np.float32)
    for index, comparison in enumerate(model.spec.comparisons):
        for number, level in enumerate(comparison.levels):
            if not level.tf_columns:
                continue
            at = np.flatnonzero(levels[:, index] == number)
            if len(at) == 0:
                continue
            share = np.maximum(
                _share(source, level.tf_columns, left[at]),
                _share(source, level.tf_columns, right[at]),
            )
            u = max(model.u[index][number], 1e-9)
            adjustment = np.log2(u) - np.log2(np.clip(share, 1e-9, 1.0))
            result[at, index] = np.where(np.isnan(share), 0.0, adjustment)
        # Where the comparison's dependency agrees its u is already conditional (namesakes
        # among colleagues are not rarer for a rare name): no term-frequency adjustment.
        condition = model.condition(index, levels)
        if condition is not None:
            result[condition, index] = 0.0
    return result


def _share(source: FrequencySource, columns: tuple[str, ...], rows: Codes) -> Floats:
    share = source.shares(columns[0], rows)
    for column in columns[1:]:
        share = share * source.shares(column, rows)
    return share


class PairScores:
    """Levels, weights, probabilities and conflict flags of a batch of pairs."""

    def __init__(
        self,
        model: MatchModel,
        levels: Levels,
        tf: NDArray[np.float32],
        left: Codes,
        right: Codes,
    ) -> None:
        self.left = left
        self.right = right
        self.levels = levels
        self.tf = tf
        self.weights = model.weights(levels, tf.sum(axis=1, dtype=np.float64) if tf.size else None)
        self.probabilities = probabilities(self.weights)
        self.conflicts = conflicts(model, levels, tf)
        self._model = model

    @property
    def evidence(self) -> NDArray[np.int8]:
        """Per pair, EVIDENCE_AGAINST when its comparisons together speak against a match
        (weight below the prior), EVIDENCE_IDENTIFIED when one identifying comparison alone
        outweighs the prior (a shared mobile or address, not a name and a company), else
        EVIDENCE_SOFT."""
        model = self._model
        prior = model.prior_weight
        strongest = np.full(len(self.levels), -np.inf)
        spec = model.spec
        for column, comparison in enumerate(spec.comparisons):
            if spec.identifiers and comparison.name not in spec.identifiers:
                continue
            single = model.column_weights(column, self.levels)
            if self.tf.size:
                single = single + self.tf[:, column]
            strongest = np.maximum(strongest, single)
        # A pair an identity rule holds for (one name on one address) is one person by
        # itself, whatever its identifier weighs alone among namesakes.
        identified = (strongest >= -prior) | rules_hold(
            spec, tuple(rule.when for rule in spec.identity_rules), self.levels
        )
        kind = np.where(identified, EVIDENCE_IDENTIFIED, EVIDENCE_SOFT)
        return np.where(self.weights < prior, EVIDENCE_AGAINST, kind).astype(np.int8)


def score_pairs(
    table: FeatureTable,
    model: MatchModel,
    left: Codes,
    right: Codes,
    source: FrequencySource | None = None,
    levels: Levels | None = None,
) -> PairScores:
    """Compare (unless ``levels`` are given) and score the pairs (left[i], right[i])."""
    if levels is None:
        levels = compare_pairs(table, model.spec.comparisons, left, right)
    source = source or frequency_source(table, model)
    tf = tf_adjustments(model, levels, left, right, source)
    if model.spec.identity_rules:
        tf += forgiven(model, levels, tf)
    return PairScores(model, levels, tf, left, right)


class ScoreBook:
    """Scores of the candidate pairs, and of any other pair on demand (compared then)."""

    def __init__(
        self,
        table: FeatureTable,
        model: MatchModel,
        source: FrequencySource,
        scores: PairScores,
    ) -> None:
        self._table = table
        self._model = model
        self._source = source
        self.scores = scores
        self._ids = scores.left * max(table.n, 1) + scores.right  # sorted: candidate order

    def get(self, left: Codes, right: Codes) -> PairScores:
        """Scores of pairs (left < right), looked up or computed."""
        ids = left * max(self._table.n, 1) + right
        at = np.searchsorted(self._ids, ids)
        found = at < len(self._ids)
        found[found] = self._ids[at[found]] == ids[found]
        stored = self.scores
        levels = np.empty((len(ids), stored.levels.shape[1]), dtype=np.int8)
        tf = np.zeros((len(ids), stored.tf.shape[1]), dtype=stored.tf.dtype)
        levels[found] = stored.levels[at[found]]
        tf[found] = stored.tf[at[found]]
        missing = np.flatnonzero(~found)
        if len(missing):
            extra = score_pairs(
                self._table, self._model, left[missing], right[missing], self._source
            )
            levels[missing] = extra.levels
            tf[missing] = extra.tf
        return PairScores(self._model, levels, tf, left, right)

    def lookup(
        self, left: Codes, right: Codes
    ) -> tuple[Floats, NDArray[np.bool_], NDArray[np.int8]]:
        """(match weight, conflict, evidence kind) of pairs (left < right)."""
        scores = self.get(left, right)
        return scores.weights, scores.conflicts, scores.evidence
