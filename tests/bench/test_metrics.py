"""Dedupe quality figures on hand-made clusters, checked against counts done by hand."""

from __future__ import annotations

import pytest

from bench.dedupe.metrics import (
    blocking_scores,
    decision_scores,
    linkage_scores,
    missed_pairs_by_tag,
    pairs_among,
    pairwise_scores,
    tag_counts,
    true_pair_arrays,
    wrong_pairs_by_tag,
)
from canonical.dedupe.types import Cluster, ClusterDecision

# Entities: 0 has records 0,1,2 (3 pairs); 1 has 3,4 (1 pair); 2 has 5 alone. 4 true pairs.
LABELS = [0, 0, 0, 1, 1, 2]


def _cluster(members: tuple[int, ...], decision: ClusterDecision) -> Cluster:
    return Cluster(members=members, decision=decision, pairs=(), min_probability=0.9)


def test_pairwise_scores_count_pairs_through_the_contingency_table() -> None:
    # (0,1) is right; (3,4,5) holds one right pair (3,4) and two wrong ones.
    scores = pairwise_scores([(0, 1), (3, 4, 5)], LABELS)
    assert (scores.true_pairs, scores.predicted_pairs, scores.true_positives) == (4, 4, 2)
    assert scores.precision == 0.5
    assert scores.recall == 0.5
    assert scores.f1 == 0.5


def test_perfect_clusters_score_one_and_no_clusters_score_no_recall() -> None:
    perfect = pairwise_scores([(2, 0, 1), (3, 4)], LABELS)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    nothing = pairwise_scores([], LABELS)
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 0.0, 0.0)


def test_uneven_precision_and_recall_give_their_harmonic_mean() -> None:
    # One cluster of everything: 15 predicted pairs, all 4 true ones inside.
    scores = pairwise_scores([(0, 1, 2, 3, 4, 5)], LABELS)
    assert scores.precision == pytest.approx(4 / 15)
    assert scores.recall == 1.0
    assert scores.f1 == pytest.approx(2 * (4 / 15) / (4 / 15 + 1))


def test_labels_may_be_any_hashable_numbers() -> None:
    scores = pairwise_scores([(0, 1)], [1000, 1000, 7])
    assert (scores.true_pairs, scores.true_positives) == (1, 1)


def test_overlapping_clusters_are_refused() -> None:
    with pytest.raises(ValueError, match="cluster 1 shares records"):
        pairwise_scores([(0, 1), (1, 2)], LABELS)


def test_blocking_scores_count_each_distinct_pair_once() -> None:
    # (0,1) twice and reversed, (2,3) wrong, (4,3) right, (5,5) not a pair.
    scores = blocking_scores([0, 1, 0, 2, 4, 5], [1, 0, 1, 3, 3, 5], LABELS)
    assert scores.candidate_pairs == 3
    assert scores.true_candidate_pairs == 2
    assert scores.recall == 0.5


def test_decision_scores_measure_auto_clusters_and_the_review_share() -> None:
    clusters = [
        _cluster((0, 1), ClusterDecision.AUTO),
        _cluster((3, 4, 5), ClusterDecision.REVIEW),
        _cluster((2,), ClusterDecision.SINGLE),
    ]
    scores = decision_scores(clusters, LABELS)
    assert (scores.clusters, scores.auto_clusters, scores.review_clusters) == (3, 1, 1)
    assert scores.auto_precision == 1.0
    assert scores.auto_pairs.recall == 0.25
    assert scores.review_share == pytest.approx(1 / 3)


def test_missed_and_wrong_pairs_are_counted_by_the_tags_of_their_records() -> None:
    tags = [("traditional",), (), ("romanised",), (), ("namesake",), ("namesake",)]
    clusters = [(0, 1), (3, 4, 5)]
    # Missed: (0,2) and (1,2); both involve record 2 (romanised), one also record 0.
    assert missed_pairs_by_tag(clusters, LABELS, tags) == {"romanised": 2, "traditional": 1}
    # Wrong: (3,5) and (4,5), both with a namesake.
    assert wrong_pairs_by_tag(clusters, LABELS, tags) == {"namesake": 2}
    assert missed_pairs_by_tag([(0, 1, 2)], LABELS, [()] * 6) == {"clean": 1}


def test_true_pair_arrays_list_every_pair_of_each_entity_once() -> None:
    left, right = true_pair_arrays([5, 9, 5, 9, 5, 1])
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [
        (0, 2), (0, 4), (1, 3), (2, 4),
    ]  # fmt: skip
    empty_left, _ = true_pair_arrays([1, 2, 3])
    assert len(empty_left) == 0


def test_pairs_among_finds_pairs_in_either_order() -> None:
    found = pairs_among([0, 2, 3], [1, 4, 5], candidate_left=[1, 4], candidate_right=[0, 3])
    assert found.tolist() == [True, False, False]
    assert pairs_among([0], [1], [], []).tolist() == [False]


def test_tag_counts_alone_keeps_pairs_due_to_one_variant() -> None:
    tags = [("traditional",), (), ("romanised", "mobile_missing"), ()]
    left, right = [0, 1, 0], [1, 3, 2]
    assert tag_counts(left, right, tags) == {
        "traditional": 2, "clean": 1, "romanised": 1, "mobile_missing": 1,
    }  # fmt: skip
    assert tag_counts(left, right, tags, alone=True) == {"traditional": 1, "clean": 1}


def test_linkage_scores_count_only_pairs_across_the_two_files() -> None:
    # Files: A = records 0..2, B = 3..5. Entity 0: 0 (A), 1 (A), 3 (B): 2 cross pairs;
    # entity 1: 2 (A), 4 (B): 1; entity 2: 5 (B) alone. 3 true links.
    labels = [0, 0, 1, 0, 1, 2]
    # (0, 1) lies within A: not a link, neither right nor wrong. (2, 4, 5): links 2-4 (right)
    # and 2-5 (wrong); 4-5 lies within B.
    scores = linkage_scores([(0, 1), (2, 4, 5)], labels, split=3)
    assert (scores.true_pairs, scores.predicted_pairs, scores.true_positives) == (3, 2, 1)
    assert scores.precision == 0.5
    assert scores.recall == pytest.approx(1 / 3)
