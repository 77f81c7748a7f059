"""u without the matches hidden among random pairs, and the evidence kinds of scored pairs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from canonical.dedupe.cluster import EVIDENCE_AGAINST, EVIDENCE_IDENTIFIED, EVIDENCE_SOFT
from canonical.dedupe.sampling import without_matches
from canonical.dedupe.scoring import PairScores
from tests.canonical.dedupe.test_model import MODEL


def test_matches_among_random_pairs_are_taken_out_of_u() -> None:
    # A pair in 100 matches; random pairs agree exactly 1 % of the time, 0.8 % of it matches.
    model = replace(MODEL, prior=0.01, u=((0.01, 0.04, 0.95), (0.1, 0.9)))
    corrected = without_matches(model)
    exact = (0.01 - 0.01 * 0.8) / (1 - 0.01)
    shares = np.array([exact, (0.04 - 0.01 * 0.15) / 0.99, (0.95 - 0.01 * 0.05) / 0.99])
    assert corrected.u[0] == pytest.approx(tuple(shares / shares.sum()))
    assert sum(corrected.u[1]) == pytest.approx(1.0)


def test_u_never_falls_below_a_twentieth_of_what_random_pairs_show() -> None:
    # m and the prior say every exact agreement is a match: u keeps 5 % of the observed.
    model = replace(MODEL, prior=0.5, m=((0.02, 0.08, 0.9), (0.9, 0.1)))
    corrected = without_matches(model)
    assert corrected.u[0][0] >= 0.05 * 0.01 / 1.05


def test_on_a_large_input_u_hardly_moves() -> None:
    model = replace(MODEL, prior=1e-6)
    for before, after in zip(MODEL.u, without_matches(model).u, strict=True):
        assert after == pytest.approx(before, rel=1e-4)


def _scores(levels: list[list[int]]) -> PairScores:
    rows = np.array(levels, dtype=np.int8)
    index = np.arange(len(levels), dtype=np.int64)
    return PairScores(MODEL, rows, np.zeros((0, 0), dtype=np.float32), index, index + 1)


def test_evidence_tells_identified_soft_and_against_apart() -> None:
    # prior odds ~ -10 bits: a exact alone is +6.3, not enough; both exact +9.5 are soft;
    # raise the exact level's weight beyond the prior to identify.
    strong = replace(MODEL, m=((0.98, 0.01, 0.01), (0.9, 0.1)), u=((1e-5, 0.04, 0.95), (0.1, 0.9)))
    rows = np.array([[0, 0], [0, -1], [2, 1], [1, 0]], dtype=np.int8)
    index = np.arange(4, dtype=np.int64)
    scores = PairScores(strong, rows, np.zeros((0, 0), dtype=np.float32), index, index + 1)
    assert scores.evidence.tolist() == [
        EVIDENCE_IDENTIFIED, EVIDENCE_IDENTIFIED, EVIDENCE_AGAINST, EVIDENCE_SOFT,
    ]  # fmt: skip
    weak = _scores([[0, 0]])
    assert weak.evidence.tolist() == [EVIDENCE_SOFT]
