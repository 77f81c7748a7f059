"""Inputs too small for EM: whether an input is one, and its u from every pair with its
duplicates discounted (m then comes from the preset's reference model, see reference.py).

u is how often two different entities agree. On a large input it comes from random pairs,
nearly all of which are non-matches. On a few dozen records the duplicates are a large part
of the agreeing pairs: four records of one person sharing an e-mail address would make that
address look common and the agreement weak. A small input has few enough pairs to score them
all, so each pair counts towards u with its probability of being a non-match as the reference
model (m and u of the reference population, the input's prior) judges it: as Splink takes u
from pairs it deems non-matches. Judging by the input's own u instead would feed back: the
one duplicate of an 8-record input would raise the u of its own agreements and doubt itself.

The reference population's u is the floor: a small input can show that strangers agree
more often than among the 20,000 generated contacts (colleagues listing one switchboard),
never that they agree less often. 28 pairs in which no two strangers share a mobile say
nothing about a u of one in a million; 28 pairs in which nobody shares a job title do not
make a title as telling as an e-mail address.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from canonical.dedupe.blocking import CandidatePairs
from canonical.dedupe.compare import compare_pairs
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.model import Floats, MatchModel, probabilities
from canonical.dedupe.reference import Reference, reference_m
from canonical.dedupe.spec import LinkageSpec
from canonical.dedupe.types import DedupeSettings

__all__ = ["non_match_u", "small_input_reference"]

logger = logging.getLogger(__name__)

_FLOOR_PAIRS = 5.0  # pseudo-pairs at the reference u behind a small input's own u


def non_match_u(
    table: FeatureTable, model: MatchModel, max_pairs: int, u_floor: Sequence[Floats]
) -> MatchModel | None:
    """``model`` with u re-estimated over all pairs of ``table``, each weighted by its
    non-match probability under the reference (no level below ``u_floor``, the reference u);
    None when the table has more than ``max_pairs`` pairs."""
    n = table.n
    if n < 2 or n * (n - 1) // 2 > max_pairs:
        return None
    left, right = np.triu_indices(n, k=1)
    comparisons = model.spec.comparisons
    levels = compare_pairs(table, comparisons, left.astype(np.int64), right.astype(np.int64))
    judge = replace(model, u=tuple(tuple(float(x) for x in row) for row in u_floor))
    non_match = 1.0 - probabilities(judge.weights(levels))
    u = []
    for index, comparison in enumerate(comparisons):
        column = levels[:, index]
        present = column >= 0
        mass = np.bincount(
            column[present], weights=non_match[present], minlength=len(comparison.levels)
        )
        # The floor doubles as a prior worth a few pairs: two records that are one person
        # leave next to no non-match mass, whose shares alone would be noise.
        floor = np.asarray(u_floor[index], dtype=np.float64)
        shares = (mass + _FLOOR_PAIRS * floor) / (mass.sum() + _FLOOR_PAIRS)
        shares = np.maximum(shares, floor)
        u.append(tuple(float(x) for x in shares / shares.sum()))
    return replace(model, u=tuple(u))


def small_input_reference(
    table: FeatureTable, spec: LinkageSpec, pairs: CandidatePairs, settings: DedupeSettings
) -> Reference | None:
    """The reference model when the input is too small for EM and the preset has one, else None
    (EM runs). Logs which path was taken and why."""
    small = table.n < settings.min_records_for_em or len(pairs) < settings.min_pairs_for_em
    if not small:
        logger.info("dedupe m: EM on %d records, %d candidate pairs", table.n, len(pairs))
        return None
    reference = reference_m(spec)
    if reference is None:
        logger.warning(
            "dedupe m: only %d records / %d candidate pairs but preset %r has no reference "
            "model; EM on so little data may weigh weak evidence too high",
            table.n,
            len(pairs),
            spec.kind,
        )
        return None
    logger.info(
        "dedupe m: reference model of preset %r (%d records < %d or %d candidate pairs < %d);"
        " u, prior and term frequencies from the input",
        spec.kind,
        table.n,
        settings.min_records_for_em,
        len(pairs),
        settings.min_pairs_for_em,
    )
    return reference
