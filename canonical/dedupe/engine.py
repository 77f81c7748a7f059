"""Batch entity resolution: features -> blocking -> comparing -> (estimating) -> scoring ->
clustering, each stage vectorised over all records or pairs and timed.

``resolve(records)`` works on canonical Contacts or Accounts through their presets;
``resolve_table(table, spec)`` on any FeatureTable and LinkageSpec (the FEBRL benchmark).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from canonical.dedupe.blocking import CandidatePairs, candidate_pairs, pairs_within_groups
from canonical.dedupe.cluster import ClusterDraft, cluster_pairs
from canonical.dedupe.compare import Levels, compare_pairs
from canonical.dedupe.estimate import estimate_m, estimate_prior, with_else_floor
from canonical.dedupe.features import Codes, FeatureTable
from canonical.dedupe.gcpause import gc_paused
from canonical.dedupe.model import MatchModel
from canonical.dedupe.presets import preset_for
from canonical.dedupe.sampling import estimate_u, estimate_u_given, without_matches
from canonical.dedupe.scoring import (
    PairScores,
    ScoreBook,
    frequency_source,
    review_held,
    score_pairs,
    term_frequency_tables,
)
from canonical.dedupe.small_input import non_match_u, small_input_reference
from canonical.dedupe.spec import LinkageSpec
from canonical.dedupe.types import (
    Cluster,
    ClusterDecision,
    Contribution,
    DedupeSettings,
    Resolution,
    ScoredPair,
    StageTiming,
)
from canonical.models import Account, Contact

__all__ = ["StageListener", "estimate_model", "resolve", "resolve_table"]

logger = logging.getLogger(__name__)

# Contribution weights as integer ticks of 1e-4 bit, offset so they stay positive.
_TICK_ZERO = 10**9
_TICK_SPAN = 2 * _TICK_ZERO

# Random pairs for u: enough for rare levels at any size, not more than the data can vary.
_MIN_U_SAMPLE = 50_000
_U_SAMPLE_PER_RECORD = 20


StageListener = Callable[[str, int], None]
"""Told when a stage starts: its name and how many items it starts from (records, pairs)."""


class _Stopwatch:
    def __init__(self, listener: StageListener | None = None) -> None:
        self.timings: list[StageTiming] = []
        self._start = time.perf_counter()
        self._listener = listener

    def starting(self, stage: str, items: int) -> None:
        if self._listener is not None:
            self._listener(stage, items)

    def lap(self, stage: str, items: int) -> None:
        now = time.perf_counter()
        self.timings.append(StageTiming(stage, now - self._start, items))
        logger.info("dedupe %s: %d items in %.2f s", stage, items, now - self._start)
        self._start = now


def resolve(
    records: Sequence[Contact] | Sequence[Account],
    settings: DedupeSettings | None = None,
    model: MatchModel | None = None,
    *,
    listener: StageListener | None = None,
) -> Resolution:
    """Cluster duplicate records; indices in the result point into ``records``.

    Without a ``model`` one is estimated on ``records`` themselves (EM, as Splink does).
    ``listener`` is told as each stage starts (a progress display).
    """
    settings = settings or DedupeSettings()
    watch = _Stopwatch(listener)
    preset = preset_for(records)
    watch.starting("features", len(records))
    table = preset.table(records, settings.workers)
    watch.lap("features", table.n)
    return resolve_table(table, preset.spec, settings, model, _watch=watch)


def estimate_model(
    table: FeatureTable,
    spec: LinkageSpec,
    pairs: CandidatePairs,
    levels: Levels,
    settings: DedupeSettings,
) -> MatchModel:
    """u from random pairs (all pairs of a small input), m by EM on the candidates or, on an
    input too small for EM, from the preset's reference model; prior by EM over all pairs."""
    rng = np.random.default_rng(settings.seed)
    sample = min(settings.u_sample_pairs, max(_MIN_U_SAMPLE, _U_SAMPLE_PER_RECORD * table.n))
    u = estimate_u(table, spec, sample, rng)
    reference = small_input_reference(table, spec, pairs, settings)
    if reference is not None:
        m = reference.m
    else:
        m = estimate_m(spec, pairs, levels, u, settings.em_max_pairs, settings.em_iterations, rng)
    m = with_else_floor(m)
    model = MatchModel(
        spec=spec,
        m=tuple(tuple(float(x) for x in row) for row in m),
        u=tuple(tuple(float(x) for x in row) for row in u),
        prior=0.5,
        term_frequencies=term_frequency_tables(table, spec, settings.tf_table_size),
    )
    if reference is None:
        # The matches among random pairs out of u (sampling.without_matches). That needs only
        # a rough prior, so term frequencies (a lookup per pair) wait for the final one below.
        rough = estimate_prior(model.weights(levels) - model.prior_weight, table.n)
        model = without_matches(replace(model, prior=rough))
    else:
        model = replace(model, prior=_prior(table, model, pairs, levels))
        # A small input's own duplicates would inflate u: count each pair as a non-match only
        # as far as the reference m says it is one (see small_input.py).
        model = non_match_u(table, model, sample, reference.u_floor) or model
    if any(comparison.depends_on for comparison in spec.comparisons):
        model = replace(model, u_given=estimate_u_given(table, model, sample, rng))
    return replace(model, prior=_prior(table, model, pairs, levels))


def _prior(table: FeatureTable, model: MatchModel, pairs: CandidatePairs, levels: Levels) -> float:
    if not len(pairs):
        return estimate_prior(np.empty(0), table.n)
    source = frequency_source(table, model)
    evidence = score_pairs(table, model, pairs.left, pairs.right, source, levels)
    return estimate_prior(evidence.weights - model.prior_weight, table.n)


def resolve_table(
    table: FeatureTable,
    spec: LinkageSpec,
    settings: DedupeSettings | None = None,
    model: MatchModel | None = None,
    *,
    _watch: _Stopwatch | None = None,
) -> Resolution:
    """Cluster the rows of a feature table with a linkage spec (any data, any columns)."""
    settings = settings or DedupeSettings()
    watch = _watch or _Stopwatch()
    if model is not None:
        spec = model.spec  # a given model compares with the spec it was trained on
    watch.starting("blocking", table.n)
    pairs = candidate_pairs(table, spec.blocking, settings.max_block_size, settings.subblock_window)
    watch.lap("blocking", len(pairs))
    watch.starting("comparing", len(pairs))
    levels = compare_pairs(table, spec.comparisons, pairs.left, pairs.right)
    watch.lap("comparing", len(pairs))
    if model is None:
        watch.starting("estimating", len(pairs))
        model = estimate_model(table, spec, pairs, levels, settings)
        watch.lap("estimating", len(pairs))
    watch.starting("scoring", len(pairs))
    source = frequency_source(table, model)
    scores = score_pairs(table, model, pairs.left, pairs.right, source, levels)
    book = ScoreBook(table, model, source, scores)
    watch.lap("scoring", len(pairs))
    watch.starting("clustering", len(pairs))
    drafts = cluster_pairs(
        table.n,
        scores.left,
        scores.right,
        scores.probabilities,
        scores.conflicts,
        book.lookup,
        review_threshold=settings.review_threshold,
        match_threshold=settings.match_threshold,
        max_component_size=settings.max_component_size,
    )
    clusters = _clusters(drafts, book, model, settings)
    watch.lap("clustering", len(clusters))
    return Resolution(
        clusters=clusters,
        pairs_compared=len(pairs),
        timings=tuple(watch.timings),
        model=model,
        blocking=pairs.reports,
        table=table,
    )


def _clusters(
    drafts: ClusterDraft, book: ScoreBook, model: MatchModel, settings: DedupeSettings
) -> tuple[Cluster, ...]:
    """Clusters with every pair inside scored and explained, in order of first member."""
    if len(drafts) == 0:
        return ()
    order = np.argsort(drafts.members[drafts.starts], kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    owner = np.repeat(rank, drafts.sizes)
    members = drafts.members[np.argsort(owner, kind="stable")]
    sizes = drafts.sizes[order]
    label = np.repeat(np.arange(len(sizes)), sizes)
    i, j = pairs_within_groups(label)
    scores = book.get(members[i], members[j])
    # Hundreds of thousands of small acyclic objects: the cyclic GC would only rescan the
    # caller's records (a million Contacts) again and again while they are built.
    with gc_paused():
        return _build_clusters(drafts, order, sizes, members, scores, model, settings)


def _build_clusters(
    drafts: ClusterDraft,
    order: Codes,
    sizes: Codes,
    members: Codes,
    scores: PairScores,
    model: MatchModel,
    settings: DedupeSettings,
) -> tuple[Cluster, ...]:
    scored = _scored_pairs(scores, model)
    pair_counts = sizes * (sizes - 1) // 2
    pair_starts = np.cumsum(pair_counts) - pair_counts
    conflicted = np.logical_or.reduceat(scores.conflicts, pair_starts)
    conflicted |= np.logical_or.reduceat(review_held(model.spec, scores.levels), pair_starts)
    weakest = drafts.min_probability[order]
    auto = (weakest >= settings.match_threshold) & ~conflicted
    decisions = [ClusterDecision.REVIEW, ClusterDecision.AUTO]
    member_lists = members.tolist()
    member_starts = (np.cumsum(sizes) - sizes).tolist()
    return tuple(
        Cluster(
            members=tuple(member_lists[start : start + size]),
            decision=decisions[is_auto],
            pairs=tuple(scored[pair : pair + count]),
            min_probability=low,
        )
        for start, size, pair, count, low, is_auto in zip(
            member_starts,
            sizes.tolist(),
            pair_starts.tolist(),
            pair_counts.tolist(),
            weakest.tolist(),
            auto.tolist(),
            strict=True,
        )
    )


def _scored_pairs(scores: PairScores, model: MatchModel) -> list[ScoredPair]:
    """ScoredPair objects with contributions; equal contributions share one object, built
    once per distinct (comparison, level, weight) with numpy, so the only per-pair Python
    work is the ScoredPair itself."""
    columns = []
    for c, comparison in enumerate(model.spec.comparisons):
        # One integer per (level, weight to 1e-4 bit): 1-D unique is fast.
        ticks = np.round((model.column_weights(c, scores.levels) + scores.tf[:, c]) * 1e4)
        keys = (scores.levels[:, c].astype(np.int64) + 1) * _TICK_SPAN + ticks.astype(np.int64)
        distinct, inverse = np.unique(keys, return_inverse=True)
        labels = ["null", *(level.label for level in comparison.levels)]
        objects = np.empty(len(distinct), dtype=object)
        objects[:] = [
            Contribution(
                comparison.name, labels[key // _TICK_SPAN], (key % _TICK_SPAN - _TICK_ZERO) / 1e4
            )
            for key in (distinct + _TICK_ZERO).tolist()
        ]
        columns.append(objects[inverse.reshape(-1)].tolist())
    contributions = list(zip(*columns, strict=True)) if columns else [()] * len(scores.left)
    return list(
        map(
            ScoredPair,
            scores.left.tolist(),
            scores.right.tolist(),
            scores.probabilities.tolist(),
            scores.weights.tolist(),
            contributions,
        )
    )
