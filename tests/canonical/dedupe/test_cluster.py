from __future__ import annotations

import numpy as np

from canonical.dedupe.cluster import (
    EVIDENCE_AGAINST,
    EVIDENCE_IDENTIFIED,
    EVIDENCE_SOFT,
    ClusterDraft,
    cluster_pairs,
    connected_components,
)

Scored = dict[tuple[int, int], tuple[float, bool] | tuple[float, bool, int]]


def weight(probability: float) -> float:
    return float(np.log2(probability / (1 - probability)))


def run(n: int, scored: Scored, **kwargs: float) -> ClusterDraft:
    """Cluster n records whose candidate pairs are ``scored`` (probability, conflict[,
    evidence kind: soft unless given]); any other pair asked for is a weak, soft one
    (p = 0.2)."""
    keys = sorted(scored)
    left = np.array([a for a, _ in keys], dtype=np.int64)
    right = np.array([b for _, b in keys], dtype=np.int64)
    prob = np.array([scored[k][0] for k in keys])
    bad = np.array([scored[k][1] for k in keys])

    def lookup(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        found = [scored.get((int(x), int(y)), (0.2, False)) for x, y in zip(a, b, strict=True)]
        return (
            np.array([weight(f[0]) for f in found]),
            np.array([f[1] for f in found]),
            np.array([f[2] if len(f) > 2 else EVIDENCE_SOFT for f in found], dtype=np.int8),
        )

    return cluster_pairs(
        n, left, right, prob, bad, lookup,
        review_threshold=kwargs.get("review", 0.5), match_threshold=kwargs.get("match", 0.99),
        max_component_size=int(kwargs.get("max_size", 64)),
    )  # fmt: skip


def groups(drafts: ClusterDraft) -> list[list[int]]:
    starts = drafts.starts.tolist()
    return sorted(
        sorted(drafts.members[s : s + n].tolist())
        for s, n in zip(starts, drafts.sizes.tolist(), strict=True)
    )


def test_connected_components_labels_by_smallest_member() -> None:
    labels = connected_components(6, np.array([0, 3, 4]), np.array([1, 4, 5]))
    assert labels.tolist() == [0, 0, 2, 3, 3, 3]


def test_a_pair_above_the_review_threshold_is_a_cluster() -> None:
    drafts = run(3, {(0, 1): (0.97, False), (1, 2): (0.3, False)})
    assert groups(drafts) == [[0, 1]]
    assert drafts.min_probability.tolist() == [0.97]


def test_colleagues_sharing_a_landline_stay_apart() -> None:
    # 0 and 1 are one person; 2 and 3 colleagues whose names and mobiles differ (conflict),
    # linked to 1 through the shared switchboard number only.
    scored = {
        (0, 1): (0.9999, False),
        (1, 2): (0.6, False),
        (1, 3): (0.6, False),
        (0, 2): (0.0001, True),
        (0, 3): (0.0001, True),
        (2, 3): (0.0001, True),
    }
    assert groups(run(4, scored)) == [[0, 1]]


def test_a_chain_of_three_variants_of_one_person_merges() -> None:
    # 张伟 - Zhang Wei - Wei ZHANG: each next variant is sure, the two ends only plausible.
    scored = {(0, 1): (0.999, False), (1, 2): (0.998, False), (0, 2): (0.4, False)}
    drafts = run(3, scored)
    assert groups(drafts) == [[0, 1, 2]]
    assert drafts.min_probability[0] >= 0.5  # held together, if less surely than each link


def test_a_conflict_inside_a_chain_stops_the_merge() -> None:
    # Two different mobiles at the ends: the middle record joins one side only.
    scored = {(0, 1): (0.999, False), (1, 2): (0.998, False), (0, 2): (0.001, True)}
    assert groups(run(3, scored)) == [[0, 1]]


def test_a_strong_link_cannot_drag_in_a_part_the_rest_speaks_against() -> None:
    # 3 links strongly to 0 only; 1 and 2 (one person with 0) say 3 is someone else.
    scored = {
        (0, 1): (0.9999, False), (0, 2): (0.9999, False), (1, 2): (0.9999, False),
        (0, 3): (0.999, False), (1, 3): (0.001, False), (2, 3): (0.001, False),
    }  # fmt: skip
    assert groups(run(4, scored)) == [[0, 1, 2]]


def test_clean_groups_are_settled_whole() -> None:
    scored = {(0, 1): (0.9999, False), (0, 2): (0.9995, False), (1, 2): (0.9992, False)}
    drafts = run(3, scored)
    assert groups(drafts) == [[0, 1, 2]]
    assert drafts.min_probability[0] == 0.9992


def test_oversized_components_are_cut_at_their_weakest_links() -> None:
    # A path of 12 records; the weakest link in the middle is dropped to fit 8.
    scored = {(i, i + 1): (0.999 if i != 5 else 0.6, False) for i in range(11)}
    drafts = run(12, scored, max_size=8)
    assert all(size <= 8 for size in drafts.sizes.tolist())
    assert not any({5, 6} <= set(group) for group in groups(drafts))


def _sparse_record(kind: int, far: float = 0.3) -> Scored:
    """0, 1, 2 are one person, surely; 3 (a name and one more value) links to 0 by ``kind``
    evidence at p = 0.9999 and to 1 and 2 only at p = ``far``."""
    return {
        (0, 1): (0.99999, False), (0, 2): (0.99999, False), (1, 2): (0.99999, False),
        (0, 3): (0.9999, False, kind), (1, 3): (far, False), (2, 3): (far, False),
    }  # fmt: skip


def test_a_sparse_record_joins_as_surely_as_its_identified_link() -> None:
    # 3 shares a mobile with 0 but holds little else: its average is low, its link sure.
    drafts = run(4, _sparse_record(EVIDENCE_IDENTIFIED), review=0.5, match=0.999)
    assert groups(drafts) == [[0, 1, 2, 3]]
    assert drafts.min_probability[0] >= 0.999


def test_a_soft_link_never_lifts_a_merge_above_its_average() -> None:
    # A name and a company only: a same-name colleague could hold both.
    drafts = run(4, _sparse_record(EVIDENCE_SOFT), review=0.5, match=0.999)
    assert groups(drafts) == [[0, 1, 2, 3]]
    assert drafts.min_probability[0] < 0.999


def test_an_identified_link_does_not_count_when_a_cross_pair_speaks_against() -> None:
    scored = _sparse_record(EVIDENCE_IDENTIFIED)
    scored[(1, 3)] = (0.3, False, EVIDENCE_AGAINST)
    drafts = run(4, scored, review=0.5, match=0.999)
    assert groups(drafts) == [[0, 1, 2, 3]]
    assert drafts.min_probability[0] < 0.999


def test_one_persons_two_mobiles_joined_by_an_address_merge_for_review() -> None:
    """0-1 share one mobile, 2-3 another; 1 and 2 share an address (an identified link above
    the match threshold); the other cross pairs count the two mobiles against. The average
    alone would keep two clusters of one person; they merge, at the average, for review."""
    scored: Scored = {
        (0, 1): (0.9999, False, EVIDENCE_IDENTIFIED),
        (2, 3): (0.9999, False, EVIDENCE_IDENTIFIED),
        (1, 2): (0.998, False, EVIDENCE_IDENTIFIED),
        (0, 2): (0.15, False),
        (0, 3): (0.15, False),
        (1, 3): (0.15, False),
    }
    drafts = run(4, scored, review=0.7, match=0.995)
    assert groups(drafts) == [[0, 1, 2, 3]]
    assert drafts.min_probability.tolist()[0] < 0.7


def test_a_soft_strong_link_does_not_join_parts_the_average_keeps_apart() -> None:
    """The same, linked by a name and a company alone: two clusters stay."""
    scored: Scored = {
        (0, 1): (0.9999, False, EVIDENCE_IDENTIFIED),
        (2, 3): (0.9999, False, EVIDENCE_IDENTIFIED),
        (1, 2): (0.998, False),
        (0, 2): (0.15, False),
        (0, 3): (0.15, False),
        (1, 3): (0.15, False),
    }
    assert groups(run(4, scored, review=0.7, match=0.995)) == [[0, 1], [2, 3]]
