"""Estimating m and the prior from the data itself, as Splink does (u: see sampling.py).

- m (how often matches agree) by expectation maximisation on the candidate pairs, one session
  per blocking rule. A session leaves out the comparisons whose evidence the rule blocked on:
  pairs blocked on the same mobile would otherwise teach the model that matches always share
  a mobile. Within a session u starts from the random-pair u and is re-estimated, so the
  session's non-matches (namesakes in a block of one name) stay out of m. Each comparison's m
  is the average over the sessions that estimated it, weighted by each session's expected
  number of matches.
- The prior (probability two random records match) by the same EM's update over all
  n(n-1)/2 pairs, treating pairs that no rule blocked together as non-matches.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from canonical.dedupe.blocking import CandidatePairs
from canonical.dedupe.compare import Levels
from canonical.dedupe.model import Floats, probabilities
from canonical.dedupe.scoring import rule_conflicts
from canonical.dedupe.spec import LinkageSpec

__all__ = ["default_m", "estimate_m", "estimate_prior", "with_else_floor"]

logger = logging.getLogger(__name__)

_M_PRIOR_STRENGTH = 1.0  # pseudo-matches pulling m towards its starting value
_MIN_SESSION_PAIRS = 20
# The least share of matches that disagree on any one comparison (its ELSE level). EM learns
# from the pairs it already believes, so matches that moved (a new company in a new city)
# teach it nothing and m(ELSE) shrinks towards zero: one disagreement then costs more bits
# than a shared mobile and an exact name earn together. A person does change jobs and cities.
ELSE_M_FLOOR = 0.01


def with_else_floor(m: Sequence[Floats]) -> list[Floats]:
    """m with every comparison's ELSE share raised to ``ELSE_M_FLOOR`` (the other levels
    scaled down to make room)."""
    floored = []
    for row in m:
        row = np.asarray(row, dtype=np.float64)
        if len(row) < 2 or row[-1] >= ELSE_M_FLOOR:
            floored.append(row)
            continue
        rest = row[:-1] * (1.0 - ELSE_M_FLOOR) / max(float(row[:-1].sum()), 1e-12)
        floored.append(np.append(rest, ELSE_M_FLOOR))
    return floored


def default_m(levels: int) -> Floats:
    """Starting m: most mass on the first level, halving down to the ELSE level."""
    m = np.array([0.5**i for i in range(levels - 1)] + [0.05], dtype=np.float64)
    return np.asarray(m / m.sum(), dtype=np.float64)


def _em_session(
    levels: Levels,
    active: Sequence[int],
    u: Sequence[Floats],
    m_start: Sequence[Floats],
    iterations: int,
) -> tuple[dict[int, Floats], float]:
    """EM on one session's pairs over distinct level patterns; returns m of the active
    comparisons and the expected number of matches."""
    sizes = [len(u[c]) + 1 for c in active]
    code = np.zeros(len(levels), dtype=np.int64)
    for c, size in zip(active, sizes, strict=True):
        code = code * size + (levels[:, c].astype(np.int64) + 1)
    patterns, counts_int = np.unique(code, return_counts=True)
    counts = counts_int.astype(np.float64)
    pattern_levels = []
    for size in reversed(sizes):
        pattern_levels.append(patterns % size - 1)
        patterns = patterns // size
    pattern_levels.reverse()
    log_u = np.zeros(len(counts))
    for c, lv in zip(active, pattern_levels, strict=True):
        log_u += np.where(lv >= 0, np.log(np.append(u[c], 1.0)[lv]), 0.0)
    m = {c: m_start[c].copy() for c in active}
    u_session = {c: np.asarray(u[c], dtype=np.float64).copy() for c in active}
    share = 0.3
    expected = 0.0
    for _ in range(iterations):
        log_m = np.zeros(len(counts))
        log_u = np.zeros(len(counts))
        for c, lv in zip(active, pattern_levels, strict=True):
            log_m += np.where(lv >= 0, np.log(np.append(m[c], 1.0)[lv]), 0.0)
            log_u += np.where(lv >= 0, np.log(np.append(u_session[c], 1.0)[lv]), 0.0)
        odds = np.log(share) - np.log1p(-share) + log_m - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        weighted = counts * posterior
        expected = float(weighted.sum())
        new_share = float(np.clip(expected / counts.sum(), 1e-6, 1 - 1e-6))
        delta = abs(new_share - share)
        share = new_share
        for c, lv in zip(active, pattern_levels, strict=True):
            size = len(m[c])
            present = lv >= 0
            mass = np.bincount(lv[present], weights=weighted[present], minlength=size)
            new_m = (mass + _M_PRIOR_STRENGTH * m_start[c]) / (mass.sum() + _M_PRIOR_STRENGTH)
            delta = max(delta, float(np.abs(new_m - m[c]).max()))
            m[c] = new_m
            rest = np.bincount(lv[present], weights=(counts - weighted)[present], minlength=size)
            u_session[c] = (rest + _M_PRIOR_STRENGTH * u[c]) / (rest.sum() + _M_PRIOR_STRENGTH)
        if delta < 1e-6:
            break
    return m, expected


def estimate_m(
    spec: LinkageSpec,
    pairs: CandidatePairs,
    levels: Levels,
    u: Sequence[Floats],
    max_pairs: int,
    iterations: int,
    rng: np.random.Generator,
) -> list[Floats]:
    """m per comparison and level by EM, one session per blocking rule."""
    m_start = [default_m(len(c.levels)) for c in spec.comparisons]
    totals = [np.zeros(len(c.levels)) for c in spec.comparisons]
    weights = [0.0 for _ in spec.comparisons]
    per_session = max(max_pairs // max(len(spec.blocking), 1), _MIN_SESSION_PAIRS)
    # Pairs a conflict rule holds for are non-matches by the spec's own say: left out, so two
    # colleagues of one name do not teach EM how a person's own records differ.
    conflicted = rule_conflicts(spec, levels)
    for rule, ids in zip(spec.blocking, pairs.rule_ids, strict=True):
        if len(ids) < _MIN_SESSION_PAIRS:
            continue
        blocked = {spec.evidence(column) for column in rule.columns}
        active = [
            index
            for index, comparison in enumerate(spec.comparisons)
            if not {spec.evidence(column) for column in comparison.columns} & blocked
        ]
        if len(active) < 2:
            continue
        if len(ids) > per_session:
            ids = rng.choice(ids, size=per_session, replace=False)
        chosen = pairs.positions(ids)
        chosen = chosen[~conflicted[chosen]]
        if len(chosen) < _MIN_SESSION_PAIRS:
            continue
        m, expected = _em_session(levels[chosen], active, u, m_start, iterations)
        logger.debug(
            "EM session %s: %d pairs, %.1f expected matches", rule.name, len(chosen), expected
        )
        for c in active:
            totals[c] += m[c] * expected
            weights[c] += expected
    return [totals[c] / weights[c] if weights[c] > 0 else m_start[c] for c in range(len(totals))]


def estimate_prior(weights_without_prior: Floats, n: int, iterations: int = 60) -> float:
    """The share of all n(n-1)/2 pairs that match, pairs outside the candidates counted as
    non-matches: EM's update of the prior, iterated to its fixed point."""
    all_pairs = max(n * (n - 1) / 2.0, 1.0)
    if len(weights_without_prior) == 0:
        return min(1.0 / all_pairs, 0.5)
    # Distinct weights (to 0.01 bit) with counts make each iteration cheap.
    rounded, counts = np.unique(np.round(weights_without_prior, 2), return_counts=True)
    # At least one match in all pairs: with little evidence the update would slide to zero.
    floor = min(1.0 / all_pairs, 0.5)
    # Two records are one pair: a start of 1 would leave no odds to take the log of.
    positive = max(float((weights_without_prior > 0).sum()), 1.0)
    prior = float(np.clip(positive / all_pairs, floor, 0.5))
    for _ in range(iterations):
        log_odds = np.log2(prior / (1.0 - prior))
        expected = float((probabilities(rounded + log_odds) * counts).sum())
        new_prior = float(np.clip(expected / all_pairs, floor, 0.5))
        if abs(new_prior - prior) <= 1e-4 * prior:
            prior = new_prior
            break
        prior = new_prior
    return prior
