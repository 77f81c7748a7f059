"""Which pairs the spec's rules hold for, from their comparison levels alone: conflict rules
(never one person), review rules (never merged automatically) and identity rules (one person
by themselves, so the disagreements they forgive are no evidence against)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from canonical.dedupe.compare import Levels
from canonical.dedupe.model import MatchModel
from canonical.dedupe.spec import NULL_LEVEL, ConflictRule, LinkageSpec

__all__ = ["conflicts", "forgiven", "review_held", "rule_conflicts", "rules_hold"]


def conflicts(model: MatchModel, levels: Levels, tf: NDArray[np.float32]) -> NDArray[np.bool_]:
    """Pairs in strong conflict: every comparison of some conflict rule at its ELSE level, or
    disagreeing comparisons adding up to -conflict_weight or less."""
    spec = model.spec
    names = [c.name for c in spec.comparisons]
    result = np.zeros(len(levels), dtype=bool)
    if spec.conflict_weight is not None:
        against = np.zeros(len(levels))
        for column in range(len(names)):
            weights = model.column_weights(column, levels) + tf[:, column]
            against += np.minimum(weights, 0.0)
        result |= against <= -spec.conflict_weight
    return result | rule_conflicts(spec, levels)


def rule_conflicts(spec: LinkageSpec, levels: Levels) -> NDArray[np.bool_]:
    """Pairs some conflict rule of ``spec`` holds for (levels alone decide)."""
    return rules_hold(spec, spec.conflicts, levels)


def review_held(spec: LinkageSpec, levels: Levels) -> NDArray[np.bool_]:
    """Pairs some review rule of ``spec`` holds for: never merged automatically."""
    return rules_hold(spec, spec.review_rules, levels)


def forgiven(model: MatchModel, levels: Levels, tf: NDArray[np.float32]) -> NDArray[np.float32]:
    """Per pair and comparison, what cancels the disagreement an identity rule forgives
    where the rule holds (the negative weight of each forgiven comparison, turned back to
    0): to be added to the term-frequency adjustments, so weights and explanations agree."""
    spec = model.spec
    result = np.zeros(levels.shape, dtype=np.float32)
    names = [c.name for c in spec.comparisons]
    for rule in spec.identity_rules:
        holds = rules_hold(spec, (rule.when,), levels)
        if not holds.any():
            continue
        for name in rule.forgive:
            column = names.index(name)
            against = np.minimum(
                model.column_weights(column, levels[holds])
                + tf[holds, column]
                + result[holds, column],
                0.0,
            )
            result[holds, column] -= against.astype(np.float32)
    return result


def rules_hold(
    spec: LinkageSpec, rules: tuple[ConflictRule, ...], levels: Levels
) -> NDArray[np.bool_]:
    """Pairs any of ``rules`` holds for: each of its comparisons at one of its levels (at the
    ELSE level where the rule lists none)."""
    names = [c.name for c in spec.comparisons]
    result = np.zeros(len(levels), dtype=bool)
    for rule in rules:
        hit = np.ones(len(levels), dtype=bool)
        for position, name in enumerate(rule.comparisons):
            index = names.index(name)
            comparison = spec.comparisons[index]
            labels = rule.labels(position)
            if not labels:
                hit &= levels[:, index] == len(comparison.levels) - 1
                continue
            at = [i for i, level in enumerate(comparison.levels) if level.label in labels]
            if NULL_LEVEL in labels:
                at.append(-1)
            hit &= np.isin(levels[:, index], np.array(at, dtype=levels.dtype))
        result |= hit
    return result
